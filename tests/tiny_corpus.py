"""A corpus in training/'s format, small enough to train on in a test: the regression set, repeated."""

from __future__ import annotations

import json
from pathlib import Path

from segclf.labeled import read_labeled

REGRESSION = Path(__file__).parent / "data" / "regression.jsonl"


def write_tiny_corpus(folder: Path) -> Path:
    """``folder``/composed.jsonl (five train copies and one dev copy of each document) and lid/lid.train.txt."""
    docs = read_labeled([REGRESSION])
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "composed.jsonl").open("w", encoding="utf-8") as fh:
        for k in range(6):
            for doc in docs:
                record = doc.to_json() | {"id": f"{doc.id}-{k}", "split": "train" if k < 5 else "dev"}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    (folder / "lid").mkdir(exist_ok=True)
    with (folder / "lid" / "lid.train.txt").open("w", encoding="utf-8") as fh:
        for doc in docs:  # the languages the text model learns: each document's body lines
            for text, label in zip(doc.lines, doc.labels):
                if label == "body" and text.strip():
                    fh.write(f"__label__{doc.lang} {text.strip().lower()}\n")
    return folder
