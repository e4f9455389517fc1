"""The recipe's unpunctuated variants of composed training pages."""

from __future__ import annotations

import pytest

from segclf.labeled import LabeledDocument
from training.augment import unpunctuated, unpunctuated_variant


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Der Eindruck vom Ende einer Epoche wird verstärkt.", "Der Eindruck vom Ende einer Epoche wird verstärkt"),
        ("Hello?!  ", "Hello  "),  # trailing white space is the page's: kept
        ("这是一个中文句子，用来测试。这是第二句。", "这是一个中文句子 用来测试 这是第二句"),
        ("自分の考えをしっかりと持った女の子。", "自分の考えをしっかりと持った女の子"),
        ("Mr. Smith, Mrs. Jones, etc. came", "Mr. Smith, Mrs. Jones, etc. came"),  # inner marks of spaced scripts stay
        ("...", "..."),  # nothing but punctuation: left as it is
        ("05/06/2015", "05/06/2015"),
        ("", ""),
    ],
)
def test_unpunctuated(line: str, expected: str) -> None:
    assert unpunctuated(line) == expected


def _page(doc_id: str, style: str = "composed") -> LabeledDocument:
    return LabeledDocument(
        doc_id,
        ["Menu", "A headline.", "", "The first paragraph ends here.", "Leave a comment."],
        ["nav", "body", "blank", "body", "comment"],
        "en",
        "composed",
        {"style": style},
    )


def test_only_body_lines_of_drawn_composed_pages_change() -> None:
    doc = _page("composed/en/1")
    variant = unpunctuated_variant(doc, share=1.0)
    assert variant.lines == ["Menu", "A headline", "", "The first paragraph ends here", "Leave a comment."]
    assert variant.labels == doc.labels
    assert variant.extra["variant"] == "unpunctuated"
    assert doc.lines[1] == "A headline."  # the original is not modified


def test_real_pages_and_undrawn_pages_are_returned_unchanged() -> None:
    real = _page("dragnet/1/html-text/article", style="article")
    assert unpunctuated_variant(real, share=1.0) is real
    composed = _page("composed/en/2")
    assert unpunctuated_variant(composed, share=0.0) is composed


def test_the_draw_is_by_page_id_and_near_the_share() -> None:
    pages = [_page(f"composed/xx/{i}") for i in range(2000)]
    first = [unpunctuated_variant(p, share=0.2) is not p for p in pages]
    again = [unpunctuated_variant(p, share=0.2) is not p for p in pages]
    assert first == again
    assert 0.17 < sum(first) / len(first) < 0.23
