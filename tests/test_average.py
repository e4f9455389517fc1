"""Averaging models trained with other seeds: one network, the mean of the members' logits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from segclf import Segmenter
from segclf.labeled import read_labeled
from segclf.linemodel import LineClassifier
from segclf.model import SegmentationModel
from segclf.store import load_model, read_manifest
from segclf.train import average_models

from .tiny_corpus import REGRESSION


def _other_seed(stage: LineClassifier, seed: int) -> LineClassifier:
    """A stand-in for the same stage trained with another seed: its weights moved a little."""
    rng = np.random.default_rng(seed)
    weights = tuple((W * (1 + 0.2 * rng.standard_normal(W.shape))).astype(np.float32) for W in stage.weights)
    return dataclasses.replace(stage, weights=weights, mean=stage.mean + 0.1, scale=stage.scale * 1.5)


@pytest.fixture(scope="module")
def members() -> list[SegmentationModel]:
    shipped = load_model()
    other = dataclasses.replace(shipped, stage1=_other_seed(shipped.stage1, 1), stage2=_other_seed(shipped.stage2, 2))
    return [shipped, other]


def _features(stage: LineClassifier, n: int = 500) -> np.ndarray:
    rng = np.random.default_rng(0)
    return (rng.standard_normal((n, stage.n_features)) * stage.scale + stage.mean).astype(np.float32)


def test_averaged_logits_are_the_mean_of_the_members_logits(members: list[SegmentationModel]) -> None:
    stages = [m.stage1 for m in members]
    X = _features(stages[0])
    expected = np.mean([s.logits(X) for s in stages], axis=0)
    averaged = LineClassifier.averaged(stages)
    assert averaged.weights[0].shape[1] == sum(s.weights[0].shape[1] for s in stages)
    np.testing.assert_allclose(averaged.logits(X), expected, atol=1e-3 * np.abs(expected).max())


def test_averaging_drops_the_members_calibration(members: list[SegmentationModel]) -> None:
    stage = members[0].stage2
    calibrated = stage.with_temperature(2.0, np.arange(stage.n_classes, dtype=np.float32))
    averaged = LineClassifier.averaged([calibrated, stage])
    assert averaged.temperature == 1.0 and averaged.class_bias is None
    X = _features(stage)
    np.testing.assert_allclose(averaged.logits(X), stage.logits(X), atol=1e-3 * np.abs(stage.logits(X)).max())


def test_members_of_other_shapes_are_refused(members: list[SegmentationModel]) -> None:
    with pytest.raises(ValueError, match="share features"):
        LineClassifier.averaged([members[0].stage1, members[0].stage2])
    with pytest.raises(ValueError, match="at least one"):
        LineClassifier.averaged([])


def test_average_models_writes_a_calibrated_model_that_labels_every_line(
    members: list[SegmentationModel], tmp_path: Path
) -> None:
    docs = read_labeled([REGRESSION])
    out = tmp_path / "averaged.segclf"
    model = average_models(members, docs, out, progress=lambda _: None)
    X = _features(members[0].stage1)
    expected = np.mean([m.stage1.logits(X) for m in members], axis=0)
    np.testing.assert_allclose(model.stage1.logits(X), expected, atol=1e-3 * np.abs(expected).max())
    meta = read_manifest(out)["metadata"]
    assert len(meta["averaged_from"]) == 2 and meta["calibrated_on"] == len(docs)
    assert model.stage2.temperature != 1.0  # calibrated again on the documents given
    assert model.replay is not None
    for doc in docs:
        labeled = Segmenter(model).segment(doc.text)
        assert [line.text for line in labeled] == doc.text.split("\n")


def test_average_models_refuses_a_single_model_and_outlet_models(
    members: list[SegmentationModel], tmp_path: Path
) -> None:
    docs = read_labeled([REGRESSION])
    with pytest.raises(ValueError, match="at least two"):
        average_models(members[:1], docs, tmp_path / "one.segclf")
    with pytest.raises(ValueError, match="calibration_docs"):
        average_models(members, [], tmp_path / "none.segclf")
    outlet = dataclasses.replace(members[1], adapter=object())  # only its presence is checked
    with pytest.raises(ValueError, match="outlet models"):
        average_models([members[0], outlet], docs, tmp_path / "outlet.segclf")
    assert not list(tmp_path.iterdir())
