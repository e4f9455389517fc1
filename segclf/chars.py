"""Character classes of many lines at once, with numpy lookup tables.

Counting letters, capitals, digits and scripts character by character in
Python costs more than the fastText pass itself; here every line of a
document is encoded once and counted with ``bincount``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "CharCounts",
    "Encoded",
    "count_chars",
    "per_line_counts",
    "encode",
    "char_property",
    "SCRIPTS",
    "LATIN",
    "HAN",
    "HANGUL",
    "KANA",
]

_BMP = 0x10000
#: Scripts told apart; letters of any other script count as ``OTHER``.
SCRIPTS: tuple[str, ...] = (
    "LATIN",
    "CYRILLIC",
    "GREEK",
    "ARABIC",
    "HEBREW",
    "DEVANAGARI",
    "BENGALI",
    "GURMUKHI",
    "GUJARATI",
    "ORIYA",
    "TAMIL",
    "TELUGU",
    "KANNADA",
    "MALAYALAM",
    "SINHALA",
    "THAI",
    "LAO",
    "TIBETAN",
    "MYANMAR",
    "GEORGIAN",
    "ARMENIAN",
    "ETHIOPIC",
    "KHMER",
    "HANGUL",
    "HIRAGANA",
    "KATAKANA",
    "HAN",
    "THAANA",
    "OTHER",
)
LATIN = SCRIPTS.index("LATIN")
HAN = SCRIPTS.index("HAN")
HANGUL = SCRIPTS.index("HANGUL")
#: Hiragana and katakana: written by Japanese alone, always mixed with Han.
KANA = [SCRIPTS.index("HIRAGANA"), SCRIPTS.index("KATAKANA")]
_SCRIPT_INDEX = {name: i for i, name in enumerate(SCRIPTS)}


# Unicode blocks of each script (letters outside them count as OTHER); blocks, not
# per-character names, keep the tables quick to build when a model loads.
_SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "LATIN": (
        (0x41, 0x5A),
        (0x61, 0x7A),
        (0xC0, 0x24F),
        (0x1E00, 0x1EFF),
        (0x2C60, 0x2C7F),
        (0xA720, 0xA7FF),
        (0xFF21, 0xFF3A),
        (0xFF41, 0xFF5A),
    ),
    "GREEK": ((0x370, 0x3FF), (0x1F00, 0x1FFF)),
    "CYRILLIC": ((0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
    "ARMENIAN": ((0x530, 0x58F),),
    "HEBREW": ((0x590, 0x5FF), (0xFB1D, 0xFB4F)),
    "ARABIC": ((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "THAANA": ((0x780, 0x7BF),),
    "DEVANAGARI": ((0x900, 0x97F), (0xA8E0, 0xA8FF)),
    "BENGALI": ((0x980, 0x9FF),),
    "GURMUKHI": ((0xA00, 0xA7F),),
    "GUJARATI": ((0xA80, 0xAFF),),
    "ORIYA": ((0xB00, 0xB7F),),
    "TAMIL": ((0xB80, 0xBFF),),
    "TELUGU": ((0xC00, 0xC7F),),
    "KANNADA": ((0xC80, 0xCFF),),
    "MALAYALAM": ((0xD00, 0xD7F),),
    "SINHALA": ((0xD80, 0xDFF),),
    "THAI": ((0xE00, 0xE7F),),
    "LAO": ((0xE80, 0xEFF),),
    "TIBETAN": ((0xF00, 0xFFF),),
    "MYANMAR": ((0x1000, 0x109F),),
    "GEORGIAN": ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
    "HANGUL": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
    "ETHIOPIC": ((0x1200, 0x139F),),
    "KHMER": ((0x1780, 0x17FF),),
    "HIRAGANA": ((0x3040, 0x309F),),
    "KATAKANA": ((0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "HAN": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)),
}


def build_tables() -> None:
    """Build the per-code-point tables (otherwise built on first use)."""
    _tables()
    _more_tables()
    _class_tables()


@lru_cache(maxsize=1)
def bmp_string() -> str:
    """Every BMP character, in code point order (a surrogate stands as NUL: it is no character).

    The tables are built from it by mapping ``str`` methods over ``list(bmp_string())``:
    one C loop per table instead of a Python call per character.
    """
    return "".join(chr(c) if not 0xD800 <= c <= 0xDFFF else "\x00" for c in range(_BMP))


#: Unicode categories of punctuation (P*) and symbols (S*).
_PUNCT_OR_SYMBOL = frozenset(("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So"))


def _per_char(test: Callable[[str], bool], chars: list[str]) -> np.ndarray:
    return np.fromiter(map(test, chars), dtype=bool, count=_BMP)


@lru_cache(maxsize=1)
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per code point of the Basic Multilingual Plane: letter, upper, digit, punctuation, script."""
    chars = list(bmp_string())
    alpha, upper, digit = (_per_char(test, chars) for test in (str.isalpha, str.isupper, str.isdigit))
    space = _more_tables()[0]
    categories = map(unicodedata.category, chars)
    punct = ~(alpha | digit | space) & np.fromiter(map(_PUNCT_OR_SYMBOL.__contains__, categories), bool, _BMP)
    script = np.full(_BMP, _SCRIPT_INDEX["OTHER"], dtype=np.int64)
    for name, ranges in _SCRIPT_RANGES.items():
        for start, end in ranges:
            script[start : end + 1] = _SCRIPT_INDEX[name]
    return alpha, upper, digit, punct, script


@lru_cache(maxsize=1)
def _more_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per BMP code point: ``str.isspace``, ``str.isdecimal``, a word character (``re``'s ``\\s``, ``\\d``, ``\\w``)."""
    chars = list(bmp_string())
    space, decimal, word = (_per_char(test, chars) for test in (str.isspace, str.isdecimal, str.isalnum))
    word[ord("_")] = True  # \w is alphanumeric or the underscore
    return space, decimal, word


def _is_word_char(char: str) -> bool:
    """``re``'s ``\\w`` for str patterns: alphanumeric (``str.isalnum``) or the underscore."""
    return char.isalnum() or char == "_"


_PROPERTIES = {
    "alpha": str.isalpha,
    "upper": str.isupper,
    "digit": str.isdigit,
    "space": str.isspace,
    "decimal": str.isdecimal,
    "word": _is_word_char,
}


def char_property(cp: np.ndarray, name: str) -> np.ndarray:
    """``str.is<name>`` of each code point, exact also beyond the BMP (where tables end)."""
    alpha, upper, digit, _, _ = _tables()
    space, decimal, word = _more_tables()
    table = {"alpha": alpha, "upper": upper, "digit": digit, "space": space, "decimal": decimal, "word": word}[name]
    out = table[np.minimum(cp, _BMP - 1)]
    beyond = cp >= _BMP
    if beyond.any():  # rare (emoji, historic scripts): ask Python
        test = _PROPERTIES[name]
        out[beyond] = np.fromiter((test(chr(c)) for c in cp[beyond].tolist()), dtype=bool)
    return out


@dataclass(frozen=True, slots=True)
class Encoded:
    """Lines joined by ``\\n`` as code points, with where each line starts and ends."""

    cp: np.ndarray  # (n_chars,) uint32, the separators included
    line: np.ndarray  # (n_chars,) the line of each position (a separator gets the next line's)
    starts: np.ndarray  # (n_lines,) first position of each line
    lengths: np.ndarray  # (n_lines,) ``len`` of each line


def encode(views: Sequence[str]) -> Encoded:
    """Encode lines (which must not contain ``\\n``) for vectorised counting."""
    n = len(views)
    cp = np.frombuffer("\n".join(views).encode("utf-32-le", "replace"), dtype=np.uint32)
    lengths = np.fromiter(map(len, views), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64)
    if n > 1:
        np.cumsum(lengths[:-1] + 1, out=starts[1:])
    # (a running count of the separators; summed as bytes, as a bool array sums slowly)
    line = np.cumsum((cp == 10).view(np.uint8), dtype=np.int64) if len(cp) else np.zeros(0, dtype=np.int64)
    return Encoded(cp, line, starts, lengths)


@dataclass(frozen=True, slots=True)
class CharCounts:
    """Per-line counts, each an array with one entry per line."""

    length: np.ndarray
    letters: np.ndarray
    upper: np.ndarray
    digits: np.ndarray
    punct: np.ndarray
    scripts: np.ndarray  # (n_lines, len(SCRIPTS)) letters per script


def count_chars(views: Sequence[str], encoded: Encoded | None = None) -> CharCounts:
    """Count character classes of every line (lines must not contain ``\\n``); ``encoded`` if known."""
    n = len(views)
    enc = encode(views) if encoded is None else encoded
    cp = np.minimum(enc.cp, _BMP - 1)  # the \n separators belong to no class and no line
    flags, letter_script = _class_tables()
    found = flags[cp]

    def per_line(flag: int) -> np.ndarray:
        return per_line_counts((found & flag) != 0, enc).astype(np.float32)

    # letters per line and script; other characters fall in an extra column, dropped
    width = len(SCRIPTS) + 1
    scripts = np.bincount(enc.line * width + letter_script[cp], minlength=n * width)[: n * width]
    return CharCounts(
        length=enc.lengths.astype(np.float32),
        letters=per_line(_ALPHA),
        upper=per_line(_UPPER),
        digits=per_line(_DIGIT),
        punct=per_line(_PUNCT),
        scripts=scripts.reshape(n, width)[:, : len(SCRIPTS)].astype(np.float32),
    )


def per_line_counts(mask: np.ndarray, enc: Encoded) -> np.ndarray:
    """How many positions of each line ``mask`` (a boolean array over ``enc.cp``) marks.

    ``mask`` must be False at the ``\\n`` separators. Summing each line's stretch
    of bytes is several times cheaper than gathering the marked positions' lines.
    """
    if not len(mask):
        return np.zeros(len(enc.lengths), dtype=np.int32)
    starts = np.minimum(enc.starts, len(mask) - 1)  # an empty last line starts past the end
    counts = np.add.reduceat(np.ascontiguousarray(mask, dtype=bool).view(np.uint8), starts, dtype=np.int32)
    counts[enc.lengths == 0] = 0  # reduceat gives an empty line its next position
    return counts


_ALPHA, _UPPER, _DIGIT, _PUNCT = 1, 2, 4, 8


@lru_cache(maxsize=1)
def _class_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: its classes as bit flags, and its script if it is a letter (else ``len(SCRIPTS)``)."""
    alpha, upper, digit, punct, script = _tables()
    flags = alpha * _ALPHA | upper * _UPPER | digit * _DIGIT | punct * _PUNCT
    letter_script = np.where(alpha, script, len(SCRIPTS))
    return flags.astype(np.uint8), letter_script.astype(np.int64)
