"""The corpus reader that the recipe and ``segclf train --base-corpus`` share."""

from __future__ import annotations

import json
from pathlib import Path

from segclf.corpus import read_split

RECORDS = [
    {
        "id": "page-1/html-text/article",
        "source": "dragnet",
        "lang": "en",
        "style": "article",
        "renderer": "html-text",
        "split": "train",
        "lines": [{"text": "Storm closes schools", "label": "body"}, {"text": "Home", "label": "nav"}],
    },
    {"id": "page-2", "source": "ntrex", "lang": "de", "style": "composed", "split": "dev", "lines": []},
]


def test_a_split_keeps_its_documents_with_labels_and_record_fields(tmp_path: Path) -> None:
    (tmp_path / "real.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    missing: list[Path] = []
    train = list(read_split(tmp_path, "train", missing.append))
    assert [d.id for d in train] == ["page-1/html-text/article"]
    doc = train[0]
    assert (doc.lines, doc.labels) == (["Storm closes schools", "Home"], ["body", "nav"])
    assert (doc.lang, doc.source) == ("en", "dragnet")
    assert doc.extra == {"style": "article", "renderer": "html-text", "split": "train"}
    assert missing == [tmp_path / "composed.jsonl"]  # told, not an error
    assert [d.id for d in read_split(tmp_path, "dev")] == ["page-2"]
