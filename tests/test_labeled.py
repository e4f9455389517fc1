"""Labeled files (LABELS.md JSONL and TSV): round trips, and errors that name file, document and line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from segclf import LabeledDataError
from segclf.labeled import LabeledDocument, read_labeled, validate_against, write_jsonl, write_tsv

DOC = LabeledDocument("d1", ["Title", "", "Body text here.", "Share\r"], ["body", "blank", "body", "nav"], "en", "s")


def _write(path: Path, writer, docs) -> Path:  # noqa: ANN001
    buf = io.StringIO()
    writer(docs, buf)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("suffix,writer", [(".jsonl", write_jsonl), (".tsv", write_tsv)])
def test_round_trip(tmp_path: Path, suffix: str, writer) -> None:  # noqa: ANN001
    other = LabeledDocument("d2", ["a\tb", "x"], ["body", "ad"])
    path = _write(tmp_path / f"docs{suffix}", writer, [DOC, other])
    docs = read_labeled([path])
    assert [d.id for d in docs] == ["d1", "d2"]
    assert docs[0].lines == DOC.lines and docs[0].labels == DOC.labels
    assert docs[1].lines == ["a\tb", "x"]


def test_unknown_label_names_file_document_and_line(tmp_path: Path) -> None:
    bad = LabeledDocument("d1", ["Title", "Menu"], ["body", "navigation"])
    path = _write(tmp_path / "bad.jsonl", write_jsonl, [bad])
    with pytest.raises(LabeledDataError, match=r"bad\.jsonl:1: document 'd1', line 2: unknown label 'navigation'"):
        read_labeled([path])


def test_unknown_label_in_tsv(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("# doc: a\nbody\tTitle\nbogus\tMenu\n", encoding="utf-8")
    with pytest.raises(LabeledDataError, match=r"bad\.tsv.*document 'a', line 2: unknown label 'bogus'"):
        read_labeled([path])


def test_tsv_row_without_tab(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("# doc: a\nbody\tTitle\njust text\n", encoding="utf-8")
    with pytest.raises(LabeledDataError, match=r"bad\.tsv:3: document 'a': expected 'label<TAB>text'"):
        read_labeled([path])


def test_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(DOC.to_json()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(LabeledDataError, match=r"broken\.jsonl:2: broken JSON"):
        read_labeled([path])


def test_invalid_utf8_in_a_labeled_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(json.dumps(DOC.to_json()).encode() + b"\n" + '{"id": "x", "lines": []}'.encode("utf-16"))
    with pytest.raises(LabeledDataError, match=r"mixed\.jsonl:2: not valid UTF-8"):
        read_labeled([path])


def test_blank_label_on_a_line_with_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "b.jsonl", write_jsonl, [LabeledDocument("d", ["text"], ["blank"])])
    with pytest.raises(LabeledDataError, match=r"document 'd', line 1: labeled blank but has text"):
        read_labeled([path])


def test_missing_path() -> None:
    with pytest.raises(LabeledDataError, match="no such file or folder"):
        read_labeled(["/nonexistent/labels.jsonl"])


def test_corrected_file_must_keep_lines_and_texts() -> None:
    missing = LabeledDocument("d1", DOC.lines[:-1], DOC.labels[:-1])
    with pytest.raises(LabeledDataError, match=r"fixed\.tsv: document 'd1': has 3 lines, the original has 4"):
        validate_against([missing], [DOC], "fixed.tsv")
    changed = LabeledDocument("d1", ["Title!", *DOC.lines[1:]], DOC.labels)
    with pytest.raises(LabeledDataError, match=r"document 'd1', line 1: text changed from 'Title' to 'Title!'"):
        validate_against([changed], [DOC], "fixed.tsv")


@pytest.mark.parametrize("suffix,writer", [(".jsonl", write_jsonl), (".tsv", write_tsv)])
def test_corrections_of_an_annotated_file_are_checked(tmp_path: Path, suffix: str, writer) -> None:  # noqa: ANN001
    path = _write(tmp_path / f"annotated{suffix}", writer, [DOC])
    original = path.read_bytes().decode("utf-8")  # keep the "\r" of the last line
    if suffix == ".tsv":
        relabeled = original.replace("nav\tShare", "ad\tShare")
        dropped = original.replace("body\tBody text here.\n", "")
        edited = original.replace("Body text here.", "Body text there.")
    else:
        record = json.loads(original)
        record["lines"][3]["label"] = "ad"
        relabeled = json.dumps(record)
        dropped_record = json.loads(original)
        del dropped_record["lines"][2]
        dropped = json.dumps(dropped_record)
        edited = original.replace("Body text here.", "Body text there.")
    path.write_text(relabeled, encoding="utf-8", newline="")
    assert read_labeled([path])[0].labels[3] == "ad"  # changing labels is the point
    path.write_text(dropped, encoding="utf-8", newline="")
    with pytest.raises(LabeledDataError, match=r"document 'd1', line 3: a line is missing or was added"):
        read_labeled([path])
    path.write_text(edited, encoding="utf-8", newline="")
    with pytest.raises(LabeledDataError, match=r"document 'd1', line 3: the text was changed"):
        read_labeled([path])
