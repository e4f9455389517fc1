"""Hostile inputs: odd encodings, binary and unreadable files, broken records, huge lines, signals.

Each case checks the exit code, the messages on stderr (never a traceback) and
that the good inputs beside the bad ones are still processed in full.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from segclf.cli import main
from segclf.segmenter import Segmenter

GOOD = "A good article line about the weather.\nAnother line of the same article.\n"


def rows(out: str) -> list[list[str]]:
    """TSV rows, split on the first three tabs, without ``# doc:`` lines."""
    return [r.split("\t", 3) for r in out.split("\n")[:-1] if not r.startswith("# doc: ")]


def classify(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["classify", "--jobs", "1", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


# --- empty and blank ----------------------------------------------------------------------


def test_empty_file_is_one_blank_line(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = classify(capsys, str(empty))
    assert (code, err) == (0, "")
    assert out == "blank\t1.0000\t\t\n"


def test_whitespace_only_file_is_all_blank(tmp_path, capsys):
    spaces = tmp_path / "ws.txt"
    spaces.write_text("  \n\t\n\u00a0\u200b\n", encoding="utf-8")
    code, out, _ = classify(capsys, str(spaces))
    assert code == 0
    assert [r[0] for r in rows(out)] == ["blank"] * 4
    assert [r[3] for r in rows(out)] == ["  ", "\t", "\u00a0\u200b", ""]


def test_clean_of_an_empty_file_writes_an_empty_file(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    assert main(["clean", str(tmp_path / "in"), "--output-dir", str(tmp_path / "out"), "--jobs", "1"]) == 0
    assert (tmp_path / "out" / "empty.txt").read_bytes() == b""


# --- encodings ----------------------------------------------------------------------------


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path, capsys):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("café au lait\nnaïve\n".encode("latin-1"))
    code, out, err = classify(capsys, str(bad))
    assert code == 0
    assert [r[3] for r in rows(out)] == ["caf\ufffd au lait", "na\ufffdve", ""]
    assert err.startswith(f"segclf: warning: {bad}: invalid UTF-8")
    assert "replacement characters" in err


def test_invalid_utf8_warning_is_silenced_by_quiet(tmp_path, capsys):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"caf\xe9")
    code, out, err = classify(capsys, str(bad), "--quiet")
    assert (code, err) == (0, "")
    assert len(rows(out)) == 1


def test_strict_encoding_makes_invalid_utf8_an_error(tmp_path, good, capsys):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"caf\xe9\n")
    code, out, err = classify(capsys, "--strict-encoding", str(bad), str(good))
    assert code == 1
    assert f"segclf: {bad}: invalid UTF-8" in err
    assert [r[3] for r in rows(out)] == GOOD.split("\n")  # only the good file's rows
    assert out.count("# doc: ") == 1


@pytest.mark.parametrize(
    ("prefix", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_byte_order_mark_is_not_part_of_the_first_line(tmp_path, capsys, prefix, codec):
    path = tmp_path / "bom.txt"
    path.write_bytes(prefix + "Erste Zeile\r\nzweite Zeile\r\n".encode(codec))
    code, out, err = classify(capsys, str(path))
    assert (code, err) == (0, "")
    assert [r[3] for r in rows(out)] == ["Erste Zeile\r", "zweite Zeile\r", ""]


def test_crlf_is_kept_by_classify_and_clean(tmp_path, capsys):
    text = "Headline of the story\r\nThe first paragraph of the article text.\r\n\r\nThe second paragraph.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode())
    code, out, _ = classify(capsys, str(path))
    assert code == 0
    assert "\n".join(r[3] for r in rows(out)) == text
    assert main(["clean", str(path), "--keep", "body,nav,ad,comment,foreign", "--jobs", "1"]) == 0
    assert capsys.readouterr().out == text  # every line kept: CRLF throughout, paragraph break included


def test_tabs_in_text_are_kept_verbatim(tmp_path, capsys):
    path = tmp_path / "tabs.txt"
    path.write_text("Name\tScore\tRank\n", encoding="utf-8")
    _, out, _ = classify(capsys, str(path))
    assert rows(out)[0][3] == "Name\tScore\tRank"


# --- binary, unreadable, missing ------------------------------------------------------------


def test_binary_file_is_skipped_and_named(tmp_path, good, capsys):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    code, out, err = classify(capsys, str(png), str(good))
    assert code == 1
    assert f"segclf: {png}: binary file" in err
    assert "segclf: 1 input failed or was skipped; 1 document done\n" in err
    assert len(rows(out)) == len(GOOD.split("\n"))


def test_utf16_without_bom_is_taken_for_binary(tmp_path, capsys):
    path = tmp_path / "u16.txt"
    path.write_bytes("no byte order mark".encode("utf-16-le"))
    code, out, err = classify(capsys, str(path))
    assert code == 1 and out == "" and "binary file" in err


def test_missing_path_is_reported_and_others_processed(tmp_path, good, capsys):
    code, out, err = classify(capsys, str(tmp_path / "nope.txt"), str(good))
    assert code == 1
    assert f"segclf: {tmp_path / 'nope.txt'}: no such file or folder\n" in err
    assert len(rows(out)) == 3


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied(tmp_path, good, capsys):
    locked = tmp_path / "locked.txt"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    try:
        code, out, err = classify(capsys, str(locked), str(good))
    finally:
        locked.chmod(0o644)
    assert code == 1 and f"segclf: {locked}: permission denied" in err and len(rows(out)) == 3


def test_path_through_a_file_is_unreadable(tmp_path, good, capsys):
    odd = good / "child.txt"  # "good.txt/child.txt": not a directory
    code, out, err = classify(capsys, str(odd), str(good))
    assert code == 1 and f"segclf: {odd}: not a directory" in err and len(rows(out)) == 3


def test_read_error_is_reported(capsys):
    mem = Path("/proc/self/mem")  # opens, but reading at offset 0 fails with an I/O error
    if not mem.exists():
        pytest.skip("no /proc/self/mem")
    code, out, err = classify(capsys, str(mem))
    assert code == 1 and out == "" and err.startswith(f"segclf: {mem}: ")


def test_broken_symlink_is_reported(tmp_path, good, capsys):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    code, out, err = classify(capsys, str(link), str(good))
    assert code == 1 and f"segclf: {link}: broken symbolic link" in err and len(rows(out)) == 3


def test_directory_named_like_a_file_is_walked(tmp_path, capsys):
    folder = tmp_path / "looks-like.txt"
    folder.mkdir()
    (folder / "inner.txt").write_text("inside", encoding="utf-8")
    code, out, err = classify(capsys, str(folder))
    assert (code, err) == (0, "")
    assert out == f"# doc: {folder / 'inner.txt'}\n" + out.split("\n", 1)[1] and rows(out)[0][3] == "inside"


def test_empty_folder_is_an_error(tmp_path, capsys):
    code, out, err = classify(capsys, str(tmp_path))
    assert code == 1 and out == "" and "no input files in this folder" in err


def test_mixed_folder(tmp_path, capsys):
    root = tmp_path / "mixed"
    (root / "sub").mkdir(parents=True)
    (root / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (root / "b-empty.txt").write_bytes(b"")
    (root / "c-latin1.txt").write_bytes(b"caf\xe9\n")
    (root / "d-binary.txt").write_bytes(b"\0\1\2\3")
    (root / "e-bom16.txt").write_bytes(codecs.BOM_UTF16_LE + "wide\n".encode("utf-16-le"))
    (root / "f-broken.txt").symlink_to(root / "missing")
    (root / "sub" / "g-crlf.txt").write_bytes(b"one\r\ntwo\r\n")
    (root / "sub" / "h-pipe.txt").unlink(missing_ok=True)
    os.mkfifo(root / "sub" / "h-pipe.txt")
    (root / "ignored.bin").write_bytes(b"\0")
    (root / ".hidden.txt").write_bytes(b"\0")
    code, out, err = classify(capsys, str(root))
    assert code == 1
    docs = [line[len("# doc: ") :] for line in out.split("\n") if line.startswith("# doc: ")]
    assert docs == [
        str(root / n) for n in ["a-good.txt", "b-empty.txt", "c-latin1.txt", "e-bom16.txt", "sub/g-crlf.txt"]
    ]
    assert len(rows(out)) == 3 + 1 + 2 + 2 + 3
    assert f"warning: {root / 'c-latin1.txt'}: invalid UTF-8" in err
    assert f"segclf: {root / 'd-binary.txt'}: binary file" in err
    assert f"segclf: {root / 'f-broken.txt'}: broken symbolic link" in err
    assert f"segclf: {root / 'sub/h-pipe.txt'}: not a regular file" in err
    assert "ignored.bin" not in err and ".hidden" not in err
    assert "3 inputs failed or were skipped; 5 documents done" in err


def test_file_names_with_control_characters(tmp_path, capsys):
    weird = tmp_path / "new\nline\t.txt"
    weird.write_text("text", encoding="utf-8")
    code, out, _ = classify(capsys, str(tmp_path), "--format", "tsv")
    assert code == 0
    assert out.split("\n")[0] == "# doc: " + str(tmp_path / "new\\nline\\t.txt")
    assert len(rows(out)) == 1


# --- JSONL records --------------------------------------------------------------------------


def test_bad_jsonl_records_are_reported_with_file_and_line(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(
        b'{"id": 1, "text": "first"}\n'
        b'{"id": 2, "body": "wrong field"}\n'
        b'{"id": 3, "text": 42}\n'
        b"not json at all\n"
        b"\n"
        b'"a string"\n'
        b'{"id": 4, "text": "lone \\ud800 surrogate"}\n'
        b'{"id": 5, "text": "caf\xe9"}\n'
        b'{"id": 6, "n": 1' + b"1" * 5000 + b', "text": "digits"}\n'
    )
    code = main(["classify", str(corpus), "--field", "text", "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 1 and "Traceback" not in captured.err
    out = captured.out.splitlines()
    assert len(out) == 5  # 3 labeled records, 2 passed through unchanged
    assert out[1] == '{"id": 2, "body": "wrong field"}' and out[2] == '{"id": 3, "text": 42}'
    labeled = [json.loads(r) for r in out if "segclf" in r]
    assert [r["id"] for r in labeled] == [1, 4, 5]
    assert labeled[1]["text"] == "lone \ud800 surrogate"
    err = captured.err
    expected = [
        (2, "has no field 'text'; record passed through"),
        (3, "field 'text' is a number, not a string"),
        (4, "broken JSON"),
        (6, "expected a JSON object, got str"),
        (9, "broken JSON"),
    ]
    for line_no, message in expected:
        assert f"segclf: {corpus}:{line_no}: {message}" in err
    assert f"segclf: warning: {corpus}:8: invalid UTF-8" in err


def test_many_bad_records_are_not_all_printed(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("{broken\n" * 100 + '{"text": "ok"}\n', encoding="utf-8")
    code = main(["classify", str(corpus), "--field", "text", "--jobs", "1"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert sum("broken JSON" in line for line in err) == 20
    assert f"segclf: {corpus}: more messages about this file are not shown" in err
    assert err[-1] == "segclf: 100 inputs failed or were skipped; 1 document done"


def test_binary_file_given_as_jsonl(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b"\x1f\x8b\x08\0\0\0\0\0\0\x03")
    assert main(["classify", str(corpus), "--field", "text", "--jobs", "1"]) == 1
    assert "not a UTF-8 JSONL file" in capsys.readouterr().err


def test_jsonl_given_without_field_gets_a_hint(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "x"}\n', encoding="utf-8")
    code, out, err = classify(capsys, str(corpus))
    assert code == 0 and "give --field NAME" in err and len(rows(out)) == 2


# --- size -----------------------------------------------------------------------------------


def test_enormous_single_line(tmp_path, capsys):
    huge = tmp_path / "huge.txt"
    line = ("word " * 4_000_000).rstrip()  # 20 MB, no newline
    huge.write_text(line, encoding="utf-8")
    code, out, err = classify(capsys, str(huge))
    assert (code, err) == (0, "")
    (row,) = rows(out)
    assert row[3] == line


# --- output folder safety -------------------------------------------------------------------


def test_clean_never_overwrites_its_input(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    code = main(["clean", str(src), "--output-dir", str(src), "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "the output would overwrite the input" in err
    assert (src / "a.txt").read_text(encoding="utf-8") == GOOD


def test_clean_output_inside_the_input_folder_is_not_read_back(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "clean"
    out.mkdir()
    (out / "a.txt").write_text("stale output", encoding="utf-8")
    assert main(["clean", str(tmp_path), "--output-dir", str(out), "--jobs", "1"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]
    assert "stale" not in (out / "a.txt").read_text(encoding="utf-8")


def test_clean_refuses_two_inputs_with_one_output(tmp_path, capsys):
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "same.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "clean",
            str(tmp_path / "x" / "same.txt"),
            str(tmp_path / "y" / "same.txt"),
            "--output-dir",
            str(out),
            "--jobs",
            "1",
        ]
    )
    assert code == 1 and "is already the output of another input" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["same.txt"]


def test_output_dir_that_is_a_file(tmp_path, good, capsys):
    blocker = tmp_path / "out"
    blocker.write_text("x", encoding="utf-8")
    assert main(["clean", str(good), "--output-dir", str(blocker), "--jobs", "1"]) == 1
    assert capsys.readouterr().err == f"segclf: {blocker}: exists and is not a folder\n"


def _interrupt_after(monkeypatch, n_docs: int) -> None:
    """Make labeling raise KeyboardInterrupt after ``n_docs`` documents (as Ctrl-C would)."""
    original = Segmenter._results  # under segment_many and the command line's columns
    labeled = []

    def results(self, texts):
        for doc in original(self, texts):
            if len(labeled) == n_docs:
                raise KeyboardInterrupt
            labeled.append(doc)
            yield doc

    monkeypatch.setattr(Segmenter, "_results", results)


def test_interrupted_clean_leaves_no_half_written_files(tmp_path, monkeypatch, capsys):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_text(GOOD, encoding="utf-8")
    (src / "d.jsonl").write_text("".join(json.dumps({"text": GOOD}) + "\n" for _ in range(3)), encoding="utf-8")
    _interrupt_after(monkeypatch, 1)
    every_label = ["--keep", "body,nav,ad,comment,foreign"]  # the file is complete whatever the labels
    assert main(["clean", str(src), "--output-dir", str(out), *every_label, "--jobs", "1", "--batch-size", "1"]) == 130
    assert capsys.readouterr().err == "segclf: interrupted\n"
    assert [p.name for p in out.iterdir()] == ["a.txt"]  # complete; b.txt never started; no temporary files
    assert (out / "a.txt").read_text(encoding="utf-8").startswith("A good article line about the weather.\nAnother")
    assert (
        main(
            [
                "clean",
                str(src / "d.jsonl"),
                "--field",
                "text",
                "--output-dir",
                str(out / "j"),
                "--jobs",
                "1",
                "--batch-size",
                "1",
            ]
        )
        == 130
    )
    assert not (out / "j").exists() or list((out / "j").iterdir()) == []  # the JSONL output was not committed


def test_interrupted_output_file_is_not_written(tmp_path, monkeypatch, good, capsys):
    target = tmp_path / "labels.tsv"
    _interrupt_after(monkeypatch, 1)
    assert main(["classify", str(good), str(good), "-o", str(target), "--jobs", "1", "--batch-size", "1"]) == 130
    assert list(tmp_path.iterdir()) == [good]


# --- signals and pipes ------------------------------------------------------------------------


def test_keyboard_interrupt_while_reading_stdin(monkeypatch, capsys):
    class Interrupting(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            raise KeyboardInterrupt

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Interrupting())))
    assert main(["classify", "-", "--jobs", "1"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "segclf: interrupted\n" and captured.out == ""


def test_sigint_exits_130_without_traceback():
    proc = subprocess.Popen(
        [sys.executable, "-m", "segclf", "classify", "-", "--header", "--jobs", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a shell's background job ignores SIGINT, and children inherit that: restore the default
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout.readline() == b"label\tconfidence\tlang\ttext\n"  # now blocked reading stdin
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
        assert proc.stderr.read() == b"segclf: interrupted\n"
    finally:
        proc.kill()
        proc.wait()


def test_broken_pipe_exits_quietly(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("x " * 1_000_000, encoding="utf-8")  # one 2 MB row: more than a pipe holds
    small = tmp_path / "small.txt"
    small.write_text("after", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "segclf", "classify", str(big), str(small), "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout.read(7) == b"# doc: "
        proc.stdout.close()  # like `| head`
        assert proc.wait(timeout=60) == 141
        assert proc.stderr.read() == b""
    finally:
        proc.kill()
        proc.wait()


def test_a_document_that_breaks_the_model_is_reported_and_the_rest_goes_on(tmp_path, capsys, poisoned_segment_many):
    for name, text in [("a.txt", GOOD), ("b.txt", "POISON\n"), ("c.txt", GOOD)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = classify(capsys, str(tmp_path))
    assert code == 1
    assert f"segclf: {tmp_path / 'b.txt'}: could not be labeled (ValueError: poisoned input)" in err
    assert [line for line in out.split("\n") if line.startswith("# doc: ")] == [
        f"# doc: {tmp_path / 'a.txt'}",
        f"# doc: {tmp_path / 'c.txt'}",
    ]
    assert len(rows(out)) == 2 * 3


def test_closed_stdout(good, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["classify", str(good), "--jobs", "1"]) == 1
    assert capsys.readouterr().err == "segclf: output: standard output is closed\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_full_disk_on_stdout(good):
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "segclf", "classify", str(good), "--jobs", "1"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stderr == b"segclf: output: No space left on device\n"


@pytest.mark.parametrize("extra", [[], ["--field", "text"]])
def test_closed_stdin(monkeypatch, capsys, extra):
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["classify", "-", "--jobs", "1", *extra]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("segclf: <stdin>: standard input is closed\n")
