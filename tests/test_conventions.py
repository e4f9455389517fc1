"""eval/conventions.py: LABELS.md's examples placed in the example page."""

from __future__ import annotations

import json

import pytest

import segclf
from eval import conventions
from segclf.labels import LABELS


@pytest.fixture(scope="module")
def host() -> list[str]:
    return conventions.HOST.read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("where", sorted(conventions.PLACES))
def test_place_line_adds_only_the_line_and_keeps_the_page(host: list[str], where: str) -> None:
    place = conventions.PLACES[where]
    lines, at = conventions.place_line(host, place, "Tweet")
    assert lines[at] == "Tweet"
    assert lines[at - 1].startswith(place.after) != place.paragraph  # a paragraph gets a blank line before it
    rest = lines[:at] + lines[at + 1 :]
    if place.paragraph:  # the blank line before it is the only other addition
        assert rest[at - 1] == ""
        assert rest[: at - 1] + rest[at:] == host
    else:
        assert rest == host


def test_every_case_has_a_known_place_and_label() -> None:
    for expected, where, line in conventions.CASES:
        assert where in conventions.PLACES
        assert expected in LABELS
        assert line and "\n" not in line


def test_a_missing_anchor_is_a_clear_error(host: list[str]) -> None:
    with pytest.raises(ValueError, match="no line starting with"):
        conventions.place_line(host, conventions.Place("No such line", paragraph=True), "x")


def test_check_reports_the_placed_line_of_every_case(segmenter: segclf.Segmenter, host: list[str]) -> None:
    rows = conventions.check(segmenter, host)
    assert [r["line"] for r in rows] == [case[2] for case in conventions.CASES]
    for row in rows:
        assert row["label"] in LABELS
        assert row["right"] == (row["label"] == row["expected"])
        assert 0.0 <= float(row["confidence"]) <= 1.0


def test_main_writes_the_report(tmp_path) -> None:
    assert conventions.main(["--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "conventions.json").read_text(encoding="utf-8"))
    assert len(data["rows"]) == len(conventions.CASES)
    right = sum(r["right"] for r in data["rows"])
    assert f"**{right} of {len(conventions.CASES)} right**" in (tmp_path / "conventions.md").read_text(encoding="utf-8")
