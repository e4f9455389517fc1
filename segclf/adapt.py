"""Retraining for a new outlet: ``segclf train LABELED... --out MODEL``.

The default path needs only a model file and the user's labeled documents:
it builds an outlet memory and fits a small stacked layer (see
``segclf.outlet``) on the user's lines, each scored against a memory built
from the *other* documents, together with the held-out replay rows the
shipped model carries. With ``base_corpus`` it instead retrains every stage
on the full corpus that ``training/`` builds plus the user's documents.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from segclf.errors import InputError, LabeledDataError
from segclf.labeled import LabeledDocument
from segclf.labels import SCORED_LABELS
from segclf.linemodel import LineClassifier
from segclf.model import SegmentationModel
from segclf.outlet import OutletAdapter, OutletMemory, adapter_features, document_counts

__all__ = ["fit_outlet_model", "retrain_from_corpus", "train_from_args"]

log = logging.getLogger(__name__)
_N = len(SCORED_LABELS)


def fit_outlet_model(
    base: SegmentationModel,
    docs: Sequence[LabeledDocument],
    *,
    out: str | os.PathLike[str],
    user_weight: float = 1.0,
    hidden: tuple[int, ...] = (32,),
    progress: Callable[[str], None] = log.info,
) -> SegmentationModel:
    """Fit an outlet adapter on ``docs`` over ``base`` and save the outlet model to ``out``.

    ``user_weight`` is the total weight of the user's lines relative to the replay rows.
    """
    from segclf.store import load_model, save_segmentation_model
    from segclf.train import gold_indices

    if not docs:
        raise ValueError("docs must hold at least one labeled document, got none")
    started = time.monotonic()
    base = dataclasses.replace(base, adapter=None)  # an outlet model adapts the shipped model, not itself
    progress(f"scoring {len(docs)} documents with the base model")
    prepared = []
    for start in range(0, len(docs), 64):
        prepared.extend(base.prepare([d.text for d in docs[start : start + 64]]))
    golds = [gold_indices(d, p) for d, p in zip(docs, prepared)]
    memory = OutletMemory.build((p.views, g) for p, g in zip(prepared, golds))

    rows, labels = [], []
    for p, g in zip(prepared, golds):
        if not len(p.nonblank):
            continue
        memory_features = memory.lookup(p.views, exclude=document_counts(p.views, g))
        rows.append(adapter_features(base.base_probabilities(p), memory_features, base.adapter_own_features(p)))
        labels.append(g)
    X_user, y_user = np.vstack(rows), np.concatenate(labels)
    keep = y_user >= 0
    X_user, y_user = X_user[keep], y_user[keep]
    weights_user = np.full(len(y_user), 1.0)
    X, y, w = X_user, y_user, weights_user
    if base.replay is not None:
        replay = base.replay
        zeros = np.zeros((len(replay["labels"]), 2 * (_N + 1)), dtype=np.float32)
        X_replay = adapter_features(replay["probs"], zeros, replay["own"])
        # replay rows have no neighbours in the memory: neighbour columns are zero already,
        # except the presence flags, which say the neighbours exist
        X = np.vstack([X_user, X_replay])
        y = np.concatenate([y_user, replay["labels"]])
        w = np.concatenate([weights_user * user_weight * len(X_replay) / max(len(y_user), 1), np.ones(len(X_replay))])
    progress(
        f"fitting the outlet layer on {len(y_user)} of your lines"
        + (f" and {len(y) - len(y_user)} replay lines" if base.replay is not None else "")
    )
    layer = LineClassifier.fit(X, y, n_classes=_N, hidden=hidden, sample_weight=w, max_iter=60, random_state=0)
    adapter = OutletAdapter(memory, layer)
    meta = dict(base.metadata)
    meta.pop("path", None)
    meta["outlet"] = {
        "base_model": str(base.metadata.get("path")),
        "base_name": base.metadata.get("name"),
        "documents": [d.id for d in docs],
        "sources": sorted({str(d.source) for d in docs if d.source}),
        "lines": int(len(y_user)),
        "label_counts": {SCORED_LABELS[i]: int(c) for i, c in enumerate(np.bincount(y_user, minlength=_N))},
        "memory_lines": len(memory.lines),
        "user_weight": user_weight,
        "seconds": round(time.monotonic() - started, 1),
    }
    save_segmentation_model(base, out, adapter=adapter, metadata=meta)
    progress(f"saved {out} in {time.monotonic() - started:.1f} s")
    return load_model(out)


def train_from_args(
    paths: Sequence[str],
    out: str,
    base_model: str | None,
    base_corpus: str | None,
    quiet: bool,
    seeds: Sequence[int] | None = None,
) -> int:
    """The body of ``segclf train``; returns an exit code."""
    import sys

    from segclf.labeled import read_labeled
    from segclf.store import load_model

    def say(message: str) -> None:
        if not quiet:
            print(f"segclf train: {message}", file=sys.stderr, flush=True)

    docs = read_labeled(paths)
    if not docs:
        raise LabeledDataError("no labeled documents in " + ", ".join(paths))
    say(f"read {len(docs)} labeled documents")
    base = load_model(base_model)
    if base_corpus is None:
        fit_outlet_model(base, docs, out=out, progress=say)
    else:
        retrain_from_corpus(base, docs, Path(base_corpus), Path(out), seeds=seeds, progress=say)
    return 0


def _user_copies(docs: Sequence[LabeledDocument], copies: int) -> list[LabeledDocument]:
    """``copies`` copies of each of ``docs`` (to weigh them against the corpus), each named by its document.

    The copies of a document form one group (``extra["group"]``), so that cross-fitting keeps
    them in one fold: a fold's text model that learned a copy must not score the others.
    """
    return [
        LabeledDocument(f"{d.id}#copy{k}", d.lines, d.labels, d.lang, d.source, {**d.extra, "group": d.id})
        for d in docs
        for k in range(copies)
    ]


def retrain_from_corpus(
    base: SegmentationModel,
    docs: Sequence[LabeledDocument],
    corpus: Path,
    out: Path,
    *,
    seeds: Sequence[int] | None = None,
    user_copies: int = 5,
    progress: Callable[[str], None] = log.info,
) -> SegmentationModel:
    """Retrain every stage on ``corpus`` (``training/``'s format) plus ``user_copies`` copies of ``docs``.

    The base model's recipe, as its metadata records it, is followed: its training settings,
    its sample of the corpus (``segclf.sampling``: pages per outlet and language, short
    documents cut from a share of them, calibration pages) and its seeds, one model per
    seed, averaged as the shipped model is. ``seeds`` overrides the seeds (one seed
    trains in a third of the time of the shipped model's three). The recipe's pages
    rewritten without punctuation (``training.augment``, none for the shipped model) are
    not made here: that rewriting belongs to the recipe, not to the package.
    """
    import tempfile

    from segclf.corpus import read_split
    from segclf.sampling import Sampling, seeds_of_model
    from segclf.store import load_model
    from segclf.train import TrainSettings, average_models, fit_segmentation_model, read_language_rows

    language_file = corpus / "lid" / "lid.train.txt"
    if not language_file.is_file():
        raise InputError(
            f"{corpus}: no {language_file.relative_to(corpus)}: the text model learns languages from it "
            "(python -m training.lid_corpus builds it)"
        )
    corpus_train = list(read_split(corpus, "train"))
    if not corpus_train:
        raise InputError(f"{corpus}: no training documents (expected real.jsonl/composed.jsonl from training/)")
    seeds = list(seeds if seeds is not None else seeds_of_model(base.metadata))
    settings = TrainSettings.of_model(base.metadata)
    sampling = Sampling.of_model(base.metadata)
    language_rows = read_language_rows(language_file)
    dev = list(read_split(corpus, "dev"))
    user = _user_copies(docs, user_copies)
    metadata = {
        **{k: base.metadata[k] for k in ("name", "sources") if k in base.metadata},
        **sampling.record(),
        "outlet": {"documents": [d.id for d in docs], "base_corpus": str(corpus)},
    }
    progress(f"retraining {len(seeds)} model(s), seeds {','.join(map(str, seeds))}, as the base model was trained")
    if base.metadata.get("unpunctuated_share"):
        progress("note: the base model also trained on pages without punctuation; this retraining does not")

    def train_one(seed: int, path: Path) -> SegmentationModel:
        train = sampling.pages(corpus_train, seed) + user
        train += sampling.short_documents(train)
        progress(f"seed {seed}: {len(train)} documents ({len(docs)} of yours x{user_copies}, and short excerpts)")
        return fit_segmentation_model(
            train,
            sampling.calibration(dev, seed),
            language_rows=language_rows,
            stopwords=base.stopwords,
            out=path,
            settings=dataclasses.replace(settings, seed=seed),
            progress=progress,
            metadata=metadata,
        )

    out.parent.mkdir(parents=True, exist_ok=True)
    if len(seeds) == 1:
        return train_one(seeds[0], out)
    with tempfile.TemporaryDirectory(prefix="segclf-train-", dir=out.parent) as folder:
        members = [train_one(seed, Path(folder) / f"seed{seed}.segclf") for seed in seeds]
        average_models(members, sampling.calibration(dev, seeds[0]), out, progress=progress)
    return load_model(out)
