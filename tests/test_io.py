"""Readers and writers of ``segclf.io``: decoding, inputs, atomic files, row formats (no model needed)."""

from __future__ import annotations

import codecs
import io
import json
import os
import sys
from pathlib import Path

import pytest

from segclf import Document, InputError, Line
from segclf.io import (
    AtomicFile,
    atomic_write,
    decode_bytes,
    doc_header,
    iter_inputs,
    jsonl_rows,
    labels_record,
    read_document,
    tsv_rows,
)


def _doc() -> Document:
    return Document(
        [Line("Headline\r", "body", 0.98765, "en"), Line("a\tb", "nav", 0.5, None), Line("", "blank", 1.0, None)],
        lang="en",
    )


# --- decoding ---------------------------------------------------------------------------


def test_utf8_is_decoded_verbatim_with_crlf_kept():
    decoded = decode_bytes("Grüße\r\nline 2\r\n".encode(), "x.txt")
    assert decoded.text == "Grüße\r\nline 2\r\n"
    assert decoded.warnings == ()
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_mark_picks_the_encoding_and_is_removed(bom, codec):
    text = "Première ligne\nzweite Zeile 日本\n"
    decoded = decode_bytes(bom + text.encode(codec), "x.txt")
    assert decoded.text == text
    assert decoded.encoding == codec
    assert not decoded.text.startswith("\ufeff")


def test_invalid_utf8_is_replaced_with_a_warning_naming_the_file():
    decoded = decode_bytes(b"caf\xe9 au lait\nok\n", "dir/bad.txt")
    assert decoded.text == "caf\ufffd au lait\nok\n"
    assert len(decoded.warnings) == 1
    assert decoded.warnings[0].startswith("dir/bad.txt: invalid UTF-8")
    assert "byte 3" in decoded.warnings[0]


def test_invalid_utf8_is_an_error_when_strict():
    with pytest.raises(InputError, match=r"^bad\.txt: invalid UTF-8"):
        decode_bytes(b"caf\xe9", "bad.txt", strict=True)


def test_nul_bytes_mean_binary():
    with pytest.raises(InputError, match=r"^img\.txt: binary file"):
        decode_bytes(b"GIF89a\0\0\x01", "img.txt")


def test_nul_bytes_after_the_sniffed_head_are_text():
    decoded = decode_bytes(b"a" * 9000 + b"\0", "late.txt")
    assert decoded.text.endswith("\0")


def test_read_document_names_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or folder") as info:
        read_document(tmp_path / "nope.txt")
    assert str(tmp_path / "nope.txt") in str(info.value)


# --- iter_inputs ------------------------------------------------------------------------


def test_folder_walk_is_sorted_recursive_and_picks_text_names(tmp_path):
    root = tmp_path / "in"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for name in [
        "z.txt",
        "a.md",
        "NOSUFFIX",
        "b/deep/c.TEXT",
        "b/x.txt",
        "skip.html",
        "data.jsonl",
        ".dot.txt",
        ".hidden/h.txt",
    ]:
        (root / name).write_text(name, encoding="utf-8")
    docs = list(iter_inputs([root]))
    assert [d.id for d in docs] == [str(root / n) for n in ["NOSUFFIX", "a.md", "b/deep/c.TEXT", "b/x.txt", "z.txt"]]
    assert [str(d.rel) for d in docs] == ["NOSUFFIX", "a.md", "b/deep/c.TEXT", "b/x.txt", "z.txt"]
    assert all(d.ok and d.text == str(d.rel) for d in docs)


def test_explicit_files_are_read_whatever_their_name_and_keep_their_name(tmp_path):
    page = tmp_path / "sub" / "page.html"
    page.parent.mkdir()
    page.write_text("<p>hi</p>", encoding="utf-8")
    (doc,) = iter_inputs([str(page)])
    assert doc.ok and doc.text == "<p>hi</p>" and doc.rel == Path("page.html") and doc.id == str(page)


def test_errors_are_yielded_in_order_and_iteration_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("fine", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\0\1\2")
    docs = list(iter_inputs([tmp_path / "missing.txt", binary, good]))
    assert [d.ok for d in docs] == [False, False, True]
    assert docs[0].error == f"{tmp_path / 'missing.txt'}: no such file or folder"
    assert "binary file" in docs[1].error
    assert docs[2].text == "fine"


def test_empty_folder_is_reported(tmp_path):
    (tmp_path / "only.html").write_text("x", encoding="utf-8")
    (doc,) = iter_inputs([tmp_path])
    assert not doc.ok
    assert "no input files in this folder" in doc.error and ".txt" in doc.error


def test_excluded_output_folder_is_not_walked(tmp_path):
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.txt").write_text("old output", encoding="utf-8")
    docs = list(iter_inputs([tmp_path], exclude=[tmp_path / "out"]))
    assert [d.rel for d in docs] == [Path("a.txt")]


def test_jsonl_records_are_documents_and_bad_records_are_reported(tmp_path):
    corpus = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"id": 1, "text": "one\ntwo"}),
        "",
        json.dumps({"id": 2}),
        "[1, 2]",
        '{"id": 3, "text": null}',
        "{broken",
        json.dumps({"id": 4, "text": "four", "meta": {"k": [1, 2]}}),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(iter_inputs([corpus], field="text"))
    assert [d.id for d in docs] == [f"{corpus}:{n}" for n in (1, 3, 4, 5, 6, 7)]
    assert [d.ok for d in docs] == [True, False, False, False, False, True]
    assert docs[0].text == "one\ntwo" and docs[0].record == {"id": 1, "text": "one\ntwo"} and docs[0].line_no == 1
    assert docs[1].passthrough == lines[2] and "has no field 'text'" in docs[1].error
    assert docs[2].passthrough is None and "expected a JSON object" in docs[2].error
    assert docs[3].passthrough == lines[4] and "is null, not a string" in docs[3].error
    assert docs[4].passthrough is None and "broken JSON" in docs[4].error
    assert docs[5].record["meta"] == {"k": [1, 2]}


def test_jsonl_folder_picks_only_jsonl_files(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"t": "x"}\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text("not a corpus", encoding="utf-8")
    docs = list(iter_inputs([tmp_path], field="t"))
    assert [(d.id, d.text) for d in docs] == [(f"{tmp_path / 'a.jsonl'}:1", "x")]


def test_jsonl_invalid_utf8_warns_once_per_file_or_skips_when_strict(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b'{"t": "caf\xe9"}\n{"t": "na\xefve"}\n{"t": "ok"}\n')
    docs = list(iter_inputs([corpus], field="t"))
    assert [d.text for d in docs] == ["caf\ufffd", "na\ufffdve", "ok"]
    assert len(docs[0].warnings) == 1 and f"{corpus}:1: invalid UTF-8" in docs[0].warnings[0]
    assert docs[1].warnings == ()
    strict = list(iter_inputs([corpus], field="t", strict_encoding=True))
    assert [d.ok for d in strict] == [False, False, True]
    assert f"{corpus}:2: invalid UTF-8" in strict[1].error


def test_jsonl_with_utf8_bom_is_read_and_utf16_is_refused(tmp_path):
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(codecs.BOM_UTF8 + b'{"t": "x"}\n')
    assert [d.text for d in iter_inputs([bom], field="t")] == ["x"]
    wide = tmp_path / "wide.jsonl"
    wide.write_bytes(codecs.BOM_UTF16_LE + '{"t": "x"}\n'.encode("utf-16-le"))
    (doc,) = iter_inputs([wide], field="t")
    assert not doc.ok and "not a UTF-8 JSONL file" in doc.error


class _CountingStdin:
    """A standard input whose lines are counted as they are read."""

    def __init__(self, lines: list[bytes]) -> None:
        self.read_lines = 0
        self._lines = lines

    def __iter__(self):
        for line in self._lines:
            self.read_lines += 1
            yield line


def test_jsonl_stdin_is_read_lazily(monkeypatch):
    fake = _CountingStdin([json.dumps({"t": f"doc {i}"}).encode() + b"\n" for i in range(1000)])
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": fake})())
    docs = iter_inputs(["-"], field="t")
    first = next(docs)
    assert first.id == "<stdin>:1" and first.text == "doc 0"
    assert fake.read_lines == 1
    assert sum(1 for _ in docs) == 999


def test_text_stdin_is_one_document(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(codecs.BOM_UTF8 + b"a\r\nb")))
    (doc,) = iter_inputs(["-"])
    assert doc.id == "<stdin>" and doc.text == "a\r\nb" and doc.rel is None


# --- writing ----------------------------------------------------------------------------


def test_atomic_write_writes_verbatim_with_normal_permissions(tmp_path):
    target = tmp_path / "new" / "dir" / "out.txt"
    atomic_write(target, "a\r\nb\n\udc80")
    assert target.read_bytes() == b"a\r\nb\n\\udc80"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_atomic_file_leaves_the_old_file_when_interrupted(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), AtomicFile(target) as fh:
        fh.write("half of the new")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_tsv_rows_format():
    assert tsv_rows(_doc()) == "body\t0.9877\ten\tHeadline\r\nnav\t0.5000\t\ta\tb\nblank\t1.0000\t\t\n"
    assert tsv_rows(_doc(), "dir/a.txt").startswith("# doc: dir/a.txt\nbody\t")
    assert doc_header("we\nird\t.txt") == "# doc: we\\nird\\t.txt\n"


def test_jsonl_rows_join_back_and_are_numbered_from_one():
    rows = [json.loads(r) for r in jsonl_rows(_doc(), "a.txt").splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert rows[0] == {
        "doc": "a.txt",
        "line": 1,
        "label": "body",
        "confidence": 0.9877,
        "lang": "en",
        "text": "Headline\r",
    }
    assert "\n".join(r["text"] for r in rows) == _doc().text


def test_labels_record():
    assert labels_record(_doc()) == {
        "lang": "en",
        "lines": [
            {"label": "body", "confidence": 0.9877, "lang": "en"},
            {"label": "nav", "confidence": 0.5, "lang": None},
            {"label": "blank", "confidence": 1.0, "lang": None},
        ],
    }
