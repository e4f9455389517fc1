"""The sequence pass: revise each line's label with its neighbours' labels.

Boilerplate comes in runs (a menu, a share bar, a comment section), so the
second stage sees the first stage's probabilities for a window of lines
around each line (jusText's ``revise_paragraph_classification``, learned).

With the ``document`` scope it also sees where the line sits in the page's
story: the mean and the maximum of every label's probability over all the
lines before it and all the lines after it, and the means over a wide window.
A reader's comment reads like prose, but it comes after a comment header and
after the body has ended; a related headline comes after the last paragraph.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from segclf.features import SHALLOW_NAMES, neighbour_features
from segclf.segments import Segments

__all__ = ["sequence_features", "n_sequence_features", "SEQUENCE_OWN", "SCOPES", "Scope"]

Scope = Literal["window", "document"]
SCOPES: tuple[Scope, ...] = ("window", "document")

#: Own-line columns of the stage-1 features that the sequence pass sees again.
SEQUENCE_OWN: tuple[str, ...] = ("log_chars", "has_own_language", "ends_terminal", "frac_letters")
_OFFSETS = (-4, -3, -2, -1, 1, 2, 3, 4)
_WINDOW = 10
_WIDE_WINDOW = 25


def own_columns(n_text_labels: int) -> list[int]:
    """Indices in the stage-1 matrix of the ``SEQUENCE_OWN`` features."""
    return [n_text_labels + SHALLOW_NAMES.index(name) for name in SEQUENCE_OWN]


def sequence_features(
    stage1_probs: np.ndarray,
    stage1_features: np.ndarray,
    n_text_labels: int,
    scope: Scope = "window",
    segments: Segments | None = None,
) -> np.ndarray:
    """Stage-2 input: own probabilities, neighbours' probabilities, a few own features.

    The rows are one document's lines, or several documents' (``segments``).
    """
    probs = stage1_probs.astype(np.float32, copy=False)
    segments = segments if segments is not None else Segments.single(len(probs))
    own = stage1_features[:, own_columns(n_text_labels)]
    parts = [probs, neighbour_features(probs, _OFFSETS, _WINDOW, segments), own]
    if scope == "document":
        parts += [document_context(probs, segments), neighbour_features(probs, (), _WIDE_WINDOW, segments)]
    elif scope != "window":
        raise ValueError(f"unknown sequence scope {scope!r}; expected one of {SCOPES}")
    return np.hstack(parts).astype(np.float32, copy=False)


def n_sequence_features(n_labels: int, scope: Scope) -> int:
    """Width of ``sequence_features`` for ``n_labels`` probabilities (to check a model file)."""
    one_line = np.zeros((1, n_labels), np.float32)
    return sequence_features(one_line, np.zeros((1, len(SHALLOW_NAMES)), np.float32), 0, scope).shape[1]


def document_context(probs: np.ndarray, segments: Segments | None = None) -> np.ndarray:
    """Mean and maximum of each column over all lines before and all lines after each line.

    ``(n, k)`` in, ``(n, 4k)`` out: before-mean, after-mean, before-max,
    after-max; zeros where there is no line before (or after) in the line's document.
    """
    segments = segments if segments is not None else Segments.single(len(probs))
    return np.hstack(segments.context(probs)).astype(np.float32)
