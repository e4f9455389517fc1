"""Retraining on a new outlet: 12 labeled pages of our test outlet teach the model its chrome."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from segclf import Segmenter
from segclf.evaluate import evaluate, predict_gold
from segclf.labeled import read_labeled, write_jsonl
from segclf.store import load_model, read_manifest

from .outlet_fixture import quayside_documents
from .tiny_corpus import REGRESSION, write_tiny_corpus


@pytest.fixture(scope="module")
def outlet(shared_dir: Path) -> dict:
    docs = quayside_documents(shared_dir, 40)
    return {"train": docs[:12], "test": docs[12:]}


@pytest.fixture(scope="module")
def outlet_model(outlet: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outlet")
    labeled = folder / "quayside.jsonl"
    with labeled.open("w", encoding="utf-8") as fh:
        write_jsonl(outlet["train"], fh)
    out = folder / "quayside.segclf"
    result = subprocess.run(
        [sys.executable, "-m", "segclf", "train", str(labeled), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out


def _macro(segmenter: Segmenter, docs: list) -> float:
    return evaluate(docs, predict_gold(segmenter, docs)).overall.macro_f1


def test_outlet_model_learns_the_outlet(outlet: dict, outlet_model: Path, segmenter: Segmenter) -> None:
    before = _macro(segmenter, outlet["test"])
    after = _macro(Segmenter(outlet_model), outlet["test"])
    assert after >= 0.95, f"macro-F1 on unseen outlet pages {before:.3f} -> {after:.3f}"
    assert after > before


def test_general_accuracy_is_kept(outlet_model: Path, segmenter: Segmenter) -> None:
    general = read_labeled([REGRESSION])
    before = evaluate(general, predict_gold(segmenter, general)).overall.micro_f1
    after = evaluate(general, predict_gold(Segmenter(outlet_model), general)).overall.micro_f1
    assert after >= before - 0.02


def test_outlet_model_records_what_it_was_trained_on(outlet: dict, outlet_model: Path) -> None:
    meta = read_manifest(outlet_model)["metadata"]["outlet"]
    assert meta["documents"] == [d.id for d in outlet["train"]]
    assert meta["sources"] == ["quayside-courier"]
    assert load_model(outlet_model).adapter is not None


def test_outlet_model_works_from_the_cli(outlet: dict, outlet_model: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(outlet["test"][0].text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "segclf", "classify", str(page), "--model", str(outlet_model), "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len(outlet["test"][0].lines)


@pytest.fixture(scope="module")
def retrained(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """``segclf train --base-corpus`` on the tiny corpus with two seeds, as the recipe trains two."""
    folder = tmp_path_factory.mktemp("retrained")
    docs = read_labeled([REGRESSION])
    corpus = write_tiny_corpus(folder / "corpus")
    user = folder / "user.jsonl"
    with user.open("w", encoding="utf-8") as fh:
        write_jsonl(docs[:2], fh)
    out = folder / "retrained.segclf"
    result = subprocess.run(
        [sys.executable, "-m", "segclf", "train", str(user), "--out", str(out)]
        + ["--base-corpus", str(corpus), "--seeds", "5,6"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return {"out": out, "corpus": corpus, "user": docs[:2], "stderr": result.stderr}


def test_train_with_a_base_corpus(retrained: dict) -> None:
    """``--base-corpus`` retrains every stage on a corpus in training/'s format plus the user's documents."""
    out, user = retrained["out"], retrained["user"]
    model = load_model(out)
    assert model.adapter is None
    assert read_manifest(out)["metadata"]["outlet"]["documents"] == [d.id for d in user]
    assert len(Segmenter(model).segment(user[0].text)) == len(user[0].lines)
    assert not [p for p in out.parent.iterdir() if p.name.startswith("segclf-train-")]  # the members are removed


def test_a_base_corpus_retraining_follows_the_base_models_recipe(retrained: dict) -> None:
    """The shipped model's sampling and settings, short excerpts included, one model per seed, averaged."""
    from segclf.corpus import read_split
    from segclf.sampling import Sampling
    from segclf.store import default_model_path
    from segclf.train import TrainSettings

    meta = read_manifest(retrained["out"])["metadata"]
    shipped = read_manifest(default_model_path())["metadata"]
    assert [m["seed"] for m in meta["averaged_from"]] == [5, 6]
    assert Sampling.of_model(meta) == Sampling.of_model(shipped)
    assert TrainSettings.of_model(meta) == dataclasses.replace(TrainSettings.of_model(shipped), seed=5)
    pages = sum(1 for _ in read_split(retrained["corpus"], "train")) + 5 * len(retrained["user"])
    assert meta["trained_on"]["documents"] > pages  # excerpts cut from a share of the pages
    assert "seeds 5,6" in retrained["stderr"]


def test_seeds_need_a_base_corpus(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "segclf", "train", str(REGRESSION), "--out", str(tmp_path / "m.segclf"), "--seeds", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--seeds" in result.stderr and "--base-corpus" in result.stderr
    assert not (tmp_path / "m.segclf").exists()


def test_train_with_a_base_corpus_without_language_rows_says_what_is_missing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "composed.jsonl").write_text("", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "segclf", "train", str(REGRESSION), "--out", str(tmp_path / "m.segclf")]
        + ["--base-corpus", str(corpus)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "lid/lid.train.txt" in result.stderr and "training.lid_corpus" in result.stderr


def test_copies_of_a_users_document_share_one_cross_fitting_fold() -> None:
    """A fold's text model that learned one copy must not score another (``--base-corpus``)."""
    from segclf.adapt import _user_copies
    from segclf.labeled import LabeledDocument
    from segclf.train import _fold_of

    docs = [LabeledDocument(f"outlet/{n}", ["Menu", "A line."], ["nav", "body"], "en") for n in range(20)]
    copies = _user_copies(docs, 5)
    assert [c.id for c in copies[:5]] == [f"outlet/0#copy{k}" for k in range(5)]
    for n, doc in enumerate(docs):
        mine = copies[5 * n : 5 * n + 5]
        assert all((c.lines, c.labels) == (doc.lines, doc.labels) for c in mine)
        assert len({_fold_of(c, 3) for c in mine}) == 1
    assert len({_fold_of(c, 3) for c in copies}) == 3  # the documents themselves spread over the folds
