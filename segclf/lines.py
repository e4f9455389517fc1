"""The lossless split of a document into lines, and the text views used for features.

The split is exactly ``text.split("\\n")``: a trailing ``\\r`` stays part of its
line, so the lines always join back to the input. Normalisation happens only
in the *views* that features and the text models read, never in the output.
"""

from __future__ import annotations

import re

__all__ = ["split_lines", "feature_view", "model_view", "text_model_view", "MAX_FEATURE_CHARS", "MAX_MODEL_CHARS"]

#: Work per line is capped: features and text models read at most this many
#: characters of a line (its length is still measured in full).
MAX_FEATURE_CHARS = 1000
#: The fastText model reads at most this many characters of a line (cut at a word
#: boundary): its cost grows with the characters, and a line's first words decide
#: its function and language as well as all of them (measured: a model trained on 100
#: characters scored as well as one trained on 200 on the development pages, and its
#: pass took 12 instead of 16.5 us per line). A model file records the cap it was trained with.
MAX_MODEL_CHARS = 100

#: Invisible characters that views fold like white space (``str.split`` does not).
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_SPACES = re.compile(rf"[\s{_ZERO_WIDTH}]+")
_DIGITS = re.compile(r"\d")
_ASCII_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
#: The characters whose lower case is not one character independent of its neighbours:
#: İ becomes two, and Σ becomes ς at the end of a word.
_LOWERS_BY_CONTEXT = re.compile("[\u0130\u03a3]")
# Lone surrogates cannot be encoded by the text models; replace them in views.
_SURROGATES = re.compile("[\ud800-\udfff]")
#: What ``str.split`` alone would not handle: zero-width characters and lone surrogates.
_UNUSUAL = re.compile(f"[\ud800-\udfff{_ZERO_WIDTH}]")


def split_lines(text: str) -> list[str]:
    """Split ``text`` into lines; ``"\\n".join(split_lines(t)) == t`` always holds."""
    return text.split("\n")


def feature_view(line: str) -> str:
    """The capped, whitespace-folded text that shallow features read."""
    view = line[:MAX_FEATURE_CHARS]
    if view.isascii() or not _UNUSUAL.search(view):
        # str.split's white space is exactly re's \s (checked for every code point)
        return " ".join(view.split())
    view = _SURROGATES.sub("\ufffd", view)
    return _SPACES.sub(" ", view).strip()


def model_view(view: str, has_digit: bool = True) -> str:
    """The text given to the fastText model: lower case, digits folded to ``0``.

    Folding digits lets ``12 comments`` and ``3 comments`` share their n-grams.
    ``has_digit=False`` says that ``view`` has no decimal digit (known from its
    characters), which saves the search.
    """
    text = view.lower()
    if not has_digit:
        return text
    if text.isascii():  # bytes.translate is ten times quicker than the pattern; \d beyond ASCII needs it
        return text.encode("ascii").translate(_ASCII_DIGITS_TO_ZERO).decode("ascii")
    return _DIGITS.sub("0", text)


def text_model_view(view: str, has_digit: bool = True, cap: int = MAX_MODEL_CHARS) -> str:
    """The text the fastText model scores: ``model_view`` of the line's first words.

    At most ``cap`` characters, cut before a word that would cross the limit
    (within a word only when the first word alone is longer).
    """
    if len(view) > cap + 1 and (view.isascii() or not _LOWERS_BY_CONTEXT.search(view)):
        # Lowering and folding map these views character for character, and the cut reads
        # only the first cap + 1 characters: the rest need not be lowered.
        view = view[: cap + 1]
    text = model_view(view, has_digit)
    if len(text) <= cap:
        return text
    if text[cap] == " ":  # the limit falls between two words
        return text[:cap]
    cut = text.rfind(" ", 0, cap)
    return text[:cut] if cut > 0 else text[:cap]
