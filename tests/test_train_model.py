"""The recipe's training command: one seed, or several seeds averaged into one model."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from segclf import Segmenter
from segclf.corpus import read_split
from segclf.excerpts import EXCERPT_SHARE
from segclf.labeled import read_labeled
from segclf.sampling import Sampling
from segclf.store import read_manifest
from segclf.train import TrainSettings

from .tiny_corpus import REGRESSION, write_tiny_corpus

REPO = Path(__file__).resolve().parents[1]


def _train_model(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "training.train_model", *args], cwd=REPO, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def averaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("recipe")
    corpus = write_tiny_corpus(folder / "corpus")
    out = folder / "averaged.segclf"
    result = _train_model(
        "--corpus", str(corpus), "--out", str(out), "--seeds", "3,4", "--members", str(folder / "members")
    )
    assert result.returncode == 0, result.stderr
    return out


def test_several_seeds_train_one_model_each_and_average_them(averaged: Path) -> None:
    members = sorted((averaged.parent / "members").iterdir())
    assert [m.name for m in members] == ["averaged.seed3.segclf", "averaged.seed4.segclf"]
    assert [read_manifest(m)["metadata"]["settings"]["seed"] for m in members] == [3, 4]
    # the recipe's default share of training pages also gave a short document
    train_pages = sum(1 for _ in read_split(averaged.parent / "corpus", "train"))
    for m in members:
        meta = read_manifest(m)["metadata"]
        assert Sampling.of_model(meta) == Sampling() and EXCERPT_SHARE > 0
        assert meta["trained_on"]["documents"] > train_pages
    meta = read_manifest(averaged)["metadata"]
    assert [m["seed"] for m in meta["averaged_from"]] == [3, 4]
    doc = read_labeled([REGRESSION])[0]
    assert [line.text for line in Segmenter(averaged).segment(doc.text)] == doc.lines


def test_reuse_members_keeps_models_trained_with_the_same_seed(averaged: Path) -> None:
    members = averaged.parent / "members"
    before = {m.name: m.stat().st_mtime_ns for m in members.iterdir()}
    out = averaged.parent / "again.segclf"
    args = ["--corpus", str(averaged.parent / "corpus"), "--out", str(out), "--members", str(members)]
    # The members are named after --out, so name them as the first run did.
    for m in members.iterdir():
        m.rename(members / m.name.replace("averaged.", "again."))
    result = _train_model(*args, "--seeds", "3,4", "--reuse-members")
    assert result.returncode == 0, result.stderr
    assert "seed 3: reusing" in result.stderr and "seed 4: reusing" in result.stderr
    after = {m.name.replace("again.", "averaged."): m.stat().st_mtime_ns for m in members.iterdir()}
    assert after == before


def test_a_member_is_reused_only_if_trained_with_this_runs_settings(averaged: Path) -> None:
    from segclf.train import TrainSettings
    from training.train_model import _trained_as

    member = next(p for p in (averaged.parent / "members").iterdir() if p.name.endswith("seed3.segclf"))
    as_trained = TrainSettings(threads=2, seed=3, max_rows=450_000)  # the recipe's defaults, as the fixture ran
    sampling = Sampling()
    assert _trained_as(member, as_trained, sampling, unpunctuated=0.0)
    assert not _trained_as(member, dataclasses.replace(as_trained, seed=4), sampling, unpunctuated=0.0)
    assert not _trained_as(member, dataclasses.replace(as_trained, mlp_alpha=0.1), sampling, unpunctuated=0.0)
    assert not _trained_as(member, dataclasses.replace(as_trained, max_rows=1000), sampling, unpunctuated=0.0)
    assert not _trained_as(member, dataclasses.replace(as_trained, text_dim=48), sampling, unpunctuated=0.0)
    assert not _trained_as(member, as_trained, sampling, unpunctuated=0.2)
    assert not _trained_as(member, as_trained, dataclasses.replace(sampling, excerpt_share=0.0), unpunctuated=0.0)
    assert not _trained_as(member, as_trained, dataclasses.replace(sampling, per_group=10), unpunctuated=0.0)


def test_recipe_options_reach_the_training_settings() -> None:
    import argparse

    from training.train_model import _settings

    args = argparse.Namespace(
        threads=2, max_rows=1000, mlp_alpha=0.1, text_dim=48, hidden=192, hide_language_pages=False
    )
    settings = _settings(args, seed=5)
    assert (settings.seed, settings.max_rows, settings.mlp_alpha, settings.text_dim) == (5, 1000, 0.1, 48)
    assert settings.hidden == (192,)
    assert not settings.hide_language_pages  # the default is on


@pytest.mark.parametrize(
    "args", [["--seeds", "1,x"], ["--seeds", "2,2"], ["--seeds", ","], ["--seeds", "1,2", "--seed", "3"]]
)
def test_bad_seed_lists_are_refused(args: list[str]) -> None:
    result = _train_model(*args)
    assert result.returncode == 2
    assert "--seeds" in result.stderr


@pytest.mark.parametrize("option", ["--excerpts", "--unpunctuated", "--leads"])
@pytest.mark.parametrize("value", ["1.5", "-0.1", "half", "nan"])
def test_shares_outside_zero_to_one_are_refused(option: str, value: str) -> None:
    result = _train_model(option, value)
    assert result.returncode == 2
    assert f"{option}: a share is a number from 0 to 1" in result.stderr


def test_the_recipe_default_is_the_shipped_models_seeds() -> None:
    """``python -m training.train_model`` without options rebuilds the shipped file's members."""
    from segclf.store import default_model_path
    from training.train_model import SHIPPED_SEEDS

    metadata = read_manifest(default_model_path())["metadata"]
    assert tuple(m["seed"] for m in metadata["averaged_from"]) == SHIPPED_SEEDS
    assert Sampling.of_model(metadata) == Sampling()  # the recipe's defaults draw the shipped model's pages
    assert TrainSettings.of_model(metadata).hide_language_pages == TrainSettings.hide_language_pages
