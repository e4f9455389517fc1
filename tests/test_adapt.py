"""Retraining on a new outlet: 12 labeled pages of our test outlet teach the model its chrome."""

from __future__ import annotations

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


def test_train_with_a_base_corpus(tmp_path: Path) -> None:
    """``--base-corpus`` retrains every stage on a corpus in training/'s format plus the user's documents."""
    docs = read_labeled([REGRESSION])
    corpus = write_tiny_corpus(tmp_path / "corpus")
    user = tmp_path / "user.jsonl"
    with user.open("w", encoding="utf-8") as fh:
        write_jsonl(docs[:2], fh)
    out = tmp_path / "retrained.segclf"
    result = subprocess.run(
        [sys.executable, "-m", "segclf", "train", str(user), "--out", str(out), "--base-corpus", str(corpus)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    model = load_model(out)
    assert model.adapter is None
    assert read_manifest(out)["metadata"]["outlet"]["documents"] == [d.id for d in docs[:2]]
    assert len(Segmenter(model).segment(docs[0].text)) == len(docs[0].lines)


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
