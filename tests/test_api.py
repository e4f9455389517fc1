"""The Python API contract: one Line per input line, lossless, typed fields, determinism."""

from __future__ import annotations

import subprocess
import sys

import pytest

import segclf
from segclf import Document, Line, Segmenter
from segclf.labels import LABELS

ARTICLE = """World leaders meet in Geneva

By Jane Doe | 12 March 2024

The summit opened on Monday with a call for a ceasefire, as delegates from forty countries gathered in the city.
Officials said the talks would continue through the week, and that a joint statement was expected on Friday.

- Advertisement -

Subscribe to our newsletter
Leave a comment"""


def test_one_line_per_input_line_and_lossless(segmenter: Segmenter) -> None:
    doc = segmenter.segment(ARTICLE)
    assert isinstance(doc, Document) and isinstance(doc, list)
    assert len(doc) == len(ARTICLE.split("\n"))
    assert "\n".join(line.text for line in doc) == ARTICLE
    assert doc.text == ARTICLE


def test_line_fields(segmenter: Segmenter) -> None:
    doc = segmenter.segment(ARTICLE)
    for line in doc:
        assert isinstance(line, Line)
        assert line.label in LABELS
        assert 0.0 <= line.confidence <= 1.0
        assert line.lang is None or (isinstance(line.lang, str) and len(line.lang) == 2)
    blank = [line for line in doc if line.text == ""]
    assert blank and all(line.label == "blank" and line.lang is None for line in blank)
    assert doc.lang == "en"


def test_number_only_line_has_no_language(segmenter: Segmenter) -> None:
    doc = segmenter.segment(ARTICLE + "\n12 345\nhttps://example.com/a/b")
    assert doc[-2].lang is None and doc[-1].lang is None
    assert doc[-2].label != "foreign" and doc[-1].label != "foreign"


def test_module_level_functions_match_segmenter(segmenter: Segmenter) -> None:
    assert [ln.label for ln in segclf.segment(ARTICLE)] == [ln.label for ln in segmenter.segment(ARTICLE)]
    cleaned = segclf.clean(ARTICLE)
    assert cleaned == segmenter.clean(ARTICLE)
    assert "The summit opened on Monday" in cleaned
    assert [line for line in cleaned.split("\n") if line] == [
        ln.text for ln in segmenter.segment(ARTICLE) if ln.label == "body"
    ]


def test_clean_keeps_paragraph_breaks() -> None:
    doc = Document(
        [
            Line("Title", "body", 1, "en"),
            Line("", "blank", 1, None),
            Line("Menu", "nav", 1, "en"),
            Line("", "blank", 1, None),
            Line("Para", "body", 1, "en"),
            Line("Next", "body", 1, "en"),
            Line("Ad", "ad", 1, "en"),
            Line("Last", "body", 1, "en"),
        ],
        "en",
    )
    assert doc.clean() == "Title\n\nPara\nNext\nLast"
    assert doc.clean(keep=("body", "ad")) == "Title\n\nPara\nNext\nAd\nLast"
    with pytest.raises(ValueError, match="keep must name labels"):
        doc.clean(keep=("boddy",))


def test_segment_many_preserves_order(segmenter: Segmenter) -> None:
    texts = [ARTICLE, "", "x", ARTICLE.upper(), "\r\n\r\n"]
    docs = list(segmenter.segment_many(texts))
    assert [d.text for d in docs] == texts
    single = [segmenter.segment(t) for t in texts]
    assert [[(ln.label, ln.confidence, ln.lang) for ln in d] for d in docs] == [
        [(ln.label, ln.confidence, ln.lang) for ln in d] for d in single
    ]


def test_rejects_bytes(segmenter: Segmenter) -> None:
    with pytest.raises(TypeError, match="text must be str"):
        segmenter.segment(b"bytes")  # type: ignore[arg-type]


def test_deterministic_across_processes(segmenter: Segmenter) -> None:
    code = (
        "import segclf, json, sys; d = segclf.segment(sys.stdin.read());"
        "print(json.dumps([[l.label, l.confidence, l.lang] for l in d]))"
    )
    runs = {
        subprocess.run([sys.executable, "-c", code], input=ARTICLE, capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(runs) == 1
    here = [[ln.label, ln.confidence, ln.lang] for ln in segmenter.segment(ARTICLE)]
    import json

    assert json.loads(runs.pop()) == here


def test_a_line_not_called_foreign_is_in_the_document_language_unless_the_identifier_is_sure() -> None:
    from segclf.model import line_language

    headline = "ISIS attack on Afghanistan prison"  # an identifier once read this as Yoruba (0.46)
    assert line_language(headline, "yo", 0.46, "en") == "en"
    assert line_language("Home", "mi", 0.99, "en") == "en"  # short: always the document's language
    assert line_language("Lufthansa streicht Flüge wegen Hurrikan Sandy", "de", 0.97, "en") == "de"
    assert line_language(headline, "yo", 0.46, None) == "yo"  # no document language to fall back on


@pytest.mark.parametrize(
    "text",
    [
        "Read more",
        "Share on Facebook",
        "Leave a comment",
        "دیدگاهتان را بنویسید",
        "A paragraph of the story that goes on, as stories do.\nRead more",
    ],
)
def test_a_line_holding_most_of_its_document_sets_the_main_language_and_is_not_foreign(
    segmenter: Segmenter, text: str
) -> None:
    # LABELS.md: the main language is that of most of the text; the networks, trained on
    # whole pages, had called a one-line document's line foreign (``Read more``, 0.93)
    doc = segmenter.segment(text)
    longest = max(doc.lines, key=lambda line: len(line.text))
    assert longest.label != "foreign"
    if len(doc.lines) == 1:
        assert longest.lang == doc.lang


@pytest.mark.parametrize(
    "text",
    [
        "A good article line about the weather.\nAnother line of the same article.",
        "I totally agree with this article, great points.\nThanks for sharing!",
        "Le gouvernement a annoncé mercredi un plan de relance.\nLes syndicats ont réagi avec prudence.",
        "Storm closes schools\nHeavy snow closed 200 schools on Tuesday.\nRead more",
    ],
)
def test_short_documents_in_one_language_have_no_foreign_line(segmenter: Segmenter, text: str) -> None:
    # v17, trained on whole pages only, called a line of each of them foreign (fr, tl, en, ur)
    doc = segmenter.segment(text)
    assert [line.label for line in doc.lines if line.label == "foreign"] == []
    assert {line.lang for line in doc.lines if line.lang} == {doc.lang}


def test_a_short_foreign_line_under_an_article_is_still_foreign(segmenter: Segmenter) -> None:
    article = " ".join(["Heavy rain and strong winds closed several coastal roads on Tuesday, officials said."] * 3)
    doc = segmenter.segment(f"{article}\n{article}\nدیدگاهتان را بنویسید")
    assert [line.label for line in doc.lines] == ["body", "body", "foreign"]
