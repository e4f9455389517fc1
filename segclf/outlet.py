"""Outlet adaptation at prediction time: a memory of the outlet's lines and a stacked layer.

An outlet's chrome repeats nearly verbatim from page to page (its menus,
footers, widget headings, comment form). An outlet model remembers the labels
its user gave to each line (and to each line's first words) and a small
stacked network weighs that memory against the shipped model's probabilities,
for the line and its neighbours. Lines the memory has never seen keep the
shipped model's judgement, which is why general accuracy barely moves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from segclf.features import neighbour_features
from segclf.labels import SCORED_LABELS
from segclf.linemodel import LineClassifier
from segclf.lines import model_view

__all__ = ["OutletMemory", "OutletAdapter", "memory_key", "prefix_key", "document_counts", "adapter_features"]

_N = len(SCORED_LABELS)
_OFFSETS = (-2, -1, 1, 2)


def memory_key(view: str) -> str:
    """A line's key in the memory: lower case, digits folded, white space folded."""
    return model_view(view)


def prefix_key(view: str) -> str | None:
    """The first two words of a line of three or more (``READ MORE: ...``, ``Posted by ...``)."""
    words = model_view(view).split()
    return " ".join(words[:2]) + " …" if len(words) >= 3 else None


#: Label counts per line key and per prefix key.
Counts = tuple[dict[str, np.ndarray], dict[str, np.ndarray]]


def document_counts(views: Sequence[str], labels: Sequence[int]) -> Counts:
    """What one document adds to the memory: each (key, label) pair once, for lines and prefixes."""
    tables: Counts = ({}, {})
    for table, key_of in zip(tables, (memory_key, prefix_key)):
        seen = set()
        for view, label in zip(views, labels):
            key = key_of(view)
            if key is None or label < 0 or (key, label) in seen:
                continue
            seen.add((key, label))
            table.setdefault(key, np.zeros(_N))[label] += 1
    return tables


@dataclass(frozen=True)
class OutletMemory:
    """Label counts per line key and per prefix key, from the user's labeled documents."""

    lines: Mapping[str, Sequence[float]]
    prefixes: Mapping[str, Sequence[float]]

    @classmethod
    def build(cls, docs: Iterable[tuple[Sequence[str], Sequence[int]]]) -> OutletMemory:
        """From (views, class indices) of non-blank lines; each document counts a key once."""
        lines: dict[str, np.ndarray] = {}
        prefixes: dict[str, np.ndarray] = {}
        for views, labels in docs:
            for total, counts in zip((lines, prefixes), document_counts(views, labels)):
                for key, c in counts.items():
                    total[key] = total.get(key, 0) + c
        return cls({k: v.tolist() for k, v in lines.items()}, {k: v.tolist() for k, v in prefixes.items()})

    def lookup(self, views: Sequence[str], exclude: Counts | None = None) -> np.ndarray:
        """Memory features of each line: normalised counts and a log count, for the line and its prefix.

        ``exclude`` (``document_counts`` of the line's own document) is subtracted while
        training, so a document never finds itself in the memory.
        """
        out = np.zeros((len(views), 2 * (_N + 1)), dtype=np.float32)
        for i, view in enumerate(views):
            keys = (memory_key(view), prefix_key(view))
            for j, (table, key) in enumerate(zip((self.lines, self.prefixes), keys)):
                if key is None or key not in table:
                    continue
                counts = np.asarray(table[key], dtype=np.float64)
                if exclude is not None and key in exclude[j]:
                    counts = counts - exclude[j][key]
                total = counts.sum()
                if total <= 0:
                    continue
                base = j * (_N + 1)
                out[i, base : base + _N] = counts / total
                out[i, base + _N] = np.log1p(total)
        return out

    def to_json(self) -> dict:
        return {"lines": dict(self.lines), "prefixes": dict(self.prefixes)}

    @classmethod
    def from_json(cls, data: Mapping) -> OutletMemory:
        lines, prefixes = data.get("lines"), data.get("prefixes")
        if not isinstance(lines, dict) or not isinstance(prefixes, dict):
            raise ValueError("outlet memory must hold 'lines' and 'prefixes' tables")
        for table in (lines, prefixes):
            for counts in table.values():
                if not isinstance(counts, list) or len(counts) != _N:
                    raise ValueError(f"outlet memory counts must be lists of {_N} numbers")
        return cls(lines, prefixes)


def adapter_features(base_probs: np.ndarray, memory: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Stacked-layer input: the shipped model's log-probabilities, memory (own and neighbours'), own features."""
    log_probs = np.log(np.clip(base_probs, 1e-6, 1.0)).astype(np.float32)
    hit = memory[:, [_N]] > 0
    neighbours = neighbour_features(np.hstack([memory[:, :_N], hit]).astype(np.float32), _OFFSETS, window=3)
    return np.hstack([log_probs, memory, neighbours, own]).astype(np.float32)


@dataclass(frozen=True)
class OutletAdapter:
    """The memory and the stacked layer that revise the shipped model's probabilities."""

    memory: OutletMemory
    layer: LineClassifier

    def revise(self, base_probs: np.ndarray, views: Sequence[str], own: np.ndarray) -> np.ndarray:
        """Revised probabilities for lines near the outlet's memory; the others keep ``base_probs``."""
        if not len(views):
            return base_probs
        memory = self.memory.lookup(views)
        near = near_memory(memory)
        if not near.any():
            return base_probs
        revised = base_probs.copy()
        revised[near] = self.layer.predict_proba(adapter_features(base_probs, memory, own))[near]
        return revised


def near_memory(memory: np.ndarray, reach: int = max(_OFFSETS)) -> np.ndarray:
    """Lines whose text, first words, or a neighbour within ``reach`` lines the memory knows."""
    hit = (memory[:, _N] > 0) | (memory[:, 2 * _N + 1] > 0)
    near = hit.copy()
    for k in range(1, reach + 1):
        near[k:] |= hit[:-k]
        near[:-k] |= hit[k:]
    return near
