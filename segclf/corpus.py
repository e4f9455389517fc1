"""The training corpus that ``training/`` builds, read by the recipe and by ``segclf train``.

Each file holds one JSON object per document: ``id``, ``lines`` (a ``text`` and a
``label`` per line) and, where known, ``lang``, ``source``, ``style``, ``renderer`` and
``split`` (``train``, ``dev`` or ``test``). ``python -m training.build`` writes it;
``segclf train --base-corpus`` retrains on it, so the reader lives in the package.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from segclf.labeled import LabeledDocument

__all__ = ["CORPUS_FILES", "Record", "iter_records", "labeled_document", "read_split"]

#: The corpus's document files: rendered real pages and composed pages.
CORPUS_FILES = ("real.jsonl", "composed.jsonl")

Record = dict[str, Any]

#: Record fields kept in ``LabeledDocument.extra``.
_EXTRA_FIELDS = ("style", "renderer", "split")


def iter_records(path: Path) -> Iterator[Record]:
    """The records of one corpus file, in order."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def labeled_document(record: Record) -> LabeledDocument:
    """A corpus record as a ``LabeledDocument`` (its style, renderer and split kept in ``extra``)."""
    return LabeledDocument(
        record["id"],
        [x["text"] for x in record["lines"]],
        [x["label"] for x in record["lines"]],
        record.get("lang"),
        record.get("source"),
        {k: record[k] for k in _EXTRA_FIELDS if k in record},
    )


def read_split(corpus: Path, split: str, on_missing: Callable[[Path], None] | None = None) -> Iterator[LabeledDocument]:
    """The documents of one split, file by file; ``on_missing`` hears of each absent file."""
    for name in CORPUS_FILES:
        path = corpus / name
        if not path.exists():
            if on_missing is not None:
                on_missing(path)
            continue
        yield from (labeled_document(r) for r in iter_records(path) if r.get("split") == split)
