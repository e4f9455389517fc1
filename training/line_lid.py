"""Find lines written in another language than the page (build time only).

Uses the fastText language-ID model ``lid.176.ftz``.  A line is ``foreign``
only when it clearly has a language of its own that differs from the page's:

* at least ``MIN_CHARS`` characters once URLs, e-mail addresses and numbers
  are removed, and at least three words of two letters or more (or six CJK
  characters) -- names, numbers, dates and URLs never qualify;
* not a row of capitalised names (most words capitalised, as in
  ``Barack Obama, Hillary Clinton``) unless its script differs from the page's;
* fastText's top language differs from the page language with probability
  >= ``P_SAME_SCRIPT`` (>= ``P_OTHER_SCRIPT`` when the line's script differs
  from the page's, e.g. Persian under English).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

__all__ = ["Lid", "MIN_CHARS"]

MIN_CHARS = 20
P_SAME_SCRIPT = 0.92
P_OTHER_SCRIPT = 0.6
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[\d.,:/%-]+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Languages whose fastText label should be read as the page label (macro/near-identical codes).
_SAME = {"nb": "no", "nn": "no", "zh-tw": "zh", "zh-cn": "zh"}


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    return sum(1 for c in letters if ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF) / len(letters)


def _has_own_language(text: str) -> bool:
    words = _WORD.findall(text)
    return len(_CJK.findall(text)) >= 6 or (len(text) >= MIN_CHARS and len(words) >= 3)


def _names_only(text: str) -> bool:
    words = _WORD.findall(text)
    caps = sum(1 for w in words if w[0].isupper())
    return bool(words) and caps / len(words) >= 0.8


class Lid:
    """fastText language ID for documents and lines; inert when the model is missing."""

    def __init__(self, model_path: str | os.PathLike[str] | None) -> None:
        self.model = None
        if model_path and os.path.exists(model_path):
            import fasttext

            fasttext.FastText.eprint = lambda *args, **kwargs: None  # silence the load warning
            self.model = fasttext.load_model(str(model_path))

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """Top language code and probability for each text (``("", 0.0)`` without a model)."""
        if self.model is None or not texts:
            return [("", 0.0)] * len(texts)
        clean = [" ".join(t.split()) for t in texts]
        labels, probs = self.model.predict(clean, k=1)
        out = []
        for lab, p in zip(labels, probs):
            code = lab[0].replace("__label__", "") if lab else ""
            out.append((_SAME.get(code, code), float(p[0]) if len(p) else 0.0))
        return out

    def document_language(self, text: str, default: str = "en") -> str:
        """Main language of a (gold) text, from its first few thousand characters."""
        sample = " ".join(text.split())[:4000]
        code, p = self.predict([sample])[0]
        return code if code and p >= 0.5 else default

    def foreign_flags(self, lines: Sequence[str], lang: str, page_latin: bool) -> list[bool]:
        """True for each line clearly written in another language than ``lang``."""
        cands = []
        for n, line in enumerate(lines):
            text = " ".join(_NOISE.sub(" ", line).split())
            if not _has_own_language(text):
                continue
            other_script = (_latin_share(text) >= 0.5) != page_latin
            if not other_script and _names_only(text):
                continue
            cands.append((n, text, other_script))
        flags = [False] * len(lines)
        for (n, _, other_script), (code, p) in zip(cands, self.predict([c[1] for c in cands])):
            threshold = P_OTHER_SCRIPT if other_script else P_SAME_SCRIPT
            flags[n] = bool(code) and code != lang and p >= threshold
        return flags
