"""The five seed documents: a smoke test of the shipped model (every line must be right)."""

from __future__ import annotations

from pathlib import Path

import pytest

from segclf import Segmenter
from segclf.labeled import read_labeled


def test_seed_lines_are_labeled_right(segmenter: Segmenter, shared_dir: Path) -> None:
    gold = read_labeled([shared_dir / "gold" / "seeds.jsonl"])
    assert len(gold) == 5
    wrong = []
    for doc in gold:
        predicted = segmenter.segment(doc.text)
        assert len(predicted) == len(doc.lines)
        assert predicted.lang == doc.lang
        for n, (line, label) in enumerate(zip(predicted, doc.labels), start=1):
            if line.label != label:
                wrong.append(f"{doc.id}:{n} gold={label} predicted={line.label} {line.text[:60]!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", ["000_83ce61f5cbf622c7.txt", "004_e974a10c95eccfc2.txt"])
def test_seed_files_match_gold_texts(shared_dir: Path, name: str) -> None:
    gold = {doc.id: doc for doc in read_labeled([shared_dir / "gold" / "seeds.jsonl"])}
    text = (shared_dir / "seeds" / name).read_text(encoding="utf-8")
    assert any(doc.text == text for doc in gold.values())
