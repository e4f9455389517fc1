"""The lossless contract, property-tested: any string in, exactly its lines out."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segclf import Segmenter

NASTY = st.sampled_from(
    [
        "\r\n",
        "\r",
        "\x00",
        "\u2028",
        "\u2029",
        "\u200b",
        "\u202e",
        "\u0301",
        "👍🏽",
        "\ud800",
        "\ufeff",
        "\t",
        "\x0b",
        "\x0c",
        "\x85",
        "\n",
        "\n\n",
        " ",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=30).map("".join)


def _check(segmenter: Segmenter, text: str) -> None:
    doc = segmenter.segment(text)
    assert len(doc) == len(text.split("\n"))
    assert "\n".join(line.text for line in doc) == text
    for line, expected in zip(doc, text.split("\n")):
        assert line.text == expected
        assert 0.0 <= line.confidence <= 1.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_any_string_round_trips(segmenter: Segmenter, text: str) -> None:
    _check(segmenter, text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, max_size=6))
def test_batches_round_trip(segmenter: Segmenter, texts: list[str]) -> None:
    docs = list(segmenter.segment_many(texts))
    assert [d.text for d in docs] == texts


def test_huge_single_line_is_bounded(segmenter: Segmenter) -> None:
    text = ("word " * 4_000_000)[:20_000_000]
    started = time.monotonic()
    _check(segmenter, text)
    assert time.monotonic() - started < 60  # a generous bound: work per line is capped


def test_million_line_document(segmenter: Segmenter) -> None:
    lines = ["Breaking news from the capital city today.", "", "Share", "12"] * 250_000
    text = "\n".join(lines)
    doc = segmenter.segment(text)
    assert len(doc) == 1_000_000
    assert doc[0].text == lines[0] and doc[-1].text == "12"
