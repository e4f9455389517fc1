"""The evaluation report: report.md, a self-contained report.html, PNG figures and summary.json.

The report is built once as a list of blocks (headings, paragraphs, tables,
images) from ``Evaluation.to_dict()``, then rendered to Markdown and to HTML, so
both show the numbers of summary.json formatted by ``segclf.evaluate.format_number``.
matplotlib (Agg, through its object-oriented API, without pyplot) and tqdm are
imported only when needed.

``eval_from_args`` is the body of ``segclf eval GOLD... [--model M] [--compare M2] [--resamples N]
--report DIR [--quiet]``.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from segclf.errors import LabeledDataError, SegclfError
from segclf.evaluate import (
    BLANK_NOTE,
    BODY_NOTE,
    CLASS_HEADERS,
    ECE_NOTE,
    GROUP_HEADERS,
    MACRO_NOTE,
    MICRO_NOTE,
    Evaluation,
    class_rows,
    comparison_rows,
    evaluate,
    format_comparison,
    format_number,
    format_text,
    group_comparison_rows,
    group_rows,
    headline_rows,
    interval_headers,
    interval_note,
    interval_rows,
    predict_gold,
    score_interval_sentence,
)
from segclf.evaluate import compare as compare_evaluations
from segclf.resample import DEFAULT_RESAMPLES, difference_intervals, score_intervals

if TYPE_CHECKING:
    from segclf.labeled import LabeledDocument
    from segclf.segmenter import Segmenter

__all__ = [
    "write_report",
    "eval_from_args",
    "read_gold",
    "model_name",
    "report_blocks",
    "render_markdown",
    "render_html",
    "confusion_figure",
    "reliability_figure",
]

#: File names of the figures of the first model and of the compared one.
FIGURES = {"a": ("confusion.png", "reliability.png"), "b": ("confusion_compare.png", "reliability_compare.png")}


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table of strings; every column after the first is right-aligned (numbers)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    code_column: int | None = None  # a column of raw text lines (shown as code)


@dataclass(frozen=True, slots=True)
class Image:
    filename: str
    alt: str
    png: bytes


Block = Heading | Paragraph | Table | Image


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], code_column: int | None = None) -> Table:
    return Table(tuple(headers), tuple(tuple(r) for r in rows), code_column)


# --------------------------------------------------------------------------- report content


def report_blocks(
    summaries: Sequence[Mapping[str, Any]],
    names: Sequence[str],
    images: Sequence[Mapping[str, Image]],
    difference: Mapping[str, Any] | None = None,
    gold_files: Sequence[str] = (),
    intervals: Mapping[str, Any] | None = None,
) -> list[Block]:
    """The report's blocks for one evaluation summary, or two and their ``difference`` (B − A)."""
    first = summaries[0]
    blocks: list[Block] = [Heading(1, "segclf evaluation")]
    intro = (
        f"{first['documents']} gold documents, {first['scored_lines']} scored lines "
        f"({first['blank_lines']} blank lines not scored)."
    )
    if gold_files:
        intro += " Gold: " + ", ".join(gold_files) + "."
    blocks.append(Paragraph(intro))
    blocks.append(Paragraph(f"Models: {', '.join(names)}."))
    blocks.append(Paragraph(f"Notes: {MACRO_NOTE}; {MICRO_NOTE}; {BLANK_NOTE}; {BODY_NOTE}; {ECE_NOTE}."))
    if difference is not None and len(summaries) == 2:
        blocks += _comparison_blocks(summaries[0], summaries[1], names, difference, intervals)
        for summary, name, imgs in zip(summaries, names, images, strict=True):
            blocks += _model_blocks(summary, imgs, level=2, title=f"Model {name}")
    else:
        blocks += _model_blocks(first, images[0], level=1, title=None)
    return blocks


def _comparison_blocks(
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    names: Sequence[str],
    diff: Mapping[str, Any],
    intervals: Mapping[str, Any] | None = None,
) -> list[Block]:
    na, nb = names
    by_lang, by_source = diff.get("by_lang", {}), diff.get("by_source", {})
    group_headers = (f"macro-F1 {na}", f"macro-F1 {nb}", "Δ", f"body F1 chars {na}", f"body F1 chars {nb}", "Δ")
    blocks: list[Block] = [
        Heading(2, "Comparison"),
        Paragraph(f"Δ = {nb} − {na}: a positive Δ means {nb} scores higher (for ECE, lower is better)."),
        _table(("metric", na, nb, "Δ"), comparison_rows(a, b, diff)),
    ]
    if intervals is not None and intervals["metrics"]:
        blocks += [
            Heading(3, "How sure the difference is"),
            Paragraph(interval_note(intervals)),
            _table(interval_headers(intervals, nb), interval_rows(intervals)),
        ]
    return blocks + [
        Heading(3, "Per language"),
        _table(("language", *group_headers), group_comparison_rows(a["by_lang"], b["by_lang"], by_lang)),
        Heading(3, "Per source"),
        _table(("source", *group_headers), group_comparison_rows(a["by_source"], b["by_source"], by_source)),
    ]


def _interval_paragraph(summary: Mapping[str, Any]) -> list[Block]:
    """The sentence of the model's bootstrap intervals, if its summary holds them."""
    intervals = summary.get("intervals")
    return [Paragraph(score_interval_sentence(intervals))] if intervals and intervals["metrics"] else []


def _model_blocks(
    summary: Mapping[str, Any], images: Mapping[str, Image], *, level: int, title: str | None
) -> list[Block]:
    """The sections of one model: headline, tables, confusion matrix, reliability, confusions."""
    h = level + 1
    blocks: list[Block] = [Heading(level, title)] if title else []
    blocks += [
        Heading(h, "Headline figures"),
        _table(("metric", "value"), headline_rows(summary)),
        *_interval_paragraph(summary),
        Heading(h, "Per class"),
        _table(CLASS_HEADERS, class_rows(summary["overall"])),
        Heading(h, "Per language"),
        Paragraph("Documents grouped by their gold language."),
        _table(("language", *GROUP_HEADERS), group_rows(summary["by_lang"])),
        Heading(h, "Per source"),
        _table(("source", *GROUP_HEADERS), group_rows(summary["by_source"])),
    ]
    blocks += _confusion_blocks(summary, images.get("confusion"), h)
    blocks += _reliability_blocks(summary, images.get("reliability"), h)
    blocks += _examples_blocks(summary, h)
    blocks += _language_blocks(summary, h)
    return blocks


def _confusion_blocks(summary: Mapping[str, Any], image: Image | None, h: int) -> list[Block]:
    cm = summary["confusion"]
    rows = [[gold, *(str(c) for c in counts)] for gold, counts in zip(cm["gold_labels"], cm["counts"], strict=True)]
    blocks: list[Block] = [
        Heading(h, "Confusion matrix"),
        Paragraph("Rows: gold label; columns: predicted label (blank: a gold line predicted blank, a miss)."),
        _table(("gold \\ predicted", *cm["predicted_labels"]), rows),
    ]
    if image is not None:
        blocks.append(image)
    return blocks


def _reliability_blocks(summary: Mapping[str, Any], image: Image | None, h: int) -> list[Block]:
    cal = summary.get("calibration")
    blocks: list[Block] = [Heading(h, "Reliability")]
    if not cal:
        return [*blocks, Paragraph("No confidences in the predictions: no calibration data.")]
    rows = [
        [
            f"{b['lower']:.1f}–{b['upper']:.1f}",
            str(b["count"]),
            format_number(b["mean_confidence"]),
            format_number(b["accuracy"]),
        ]
        for b in cal["bins"]
    ]
    blocks += [
        Paragraph(f"Expected calibration error (ECE): {format_number(cal['ece'])}."),
        _table(("confidence", "lines", "mean confidence", "accuracy"), rows),
    ]
    if image is not None:
        blocks.append(image)
    return blocks


def _examples_blocks(summary: Mapping[str, Any], h: int) -> list[Block]:
    blocks: list[Block] = [Heading(h, "Most frequent confusions")]
    confusions = summary["top_confusions"]
    if not confusions:
        return [*blocks, Paragraph("No confusions: every scored line is right.")]
    for c in confusions:
        blocks.append(Heading(h + 1, f"gold {c['gold']} → predicted {c['predicted']}: {_lines(c['count'])}"))
        rows = [[e["doc"], str(e["line"]), format_number(e["confidence"]), e["text"]] for e in c["examples"]]
        blocks.append(_table(("document", "line", "confidence", "text"), rows, code_column=3))
    return blocks


def _lines(n: int) -> str:
    return f"{n} line" if n == 1 else f"{n} lines"


def _language_blocks(summary: Mapping[str, Any], h: int) -> list[Block]:
    lang = summary.get("language")
    if not lang or not lang["mistakes"]:
        return []
    rows = [[m["doc"], m["gold"], m["predicted"] or "—"] for m in lang["mistakes"]]
    return [Heading(h, "Document language mistakes"), _table(("document", "gold", "predicted"), rows)]


# --------------------------------------------------------------------------- rendering


_MD_SPECIAL = set("\\`*_[]<>|&~#")


def md_escape(text: str) -> str:
    """Text safe in a Markdown paragraph or table cell (no markup, no HTML, no broken cells)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text.replace("\r", "\\r").replace("\t", " "))


def render_markdown(blocks: Sequence[Block]) -> str:
    """report.md: images are linked as the PNG files beside it."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + md_escape(block.text))
        elif isinstance(block, Paragraph):
            out.append(md_escape(block.text))
        elif isinstance(block, Table):
            out.append(_md_table(block))
        elif isinstance(block, Image):
            out.append(f"![{md_escape(block.alt)}]({block.filename})")
        out.append("")
    return "\n".join(out)


def _md_table(table: Table) -> str:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(md_escape(c) or " " for c in cells) + " |"

    align = ["---" if j == 0 or j == table.code_column else "---:" for j in range(len(table.headers))]
    return "\n".join([row(table.headers), "| " + " | ".join(align) + " |", *(row(r) for r in table.rows)])


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1, h2, h3, h4, h5 { line-height: 1.2; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .6rem 0 1.2rem; font-size: .92rem; }
th, td { border: 1px solid #ddd; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.code { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
img { max-width: 100%; height: auto; display: block; margin: .6rem 0 1.2rem; }
p.notes { color: #555; font-size: .9rem; }
"""


def render_html(blocks: Sequence[Block]) -> str:
    """report.html: one file, inline CSS, images as base64 data URIs, every text escaped."""
    title = next((b.text for b in blocks if isinstance(b, Heading)), "segclf evaluation")
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level, 6)
            body.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            cls = ' class="notes"' if block.text.startswith("Notes:") else ""
            body.append(f"<p{cls}>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            body.append(_html_table(block))
        elif isinstance(block, Image):
            data = base64.b64encode(block.png).decode("ascii")
            body.append(f'<img src="data:image/png;base64,{data}" alt="{html.escape(block.alt)}">')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _html_table(table: Table) -> str:
    def cell(j: int, text: str) -> str:
        if j == table.code_column:
            cls = ' class="code"'
        else:
            cls = ' class="num"' if j > 0 else ""
        return f"<td{cls}>{html.escape(text)}</td>"

    head = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in table.headers) + "</tr>"
    rows = ["<tr>" + "".join(cell(j, c) for j, c in enumerate(r)) + "</tr>" for r in table.rows]
    return "<table>\n<thead>" + head + "</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


# --------------------------------------------------------------------------- figures


def _matplotlib() -> tuple[Any, Any]:
    """matplotlib's ``Figure`` and Agg canvas (no pyplot, no global backend switch); a clear error if missing."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise SegclfError("the evaluation report needs matplotlib: pip install 'segclf[train]'") from None
    return Figure, FigureCanvasAgg


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def confusion_figure(summary: Mapping[str, Any], name: str) -> bytes:
    """PNG of the confusion matrix normalised by gold row, each cell annotated with its count."""
    Figure, FigureCanvasAgg = _matplotlib()

    cm = summary["confusion"]
    counts = cm["counts"]
    shares = [[c / sum(row) if sum(row) else 0.0 for c in row] for row in counts]
    fig = Figure(figsize=(6.8, 4.8), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    im = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    for i, row in enumerate(counts):
        for j, count in enumerate(row):
            color = "white" if shares[i][j] > 0.6 else "black"
            ax.text(j, i, f"{count}\n{shares[i][j]:.0%}", ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(len(cm["predicted_labels"])), cm["predicted_labels"])
    ax.set_yticks(range(len(cm["gold_labels"])), cm["gold_labels"])
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"Confusion matrix, {name} (share of gold row)")
    fig.colorbar(im, ax=ax, label="share of the gold row")
    return _png(fig)


def reliability_figure(summary: Mapping[str, Any], name: str) -> bytes | None:
    """PNG of the reliability diagram (accuracy per confidence bin) and the bins' line counts; None without data."""
    cal = summary.get("calibration")
    if not cal:
        return None
    Figure, FigureCanvasAgg = _matplotlib()

    bins = cal["bins"]
    width = bins[0]["upper"] - bins[0]["lower"]
    centers = [(b["lower"] + b["upper"]) / 2 for b in bins]
    fig = Figure(figsize=(6.0, 6.4), layout="constrained")
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect calibration")
    filled = [(b["mean_confidence"], b["accuracy"]) for b in bins if b["count"]]
    top.bar(centers, [b["accuracy"] or 0.0 for b in bins], width=width * 0.9, alpha=0.5, label="accuracy per bin")
    if filled:
        top.plot(*zip(*filled, strict=True), marker="o", color="C3", label="(mean confidence, accuracy)")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.set_ylabel("accuracy")
    top.set_title(f"Reliability, {name} (ECE {format_number(cal['ece'])})")
    top.legend(loc="upper left", fontsize=8)
    bottom.bar(centers, [b["count"] for b in bins], width=width * 0.9, color="C0")
    bottom.set_xlabel("confidence of the predicted label")
    bottom.set_ylabel("lines")
    return _png(fig)


def _model_images(summary: Mapping[str, Any], name: str, which: str) -> dict[str, Image]:
    confusion_name, reliability_name = FIGURES[which]
    images = {"confusion": Image(confusion_name, f"Confusion matrix of {name}", confusion_figure(summary, name))}
    reliability = reliability_figure(summary, name)
    if reliability is not None:
        images["reliability"] = Image(reliability_name, f"Reliability diagram of {name}", reliability)
    return images


# --------------------------------------------------------------------------- writing


def write_report(
    ev: Evaluation,
    report_dir: str | os.PathLike[str],
    *,
    compare: Evaluation | None = None,
    model_names: Sequence[str] = ("model", "compare"),
    gold_files: Sequence[str] = (),
    intervals: Mapping[str, Any] | None = None,
    model_intervals: Sequence[Mapping[str, Any] | None] = (),
) -> dict[str, Path]:
    """Write report.md, report.html, the PNG figures and summary.json into ``report_dir``.

    With ``compare``, both models are reported side by side with Δ = compare − ev,
    and summary.json holds ``{"models", "a", "b", "difference"}`` (and
    ``"difference_intervals"``, ``segclf.resample.difference_intervals``, when given);
    without it, summary.json is ``ev.to_dict()``. ``model_intervals`` (one
    ``segclf.resample.score_intervals`` per model, in that order) go into each model's
    summary as ``"intervals"`` and under its headline figures. Returns the written files by name.
    """
    out_dir = Path(report_dir)
    names = _distinct_names(model_names) if compare is not None else (*model_names[:1], "")
    summaries = [ev.to_dict()] if compare is None else [ev.to_dict(), compare.to_dict()]
    for summary_of_model, own in zip(summaries, model_intervals, strict=False):
        if own is not None:
            summary_of_model["intervals"] = own
    difference = compare_evaluations(ev, compare) if compare is not None else None
    images = [_model_images(s, n, w) for s, n, w in zip(summaries, names, ("a", "b"), strict=False)]
    blocks = report_blocks(summaries, names[: len(summaries)], images, difference, gold_files, intervals)
    if difference is None:
        summary: dict[str, Any] = summaries[0]
    else:
        summary = {
            "models": {"a": names[0], "b": names[1]},
            "a": summaries[0],
            "b": summaries[1],
            "difference": difference,
            "difference_is": "b - a",
        }
        if intervals is not None:
            summary["difference_intervals"] = intervals
    files: dict[str, bytes] = {img.filename: img.png for imgs in images for img in imgs.values()}
    files["summary.json"] = (json.dumps(summary, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files["report.md"] = render_markdown(blocks).encode("utf-8")
    files["report.html"] = render_html(blocks).encode("utf-8")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return {name: _write_atomic(out_dir / name, data) for name, data in files.items()}
    except OSError as exc:
        raise SegclfError(f"{out_dir}: cannot write the report: {exc.strerror or exc}") from None


def _distinct_names(names: Sequence[str]) -> tuple[str, str]:
    a, b = (list(names) + ["model", "compare"])[:2]
    return (f"{a} (A)", f"{b} (B)") if a == b else (a, b)


def _write_atomic(path: Path, data: bytes) -> Path:
    """Write beside ``path`` and rename over it, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------- the CLI command


def model_name(model: str | os.PathLike[str] | None) -> str:
    """A short name for a model argument: its file name without suffix, or ``default``."""
    return "default" if model is None else Path(model).stem or str(model)


def eval_from_args(
    gold_paths: Sequence[str | os.PathLike[str]],
    model: str | os.PathLike[str] | None,
    compare: str | os.PathLike[str] | None,
    report_dir: str | os.PathLike[str] | None,
    quiet: bool,
    resamples: int = DEFAULT_RESAMPLES,
) -> int:
    """``segclf eval``: label the gold documents, print the summary table, write the report; returns 0.

    Without ``report_dir`` only the table is printed.

    The table goes to stdout (always); a progress bar over documents goes to
    stderr when it is a terminal, the run lasts, and not ``quiet``; the report's
    location is noted on stderr unless ``quiet``. Unreadable gold files, models
    or report folders raise ``SegclfError`` for the CLI to print. The headline
    figures come with bootstrap intervals over ``resamples`` draws of the gold
    documents, and with ``compare`` each difference with a paired one (none when 0).
    """
    from segclf.segmenter import Segmenter

    gold = read_gold(gold_paths)
    names = (model_name(model), "") if compare is None else _distinct_names((model_name(model), model_name(compare)))
    ev_a = _evaluate_model(Segmenter(model), gold, names[0], quiet)
    ev_b = _evaluate_model(Segmenter(compare), gold, names[1], quiet) if compare is not None else None
    intervals = difference_intervals(ev_a, ev_b, resamples=resamples) if ev_b is not None and resamples > 0 else None
    own = [score_intervals(ev, resamples=resamples) if resamples > 0 else None for ev in (ev_a, ev_b) if ev is not None]
    print(format_text(ev_a, title=names[0], intervals=own[0]))
    if ev_b is not None:
        print()
        print(format_text(ev_b, title=names[1], intervals=own[1]))
        print()
        print(format_comparison(ev_a, ev_b, names, intervals))
    sys.stdout.flush()
    if report_dir is None:
        return 0
    paths = write_report(
        ev_a,
        report_dir,
        compare=ev_b,
        model_names=names,
        gold_files=[str(p) for p in gold_paths],
        intervals=intervals,
        model_intervals=own,
    )
    if not quiet:
        print(f"report: {paths['report.html']} ({len(paths)} files in {Path(report_dir)})", file=sys.stderr)
    return 0


def read_gold(gold_paths: Sequence[str | os.PathLike[str]]) -> list[LabeledDocument]:
    """The labeled documents of ``gold_paths``; raises ``LabeledDataError`` when there are none."""
    from segclf.labeled import read_labeled

    gold = read_labeled(gold_paths)
    if not gold:
        raise LabeledDataError(f"no labeled documents in {', '.join(str(p) for p in gold_paths)}")
    return gold


def _evaluate_model(segmenter: Segmenter, gold: Sequence[LabeledDocument], name: str, quiet: bool) -> Evaluation:
    """Predict and evaluate, with a tqdm bar on stderr (shown after a second, only on a terminal)."""
    disable = quiet or not sys.stderr.isatty()
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is optional: no bar
        return evaluate(gold, predict_gold(segmenter, gold))
    with tqdm(total=len(gold), desc=f"eval {name}", unit="doc", file=sys.stderr, disable=disable, delay=1.0) as bar:
        predicted = predict_gold(segmenter, gold, progress=bar.update)
    return evaluate(gold, predicted)
