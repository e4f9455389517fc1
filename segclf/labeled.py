"""Labeled documents (the LABELS.md JSON Lines format and a plain TSV): read, write, validate.

TSV format, for people correcting labels in an editor or spreadsheet::

    # doc: <id>
    label<TAB>text
    ...
    <empty line between documents>

Every error names the file, the document and the line.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from segclf.errors import LabeledDataError
from segclf.labels import BLANK, LABELS, is_blank

__all__ = ["LabeledDocument", "line_fingerprint", "read_labeled", "write_jsonl", "write_tsv", "validate_against"]

_DOC_HEADER = "# doc: "
_CRC_FIELD = "line_crc"  # one CRC-32 per line, written by segclf so edits can be checked


def line_fingerprint(lines: Sequence[str]) -> list[str]:
    """A short checksum of every line: a corrected file must keep them (only labels change)."""
    return [format(zlib.crc32(line.encode("utf-8", "surrogatepass")), "08x") for line in lines]


def _check_fingerprint(doc: LabeledDocument, crcs: object, where: str) -> None:
    """Name the first line that a person added, removed or edited in a file segclf wrote."""
    if not isinstance(crcs, list):
        raise LabeledDataError(f"{where}: document {doc.id!r}: {_CRC_FIELD} must be a list")
    actual = line_fingerprint(doc.lines)
    if actual == crcs:
        return
    first = next((k for k, (a, b) in enumerate(zip(actual, crcs)) if a != b), min(len(actual), len(crcs)))
    if len(actual) != len(crcs):
        raise LabeledDataError(
            f"{where}: document {doc.id!r}, line {first + 1}: a line is missing or was added "
            f"(the annotated document had {len(crcs)} lines, this one has {len(actual)})"
        )
    raise LabeledDataError(
        f"{where}: document {doc.id!r}, line {first + 1}: the text was changed "
        f"({doc.lines[first][:60]!r}); only labels may be corrected"
    )


@dataclass(slots=True)
class LabeledDocument:
    """One document with a label for every line."""

    id: str
    lines: list[str]
    labels: list[str]
    lang: str | None = None
    source: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def to_json(self) -> dict:
        record = {"id": self.id, "source": self.source, "lang": self.lang, **self.extra}
        record["lines"] = [{"text": t, "label": lab} for t, lab in zip(self.lines, self.labels)]
        return record


def _check_labels(doc: LabeledDocument, where: str) -> None:
    for n, (text, label) in enumerate(zip(doc.lines, doc.labels), start=1):
        if label not in LABELS:
            raise LabeledDataError(
                f"{where}: document {doc.id!r}, line {n}: unknown label {label!r} (expected one of {', '.join(LABELS)})"
            )
        if "\n" in text:
            raise LabeledDataError(f"{where}: document {doc.id!r}, line {n}: a line's text contains a newline")
        if label == BLANK and not is_blank(text):
            raise LabeledDataError(f"{where}: document {doc.id!r}, line {n}: labeled blank but has text {text[:60]!r}")


def _from_json(record: object, where: str) -> LabeledDocument:
    if not isinstance(record, dict):
        raise LabeledDataError(f"{where}: expected a JSON object, got {type(record).__name__}")
    doc_id = str(record.get("id", "?"))
    lines = record.get("lines")
    if not isinstance(lines, list):
        raise LabeledDataError(f"{where}: document {doc_id!r}: 'lines' must be a list of {{text, label}} objects")
    texts, labels = [], []
    for n, item in enumerate(lines, start=1):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("text"), str)
            or not isinstance(item.get("label"), str)
        ):
            raise LabeledDataError(f'{where}: document {doc_id!r}, line {n}: expected {{"text": str, "label": str}}')
        texts.append(item["text"])
        labels.append(item["label"])
    extra = {k: v for k, v in record.items() if k not in {"id", "lines", "lang", "source", _CRC_FIELD}}
    doc = LabeledDocument(doc_id, texts, labels, record.get("lang"), record.get("source"), extra)
    _check_labels(doc, where)
    if _CRC_FIELD in record:
        _check_fingerprint(doc, record[_CRC_FIELD], where)
    return doc


def _read_jsonl(path: Path) -> Iterator[LabeledDocument]:
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise LabeledDataError(f"{path}:{n}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabeledDataError(f"{path}:{n}: broken JSON: {exc.msg} (column {exc.colno})") from None
            yield _from_json(record, f"{path}:{n}")


def _read_tsv(path: Path) -> Iterator[LabeledDocument]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LabeledDataError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    doc_id, start = None, 0
    crcs: list[str] | None = None
    lines: list[str] = []
    labels: list[str] = []
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    for n, row in enumerate(rows, start=1):
        if row.startswith(_DOC_HEADER):
            if doc_id is not None:
                yield _finish_tsv_doc(path, doc_id, start, lines, labels, crcs)
            header, _, crc_part = row[len(_DOC_HEADER) :].partition(f"\t{_CRC_FIELD}=")
            crcs = crc_part.strip().split(",") if crc_part.strip() else ([] if _ else None)
            doc_id, start, lines, labels = header.strip(), n, [], []
            continue
        if doc_id is None:
            if not row.strip():
                continue
            raise LabeledDataError(f"{path}:{n}: expected a '{_DOC_HEADER}<id>' line before the first labeled line")
        if row == "":  # the separator between documents (or trailing)
            lines.append(None)  # type: ignore[arg-type]
            labels.append("")
            continue
        label, tab, line_text = row.partition("\t")
        if not tab:
            raise LabeledDataError(f"{path}:{n}: document {doc_id!r}: expected 'label<TAB>text', got {row[:60]!r}")
        lines.append(line_text)
        labels.append(label.strip())
    if doc_id is not None:
        yield _finish_tsv_doc(path, doc_id, start, lines, labels, crcs)


def _finish_tsv_doc(
    path: Path, doc_id: str, start: int, lines: list, labels: list[str], crcs: list[str] | None
) -> LabeledDocument:
    while lines and lines[-1] is None:  # separators after the document
        lines.pop()
        labels.pop()
    for k, line in enumerate(lines):
        if line is None:
            raise LabeledDataError(
                f"{path}:{start + 1 + k}: document {doc_id!r}: empty row inside a document; "
                f"write a blank line as 'blank<TAB>'"
            )
    doc = LabeledDocument(doc_id, list(lines), labels)
    where = f"{path} (document starting at line {start})"
    _check_labels(doc, where)
    if crcs is not None:
        _check_fingerprint(doc, crcs, where)
    return doc


def read_labeled(paths: Iterable[str | os.PathLike[str]]) -> list[LabeledDocument]:
    """Read labeled documents from ``.jsonl`` and ``.tsv`` files (folders: every such file in them)."""
    docs: list[LabeledDocument] = []
    for path in _expand(paths):
        reader = _read_tsv if path.suffix.lower() in {".tsv", ".txt"} else _read_jsonl
        try:
            docs.extend(reader(path))
        except OSError as exc:
            raise LabeledDataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return docs


def _expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from sorted(q for q in path.rglob("*") if q.suffix.lower() in {".jsonl", ".tsv"} and q.is_file())
        elif path.exists():
            yield path
        else:
            raise LabeledDataError(f"{path}: no such file or folder")


def write_jsonl(docs: Iterable[LabeledDocument], fh) -> None:  # noqa: ANN001
    """Write the LABELS.md format, with a checksum of each line so corrections can be checked."""
    for doc in docs:
        record = {**doc.to_json(), _CRC_FIELD: line_fingerprint(doc.lines)}
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_tsv(docs: Iterable[LabeledDocument], fh) -> None:  # noqa: ANN001
    """Write the TSV format; a tab or carriage return inside a text is kept verbatim after the first tab."""
    first = True
    for doc in docs:
        if not first:
            fh.write("\n")
        first = False
        fh.write(f"{_DOC_HEADER}{doc.id}\t{_CRC_FIELD}={','.join(line_fingerprint(doc.lines))}\n")
        for text, label in zip(doc.lines, doc.labels):
            fh.write(f"{label}\t{text}\n")


def validate_against(corrected: Sequence[LabeledDocument], original: Sequence[LabeledDocument], where: str) -> None:
    """Check that corrected documents keep the original ids, line counts and texts."""
    by_id = {doc.id: doc for doc in original}
    for doc in corrected:
        ref = by_id.get(doc.id)
        if ref is None:
            continue
        if len(doc.lines) != len(ref.lines):
            raise LabeledDataError(
                f"{where}: document {doc.id!r}: has {len(doc.lines)} lines, the original has {len(ref.lines)} "
                "(a line is missing or added)"
            )
        for n, (a, b) in enumerate(zip(doc.lines, ref.lines), start=1):
            if a != b:
                raise LabeledDataError(
                    f"{where}: document {doc.id!r}, line {n}: text changed from {b[:60]!r} to {a[:60]!r}"
                )
