"""The evaluation report: files, a self-contained and escaped HTML, numbers that agree everywhere, compare mode."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from itertools import takewhile
from pathlib import Path

import pytest

from segclf import Document, Line, report
from segclf.evaluate import (
    Evaluation,
    compare,
    evaluate,
    format_comparison,
    format_delta,
    format_number,
    format_text,
)
from segclf.labeled import LabeledDocument
from segclf.report import eval_from_args, write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NASTY = "<script>alert('x')</script> & | *bold* `code`"


def _gold() -> list[LabeledDocument]:
    rows_a = [
        ("body", "Headline of the story"),
        ("blank", ""),
        ("body", "First paragraph of the article, long enough to weigh."),
        ("ad", NASTY),
        ("nav", "Share on Facebook"),
        ("comment", "Leave a comment"),
    ]
    rows_b = [("body", "Titel der Geschichte"), ("foreign", "Leave a reply"), ("nav", "Startseite")]
    return [
        LabeledDocument("a<1>", [t for _, t in rows_a], [lab for lab, _ in rows_a], "en", "outlet-a"),
        LabeledDocument("b", [t for _, t in rows_b], [lab for lab, _ in rows_b], "de", "outlet-b"),
    ]


def _doc(labels: list[str], confs: list[float], lang: str) -> Document:
    return Document([Line("", lab, c, None) for lab, c in zip(labels, confs, strict=True)], lang)


LABELS_A = [["body", "blank", "body", "body", "nav", "nav"], ["body", "body", "nav"]]
CONFIDENCES_A = [[0.9, 1.0, 0.8, 0.55, 0.97, 0.61], [0.99, 0.42, 0.88]]
LABELS_B = [["body", "blank", "body", "ad", "nav", "comment"], ["body", "foreign", "body"]]


@pytest.fixture(scope="module")
def evaluations() -> tuple[Evaluation, Evaluation]:
    """Model A with confidences and languages, model B as plain labels (no calibration: fewer figures to draw)."""
    gold = _gold()
    a = evaluate(gold, [_doc(lab, c, lang) for lab, c, lang in zip(LABELS_A, CONFIDENCES_A, ("en", "de"), strict=True)])
    return a, evaluate(gold, LABELS_B)


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory, evaluations: tuple[Evaluation, Evaluation]) -> Path:
    out = tmp_path_factory.mktemp("single") / "report"
    write_report(evaluations[0], out, model_names=("m1",))
    return out


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory, evaluations: tuple[Evaluation, Evaluation]) -> Path:
    out = tmp_path_factory.mktemp("compared")
    # B, then plain-label A: no confidences, so only the two confusion figures are drawn (fast)
    write_report(evaluations[1], out, compare=evaluate(_gold(), LABELS_A), model_names=("m2", "m1"))
    return out


def md_table_after(md: str, heading: str) -> list[list[str]]:
    """The rows (cells unescaped) of the first Markdown table after ``heading``."""
    after = md.split("\n" + heading + "\n", 1)[1].splitlines()
    start = next(i for i, line in enumerate(after) if line.startswith("|"))
    lines = list(takewhile(lambda line: line.startswith("|"), after[start:]))
    cells = [[re.sub(r"\\(.)", r"\1", c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
    return cells[2:]


def text_rows(text: str, first: str) -> list[str]:
    return next(line.split() for line in text.splitlines() if line.startswith(first + " "))


def test_files_exist(single: Path) -> None:
    names = {p.name for p in single.iterdir()}
    assert {"report.md", "report.html", "summary.json", "confusion.png", "reliability.png"} <= names
    assert not [n for n in names if n.endswith(".tmp")]
    for png in ("confusion.png", "reliability.png"):
        assert (single / png).read_bytes().startswith(PNG_MAGIC)
    md = (single / "report.md").read_text(encoding="utf-8")
    for section in ("Headline figures", "Per class", "Per language", "Per source", "Confusion matrix", "Reliability"):
        assert f"## {section}" in md
    assert "## Most frequent confusions" in md and "](confusion.png)" in md and "](reliability.png)" in md
    assert "classes with gold support > 0" in md.replace("\\", "")


def test_html_is_self_contained(single: Path) -> None:
    page = (single / "report.html").read_text(encoding="utf-8")
    assert 'src="http' not in page and "<link" not in page and "@import" not in page and "url(" not in page
    assert "<script" not in page  # the example line's <script> is escaped
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert len(sources) == 2
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG_MAGIC)


def test_example_lines_are_escaped(single: Path) -> None:
    page = (single / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; | *bold* `code`" in page
    assert "a&lt;1&gt;" in page  # a document id
    md = (single / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "\\<script\\>" in md and "\\|" in md
    rows = md_table_after(md, "### gold ad → predicted body: 1 line")
    assert rows == [["a<1>", "4", format_number(0.55), NASTY]]


def test_numbers_agree_between_summary_markdown_and_terminal(
    single: Path, evaluations: tuple[Evaluation, Evaluation]
) -> None:
    summary = json.loads((single / "summary.json").read_text(encoding="utf-8"))
    assert summary == evaluations[0].to_dict()
    md = (single / "report.md").read_text(encoding="utf-8")
    text = format_text(evaluations[0])
    overall = summary["overall"]

    per_class = md_table_after(md, "## Per class")
    for row, (label, s) in zip(per_class, overall["per_class"].items(), strict=True):
        expected = [label, format_number(s["precision"]), format_number(s["recall"]), format_number(s["f1"])]
        assert row == [*expected, str(s["support"])]
        assert text_rows(text, label) == row

    headline = dict(md_table_after(md, "## Headline figures"))
    assert headline["micro-F1 (= accuracy)"] == format_number(overall["micro_f1"])
    assert headline["body F1 by characters"] == format_number(overall["body_f1_chars"])
    assert headline["expected calibration error (ECE)"] == format_number(summary["calibration"]["ece"])
    for name, value in headline.items():
        assert re.search(rf"^{re.escape(name)}\s+{re.escape(value)}$", text, re.M), name

    for heading, key in (("## Per language", "by_lang"), ("## Per source", "by_source")):
        rows = md_table_after(md, heading)
        assert [r[0] for r in rows] == list(summary[key])
        for row in rows:
            s = summary[key][row[0]]
            assert row[3:] == [format_number(s[k]) for k in ("macro_f1", "micro_f1", "body_f1_lines", "body_f1_chars")]
            assert text_rows(text, row[0]) == row

    bins = md_table_after(md, "## Reliability")
    assert [r[1:] for r in bins] == [
        [str(b["count"]), format_number(b["mean_confidence"]), format_number(b["accuracy"])]
        for b in summary["calibration"]["bins"]
    ]
    cm = md_table_after(md, "## Confusion matrix")
    assert [[int(c) for c in r[1:]] for r in cm] == summary["confusion"]["counts"]


def test_compare_mode(compared: Path, evaluations: tuple[Evaluation, Evaluation]) -> None:
    names = {p.name for p in compared.iterdir()}
    assert {"confusion.png", "confusion_compare.png", "summary.json", "report.md", "report.html"} <= names
    assert "reliability.png" not in names  # no confidences in either
    summary = json.loads((compared / "summary.json").read_text(encoding="utf-8"))
    assert summary["models"] == {"a": "m2", "b": "m1"} and summary["difference_is"] == "b - a"
    assert summary["a"] == evaluations[1].to_dict()
    d = summary["difference"]
    a, b = summary["a"]["overall"], summary["b"]["overall"]
    assert d["overall"]["micro_f1"] == round(b["micro_f1"] - a["micro_f1"], 4)

    md = (compared / "report.md").read_text(encoding="utf-8")
    assert "## Model m2" in md and "## Model m1" in md
    rows = {r[0]: r[1:] for r in md_table_after(md, "## Comparison")}
    delta = format_delta(d["overall"]["macro_f1"])
    assert rows["macro-F1"] == [format_number(a["macro_f1"]), format_number(b["macro_f1"]), delta]
    assert rows["F1 ad"] == [
        format_number(a["per_class"]["ad"]["f1"]),
        format_number(b["per_class"]["ad"]["f1"]),
        format_delta(d["overall"]["per_class"]["ad"]["f1"]),
    ]
    langs = {r[0]: r[1:] for r in md_table_after(md, "### Per language")}
    assert langs["de"][2] == format_delta(d["by_lang"]["de"]["macro_f1"])
    assert langs["en"][5] == format_delta(d["by_lang"]["en"]["body_f1_chars"])
    page = (compared / "report.html").read_text(encoding="utf-8")
    assert page.count('<img src="data:image/png;base64,') == 2 and "Δ" in page


def test_terminal_comparison_matches_the_differences(evaluations: tuple[Evaluation, Evaluation]) -> None:
    a, b = evaluations
    d = compare(a, b)
    text = format_comparison(a, b, ("m1", "m2"))
    sa, sb = a.to_dict(), b.to_dict()
    assert text_rows(text, "macro-F1") == [
        "macro-F1",
        format_number(sa["overall"]["macro_f1"]),
        format_number(sb["overall"]["macro_f1"]),
        format_delta(d["overall"]["macro_f1"]),
    ]
    assert "ECE" not in text  # B has no calibration


def test_core_does_not_import_matplotlib() -> None:
    code = "import sys, segclf, segclf.evaluate, segclf.report; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_eval_from_args_on_the_seeds(
    shared_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = shared_dir / "gold" / "seeds.jsonl"
    if not seeds.is_file():
        pytest.skip("no gold/seeds.jsonl in ../shared")
    # the figures are tested above; here a stand-in keeps the end-to-end run fast
    monkeypatch.setattr(report, "confusion_figure", lambda summary, name: PNG_MAGIC)
    monkeypatch.setattr(report, "reliability_figure", lambda summary, name: PNG_MAGIC)
    assert eval_from_args([seeds], None, None, tmp_path / "r", quiet=True) == 0
    out, err = capsys.readouterr()
    summary = json.loads((tmp_path / "r" / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"] == 5
    assert f"micro-F1 (= accuracy)  {format_number(summary['overall']['micro_f1'])}" in re.sub(r" {2,}", "  ", out)
    assert err == ""  # quiet: no progress bar, no note
    assert (tmp_path / "r" / "report.html").is_file()


def test_eval_without_report_prints_the_figures_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gold = Path(__file__).parent / "data" / "regression.jsonl"
    monkeypatch.chdir(tmp_path)
    assert eval_from_args([gold], None, None, None, quiet=True) == 0
    out, err = capsys.readouterr()
    assert "macro-F1" in out and "body" in out
    assert err == "" and list(tmp_path.iterdir()) == []


def test_eval_from_args_rejects_an_empty_gold_set(tmp_path: Path) -> None:
    from segclf.errors import LabeledDataError

    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(LabeledDataError, match="no labeled documents"):
        eval_from_args([empty], None, None, tmp_path / "r", quiet=True)
