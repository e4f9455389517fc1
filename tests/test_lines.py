"""The views the features and the text model read."""

from __future__ import annotations

import re

from hypothesis import given
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
