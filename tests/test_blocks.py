"""``segclf.blocks``: documents parsed, labeled and written block by block, in order, on 1 or more processes."""

from __future__ import annotations

import codecs
import json
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from segclf import SegclfError, Segmenter
from segclf.blocks import BlockOutput, DocBlock, doc_blocks, label_block, label_blocks
from segclf.cli import main
from segclf.io import BlockSize, InputDoc, RecordBlock, iter_input_blocks, iter_inputs, labeled_record_line

ARTICLE = (
    "City council approves new budget\n\nThe council voted on Tuesday to approve the budget, "
    "which increases funding for schools and parks across the city.\nHome | News | Sport\nLeave a comment"
)

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="patches forked workers")


def record(i: int, **extra: object) -> bytes:
    return (json.dumps({"id": i, "text": ARTICLE.replace("Tuesday", f"day {i}"), **extra}) + "\n").encode()


def messy_corpus(path: Path) -> Path:
    """Every kind of line a JSONL input can hold, invalid UTF-8 in two places."""
    lines = [
        codecs.BOM_UTF8 + record(0),
        b"\n",
        b"{broken json\n",
        b"[1, 2]\n",
        b'{"id": 4, "other": "no text field"}\n',
        b'{"id": 5, "text": 7}\n',
        record(6).replace(b"day 6", b"day \xff6"),
        record(7).replace(b"\n", b"\r\n"),
        record(8).replace(b"day 8", b"day \xfe8"),
        b'  {"id": 9, "text": "one line"}  \n',
        record(10),
    ]
    path.write_bytes(b"".join(lines))
    return path


def one_by_one(path: Path, segmenter: Segmenter) -> tuple[str, list[str]]:
    """What reading the corpus record by record gives: the output text and the records' errors."""
    out, errors = [], []
    for doc in iter_inputs([path], field="text"):
        if doc.ok:
            out.append(labeled_record_line(doc, next(iter(segmenter._label_columns([doc.text])))))
        else:
            errors.append(doc.error)
            if doc.passthrough is not None:
                out.append(doc.passthrough + "\n")
    return "".join(out), errors


def test_blocks_give_what_reading_record_by_record_gives(tmp_path: Path, segmenter: Segmenter) -> None:
    corpus = messy_corpus(tmp_path / "c.jsonl")
    blocks = list(iter_input_blocks([corpus], "text", size=BlockSize(records=3)))
    assert all(isinstance(b, RecordBlock) for b in blocks)
    assert [(b.first_line, len(b.lines)) for b in blocks] == [(1, 3), (4, 3), (7, 3), (10, 2)]
    outputs = [label_block(b, segmenter, labeled_record_line) for b in blocks]

    text, errors = one_by_one(corpus, segmenter)
    assert b"".join(o.data for o in outputs).decode() == text
    assert [m for o in outputs for kind, _, m in o.messages if kind == "error"] == errors
    assert len(errors) == 4 and f"{corpus}:3: broken JSON" in errors[0]
    # invalid UTF-8 is reported once per block (lines 7 and 9 are in one block); whoever
    # gathers the blocks keeps the first warning of a file
    warnings = [m for o in outputs for kind, _, m in o.messages if kind == "warning-once"]
    assert len(warnings) == 1 and warnings[0].startswith(f"{corpus}:7: invalid UTF-8")
    assert sum(o.docs for o in outputs) == 6  # records 0, 6, 7, 8, 9, 10
    assert sum(o.lines for o in outputs) == 5 * len(ARTICLE.split("\n")) + 1


def test_blocks_are_cut_by_records_and_by_bytes(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b"".join(record(i) for i in range(10)))
    size = len(record(0))
    by_records = list(iter_input_blocks([corpus], "text", size=BlockSize(records=4)))
    assert [len(b.lines) for b in by_records] == [4, 4, 2]  # type: ignore[union-attr]
    by_bytes = list(iter_input_blocks([corpus], "text", size=BlockSize(records=100, bytes=2 * size + 1)))
    assert [len(b.lines) for b in by_bytes] == [3, 3, 3, 1]  # type: ignore[union-attr]
    assert [b.first_line for b in by_bytes] == [1, 4, 7, 10]  # type: ignore[union-attr]


def test_unreadable_inputs_keep_their_place(tmp_path: Path, segmenter: Segmenter) -> None:
    good = tmp_path / "a.jsonl"
    good.write_bytes(b"".join(record(i) for i in range(5)))
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\0\1\2")
    items = list(iter_input_blocks([good, tmp_path / "missing.jsonl", binary, good], "text", size=BlockSize(2)))
    kinds = ["block" if isinstance(i, RecordBlock) else "error" for i in items]
    assert kinds == ["block"] * 3 + ["error", "error"] + ["block"] * 3

    def outputs(jobs: int) -> list[tuple[str, str]]:
        pairs = label_blocks(items, labeled_record_line, segmenter=lambda: segmenter, jobs=jobs)
        return [(type(item).__name__, out.data.decode() if out else item.error) for item, out in pairs]  # type: ignore[union-attr]

    one = outputs(1)
    assert one == outputs(2)
    assert [kind for kind, _ in one] == ["RecordBlock"] * 3 + ["InputDoc"] * 2 + ["RecordBlock"] * 3
    assert "missing.jsonl" in one[3][1] and "not a UTF-8 JSONL file" in one[4][1]


def test_jobs1_labels_in_this_process_and_loads_nothing_for_failed_inputs(tmp_path: Path) -> None:
    def no_model() -> Segmenter:
        raise AssertionError("loaded a model for inputs that all failed")

    items = [InputDoc(id="x", error="x: gone"), InputDoc(id="y", error="y: gone")]
    assert [out for _, out in label_blocks(items, labeled_record_line, segmenter=no_model, jobs=1)] == [None, None]


@needs_fork
def test_a_record_failing_in_a_worker_is_reported_and_passed_through(
    tmp_path: Path,
    poisoned_segment_many,  # noqa: ANN001 - inherited by the forked workers
) -> None:
    corpus = tmp_path / "c.jsonl"
    poison = b'{"text": "POISON", "keep": [ 1 ]}\n'
    corpus.write_bytes(record(0) + poison + record(2) + record(3))
    items = iter_input_blocks([corpus], "text", size=BlockSize(records=2))
    pairs = list(label_blocks(items, labeled_record_line, segmenter=Segmenter, jobs=2, start_method="fork"))
    outputs: list[BlockOutput] = [out for _, out in pairs]  # type: ignore[misc]
    message = f"{corpus}:2: could not be labeled (ValueError: poisoned input)"
    assert outputs[0].messages == [("error", str(corpus), message)]
    assert outputs[0].data.split(b"\n")[1] == poison.strip()
    assert [o.docs for o in outputs] == [1, 2]


@needs_fork
def test_a_worker_that_dies_is_an_error_naming_the_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from segclf import blocks

    label = blocks.label_block

    def deadly(block: RecordBlock, segmenter: Segmenter, write: object) -> BlockOutput:
        if any(b"DIE" in line for line in block.lines):
            os._exit(9)
        return label(block, segmenter, write)  # type: ignore[arg-type]

    monkeypatch.setattr(blocks, "label_block", deadly)  # inherited by the forked workers
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(record(0) + record(1) + b'{"text": "DIE"}\n' + record(3))
    items = iter_input_blocks([corpus], "text", size=BlockSize(records=2))
    with pytest.raises(SegclfError, match=r"worker process died while labeling .*c\.jsonl, lines 3-4"):
        list(label_blocks(items, labeled_record_line, segmenter=Segmenter, jobs=2, start_method="fork"))


def test_read_ahead_is_bounded(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b"".join(record(i) for i in range(50)))
    read = 0

    def blocks() -> Iterator[InputDoc | RecordBlock]:
        nonlocal read
        for block in iter_input_blocks([corpus], "text", size=BlockSize(records=1)):
            read += 1
            yield block

    pairs = label_blocks(blocks(), labeled_record_line, segmenter=Segmenter, jobs=2, prefetch=1)
    next(pairs)
    assert read <= 3  # two blocks in flight and the next one read
    pairs.close()
    assert read < 50


def test_invalid_utf8_is_reported_once_per_file_with_many_workers(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for path in (a, b):
        path.write_bytes(b"".join(record(i).replace(b"day", b"d\xffy") for i in range(6)))
    assert main(["classify", str(a), str(b), "--field", "text", "--jobs", "2", "--batch-size", "1"]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "invalid UTF-8" in line]
    byte = record(0).index(b"day") + 1
    assert warnings == [
        f"segclf: warning: {path}:1: invalid UTF-8 (invalid start byte at byte {byte} of the line); decoded with "
        "replacement characters (U+FFFD); later lines of this file are not reported"
        for path in (a, b)
    ]
    assert len(captured.out.splitlines()) == 12


def test_doc_blocks_are_cut_by_documents_and_by_characters() -> None:
    docs = [InputDoc(id=str(i), text="x" * 10) for i in range(7)] + [InputDoc(id="gone", error="gone: missing")]
    assert [len(b.items) for b in doc_blocks(docs, BlockSize(records=3))] == [3, 3, 2]
    assert [len(b.items) for b in doc_blocks(docs, BlockSize(records=100, bytes=25))] == [3, 3, 2]
    assert [d.id for b in doc_blocks(docs) for d in b.items] == [d.id for d in docs]


def test_a_text_document_that_cannot_be_labeled_is_reported_and_not_written(poisoned_segment_many) -> None:  # noqa: ANN001
    block = DocBlock([InputDoc(id="a.txt", text="fine"), InputDoc(id="b.txt", path=Path("b.txt"), text="POISON")])
    output = label_block(block, Segmenter(), lambda doc, result: f"{doc.id} {len(result)}\n")
    assert output.data == b"a.txt 1\n"
    assert output.messages == [("error", "b.txt", "b.txt: could not be labeled (ValueError: poisoned input)")]
    assert (output.docs, output.lines) == (1, 1)


@pytest.mark.parametrize("command", [["classify"], ["classify", "--format", "jsonl"], ["clean"]])
def test_text_files_on_two_workers_give_what_one_process_gives(tmp_path: Path, command: list[str]) -> None:
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text(ARTICLE.replace("Tuesday", f"day {i}"), encoding="utf-8")
    (folder / "2b.txt").write_bytes(b"\0binary")
    (folder / "3b.txt").write_bytes(b"bad \xff byte\nsecond line")
    args = [*command, str(folder), str(tmp_path / "missing.txt"), "--batch-size", "2"]

    def run(jobs: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "segclf", *args, "--jobs", jobs], capture_output=True, timeout=300)

    one, two = run("1"), run("2")
    assert one.returncode == two.returncode == 1  # the binary file and the missing path
    assert two.stdout == one.stdout and two.stderr == one.stderr
    assert b"2b.txt" in one.stderr and b"missing.txt" in one.stderr and b"invalid UTF-8" in one.stderr
    assert one.stdout.count(b"day ") >= 5


def test_an_input_of_one_block_starts_no_pool_and_loads_no_model_for_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys,  # noqa: ANN001
) -> None:
    import segclf.parallel as parallel

    def no_fork(*args: object) -> None:
        raise AssertionError("prepared workers for an input of one block")

    monkeypatch.setattr(parallel, "prepare_fork", no_fork)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert main(["classify", str(article), "--jobs", "2"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(ARTICLE.split("\n"))
