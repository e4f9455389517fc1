"""Find lines written in another language than the page (build time only).

The page's main language is the language of most of its gold text, by
characters (``Lid.document_language``).

Uses the fastText language-ID model ``lid.176.ftz``.  A line is ``foreign``
only when it clearly has a language of its own that differs from the page's:

* at least ``MIN_CHARS`` characters once URLs, e-mail addresses, numbers
  and separators (guillemets, bars, bullets) are removed, and at least three words of two letters or more besides month
  and day names (or six CJK characters) -- names, numbers, dates and URLs
  never qualify;
* not a row of capitalised names (most words capitalised, as in
  ``Barack Obama, Hillary Clinton``) unless its script differs from the page's;
* fastText's top language differs from the page language with probability
  >= ``P_SAME_SCRIPT`` (``P_SAME_SCRIPT_LONG`` for lines of ``LONG_WORDS``
  words or more, ``P_OTHER_SCRIPT`` when the line's script differs from the
  page's, e.g. Persian under English), for the line as written and
  lower-cased (capitalised names sway fastText);
* Han-only lines count as both Chinese and Japanese.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

__all__ = ["Lid", "MIN_CHARS", "latin_share"]

MIN_CHARS = 20
#: Same script as the page: short lines need this probability ...
P_SAME_SCRIPT = 0.95
#: ... lines of at least ``LONG_WORDS`` content words this one.
P_SAME_SCRIPT_LONG = 0.9
LONG_WORDS = 6
#: Another script than the page's (e.g. Persian under English).
P_OTHER_SCRIPT = 0.6
#: Words that carry no language of their own in a dateline or a comment signature.
_FRAME_WORDS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august "
    "september october november december mon tue wed thu fri sat sun monday tuesday wednesday thursday "
    "friday saturday sunday am pm at on by".split()
)
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|\b\d[\d.,:/%-]*|[«»‹›|•·<>\[\]{}]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Languages whose fastText label should be read as the page label (macro/near-identical codes).
_SAME = {"nb": "no", "nn": "no", "zh-tw": "zh", "zh-cn": "zh"}


def latin_share(text: str) -> float:
    """Share of letters in Latin script (1.0 for a text without letters)."""
    if text.isascii():
        return 1.0
    n_letters = len(_LETTER.findall(text))
    return len(_LATIN.findall(text)) / n_letters if n_letters else 1.0


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in _FRAME_WORDS]


def _has_own_language(text: str) -> bool:
    return len(_CJK.findall(text)) >= 6 or (len(text) >= MIN_CHARS and len(_content_words(text)) >= 3)


def _names_only(text: str) -> bool:
    words = _content_words(text)
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
        for lab, p in zip(labels, probs, strict=True):
            code = lab[0].replace("__label__", "") if lab else ""
            out.append((_SAME.get(code, code), float(p[0]) if len(p) else 0.0))
        return out

    def document_language(self, text: str, default: str = "en") -> str:
        """Main language of a (gold) text: the language of most of its characters, by paragraph."""
        paras = [" ".join(p.split()) for p in text.split("\n")]
        paras = [p for p in paras if len(p) >= MIN_CHARS] or [" ".join(text.split())]
        weight: dict[str, int] = {}
        for para, (code, p) in zip(paras, self.predict(paras), strict=True):
            if code and p >= 0.5:
                weight[code] = weight.get(code, 0) + len(para)
        return max(weight, key=lambda c: weight[c]) if weight else default

    def foreign_flags(self, lines: Sequence[str], lang: str, page_latin: bool) -> list[bool]:
        """True for each line clearly written in another language than ``lang``."""
        cands = []
        for n, line in enumerate(lines):
            text = " ".join(_NOISE.sub(" ", line).split())
            if not _has_own_language(text):
                continue
            other_script = (latin_share(text) >= 0.5) != page_latin
            if not other_script and _names_only(text):
                continue
            cands.append((n, text, other_script))
        flags = [False] * len(lines)
        texts = [c[1] for c in cands]
        # fastText is swayed by capitals (names): the lower-cased text must agree.
        for (n, text, other_script), (code, p), (code_lc, p_lc) in zip(
            cands, self.predict(texts), self.predict([t.lower() for t in texts]), strict=True
        ):
            long_line = len(_content_words(text)) >= LONG_WORDS
            threshold = P_OTHER_SCRIPT if other_script else P_SAME_SCRIPT_LONG if long_line else P_SAME_SCRIPT
            if _same_language(code, lang, text) or code != code_lc:
                continue
            flags[n] = min(p, p_lc) >= threshold
        return flags


def _same_language(code: str, lang: str, text: str) -> bool:
    """Treat an unknown code as the page language, and Han-only lines as both Chinese and Japanese."""
    if not code or code == lang:
        return True
    return {code, lang} <= {"zh", "ja"} and not _KANA.search(text)
