"""Metrics of predicted line labels against gold labels: pure functions, no I/O.

``evaluate`` scores predictions (``Document``s, or plain lists of labels) against
labeled documents; ``predict_gold`` runs a ``Segmenter`` over them first.

Scoring rules:

* gold ``blank`` lines are not scored; a gold non-blank line predicted ``blank``
  is scored, and counts as a miss of its gold class (it is nobody's false positive);
* macro-F1 is the mean F1 over the classes with gold support > 0;
* micro-F1 over all scored lines equals accuracy (every line has exactly one
  gold and one predicted label);
* body F1 is binary, ``body`` versus the rest, by lines and by characters (each
  line weighted by its length);
* a metric that is undefined (a precision with no predictions of the class, a
  recall with no gold support) is ``None``.

``Evaluation.to_dict`` rounds every ratio to ``DECIMALS`` places, and every
printed figure (``format_text`` here, ``segclf.report``) is formatted from that
dict by ``format_number``, so summary.json, report.md, report.html and the
terminal show the same numbers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from segclf.errors import SegclfError
from segclf.labels import BLANK, BODY, LABELS, SCORED_LABELS

if TYPE_CHECKING:
    from segclf.labeled import LabeledDocument
    from segclf.segmenter import Document, Segmenter

__all__ = [
    "DECIMALS",
    "ClassScores",
    "BinaryScores",
    "Scores",
    "ConfusionMatrix",
    "Confusion",
    "ConfusionExample",
    "ReliabilityBin",
    "Calibration",
    "LanguageAccuracy",
    "Evaluation",
    "evaluate",
    "predict_gold",
    "compare",
    "format_number",
    "format_delta",
    "format_text",
    "format_comparison",
    "interval_rows",
    "interval_headers",
    "interval_note",
    "score_interval_sentence",
    "headline_rows",
    "class_rows",
    "group_rows",
    "comparison_rows",
    "group_comparison_rows",
    "text_table",
    "CLASS_HEADERS",
    "GROUP_HEADERS",
]

#: Ratios in ``Evaluation.to_dict`` (summary.json) and in every printed table have this many decimals.
DECIMALS = 4
#: Columns of the confusion matrix: the scored labels, then ``blank`` (a gold line predicted blank).
PREDICTED_COLUMNS: tuple[str, ...] = (*SCORED_LABELS, BLANK)
#: Group key of documents whose gold language or source is missing.
UNKNOWN = "(unknown)"
#: Example texts longer than this are cut (with an ellipsis) in the evaluation's dict.
MAX_EXAMPLE_CHARS = 200

MACRO_NOTE = "macro-F1 is the mean F1 over the classes with gold support > 0"
MICRO_NOTE = "micro-F1 over all scored lines equals accuracy"
BLANK_NOTE = "gold blank lines are not scored; a gold non-blank line predicted blank counts as a miss"
BODY_NOTE = "body F1 is binary (body versus the rest), by lines and by characters (each line weighted by its length)"
ECE_NOTE = "ECE is the line-weighted mean |accuracy - mean confidence| over equal-width confidence bins"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class ClassScores:
    """Precision, recall and F1 of one class (None where undefined) and its gold support."""

    precision: float | None
    recall: float | None
    f1: float | None
    support: int

    def to_dict(self) -> dict[str, Any]:
        return {"precision": _r(self.precision), "recall": _r(self.recall), "f1": _r(self.f1), "support": self.support}


@dataclass(frozen=True, slots=True)
class BinaryScores:
    """Precision, recall and F1 of one class against the rest (None where undefined)."""

    precision: float | None
    recall: float | None
    f1: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"precision": _r(self.precision), "recall": _r(self.recall), "f1": _r(self.f1)}


@dataclass(frozen=True, slots=True)
class Scores:
    """Every line-level metric over one set of scored lines (all of them, one language, one source)."""

    documents: int
    lines: int
    characters: int
    per_class: Mapping[str, ClassScores]
    macro_f1: float | None
    macro_classes: tuple[str, ...]
    micro_f1: float | None
    body_lines: BinaryScores
    body_chars: BinaryScores

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "lines": self.lines,
            "characters": self.characters,
            "macro_f1": _r(self.macro_f1),
            "macro_f1_classes": list(self.macro_classes),
            "micro_f1": _r(self.micro_f1),
            "body_f1_lines": _r(self.body_lines.f1),
            "body_f1_chars": _r(self.body_chars.f1),
            "body_lines": self.body_lines.to_dict(),
            "body_chars": self.body_chars.to_dict(),
            "per_class": {label: s.to_dict() for label, s in self.per_class.items()},
        }


@dataclass(frozen=True, slots=True)
class ConfusionMatrix:
    """Counts of scored lines: rows are gold labels, columns predicted labels (``blank`` last)."""

    gold_labels: tuple[str, ...]
    predicted_labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold_labels": list(self.gold_labels),
            "predicted_labels": list(self.predicted_labels),
            "counts": [list(row) for row in self.counts],
        }


@dataclass(frozen=True, slots=True)
class ConfusionExample:
    """One misclassified line: its document id, 1-based line number, text and confidence."""

    doc: str
    line: int
    text: str
    confidence: float | None

    def to_dict(self) -> dict[str, Any]:
        text = self.text if len(self.text) <= MAX_EXAMPLE_CHARS else self.text[: MAX_EXAMPLE_CHARS - 1] + "…"
        return {"doc": self.doc, "line": self.line, "text": text, "confidence": _r(self.confidence)}


@dataclass(frozen=True, slots=True)
class Confusion:
    """One gold → predicted pair that differs, how often it happened, and example lines."""

    gold: str
    predicted: str
    count: int
    examples: tuple[ConfusionExample, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "count": self.count,
            "examples": [e.to_dict() for e in self.examples],
        }


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    """Scored lines whose confidence lies in [lower, upper) (the last bin includes 1.0)."""

    lower: float
    upper: float
    count: int
    mean_confidence: float | None
    accuracy: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": _r(self.lower),
            "upper": _r(self.upper),
            "count": self.count,
            "mean_confidence": _r(self.mean_confidence),
            "accuracy": _r(self.accuracy),
        }


@dataclass(frozen=True, slots=True)
class Calibration:
    """Reliability bins of the predicted labels' confidences and the expected calibration error."""

    bins: tuple[ReliabilityBin, ...]
    ece: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"ece": _r(self.ece), "bins": [b.to_dict() for b in self.bins]}


@dataclass(frozen=True, slots=True)
class LanguageAccuracy:
    """How often the predicted document language equals the gold one, and the documents where it did not."""

    documents: int
    correct: int
    mistakes: tuple[tuple[str, str, str | None], ...]  # (doc id, gold lang, predicted lang)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.documents if self.documents else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "correct": self.correct,
            "accuracy": _r(self.accuracy),
            "mistakes": [{"doc": d, "gold": g, "predicted": p} for d, g, p in self.mistakes],
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of ``evaluate``; ``to_dict`` is summary.json."""

    documents: int
    scored_lines: int
    blank_lines: int
    predicted_blank: int
    overall: Scores
    by_lang: Mapping[str, Scores]
    by_source: Mapping[str, Scores]
    confusion: ConfusionMatrix
    top_confusions: tuple[Confusion, ...]
    calibration: Calibration | None
    language: LanguageAccuracy | None
    notes: tuple[str, ...] = field(default=(MACRO_NOTE, MICRO_NOTE, BLANK_NOTE, BODY_NOTE, ECE_NOTE))
    #: (documents, gold label, predicted column) line counts, ``SCORED_LABELS`` x ``PREDICTED_COLUMNS``:
    #: what ``segclf.resample`` redraws. Not in ``to_dict``.
    document_counts: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (summary.json); ratios rounded to ``DECIMALS`` places."""
        return {
            "documents": self.documents,
            "scored_lines": self.scored_lines,
            "blank_lines": self.blank_lines,
            "predicted_blank": self.predicted_blank,
            "overall": self.overall.to_dict(),
            "by_lang": {key: s.to_dict() for key, s in self.by_lang.items()},
            "by_source": {key: s.to_dict() for key, s in self.by_source.items()},
            "confusion": self.confusion.to_dict(),
            "top_confusions": [c.to_dict() for c in self.top_confusions],
            "calibration": self.calibration.to_dict() if self.calibration else None,
            "language": self.language.to_dict() if self.language else None,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class _ScoredLine:
    doc: int  # index into the gold documents
    line: int  # 0-based line index
    gold: str
    pred: str
    confidence: float | None
    chars: int


# --------------------------------------------------------------------------- predicting


def predict_gold(
    segmenter: Segmenter,
    gold_docs: Sequence[LabeledDocument],
    progress: Callable[[int], object] | None = None,
) -> list[Document]:
    """Label the text of every gold document with ``segmenter``, in order.

    ``progress``, if given, is called with 1 after each document (``tqdm.update`` fits).
    """
    out: list[Document] = []
    for doc in segmenter.segment_many(d.text for d in gold_docs):
        out.append(doc)
        if progress is not None:
            progress(1)
    return out


# --------------------------------------------------------------------------- evaluating


def evaluate(
    gold_docs: Sequence[LabeledDocument],
    predicted: Sequence[Document | Sequence[str]],
    *,
    top_confusions: int = 10,
    examples: int = 5,
    n_bins: int = 10,
) -> Evaluation:
    """Score ``predicted`` against ``gold_docs`` (same order, one prediction per line).

    A prediction is a ``Document`` (labels, confidences and the document language
    are used) or a plain sequence of labels (no calibration, no language accuracy).
    """
    if len(gold_docs) != len(predicted):
        raise ValueError(f"predicted must have one entry per gold document ({len(gold_docs)}), got {len(predicted)}")
    rows: list[_ScoredLine] = []
    blank_lines = 0
    for k, (gold, pred) in enumerate(zip(gold_docs, predicted, strict=True)):
        doc_rows, blanks = _scored_lines(k, gold, pred)
        rows.extend(doc_rows)
        blank_lines += blanks
    document_counts = _document_counts(rows, len(gold_docs))
    return Evaluation(
        documents=len(gold_docs),
        scored_lines=len(rows),
        blank_lines=blank_lines,
        predicted_blank=sum(r.pred == BLANK for r in rows),
        overall=_scores(rows, len(gold_docs)),
        by_lang=_grouped(rows, [d.lang or UNKNOWN for d in gold_docs]),
        by_source=_grouped(rows, [d.source or UNKNOWN for d in gold_docs]),
        confusion=_confusion_matrix(document_counts),
        top_confusions=_top_confusions(rows, gold_docs, top_confusions, examples),
        calibration=_calibration(rows, n_bins),
        language=_language_accuracy(gold_docs, predicted),
        document_counts=document_counts,
    )


def _document_counts(rows: Sequence[_ScoredLine], documents: int) -> np.ndarray:
    """Per document, how many lines of each gold label got each predicted label (or blank)."""
    gold = {label: j for j, label in enumerate(SCORED_LABELS)}
    pred = {label: j for j, label in enumerate(PREDICTED_COLUMNS)}
    counts = np.zeros((documents, len(SCORED_LABELS), len(PREDICTED_COLUMNS)), dtype=np.int64)
    if rows:
        index = np.array([(r.doc, gold[r.gold], pred[r.pred]) for r in rows], dtype=np.int64)
        np.add.at(counts, (index[:, 0], index[:, 1], index[:, 2]), 1)
    return counts


def _scored_lines(k: int, gold: LabeledDocument, pred: Document | Sequence[str]) -> tuple[list[_ScoredLine], int]:
    """The scored lines of one document and its number of gold blank lines."""
    labels, confidences = _prediction_labels(pred)
    if len(labels) != len(gold.labels):
        raise ValueError(
            f"document {gold.id!r}: the prediction has {len(labels)} lines, the gold document {len(gold.labels)}"
        )
    rows: list[_ScoredLine] = []
    blanks = 0
    for i, (text, g, p, c) in enumerate(zip(gold.lines, gold.labels, labels, confidences, strict=True)):
        if g == BLANK:
            blanks += 1
            continue
        if p not in LABELS:
            raise ValueError(f"document {gold.id!r}, line {i + 1}: unknown predicted label {p!r}")
        rows.append(_ScoredLine(k, i, g, p, c, len(text)))
    return rows, blanks


def _prediction_labels(pred: Document | Sequence[str]) -> tuple[list[str], list[float | None]]:
    """Labels and confidences (None when the prediction has none) of one predicted document."""
    labels: list[str] = []
    confidences: list[float | None] = []
    for item in pred:
        if isinstance(item, str):
            labels.append(item)
            confidences.append(None)
        else:
            labels.append(item.label)
            confidences.append(float(item.confidence))
    return labels, confidences


def _grouped(rows: Sequence[_ScoredLine], keys: Sequence[str]) -> dict[str, Scores]:
    """Scores per group of documents (``keys[k]`` is the group of document k), groups sorted by name."""
    by_key: dict[str, list[_ScoredLine]] = {}
    docs: Counter[str] = Counter(keys)
    for key in docs:
        by_key[key] = []
    for row in rows:
        by_key[keys[row.doc]].append(row)
    return {key: _scores(by_key[key], docs[key]) for key in sorted(by_key)}


def _scores(rows: Sequence[_ScoredLine], documents: int) -> Scores:
    """Per-class, macro, micro and body scores of a set of scored lines."""
    precision_recall_fscore_support = _sklearn_metrics().precision_recall_fscore_support
    labels = list(SCORED_LABELS)
    gold = [r.gold for r in rows]
    pred = [r.pred for r in rows]
    if rows:
        p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, average=None, zero_division=math.nan)
    else:
        p = r = f = [math.nan] * len(labels)
        s = [0] * len(labels)
    per_class = {label: ClassScores(_num(p[j]), _num(r[j]), _num(f[j]), int(s[j])) for j, label in enumerate(labels)}
    macro_classes = tuple(label for label in labels if per_class[label].support > 0)
    macro = sum(per_class[label].f1 or 0.0 for label in macro_classes) / len(macro_classes) if macro_classes else None
    micro = sum(g == q for g, q in zip(gold, pred, strict=True)) / len(rows) if rows else None
    body = per_class[BODY]
    return Scores(
        documents=documents,
        lines=len(rows),
        characters=sum(row.chars for row in rows),
        per_class=per_class,
        macro_f1=macro,
        macro_classes=macro_classes,
        micro_f1=micro,
        # body versus the rest by lines is exactly the one-versus-rest score of the body class
        body_lines=BinaryScores(body.precision, body.recall, body.f1),
        body_chars=_body_chars(rows),
    )


def _body_chars(rows: Sequence[_ScoredLine]) -> BinaryScores:
    """Body versus the rest, each line weighted by its number of characters."""
    if not rows:
        return BinaryScores(None, None, None)
    precision_recall_fscore_support = _sklearn_metrics().precision_recall_fscore_support
    gold = [r.gold == BODY for r in rows]
    pred = [r.pred == BODY for r in rows]
    p, r, f, _ = precision_recall_fscore_support(
        gold, pred, pos_label=True, average="binary", sample_weight=[r.chars for r in rows], zero_division=math.nan
    )
    return BinaryScores(_num(p), _num(r), _num(f))


def _confusion_matrix(document_counts: np.ndarray) -> ConfusionMatrix:
    """Rows: gold scored labels; columns: predicted scored labels and blank (the documents' counts summed)."""
    counts = tuple(tuple(int(v) for v in row) for row in document_counts.sum(axis=0))
    return ConfusionMatrix(SCORED_LABELS, PREDICTED_COLUMNS, counts)


def _top_confusions(
    rows: Sequence[_ScoredLine], gold_docs: Sequence[LabeledDocument], top: int, examples: int
) -> tuple[Confusion, ...]:
    """The ``top`` most frequent gold → predicted mistakes with up to ``examples`` lines each, in document order."""
    wrong = [r for r in rows if r.gold != r.pred]
    counts = Counter((r.gold, r.pred) for r in wrong)
    order = {label: j for j, label in enumerate(PREDICTED_COLUMNS)}
    pairs = sorted(counts, key=lambda pair: (-counts[pair], order[pair[0]], order[pair[1]]))[:top]
    found: dict[tuple[str, str], list[ConfusionExample]] = {pair: [] for pair in pairs}
    for r in wrong:
        bucket = found.get((r.gold, r.pred))
        if bucket is not None and len(bucket) < examples:
            doc = gold_docs[r.doc]
            bucket.append(ConfusionExample(doc.id, r.line + 1, doc.lines[r.line], r.confidence))
    return tuple(Confusion(g, p, counts[(g, p)], tuple(found[(g, p)])) for g, p in pairs)


def _calibration(rows: Sequence[_ScoredLine], n_bins: int) -> Calibration | None:
    """Reliability bins over [0, 1] and the expected calibration error; None without confidences."""
    if n_bins < 1:
        raise ValueError(f"n_bins must be >= 1, got {n_bins}")
    if not rows or any(r.confidence is None for r in rows):
        return None
    members: list[list[_ScoredLine]] = [[] for _ in range(n_bins)]
    for r in rows:
        conf = min(max(float(r.confidence or 0.0), 0.0), 1.0)
        members[min(int(conf * n_bins), n_bins - 1)].append(r)
    bins = tuple(_reliability_bin(j, n_bins, m) for j, m in enumerate(members))
    ece = sum(b.count * abs((b.accuracy or 0.0) - (b.mean_confidence or 0.0)) for b in bins) / len(rows)
    return Calibration(bins, ece)


def _reliability_bin(j: int, n_bins: int, members: Sequence[_ScoredLine]) -> ReliabilityBin:
    if not members:
        return ReliabilityBin(j / n_bins, (j + 1) / n_bins, 0, None, None)
    mean_conf = sum(float(r.confidence or 0.0) for r in members) / len(members)
    accuracy = sum(r.gold == r.pred for r in members) / len(members)
    return ReliabilityBin(j / n_bins, (j + 1) / n_bins, len(members), mean_conf, accuracy)


def _language_accuracy(
    gold_docs: Sequence[LabeledDocument], predicted: Sequence[Document | Sequence[str]]
) -> LanguageAccuracy | None:
    """Gold versus predicted document language over the documents that have both a gold language and a prediction."""
    documents = correct = 0
    mistakes: list[tuple[str, str, str | None]] = []
    for gold, pred in zip(gold_docs, predicted, strict=True):
        if not gold.lang or not hasattr(pred, "lang"):
            continue
        documents += 1
        if pred.lang == gold.lang:  # type: ignore[union-attr]
            correct += 1
        else:
            mistakes.append((gold.id, gold.lang, pred.lang))  # type: ignore[union-attr]
    return LanguageAccuracy(documents, correct, tuple(mistakes)) if documents else None


# --------------------------------------------------------------------------- comparing


def compare(ev_a: Evaluation, ev_b: Evaluation) -> dict[str, Any]:
    """Differences B − A of every ratio of the two evaluations' dicts, with the same nesting.

    Counts and lists (supports, confusion counts, bins, examples) are left out; a
    difference involving an undefined metric is None. Both must score the same gold.
    """
    if (ev_a.documents, ev_a.scored_lines) != (ev_b.documents, ev_b.scored_lines):
        raise ValueError(
            "compare needs two evaluations of the same gold documents, got "
            f"{ev_a.documents} documents / {ev_a.scored_lines} lines and {ev_b.documents} / {ev_b.scored_lines}"
        )
    return _diff(ev_a.to_dict(), ev_b.to_dict())


def _diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, va in a.items():
        if key not in b:
            continue
        vb = b[key]
        if isinstance(va, Mapping) and isinstance(vb, Mapping):
            sub = _diff(va, vb)
            if sub:
                out[key] = sub
        elif _is_ratio(va) or _is_ratio(vb):
            out[key] = None if va is None or vb is None else round(vb - va, DECIMALS) + 0.0  # + 0.0: no -0.0
    return out


def _is_ratio(value: object) -> bool:
    return isinstance(value, float)


# --------------------------------------------------------------------------- formatting


def format_number(value: float | None) -> str:
    """A ratio as printed everywhere: ``DECIMALS`` places, ``—`` when undefined."""
    return "—" if value is None else f"{value:.{DECIMALS}f}"


def format_delta(value: float | None) -> str:
    """A difference as printed everywhere: signed, ``DECIMALS`` places, ``—`` when undefined."""
    return "—" if value is None else f"{value:+.{DECIMALS}f}"


def headline_rows(summary: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(name, value) of the headline figures of a summary dict, as the terminal and the report show them."""
    overall = summary["overall"]
    classes = overall["macro_f1_classes"]
    rows = [
        (f"macro-F1 ({len(classes)} classes with gold support)", format_number(overall["macro_f1"])),
        ("micro-F1 (= accuracy)", format_number(overall["micro_f1"])),
        ("body F1 by lines", format_number(overall["body_f1_lines"])),
        ("body F1 by characters", format_number(overall["body_f1_chars"])),
    ]
    if summary.get("calibration"):
        rows.append(("expected calibration error (ECE)", format_number(summary["calibration"]["ece"])))
    if summary.get("language"):
        lang = summary["language"]
        rows.append(
            (
                f"document language accuracy ({lang['correct']}/{lang['documents']})",
                format_number(lang["accuracy"]),
            )
        )
    return rows


CLASS_HEADERS = ("label", "precision", "recall", "F1", "support")
GROUP_HEADERS = ("docs", "lines", "macro-F1", "micro-F1", "body F1 lines", "body F1 chars")


def class_rows(scores: Mapping[str, Any]) -> list[list[str]]:
    """Per-class table rows (label, P, R, F1, support) of one scores dict."""
    return [
        [label, format_number(s["precision"]), format_number(s["recall"]), format_number(s["f1"]), str(s["support"])]
        for label, s in scores["per_class"].items()
    ]


def group_rows(groups: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    """Per-language or per-source table rows (name, docs, lines, macro, micro, body F1 lines/chars)."""
    return [
        [
            name,
            str(s["documents"]),
            str(s["lines"]),
            format_number(s["macro_f1"]),
            format_number(s["micro_f1"]),
            format_number(s["body_f1_lines"]),
            format_number(s["body_f1_chars"]),
        ]
        for name, s in groups.items()
    ]


def text_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A plain aligned table: the first column left-aligned, the others right-aligned."""
    rows = [list(r) for r in rows]
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        parts = [str(c).ljust(w) if j == 0 else str(c).rjust(w) for j, (c, w) in pairs]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def format_text(ev: Evaluation, title: str | None = None, intervals: Mapping[str, Any] | None = None) -> str:
    """The terminal summary: headline figures, per-class, per-language and per-source tables.

    ``intervals`` (``segclf.resample.score_intervals``) adds how much the headline
    figures owe to which documents the gold holds.
    """
    summary = ev.to_dict()
    head = f"{summary['documents']} documents, {summary['scored_lines']} scored lines"
    head += f" ({summary['blank_lines']} blank lines not scored)"
    parts = [f"{title}: {head}" if title else head, ""]
    parts.append(text_table(CLASS_HEADERS, class_rows(summary["overall"])))
    parts.append("")
    parts.append(text_table(("metric", "value"), headline_rows(summary)))
    if intervals is not None and intervals["metrics"]:
        parts.append(score_interval_sentence(intervals))
    parts.append("")
    parts.append(text_table(("language", *GROUP_HEADERS), group_rows(summary["by_lang"])))
    parts.append("")
    parts.append(text_table(("source", *GROUP_HEADERS), group_rows(summary["by_source"])))
    parts.append("")
    parts.append(f"note: {MACRO_NOTE}; {MICRO_NOTE}.")
    return "\n".join(parts)


def comparison_rows(
    summary_a: Mapping[str, Any], summary_b: Mapping[str, Any], diff: Mapping[str, Any]
) -> list[list[str]]:
    """(metric, A, B, Δ) rows of the headline figures and the per-class F1."""
    a, b, d = summary_a["overall"], summary_b["overall"], diff.get("overall", {})
    rows = [
        [name, format_number(a[key]), format_number(b[key]), format_delta(d.get(key))]
        for name, key in (
            ("macro-F1", "macro_f1"),
            ("micro-F1", "micro_f1"),
            ("body F1 by lines", "body_f1_lines"),
            ("body F1 by characters", "body_f1_chars"),
        )
    ]
    for label in a["per_class"]:
        rows.append(
            [
                f"F1 {label}",
                format_number(a["per_class"][label]["f1"]),
                format_number(b["per_class"][label]["f1"]),
                format_delta(d.get("per_class", {}).get(label, {}).get("f1")),
            ]
        )
    if summary_a.get("calibration") and summary_b.get("calibration"):
        rows.append(
            [
                "ECE (lower is better)",
                format_number(summary_a["calibration"]["ece"]),
                format_number(summary_b["calibration"]["ece"]),
                format_delta(diff.get("calibration", {}).get("ece")),
            ]
        )
    if summary_a.get("language") and summary_b.get("language"):
        rows.append(
            [
                "document language accuracy",
                format_number(summary_a["language"]["accuracy"]),
                format_number(summary_b["language"]["accuracy"]),
                format_delta(diff.get("language", {}).get("accuracy")),
            ]
        )
    return rows


def group_comparison_rows(
    groups_a: Mapping[str, Any], groups_b: Mapping[str, Any], diff: Mapping[str, Any]
) -> list[list[str]]:
    """(group, macro-F1 A, B, Δ, body F1 chars A, B, Δ) rows for the groups of both evaluations."""
    rows = []
    for name, a in groups_a.items():
        b = groups_b.get(name)
        if b is None:
            continue
        d = diff.get(name, {})
        rows.append(
            [
                name,
                format_number(a["macro_f1"]),
                format_number(b["macro_f1"]),
                format_delta(d.get("macro_f1")),
                format_number(a["body_f1_chars"]),
                format_number(b["body_f1_chars"]),
                format_delta(d.get("body_f1_chars")),
            ]
        )
    return rows


#: Names of the resampled metrics (``segclf.resample.METRICS``) in printed tables.
INTERVAL_METRIC_NAMES = {"macro_f1": "macro-F1", "body_f1_lines": "body F1 by lines"}


def interval_headers(intervals: Mapping[str, Any], b: str) -> tuple[str, ...]:
    """Column headers of ``interval_rows``."""
    return ("metric", "Δ", f"{intervals['level']:.0%} interval", f"{b} higher in")


def interval_rows(intervals: Mapping[str, Any]) -> list[list[str]]:
    """(metric, Δ, interval, share of draws where B is higher) rows of ``segclf.resample.difference_intervals``."""
    return [
        [
            INTERVAL_METRIC_NAMES.get(name, name),
            format_delta(m["difference"]),
            f"{format_delta(m['low'])} to {format_delta(m['high'])}",
            f"{m['b_higher_share']:.1%}",
        ]
        for name, m in intervals["metrics"].items()
    ]


def score_interval_sentence(intervals: Mapping[str, Any]) -> str:
    """One model's bootstrap intervals (``segclf.resample.score_intervals``) in a sentence."""
    spans = "; ".join(
        f"{INTERVAL_METRIC_NAMES.get(name, name)} {format_number(m['low'])} to {format_number(m['high'])}"
        for name, m in intervals["metrics"].items()
    )
    return (
        f"{intervals['level']:.0%} intervals, the {intervals['unit']} drawn again "
        f"{intervals['resamples']:,} times: {spans}."
    )


def interval_note(intervals: Mapping[str, Any]) -> str:
    """One sentence saying how the intervals were drawn."""
    return (
        f"Paired bootstrap: the {intervals['unit']} drawn again with replacement "
        f"{intervals['resamples']:,} times, both models scored on each draw; an interval "
        "that holds 0 is a difference the gold cannot tell from chance."
    )


def format_comparison(
    ev_a: Evaluation,
    ev_b: Evaluation,
    names: tuple[str, str] = ("A", "B"),
    intervals: Mapping[str, Any] | None = None,
) -> str:
    """The terminal side-by-side table of two evaluations of the same gold, with Δ = B − A.

    ``intervals`` (``segclf.resample.difference_intervals``) adds how sure each Δ is.
    """
    sa, sb, diff = ev_a.to_dict(), ev_b.to_dict(), compare(ev_a, ev_b)
    a, b = names
    by_lang, by_source = diff.get("by_lang", {}), diff.get("by_source", {})
    group_headers = (f"macro-F1 {a}", f"macro-F1 {b}", "Δ", f"body F1 chars {a}", f"body F1 chars {b}", "Δ")
    parts = [
        f"comparison: Δ = {b} − {a}",
        "",
        text_table(("metric", a, b, "Δ"), comparison_rows(sa, sb, diff)),
        "",
    ]
    if intervals is not None and intervals["metrics"]:
        parts += [text_table(interval_headers(intervals, b), interval_rows(intervals)), interval_note(intervals), ""]
    parts += [
        text_table(("language", *group_headers), group_comparison_rows(sa["by_lang"], sb["by_lang"], by_lang)),
        "",
        text_table(("source", *group_headers), group_comparison_rows(sa["by_source"], sb["by_source"], by_source)),
    ]
    return "\n".join(parts)


# --------------------------------------------------------------------------- helpers


def _sklearn_metrics() -> ModuleType:
    """``sklearn.metrics``, imported on first use; a clear error when scikit-learn is missing."""
    try:
        import sklearn.metrics
    except ImportError:
        raise SegclfError("evaluation needs scikit-learn: pip install 'segclf[train]'") from None
    return sklearn.metrics


def _num(value: object) -> float | None:
    """A float, or None for NaN (an undefined metric)."""
    x = float(value)  # type: ignore[arg-type]
    return None if math.isnan(x) else x


def _r(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), DECIMALS)
