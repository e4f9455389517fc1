"""Paired bootstrap intervals of a difference between two models (segclf.resample)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from segclf.evaluate import Evaluation, evaluate, format_comparison
from segclf.labeled import LabeledDocument, write_jsonl
from segclf.labels import LABELS, SCORED_LABELS
from segclf.report import write_report
from segclf.resample import _counts, _metrics, difference_intervals


def _random_gold(rng: random.Random, n_docs: int) -> list[LabeledDocument]:
    docs = []
    for k in range(n_docs):
        labels = [rng.choice(LABELS) for _ in range(rng.randint(1, 12))]
        docs.append(LabeledDocument(f"d{k}", [f"line {i}" for i in range(len(labels))], labels, "en", "s"))
    return docs


def _noisy(gold: list[LabeledDocument], rng: random.Random, error: float) -> list[list[str]]:
    """Each gold label, or with probability ``error`` a random one (blank included)."""
    return [[rng.choice(LABELS) if rng.random() < error else g for g in d.labels] for d in gold]


@pytest.mark.parametrize("seed", range(8))
def test_scores_from_document_counts_equal_the_evaluation(seed: int) -> None:
    """Macro-F1 and body F1 recomputed from the per-document counts are ``evaluate``'s."""
    rng = random.Random(seed)
    gold = _random_gold(rng, rng.randint(1, 6))
    ev = evaluate(gold, _noisy(gold, rng, 0.5))
    scores = _metrics(_counts(ev).sum(axis=0, keepdims=True))
    for name, value in (("macro_f1", ev.overall.macro_f1), ("body_f1_lines", ev.overall.body_lines.f1)):
        got = float(scores[name][0])
        if value is None:  # undefined in the evaluation: NaN, or 0 for a class never predicted
            assert got != got or got == 0.0
        else:
            assert got == pytest.approx(value)


def _pair(seed: int, n_docs: int, error_a: float, error_b: float) -> tuple[Evaluation, Evaluation]:
    rng = random.Random(seed)
    gold = _random_gold(rng, n_docs)
    return evaluate(gold, _noisy(gold, rng, error_a)), evaluate(gold, _noisy(gold, rng, error_b))


def test_a_model_against_itself_differs_by_nothing() -> None:
    a, _ = _pair(1, 30, 0.3, 0.3)
    result = difference_intervals(a, a, resamples=200)
    for m in result["metrics"].values():
        assert m == {"difference": 0.0, "low": 0.0, "high": 0.0, "b_higher_share": 0.0}


def test_a_clearly_better_model_has_an_interval_above_zero() -> None:
    a, b = _pair(2, 60, 0.6, 0.05)
    result = difference_intervals(a, b, resamples=300)
    macro = result["metrics"]["macro_f1"]
    assert macro["difference"] == pytest.approx(b.overall.macro_f1 - a.overall.macro_f1, abs=1e-4)
    assert 0 < macro["low"] <= macro["difference"] <= macro["high"]
    assert macro["b_higher_share"] == 1.0
    flipped = difference_intervals(b, a, resamples=300)["metrics"]["macro_f1"]
    assert flipped["high"] < 0 and flipped["b_higher_share"] == 0.0


def test_close_models_get_an_interval_that_holds_zero() -> None:
    a, b = _pair(3, 40, 0.30, 0.29)
    body = difference_intervals(a, b, resamples=500)["metrics"]["body_f1_lines"]
    assert body["low"] < 0 < body["high"]
    assert 0 < body["b_higher_share"] < 1


def test_same_arguments_same_intervals_and_the_seed_matters() -> None:
    a, b = _pair(4, 25, 0.4, 0.3)
    first = difference_intervals(a, b, resamples=150, seed=7)
    assert difference_intervals(a, b, resamples=150, seed=7) == first
    assert difference_intervals(a, b, resamples=150, seed=8)["metrics"] != first["metrics"]
    assert first["resamples"] == 150 and first["level"] == 0.95 and first["unit"] == "documents"


def test_documents_of_one_group_are_drawn_together() -> None:
    a, b = _pair(5, 12, 0.4, 0.2)
    one_group = difference_intervals(a, b, resamples=100, groups=["page"] * 12)
    for m in one_group["metrics"].values():  # every draw is the whole gold
        assert m["low"] == m["high"] == m["difference"]
    assert one_group["unit"] == "groups of documents"
    pairs = difference_intervals(a, b, resamples=100, groups=[str(k // 2) for k in range(12)])
    assert pairs["metrics"]["macro_f1"]["low"] < pairs["metrics"]["macro_f1"]["high"]


def test_bad_arguments_are_rejected() -> None:
    a, b = _pair(6, 5, 0.3, 0.2)
    c, _ = _pair(6, 6, 0.3, 0.2)
    with pytest.raises(ValueError, match="same gold"):
        difference_intervals(a, c)
    with pytest.raises(ValueError, match="resamples"):
        difference_intervals(a, b, resamples=0)
    with pytest.raises(ValueError, match="level"):
        difference_intervals(a, b, level=1.5)
    with pytest.raises(ValueError, match="one group per document"):
        difference_intervals(a, b, groups=["x"])


def test_a_gold_with_nothing_scored_has_no_intervals() -> None:
    gold = [LabeledDocument("d", ["", " "], ["blank", "blank"], "en", "s")]
    ev = evaluate(gold, [["blank", "blank"]])
    assert difference_intervals(ev, ev, resamples=10)["metrics"] == {}


def test_intervals_in_the_terminal_table_and_the_report(tmp_path: Path) -> None:
    a, b = _pair(7, 30, 0.5, 0.1)
    intervals = difference_intervals(a, b, resamples=100)
    text = format_comparison(a, b, ("m1", "m2"), intervals)
    macro = intervals["metrics"]["macro_f1"]
    assert f"{macro['low']:+.4f} to {macro['high']:+.4f}" in text and "m2 higher in" in text
    assert "interval" not in format_comparison(a, b, ("m1", "m2"))
    write_report(a, tmp_path, compare=b, model_names=("m1", "m2"), intervals=intervals)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["difference_intervals"] == json.loads(json.dumps(intervals))
    assert "### How sure the difference is" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_eval_command_prints_intervals_unless_told_not_to(tmp_path: Path) -> None:
    gold = [
        LabeledDocument(f"d{k}", ["Headline", "A paragraph of the story.", "Share"], ["body", "body", "nav"], "en", "s")
        for k in range(3)
    ]
    path = tmp_path / "gold.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        write_jsonl(gold, fh)
    run = [sys.executable, "-m", "segclf", "eval", str(path), "--compare", "models/default.segclf", "-q"]
    root = Path(__file__).resolve().parents[1]
    with_intervals = subprocess.run(run, capture_output=True, text=True, cwd=root, check=True).stdout
    assert "95% interval" in with_intervals and "paired bootstrap" in with_intervals.lower()
    without = subprocess.run([*run, "--resamples", "0"], capture_output=True, text=True, cwd=root, check=True)
    assert "95% interval" not in without.stdout and "comparison:" in without.stdout
    bad = subprocess.run([*run, "--resamples", "-1"], capture_output=True, text=True, cwd=root)
    assert bad.returncode == 2 and "must be at least 0" in bad.stderr


def test_every_scored_label_is_a_count_row() -> None:
    a, _ = _pair(9, 3, 0.2, 0.2)
    assert a.document_counts is not None and a.document_counts.shape[1] == len(SCORED_LABELS)
    assert int(a.document_counts.sum()) == a.scored_lines


def test_the_command_line_default_is_the_library_default() -> None:
    from segclf.cli import EVAL_RESAMPLES
    from segclf.resample import DEFAULT_RESAMPLES

    assert EVAL_RESAMPLES == DEFAULT_RESAMPLES


def test_one_models_interval_holds_its_figure_and_narrows_with_more_pages() -> None:
    from segclf.resample import score_intervals

    few, _ = _pair(10, 15, 0.3, 0.3)
    many, _ = _pair(10, 300, 0.3, 0.3)
    for ev in (few, many):
        result = score_intervals(ev, resamples=300)
        body = result["metrics"]["body_f1_lines"]
        assert body["value"] == pytest.approx(ev.overall.body_lines.f1, abs=1e-4)
        assert body["low"] <= body["value"] <= body["high"]
    width = lambda ev: (lambda m: m["high"] - m["low"])(score_intervals(ev, resamples=300)["metrics"]["macro_f1"])  # noqa: E731
    assert width(many) < width(few)
    whole = score_intervals(few, resamples=50, groups=["all"] * 15)["metrics"]["macro_f1"]
    assert whole["low"] == whole["high"] == whole["value"]


def test_one_models_intervals_in_the_terminal_and_the_report(tmp_path: Path) -> None:
    from segclf.evaluate import format_text
    from segclf.resample import score_intervals

    a, _ = _pair(11, 20, 0.3, 0.3)
    own = score_intervals(a, resamples=100)
    body = own["metrics"]["body_f1_lines"]
    sentence = f"body F1 by lines {body['low']:.4f} to {body['high']:.4f}"
    assert sentence in format_text(a, intervals=own) and "intervals" not in format_text(a)
    write_report(a, tmp_path, model_intervals=[own])
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["intervals"] == json.loads(json.dumps(own))
    assert sentence in (tmp_path / "report.md").read_text(encoding="utf-8")
