"""How much a figure, or a difference between two models, owes to the gold: a bootstrap over its documents.

Two models scored on the same gold rarely differ by more than the noise of which
documents happen to be in it: one long page whose labels flip moves an F1 by a
point. ``difference_intervals`` draws the documents again with replacement,
``resamples`` times, scores both models on each draw (the same draw for both, so
that what they get right together cancels), and reports the percentile interval
of the difference B − A and how often B came out higher; ``score_intervals`` does
the same for one model's figures. Documents that share a ``group`` (renderings of
one page, pages of one site) are drawn together.

The figures are computed from per-document confusion counts
(``Evaluation.document_counts``), so a thousand draws cost a few matrix products.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from segclf.evaluate import DECIMALS, Evaluation
from segclf.labels import BODY, SCORED_LABELS

__all__ = ["DEFAULT_RESAMPLES", "METRICS", "difference_intervals", "score_intervals"]

#: Draws made by ``segclf eval`` unless told otherwise (``--resamples``).
DEFAULT_RESAMPLES = 1000
#: The figures resampled, as named in ``Evaluation.to_dict()["overall"]``.
METRICS: tuple[str, ...] = ("macro_f1", "body_f1_lines")
_BODY = SCORED_LABELS.index(BODY)
_CHUNK = 64  # draws scored at once (a chunk's weights are _CHUNK x documents floats)


def difference_intervals(
    ev_a: Evaluation,
    ev_b: Evaluation,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95,
    groups: Sequence[str] | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Paired bootstrap intervals of B − A for ``METRICS``; the same arguments give the same result.

    Returns ``{"resamples", "level", "unit", "metrics": {name: {"difference", "low",
    "high", "b_higher_share"}}}``; a metric undefined on the gold (no scored line) is
    left out. ``groups[k]`` is the group of document k (default: each document alone).
    """
    counts_a, counts_b = _counts(ev_a), _counts(ev_b)
    if counts_a.shape != counts_b.shape:
        raise ValueError(
            f"difference_intervals needs two evaluations of the same gold, got {counts_a.shape[0]} "
            f"and {counts_b.shape[0]} documents"
        )
    (observed_a, drawn_a), (observed_b, drawn_b) = _bootstrap([counts_a, counts_b], resamples, level, groups, seed)
    metrics: dict[str, dict[str, float]] = {}
    for name in METRICS:
        difference = observed_b[name] - observed_a[name]
        values = _defined(drawn_b[name] - drawn_a[name])
        if np.isnan(difference) or not len(values):
            continue
        low, high = _interval(values, level)
        metrics[name] = {"difference": _r(difference), "low": low, "high": high}
        metrics[name]["b_higher_share"] = _r(float(np.mean(values > 0)))
    return _result(resamples, level, groups, metrics)


def score_intervals(
    ev: Evaluation,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95,
    groups: Sequence[str] | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Bootstrap intervals of one model's ``METRICS``: how much they owe to which documents the gold holds.

    Returns ``{"resamples", "level", "unit", "metrics": {name: {"value", "low", "high"}}}``.
    """
    ((observed, drawn),) = _bootstrap([_counts(ev)], resamples, level, groups, seed)
    metrics: dict[str, dict[str, float]] = {}
    for name in METRICS:
        values = _defined(drawn[name])
        if np.isnan(observed[name]) or not len(values):
            continue
        low, high = _interval(values, level)
        metrics[name] = {"value": _r(observed[name]), "low": low, "high": high}
    return _result(resamples, level, groups, metrics)


def _bootstrap(
    counts: Sequence[np.ndarray], resamples: int, level: float, groups: Sequence[str] | None, seed: int
) -> list[tuple[dict[str, float], dict[str, np.ndarray]]]:
    """For each model's counts: its observed ``METRICS``, and their values on the same ``resamples`` draws."""
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    unit_of_doc, n_units = _units(groups, counts[0].shape[0])
    rng = np.random.default_rng(seed)
    drawn: list[dict[str, list[np.ndarray]]] = [{name: [] for name in METRICS} for _ in counts]
    for start in range(0, resamples, _CHUNK):
        n = min(_CHUNK, resamples - start)
        picked = rng.integers(n_units, size=(n, n_units))
        unit_weights = np.stack([np.bincount(row, minlength=n_units) for row in picked]).astype(np.float64)
        weights = unit_weights[:, unit_of_doc]  # each document weighs as often as its group was drawn
        for model_counts, model_drawn in zip(counts, drawn, strict=True):
            scores = _metrics(weights @ model_counts)
            for name in METRICS:
                model_drawn[name].append(scores[name])
    results = []
    for model_counts, model_drawn in zip(counts, drawn, strict=True):
        observed = _metrics(model_counts.sum(axis=0, keepdims=True))
        results.append(
            (
                {name: float(observed[name][0]) for name in METRICS},
                {name: np.concatenate(model_drawn[name]) for name in METRICS},
            )
        )
    return results


def _defined(values: np.ndarray) -> np.ndarray:
    return values[~np.isnan(values)]


def _interval(values: np.ndarray, level: float) -> tuple[float, float]:
    """The central ``level`` percentile interval of ``values``, rounded."""
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return _r(low), _r(high)


def _result(resamples: int, level: float, groups: Sequence[str] | None, metrics: dict[str, Any]) -> dict[str, Any]:
    unit = "documents" if groups is None else "groups of documents"
    return {"resamples": resamples, "level": level, "unit": unit, "metrics": metrics}


def _counts(ev: Evaluation) -> np.ndarray:
    """The evaluation's per-document confusion counts, flattened: (documents, gold x predicted)."""
    if ev.document_counts is None:
        raise ValueError("the evaluation has no per-document counts (made by segclf.evaluate.evaluate)")
    return ev.document_counts.reshape(ev.document_counts.shape[0], -1).astype(np.float64)


def _units(groups: Sequence[str] | None, n_docs: int) -> tuple[np.ndarray, int]:
    """The resampled unit of each document, and how many units there are."""
    if groups is None:
        return np.arange(n_docs), n_docs
    if len(groups) != n_docs:
        raise ValueError(f"groups must name one group per document ({n_docs}), got {len(groups)}")
    names, unit_of_doc = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    return unit_of_doc.ravel(), len(names)


def _metrics(flat_counts: np.ndarray) -> dict[str, np.ndarray]:
    """Macro-F1 and body F1 of each row of summed confusion counts (``evaluate``'s definitions).

    A class's F1 is 2·tp / (predicted + gold support): 0 when it is never predicted,
    where ``evaluate`` reports it undefined and its macro-F1 counts it as 0; macro-F1
    averages the classes with gold support; a predicted ``blank`` is nobody's false
    positive. NaN where nothing is scored.
    """
    k = len(SCORED_LABELS)
    counts = flat_counts.reshape(len(flat_counts), k, -1)
    tp = np.einsum("rcc->rc", counts[:, :, :k])
    support = counts.sum(axis=2)
    predicted = counts[:, :, :k].sum(axis=1)
    has_gold = support > 0
    f1 = np.where(has_gold, 2 * tp / np.maximum(predicted + support, 1), np.nan)
    n_classes = has_gold.sum(axis=1)
    macro = np.where(n_classes > 0, np.where(has_gold, f1, 0.0).sum(axis=1) / np.maximum(n_classes, 1), np.nan)
    return {"macro_f1": macro, "body_f1_lines": f1[:, _BODY]}


def _r(value: float) -> float:
    return round(float(value), DECIMALS) + 0.0  # + 0.0: no -0.0
