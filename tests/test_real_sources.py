"""Reading the real pages' gold texts (needs the recipe extra: lxml, html-text, inscriptis)."""

from __future__ import annotations

import pytest

pytest.importorskip("lxml")
pytest.importorskip("html_text")
pytest.importorskip("inscriptis")

from training.real_sources import split_dragnet_gold  # noqa: E402


@pytest.mark.parametrize(
    "marker",
    ["!@#$%^&*()  COMMENTS", "!@ $%^&*()  COMMENTS", "  #$%^&*()  COMMENTS", "!@#$%^&*()  CORRECTED", "!@#$%^&*()"],
)
def test_dragnet_gold_splits_at_the_comment_marker_as_typed(marker: str) -> None:
    article, found, comments = split_dragnet_gold(f"Headline\n\nFirst paragraph.\n\n{marker}\n\nGreat post!\n")
    assert article == "Headline\n\nFirst paragraph.\n\n"
    assert found == marker
    assert comments == "\n\nGreat post!\n"


def test_a_gold_text_with_windows_line_ends_splits_too() -> None:
    article, found, comments = split_dragnet_gold("First paragraph.\r\n\r\n!@#$%^&*()  COMMENTS\r\n\r\nGreat post!\r\n")
    assert (article, found, comments) == ("First paragraph.\r\n\r\n", "!@#$%^&*()  COMMENTS", "\r\n\r\nGreat post!\r\n")


def test_a_gold_text_without_a_marker_is_all_article() -> None:
    text = "Headline\n\n*  *  *  *  *\n\nA paragraph with 50% off & more.\n"
    assert split_dragnet_gold(text) == (text, "", "")
