"""The ``segclf`` command line: commands, formats, options and exit codes.

A few end-to-end runs go through a subprocess (``python -m segclf``); the rest
call ``main([...])`` in this process, which reuses the loaded model.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from segclf import LABELS
from segclf.cli import main
from segclf.io import labels_record
from segclf.labeled import read_labeled

ARTICLE = (
    "Home | World | Business | Sport\n"
    "City council approves new budget for public schools\n"
    "\n"
    "The city council voted on Tuesday to approve a new budget that increases funding for public schools.\n"
    "Officials said the additional money would be used to hire teachers and repair old buildings.\n"
    "\n"
    "Subscribe to our newsletter\n"
    "Leave a comment\n"
)


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "segclf", *args], input=stdin, capture_output=True, timeout=120, cwd=cwd
    )


def tsv(out: str) -> list[list[str]]:
    """TSV rows split on the first three tabs (the text is the last field)."""
    return [row.split("\t", 3) for row in out.split("\n")[:-1]]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


# --- end to end (subprocess) --------------------------------------------------------------


def test_help_lists_commands_exit_codes_and_examples():
    result = run_cli("--help")
    assert result.returncode == 0
    out = result.stdout.decode()
    for word in ("classify", "clean", "annotate", "train", "eval", "exit codes:", "examples:", "130", "141"):
        assert word in out
    for code in range(5):
        assert f"\n  {code}    " in out


@pytest.mark.parametrize("command", ["classify", "clean", "annotate", "train", "eval"])
def test_every_command_has_examples_in_help(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"segclf {command}" in out.split("examples:")[1]


def test_version_comes_from_package_metadata_in_the_console_script():
    from importlib.metadata import version

    script = Path(sys.executable).with_name("segclf")
    if not script.exists():
        pytest.skip("console script not installed next to the interpreter")
    result = subprocess.run([str(script), "--version"], capture_output=True, timeout=120)
    assert result.returncode == 0
    assert result.stdout.decode() == f"segclf {version('segclf')}\n"


def test_classify_stdin_end_to_end_joins_back():
    result = run_cli("classify", "-", "--jobs", "1", stdin=ARTICLE.encode())
    assert result.returncode == 0, result.stderr
    rows = tsv(result.stdout.decode())
    assert len(rows) == ARTICLE.count("\n") + 1
    assert "\n".join(r[3] for r in rows) == ARTICLE
    assert all(r[0] in LABELS and len(r[1]) == 6 and 0 <= float(r[1]) <= 1 for r in rows)
    assert result.stderr == b""


def test_clean_file_end_to_end(article):
    result = run_cli("clean", str(article), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "City council approves new budget" in out and "increases funding" in out
    assert "Leave a comment" not in out
    assert out.endswith("\n")


def test_output_is_streamed_per_document():
    """Records come out while standard input is still open: nothing waits for the end of the input."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "segclf", "classify", "-", "--field", "text", "--jobs", "1", "--batch-size", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        for i in range(2):
            proc.stdin.write((json.dumps({"n": i, "text": ARTICLE}) + "\n").encode())
        proc.stdin.flush()
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=60)
        assert got and json.loads(got[0])["n"] == 0, "no output before the end of the input"
        proc.stdin.close()
        rest = proc.stdout.read().decode().splitlines()
        assert [json.loads(r)["n"] for r in rest] == [1]
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()


# --- classify -------------------------------------------------------------------------------


def test_classify_single_file_has_no_doc_header_and_one_row_per_line(article, capsys):
    assert main(["classify", str(article), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("#")
    rows = tsv(out)
    assert len(rows) == len(ARTICLE.split("\n"))
    assert [r[3] for r in rows] == ARTICLE.split("\n")
    assert rows[-1][:3] == ["blank", "1.0000", ""]


def test_classify_header_option(article, capsys):
    assert main(["classify", str(article), "--jobs", "1", "--header"]) == 0
    assert capsys.readouterr().out.startswith("label\tconfidence\tlang\ttext\n")


def test_classify_several_files_have_doc_headers(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("First article line\nsecond", encoding="utf-8")
    b.write_text("only line", encoding="utf-8")
    assert main(["classify", str(a), str(b), "--jobs", "1"]) == 0
    lines = capsys.readouterr().out.split("\n")
    assert lines[0] == f"# doc: {a}"
    assert lines[3] == f"# doc: {b}"
    assert len(lines) == 1 + 2 + 1 + 1 + 1  # header, 2 rows, header, 1 row, final ""


def test_classify_folder_gets_doc_headers_even_with_one_file(tmp_path, article, capsys):
    assert main(["classify", str(tmp_path), "--jobs", "1"]) == 0
    assert capsys.readouterr().out.startswith(f"# doc: {article}\n")


def test_classify_jsonl_rows(article, capsys):
    assert main(["classify", str(article), "--format", "jsonl", "--jobs", "1"]) == 0
    rows = [json.loads(r) for r in capsys.readouterr().out.splitlines()]
    assert [r["line"] for r in rows] == list(range(1, len(ARTICLE.split("\n")) + 1))
    assert {r["doc"] for r in rows} == {str(article)}
    assert set(rows[0]) == {"doc", "line", "label", "confidence", "lang", "text"}
    assert "\n".join(r["text"] for r in rows) == ARTICLE


def test_classify_output_file(article, tmp_path, capsys):
    out = tmp_path / "out" / "labels.tsv"
    assert main(["classify", str(article), "-o", str(out), "--jobs", "1"]) == 0
    assert capsys.readouterr().out == ""
    assert len(tsv(out.read_text(encoding="utf-8"))) == len(ARTICLE.split("\n"))


def test_paths_may_follow_options(tmp_path, article, capsys):
    other = tmp_path / "other.txt"
    other.write_text("x", encoding="utf-8")
    assert main(["classify", str(article), "--jobs", "1", str(other)]) == 0
    assert capsys.readouterr().out.count("# doc: ") == 2


def test_classify_jsonl_corpus_adds_labels_and_keeps_the_record(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    records = [{"id": "a", "text": ARTICLE, "meta": {"url": "https://x/é"}}, {"id": "b", "text": "one line"}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["classify", str(corpus), "--field", "text", "--jobs", "1"]) == 0
    out = [json.loads(r) for r in capsys.readouterr().out.splitlines()]
    assert [{k: v for k, v in r.items() if k != "segclf"} for r in out] == records
    assert len(out[0]["segclf"]["lines"]) == len(ARTICLE.split("\n"))
    assert out[0]["segclf"]["lang"] == "en"
    assert set(out[0]["segclf"]["lines"][0]) == {"label", "confidence", "lang"}
    assert len(out[1]["segclf"]["lines"]) == 1


def single_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """``object_pairs_hook`` that refuses a JSON object with a key written twice."""
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys in {keys}"
    return dict(pairs)


def test_classify_jsonl_corpus_writes_each_record_back_as_read(tmp_path, segmenter):
    """Key order, number spelling, escapes and nesting stay; white space and CRLF around a record go."""
    records = [
        '{"z": 1.0, "text": "caf\\u00e9 ' + ARTICLE.replace("\n", "\\n") + '", "a": {"n": [1, 2.50, null]}}',
        '{"text":"one line","big":1e400,"s":"\\"q\\" \\/ \\ud83d\\ude00"}',
        '{"id": "crlf", "text": "short\\r\\nlines"}',
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(f"{records[0]}   \r\n {records[1]}\t\n{records[2]}\r\n".encode())
    result = run_cli("classify", str(corpus), "--field", "text", "--format", "jsonl", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode().split("\n")
    assert out[-1] == "" and len(out) == len(records) + 1
    for line, record in zip(out, records):
        assert line.startswith(record[:-1] + ', "segclf": ') and line.endswith("}")
        parsed = json.loads(line, object_pairs_hook=single_keys)
        labels = parsed.pop("segclf")
        assert parsed == json.loads(record)
        assert labels == labels_record(segmenter.segment(parsed["text"]))


def test_classifying_segclf_output_again_replaces_its_labels(tmp_path):
    corpus = tmp_path / "c.jsonl"
    records = [{"id": 1, "text": ARTICLE, "meta": {"url": "https://x/é"}}, {"id": 2, "text": "one line"}]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert run_cli("classify", str(corpus), "--field", "text", "-o", str(first), "--jobs", "1").returncode == 0
    assert run_cli("classify", str(first), "--field", "text", "-o", str(second), "--jobs", "1").returncode == 0
    again = [json.loads(r, object_pairs_hook=single_keys) for r in second.read_text(encoding="utf-8").splitlines()]
    assert [{k: v for k, v in r.items() if k != "segclf"} for r in again] == records
    assert second.read_bytes() == first.read_bytes()  # the same labels, written once, where they were


def test_a_record_that_cannot_be_labeled_is_passed_through_as_read(tmp_path, capsys, poisoned_segment_many):
    poisoned = '{"b": 1.0, "text": "POISON \\u00e9", "a": [ 1 ]}'
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(f'{{"text": "fine"}}\n{poisoned}  \r\n', encoding="utf-8")
    assert main(["classify", str(corpus), "--field", "text", "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert f"{corpus}:2: could not be labeled (ValueError: poisoned input)" in captured.err
    out = captured.out.split("\n")
    assert json.loads(out[0])["segclf"]["lines"][0]["label"] in LABELS
    assert out[1:] == [poisoned, ""]


def test_jobs_above_one_gives_the_same_output(tmp_path, capsys):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(ARTICLE.replace("Tuesday", f"day {i}"), encoding="utf-8")
    assert main(["classify", str(tmp_path), "--jobs", "1"]) == 0
    one = capsys.readouterr().out
    assert main(["classify", str(tmp_path), "--jobs", "2"]) == 0
    assert capsys.readouterr().out == one


def test_jobs2_on_a_corpus_of_many_chunks_writes_what_jobs1_writes(tmp_path):
    # 150 records make three chunks: a pool starts, its workers forked from the command's process
    records = [{"id": i, "text": ARTICLE.replace("Tuesday", f"day {i}")} for i in range(150)]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    one = run_cli("classify", str(corpus), "--field", "text", "--jobs", "1")
    two = run_cli("classify", str(corpus), "--field", "text", "--jobs", "2")
    assert one.returncode == 0 and two.returncode == 0, two.stderr
    assert two.stdout == one.stdout and len(two.stdout.splitlines()) == 150


# --- clean ----------------------------------------------------------------------------------


def test_clean_keep_option(article, capsys):
    assert main(["clean", str(article), "--jobs", "1"]) == 0
    body = capsys.readouterr().out
    assert main(["clean", str(article), "--jobs", "1", "--keep", "body,nav,ad,comment,foreign"]) == 0
    everything = capsys.readouterr().out
    assert everything == ARTICLE  # every line kept, blank lines as paragraph breaks
    assert len(body) < len(everything)


def test_clean_output_dir_mirrors_relative_paths(tmp_path, capsys):
    src = tmp_path / "src"
    (src / "2024" / "05").mkdir(parents=True)
    (src / "2024" / "05" / "story.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "top.txt").write_text(ARTICLE, encoding="utf-8")
    single = tmp_path / "single.txt"
    single.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), str(single), "--output-dir", str(out), "--jobs", "1"]) == 0
    assert capsys.readouterr().out == ""
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == ["2024/05/story.txt", "single.txt", "top.txt"]
    texts = {(out / f).read_text(encoding="utf-8") for f in files}
    assert len(texts) == 1 and "increases funding" in texts.pop()


def test_clean_jsonl_replaces_or_adds_the_field(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": 1, "text": ARTICLE}) + "\n", encoding="utf-8")
    assert main(["clean", str(corpus), "--field", "text", "--jobs", "1"]) == 0
    (replaced,) = [json.loads(r) for r in capsys.readouterr().out.splitlines()]
    assert replaced["id"] == 1 and "increases funding" in replaced["text"] and "Leave a comment" not in replaced["text"]
    assert main(["clean", str(corpus), "--field", "text", "--clean-field", "body", "--jobs", "1"]) == 0
    (added,) = [json.loads(r) for r in capsys.readouterr().out.splitlines()]
    assert added["text"] == ARTICLE and added["body"] == replaced["text"]


def test_clean_jsonl_output_dir_writes_one_jsonl_file_per_input(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_text(json.dumps({"text": ARTICLE}) + "\n" + json.dumps({"x": 1}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), "--field", "text", "--output-dir", str(out), "--jobs", "1"]) == 1
    assert "a.jsonl:2: has no field 'text'" in capsys.readouterr().err
    rows = (out / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and rows[1] == '{"x": 1}'
    assert [p.name for p in out.iterdir()] == ["a.jsonl"]


# --- annotate -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["labels.jsonl", "labels.tsv"])
def test_annotate_writes_readable_labeled_files(tmp_path, article, name, capsys):
    out = tmp_path / name
    assert main(["annotate", str(article), "--out", str(out), "--source", "test-outlet", "--jobs", "1"]) == 0
    if name.endswith(".tsv"):
        assert out.read_text(encoding="utf-8").startswith(f"# doc: {article}\tline_crc=")
    else:
        assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["source"] == "test-outlet"
    (doc,) = read_labeled([out])
    assert doc.id == str(article)
    assert doc.text == ARTICLE
    assert all(label in LABELS for label in doc.labels)


def test_annotate_uses_record_ids(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "doc-7", "body": "A line\nAnother"}) + "\n" + json.dumps({"body": "no id"}) + "\n",
        encoding="utf-8",
    )
    assert main(["annotate", str(corpus), "--field", "body", "--out", "-", "--jobs", "1"]) == 0
    records = [json.loads(r) for r in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in records] == ["doc-7", f"{corpus}:2"]
    assert [x["text"] for x in records[0]["lines"]] == ["A line", "Another"]


# --- train and eval ------------------------------------------------------------------------


def test_train_is_wired_or_reports_that_it_is_not_available(tmp_path, capsys):
    broken = tmp_path / "fixed.jsonl"
    broken.write_text('{"id": "x", "lines": "not a list"}\n', encoding="utf-8")
    code = main(["train", str(broken), "--out", str(tmp_path / "m.segclf"), "--quiet"])
    err = capsys.readouterr().err
    if "not available in this build" in err:
        assert (code, err) == (1, "segclf: train is not available in this build\n")
    else:
        assert code == 4 and f"segclf: {broken}:1" in err and "Traceback" not in err
    assert not (tmp_path / "m.segclf").exists()


def test_eval_missing_gold_is_a_labeled_data_error(tmp_path, capsys):
    code = main(["eval", str(tmp_path / "missing.jsonl"), "--report", str(tmp_path / "r")])
    err = capsys.readouterr().err
    if "not available in this build" in err:
        assert code == 1
    else:
        assert code == 4 and "missing.jsonl" in err and "Traceback" not in err


# --- usage and model errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["classify"], "the following arguments are required"),
        (["frobnicate", "x"], "invalid choice"),
        (["clean", "a.txt", "--keep", "body,junk"], "unknown label junk"),
        (["classify", "a.txt", "--jobs", "0"], "must be at least 1"),
        (["classify", "a.txt", "--batch-size", "x"], "expected a whole number"),
        (["classify", "-", "-"], "can be given only once"),
        (["classify", "a.jsonl", "--field", "text", "--format", "tsv"], "--format tsv is not available"),
        (["clean", "-", "--output-dir", "out"], "--output-dir needs file or folder inputs"),
        (["clean", "a.txt", "--clean-field", "c"], "--clean-field needs --field"),
        (["clean", "a.txt", "-o", "x", "--output-dir", "y"], "not allowed with argument"),
        (["annotate", "a.txt"], "--out"),
        (["eval"], "the following arguments are required"),
    ],
)
def test_usage_errors_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "usage:" in err


def test_missing_model_is_exit_3(article, tmp_path, capsys):
    assert main(["classify", str(article), "--model", str(tmp_path / "none.segclf"), "--jobs", "1"]) == 3
    captured = capsys.readouterr()
    assert captured.err == f"segclf: {tmp_path / 'none.segclf'}: no such model file\n"
    assert captured.out == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_corrupted_model_is_exit_3(article, tmp_path, capsys, jobs):
    bad = tmp_path / "bad.segclf"
    bad.write_bytes(b"PK\x03\x04 this is not a model")
    other = tmp_path / "second.txt"
    other.write_text("x", encoding="utf-8")
    assert main(["clean", str(article), str(other), "--model", str(bad), "--jobs", jobs]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"segclf: {bad}: not a segclf model file") and "Traceback" not in err


def test_unwritable_output_is_exit_1(article, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["classify", str(article), "-o", str(blocker / "out.tsv"), "--jobs", "1"]) == 1
    assert capsys.readouterr().err.startswith("segclf: ")


def test_progress_bar_only_on_a_terminal(article, capsys, monkeypatch):
    assert main(["classify", str(article), "--jobs", "1"]) == 0
    assert "docs" not in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert main(["classify", str(article), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "1 docs" in err and "lines/s" in err
    assert main(["classify", str(article), "--jobs", "1", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
