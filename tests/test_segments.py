"""Rows of many documents in one matrix: every row gets what it would get with its document alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from segclf.features import neighbour_features
from segclf.segments import MATMUL_BLOCK, Segments, blocked_matmul
from segclf.sequence import document_context, sequence_features

SIZES = [5, 1, 0, 17, 2, 40, 3]


def _batch(rng: np.random.Generator, k: int = 4) -> tuple[list[np.ndarray], Segments]:
    docs = [rng.dirichlet(np.ones(k), size=n).astype(np.float32) for n in SIZES]
    return docs, Segments.of_sizes(SIZES)


def _per_document(function, docs: list[np.ndarray]) -> np.ndarray:  # noqa: ANN001
    return np.vstack([function(d) for d in docs if len(d)])


def test_segments_know_each_rows_document_and_position() -> None:
    seg = Segments.of_sizes([2, 0, 3])
    assert seg.doc.tolist() == [0, 0, 2, 2, 2]
    assert seg.position.tolist() == [0, 1, 0, 1, 2]
    assert seg.starts.tolist() == [0, 2, 2]
    assert [(s.start, s.stop) for s in seg.slices()] == [(0, 2), (2, 2), (2, 5)]


def test_neighbour_features_of_a_batch_equal_those_of_each_document_alone() -> None:
    docs, seg = _batch(np.random.default_rng(0))
    together = neighbour_features(np.vstack(docs), (-3, -1, 2), 4, seg)
    alone = _per_document(lambda d: neighbour_features(d, (-3, -1, 2), 4), docs)
    assert np.array_equal(together, alone)


def test_neighbour_features_never_reach_into_another_document() -> None:
    seg = Segments.of_sizes([2, 2])
    signals = np.array([[1.0], [2.0], [30.0], [40.0]], np.float32)
    out = neighbour_features(signals, (1,), 5, seg)
    # columns: value at +1, exists at +1, mean before, mean after
    assert out.tolist() == [[2, 1, 0, 2], [0, 0, 1, 0], [40, 1, 0, 40], [0, 0, 30, 0]]


def test_document_context_of_a_batch_equals_that_of_each_document_alone() -> None:
    docs, seg = _batch(np.random.default_rng(1))
    assert np.array_equal(document_context(np.vstack(docs), seg), _per_document(document_context, docs))


def test_sequence_features_of_a_batch_equal_those_of_each_document_alone() -> None:
    rng = np.random.default_rng(2)
    docs, seg = _batch(rng, k=5)
    own = [rng.normal(size=(len(d), 30)).astype(np.float32) for d in docs]
    together = sequence_features(np.vstack(docs), np.vstack(own), 4, "document", seg)
    alone = np.vstack([sequence_features(d, o, 4, "document") for d, o in zip(docs, own) if len(d)])
    assert np.array_equal(together, alone)


def test_sums_and_medians_per_document() -> None:
    rng = np.random.default_rng(3)
    docs, seg = _batch(rng, k=3)
    values = np.vstack(docs)
    expected_sums = np.array([d.astype(np.float64).sum(axis=0) if len(d) else np.zeros(3) for d in docs])
    np.testing.assert_allclose(seg.sums(values), expected_sums, rtol=1e-12)
    medians = seg.medians(values[:, 0])
    expected = [np.float32(np.median(d[:, 0])) if len(d) else 0.0 for d in docs]
    assert medians.dtype == np.float32
    assert medians.tolist() == expected


@pytest.mark.parametrize("n_rows", [1, 7, MATMUL_BLOCK, MATMUL_BLOCK + 3, 3 * MATMUL_BLOCK - 1])
def test_blocked_matmul_gives_each_row_the_same_result_in_any_batch(n_rows: int) -> None:
    rng = np.random.default_rng(n_rows)
    a = rng.normal(size=(n_rows, 102)).astype(np.float32)
    b = rng.normal(size=(102, 96)).astype(np.float32)
    whole = blocked_matmul(a, b)
    np.testing.assert_allclose(whole, a @ b, rtol=1e-4, atol=1e-4)
    for start, stop in [(0, 1), (n_rows // 2, n_rows), (n_rows - 1, n_rows)]:
        assert np.array_equal(blocked_matmul(a[start:stop], b), whole[start:stop])


def test_a_document_gets_the_same_features_and_probabilities_in_any_batch(segmenter) -> None:  # noqa: ANN001
    from segclf.labeled import read_labeled
    from segclf.model import prepare_batch, single_blas_thread

    texts = [d.text for d in read_labeled([str(Path(__file__).parent / "data" / "regression.jsonl")])]
    model = segmenter.model
    with single_blas_thread():
        batch = prepare_batch(texts, model.text_model, model.stopwords)
        together = model.predict_batch(batch)
        for k, text in enumerate(texts):
            alone_batch = prepare_batch([text], model.text_model, model.stopwords)
            assert np.array_equal(batch.features[batch.segments.slices()[k]], alone_batch.features)
            alone = model.predict_batch(alone_batch)[0]
            assert np.array_equal(together[k].probs, alone.probs)
            assert (together[k].labels, together[k].langs, together[k].doc_lang) == (
                alone.labels,
                alone.langs,
                alone.doc_lang,
            )
            # the per-document path (outlet training reads it) agrees with the batch path
            base = model.base_probabilities(batch.documents()[k])
            assert np.array_equal(base, model.batch_probabilities(alone_batch)[1])
