"""The five seed documents: a smoke test of the shipped model (every line should be right).

A known miss of the shipped model is recorded in ``KNOWN_MISSES`` as a strict
expected failure: when a model gets it right, the marker must go.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from segclf import Segmenter
from segclf.labeled import read_labeled

SEED_IDS = [
    "000_83ce61f5cbf622c7",
    "001_4e844dda70e03273",
    "002_347b71165e805408",
    "003_a57253330e390b60",
    "004_e974a10c95eccfc2",
]
KNOWN_MISSES: dict[str, str] = {}  # the shipped model labels every seed line right


@pytest.mark.parametrize(
    "seed_id",
    [
        pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[i])) if i in KNOWN_MISSES else i
        for i in SEED_IDS
    ],
)
def test_seed_lines_are_labeled_right(segmenter: Segmenter, shared_dir: Path, seed_id: str) -> None:
    gold = {doc.id: doc for doc in read_labeled([shared_dir / "gold" / "seeds.jsonl"])}
    doc = gold[seed_id]
    predicted = segmenter.segment(doc.text)
    assert len(predicted) == len(doc.lines)
    assert predicted.lang == doc.lang
    wrong = [
        f"line {n}: gold={label} predicted={line.label} {line.text[:60]!r}"
        for n, (line, label) in enumerate(zip(predicted, doc.labels), start=1)
        if line.label != label
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", ["000_83ce61f5cbf622c7.txt", "004_e974a10c95eccfc2.txt"])
def test_seed_files_match_gold_texts(shared_dir: Path, name: str) -> None:
    gold = read_labeled([shared_dir / "gold" / "seeds.jsonl"])
    text = (shared_dir / "seeds" / name).read_text(encoding="utf-8")
    assert any(doc.text == text for doc in gold)
