"""The per-code-point tables equal their per-character definitions over the whole BMP.

The tables are built by mapping ``str`` methods over all characters at once; the
references here ask each character on its own, as the code they replaced did.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from segclf import chars, features
from segclf.language import _UNSPACED

BMP = [chr(c) if not 0xD800 <= c <= 0xDFFF else None for c in range(0x10000)]


def reference(test) -> np.ndarray:  # noqa: ANN001 - a predicate on one character
    return np.array([c is not None and bool(test(c)) for c in BMP])


def test_class_tables_equal_the_str_methods_and_categories() -> None:
    alpha, upper, digit, punct, _ = chars._tables()
    space, decimal, word = chars._more_tables()
    assert (alpha == reference(str.isalpha)).all()
    assert (upper == reference(str.isupper)).all()
    assert (digit == reference(str.isdigit)).all()
    assert (space == reference(str.isspace)).all()
    assert (decimal == reference(str.isdecimal)).all()
    assert (word == reference(lambda c: re.fullmatch(r"\w", c))).all()
    other = ~(alpha | digit | space)
    assert (punct == (other & reference(lambda c: unicodedata.category(c)[0] in "PS"))).all()


def test_token_tables_equal_the_token_pattern() -> None:
    is_word, alone = features._token_tables()
    assert (is_word == reference(lambda c: re.fullmatch(rf"[^\W\d_{_UNSPACED}]", c))).all()
    assert (alone == reference(lambda c: re.fullmatch(rf"[{_UNSPACED}]", c))).all()


def test_lower_table_holds_single_code_point_lower_cases_only() -> None:
    table = features._lower_table()
    expected = np.full(0x10000, -1)
    for c, char in enumerate(BMP):
        if char is not None and len(char.lower()) == 1 and char != "\u03a3":
            expected[c] = ord(char.lower())
    assert (table == expected).all()
    assert table[ord("A")] == ord("a") and table[0x0130] == -1 and table[0x03A3] == -1  # İ -> i̇; Σ -> σ or ς
