"""The views the features and the text model read."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from segclf.lines import model_view, text_model_view


@given(st.text(alphabet=st.sampled_from("aZ 09:١٢३৪٥.,-ß\u00e9"), max_size=40) | st.text(max_size=40))
def test_model_view_lowers_and_folds_every_decimal_digit(text: str) -> None:
    assert model_view(text) == re.sub(r"\d", "0", text.lower())
    assert model_view(text.lower(), has_digit=re.search(r"\d", text.lower()) is not None) == model_view(text)


def test_text_model_view_cuts_before_the_word_that_crosses_the_cap() -> None:
    assert text_model_view("The plan went ahead on 12 May", cap=14) == "the plan went"
    assert text_model_view("Supercalifragilistic", cap=5) == "super"
    assert text_model_view("short", cap=100) == "short"


def _text_model_view_reference(view: str, cap: int) -> str:
    """The definition: lower and fold the whole view, then cut."""
    text = re.sub(r"\d", "0", view.lower())
    if len(text) <= cap:
        return text
    if text[cap] == " ":
        return text[:cap]
    cut = text.rfind(" ", 0, cap)
    return text[:cut] if cut > 0 else text[:cap]


@example("abΣ'c", 3)  # Σ becomes σ or ς by what follows the cut
@example("İİİ abc", 2)
@given(st.text(alphabet=st.sampled_from("ab Z9١ İΣσß\u00e9 '\u0301"), max_size=30), st.integers(1, 12))
def test_text_model_view_lowers_only_what_the_cut_keeps(view: str, cap: int) -> None:
    assert text_model_view(view, cap=cap) == _text_model_view_reference(view, cap)
    assert text_model_view(view.upper(), cap=cap) == _text_model_view_reference(view.upper(), cap)
