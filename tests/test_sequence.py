"""The sequence pass's inputs: window and document scope."""

from __future__ import annotations

import numpy as np
import pytest

from segclf.sequence import document_context, n_sequence_features, sequence_features


def _brute_context(probs: np.ndarray) -> np.ndarray:
    n, k = probs.shape
    rows = []
    for i in range(n):
        before, after = probs[:i], probs[i + 1 :]
        zeros = np.zeros(k)
        rows.append(
            np.concatenate(
                [
                    before.mean(0) if len(before) else zeros,
                    after.mean(0) if len(after) else zeros,
                    before.max(0) if len(before) else zeros,
                    after.max(0) if len(after) else zeros,
                ]
            )
        )
    return np.array(rows)


@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_document_context_is_the_mean_and_max_before_and_after(n: int) -> None:
    probs = np.random.default_rng(n).dirichlet(np.ones(5), size=n).astype(np.float32)
    np.testing.assert_allclose(document_context(probs), _brute_context(probs), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("scope", ["window", "document"])
def test_width_matches_the_recorded_count(scope: str) -> None:
    probs = np.random.default_rng(0).dirichlet(np.ones(5), size=9).astype(np.float32)
    stage1 = np.random.default_rng(1).random((9, 5 + 30)).astype(np.float32)
    out = sequence_features(probs, stage1, 4, scope)  # type: ignore[arg-type]
    assert out.shape == (9, n_sequence_features(5, scope))  # type: ignore[arg-type]


def test_a_line_sees_a_comment_header_far_above_it() -> None:
    """The point of the document scope: a line 40 lines below a comment header still sees it."""
    probs = np.tile(np.array([[0.9, 0.05, 0.0, 0.05, 0.0]], np.float32), (60, 1))
    probs[10] = [0.0, 0.0, 0.0, 1.0, 0.0]
    context = document_context(probs)
    before_max_comment = context[:, 2 * 5 + 3]
    assert before_max_comment[:11].max() < 0.1 and before_max_comment[11:].min() == 1.0


def test_unknown_scope_is_an_error() -> None:
    probs = np.zeros((2, 5), np.float32)
    with pytest.raises(ValueError, match="unknown sequence scope"):
        sequence_features(probs, np.zeros((2, 40), np.float32), 4, "page")  # type: ignore[arg-type]
