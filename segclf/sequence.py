"""The sequence pass: revise each line's label with its neighbours' labels.

Boilerplate comes in runs (a menu, a share bar, a comment section), so the
second stage sees the first stage's probabilities for a window of lines
around each line (jusText's ``revise_paragraph_classification``, learned).
"""

from __future__ import annotations

import numpy as np

from segclf.features import SHALLOW_NAMES, neighbour_features

__all__ = ["sequence_features", "SEQUENCE_OWN"]

#: Own-line columns of the stage-1 features that the sequence pass sees again.
SEQUENCE_OWN: tuple[str, ...] = ("log_chars", "has_own_language", "ends_terminal", "frac_letters")
_OFFSETS = (-4, -3, -2, -1, 1, 2, 3, 4)
_WINDOW = 10


def own_columns(n_text_labels: int) -> list[int]:
    """Indices in the stage-1 matrix of the ``SEQUENCE_OWN`` features."""
    return [n_text_labels + SHALLOW_NAMES.index(name) for name in SEQUENCE_OWN]


def sequence_features(stage1_probs: np.ndarray, stage1_features: np.ndarray, n_text_labels: int) -> np.ndarray:
    """Stage-2 input: own probabilities, neighbours' probabilities, a few own features."""
    own = stage1_features[:, own_columns(n_text_labels)]
    context = neighbour_features(stage1_probs.astype(np.float32), _OFFSETS, _WINDOW)
    return np.hstack([stage1_probs, context, own]).astype(np.float32)
