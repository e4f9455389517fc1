"""The vectorised view features equal the line-by-line reference, bit for bit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from segclf.chars import count_chars
from segclf.features import _BULLETS, _DATE, _EMAIL, _SEPARATOR, _TERMINAL, _URL, SHALLOW_NAMES, view_table
from segclf.language import has_own_language, tokens
from segclf.lines import feature_view


def _text_features(view: str, has_digits: bool) -> tuple[float, ...]:
    """The features of one line that need its words or a pattern (``view`` is non-empty).

    The line-by-line reference that ``view_table`` must equal (the code it replaced).
    """
    words = view.split()
    n_words = len(words) or 1
    firsts = [w[0] for w in words if w[0].isalpha()]
    titled = sum(map(str.isupper, firsts))
    return (
        math.log1p(len(words)),
        float(view.endswith(_TERMINAL)),
        float(view.startswith(_BULLETS)),
        float(("." in view or "/" in view) and _URL.search(view) is not None),
        float("@" in view and _EMAIL.search(view) is not None),
        float(_SEPARATOR.search(view) is not None),
        float("©" in view or "(c)" in view.lower()),
        titled / len(firsts) if firsts else 0.0,
        min(len(view) / n_words, 30.0) / 10.0,
        float(view.endswith(":")),
        float(has_digits and _DATE.search(view) is not None),
        float(view[:1].isdigit()),
        float(view.endswith("*")),
        view.count(",") / n_words,
    )


_LINES = [
    "Home | News | Sport",
    "a / b",
    "a/b",
    "x · y",
    "» Next",
    "•",
    "(c) 2020 Foo",
    "(C) Bar",
    "© ACME",
    "ΟΔΟΣ ΑΘΗΝΑΣ",
    "Σ",
    "ΑΣ ΑΣ",
    "İstanbul İZMİR",
    "ſtraße https://x.com",
    "WWW.EXAMPLE.ORG",
    "wwW.x",
    "ww.w.",
    "mail me at a@b.co",
    "@handle",
    "12.05.2020",
    "1999",
    "٢٠٢٠ ١٢/٣",
    "𝟏𝟗𝟗𝟗 year",
    "²³ ½",
    "3:45 pm",
    "1-2-3",
    "𝐀𝐁𝐂 bold math",
    "😀 😀",
    "𠀀𠀁 CJK",
    "中文新闻标题",
    "ภาษาไทย ข่าว",
    "x\u200by",
    "\u00ad soft",
    "tab\there",
    "a\x1cb",
    "\ud800 lone",
    "* star *",
    "Title: ",
    "1. first",
    "- bullet",
    "...",
    '"quoted"',
    "end)",
    "x" * 1500,
    "iPhone eBay McDonald",
    ",,,",
    "a,b, c",
    "\x00",
    " lead and trail ",
    "\u3000ideographic\u3000space",
    "EMAIL.COM",
    "foo.html bar.htm",
    "http://",
    "see www.",
    "a.n",
    "e.g. now",
    ".Com",
    "the cat and the dog",
]


def test_view_table_matches_line_by_line_reference() -> None:
    views = [feature_view(line) for line in _LINES]
    table = view_table(views)
    counts = count_chars(views)
    text = np.array([_text_features(v, d) for v, d in zip(views, (counts.digits > 0).tolist())], dtype=np.float32)
    own = np.array([has_own_language(v, int(k)) for v, k in zip(views, counts.letters)], dtype=np.float32)
    text_names = [
        n
        for n in SHALLOW_NAMES
        if n
        not in {"log_chars", "frac_letters", "frac_digits", "frac_upper", "frac_punct", "all_caps", "has_own_language"}
    ]
    for j, name in enumerate(text_names):
        np.testing.assert_array_equal(table.shallow[:, SHALLOW_NAMES.index(name)], text[:, j], err_msg=name)
    np.testing.assert_array_equal(table.shallow[:, SHALLOW_NAMES.index("has_own_language")], own)
    np.testing.assert_array_equal(table.scripts, counts.scripts)

    stopwords = frozenset({"the", "and", "ßtraße", "新", "ข่าว", "σ", "ς", "i̇stanbul"})
    expected = [sum(map(stopwords.__contains__, t)) / len(t) if (t := tokens(v)) else 0.0 for v in views]
    got = table.stop_share(np.arange(len(views))[::-1], stopwords)[::-1]
    np.testing.assert_array_equal(got, np.array(expected, dtype=np.float32))


def test_stop_shares_of_several_languages_in_one_lookup() -> None:
    views = [feature_view(line) for line in _LINES]
    table = view_table(views)
    sets = [frozenset({"the", "and"}), frozenset(), frozenset({"der", "und", "the"})]
    vids = np.array([0, 1, 2, 0, 1, 2, 3, 3, 3] * 2) % len(views)
    set_of_row = np.array([0, 0, 0, 1, 1, 1, 2, 0, 1] * 2)
    got = table.stop_shares(vids, set_of_row, sets)
    alone = [view_table(views).stop_share(np.array([v]), sets[k])[0] for v, k in zip(vids, set_of_row)]
    np.testing.assert_array_equal(got, np.array(alone, dtype=np.float32))
    assert (got[set_of_row == 1] == 0).all()


@pytest.mark.parametrize(
    "views",
    [
        ["The Cat", "ÀÉÎ Ünïcode", "ПРИВЕТ Мир", "ΑΒΓ δ", "Ꭰ 𐐀 Ǆ ǅ"],  # one code point each (𐐀 is beyond the BMP)
        ["İstanbul", "ΟΔΥΣΣΕΥΣ", "plain"],  # İ lowers to two code points, Σ by context
    ],
)
def test_lowering_by_table_equals_str_lower(views: list[str]) -> None:
    from segclf.features import _lower

    cp = np.frombuffer("\n".join(views).encode("utf-32-le"), dtype=np.uint32)
    expected = np.frombuffer("\n".join(views).lower().encode("utf-32-le"), dtype=np.uint32)
    np.testing.assert_array_equal(_lower(cp, views), expected)


_DATE_ALPHABET = "0123456789012019181" + "١٢٣۴𝟎" + "./:-" + "aZé_𐐀" + " +—,"
_DATE_CASES = ["20190", "a2019", "2019a", "2019", "1899", "1799", "12.3", "123.4", "1.234", "12/34", "1:2x", "x1:2"]
_DATE_CASES += ["١٢/٣", "𝟎1.2", "𐐀1.2", "1.2_", "_1.2", "1.2.3", "1-22-333", "20١٩", "2019𝟎", "é20.1"]


@settings(max_examples=400, deadline=None)
@example(_DATE_CASES)
@example([c + " x" for c in _DATE_CASES])
@given(
    st.lists(st.text(alphabet=_DATE_ALPHABET, min_size=1, max_size=14), min_size=1, max_size=8)
    | st.lists(st.text(alphabet="0128./_a", min_size=1, max_size=10), min_size=1, max_size=8)
)
def test_dates_found_for_all_lines_at_once_equal_the_pattern(views: list[str]) -> None:
    """``_DATE`` (its \\b and \\d, beyond the BMP too) evaluated on every character at once."""
    views = [v for v in (" ".join(v.split()) for v in views) if v] or ["x"]
    column = view_table(views).shallow[:, SHALLOW_NAMES.index("has_date")]
    assert column.tolist() == [float(_DATE.search(v) is not None) for v in views]


def test_a_batch_without_views_has_an_empty_table() -> None:
    table = view_table([])
    assert table.shallow.shape == (0, len(SHALLOW_NAMES))
    assert table.stop_share(np.zeros(0, dtype=np.int64), frozenset({"the"})).shape == (0,)
