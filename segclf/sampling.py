"""How a model's training pages and calibration pages are drawn from the corpus.

The recipe (``training.train_model``) and ``segclf train --base-corpus`` draw them the
same way, so a user's full retraining is the shipped model's recipe plus the user's
documents: a sample in which no outlet and no language dominates, with a share of the
corpus's pages rendered one text node per line, short documents cut from a share of its
pages (``segclf.excerpts``), and calibration pages drawn from the development split. A
model records its ``Sampling`` in its metadata; models older than that record used the
defaults below (``Sampling.of_model``).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from segclf.draws import drawn
from segclf.excerpts import EXCERPT_SHARE, excerpts, leads
from segclf.labeled import LabeledDocument

__all__ = ["TEXT_NODES", "Sampling", "balanced", "calibration_sample", "seed_list", "seeds_of_model"]

#: The corpus renderer that writes one text node per line (``training.render``): its documents
#: train and calibrate only in the share ``Sampling.text_nodes_share`` of them.
TEXT_NODES = "text-nodes"


@dataclass(frozen=True, kw_only=True)
class Sampling:
    """What a training run draws from the corpus (the shipped model's choices by default)."""

    per_group: int = 1500  # real pages per (source, style) group
    per_language: int = 80  # composed documents per (source, language)
    excerpt_share: float = EXCERPT_SHARE  # share of training pages that also give a short document
    lead_share: float = 0.0  # share of training pages that also give their first body lines alone
    calibration_docs: int = 600  # development documents that calibrate the final stage
    text_nodes_share: float = 0.3  # share of the corpus's text-nodes documents that train and calibrate

    def kept(self, docs: Sequence[LabeledDocument]) -> list[LabeledDocument]:
        """The documents of ``docs`` this sampling may draw from (text-nodes ones only in their share)."""
        return [
            doc
            for doc in docs
            if doc.extra.get("renderer") != TEXT_NODES or drawn(TEXT_NODES, doc.id, self.text_nodes_share)
        ]

    def pages(self, docs: Sequence[LabeledDocument], seed: int) -> list[LabeledDocument]:
        """The training pages drawn with ``seed``: ``balanced`` over the documents this sampling keeps."""
        return balanced(self.kept(docs), self.per_group, self.per_language, seed)

    def calibration(self, dev: Sequence[LabeledDocument], seed: int) -> list[LabeledDocument]:
        """The development pages drawn with ``seed`` that calibrate a model's final stage."""
        return calibration_sample(self.kept(dev), seed, self.calibration_docs)

    def short_documents(self, pages: Sequence[LabeledDocument]) -> list[LabeledDocument]:
        """The short documents cut from ``pages``: excerpts, then leads (``segclf.excerpts``)."""
        return list(excerpts(pages, self.excerpt_share)) + list(leads(pages, self.lead_share))

    def record(self) -> dict[str, object]:
        """The sampling as a model's metadata keeps it."""
        return {"sampling": dataclasses.asdict(self)}

    @classmethod
    def of_model(cls, metadata: Mapping[str, object]) -> Sampling:
        """The sampling a model was trained with, as its metadata records it.

        Models up to v20 record only ``excerpt_share`` (and none before v19, which cut no
        excerpts); what a model does not record, it was trained with the default of, except
        text-nodes documents: a model that does not record their share was trained before the
        corpus had any.
        """
        if "sampling" in metadata:
            recorded = dict(metadata["sampling"])  # type: ignore[call-overload]
        else:
            recorded = {"excerpt_share": metadata.get("excerpt_share", 0.0)}
        recorded.setdefault("text_nodes_share", 0.0)
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in recorded.items() if k in known})


def balanced(docs: Sequence[LabeledDocument], per_group: int, per_language: int, seed: int) -> list[LabeledDocument]:
    """A sample of ``docs`` in which no outlet and no language dominates, drawn with ``seed``.

    Real pages: at most ``per_group`` documents of each (source, style) group.
    Composed documents: at most ``per_language`` of each (source, language), so
    that every language keeps the same share whatever its text source holds.
    """
    groups: dict[tuple, list[LabeledDocument]] = defaultdict(list)
    for doc in docs:
        if doc.extra.get("style") == "composed":
            groups[(doc.source, "composed", doc.lang)].append(doc)
        else:
            groups[(doc.source, doc.extra.get("style"))].append(doc)
    rng = random.Random(seed)
    out = []
    for key in sorted(groups, key=str):
        members = groups[key]
        rng.shuffle(members)
        out.extend(members[: per_language if key[1] == "composed" else per_group])
    return out


def calibration_sample(dev: Sequence[LabeledDocument], seed: int, size: int) -> list[LabeledDocument]:
    """``size`` development documents drawn with ``seed``: the pages that calibrate a model's final stage."""
    shuffled = list(dev)
    random.Random(seed).shuffle(shuffled)
    return shuffled[:size]


def seeds_of_model(metadata: Mapping[str, object]) -> list[int]:
    """The seeds of the models that a model averages, or its own seed (0 if it records none)."""
    members = metadata.get("averaged_from")
    if members:
        return [int(m["seed"]) for m in members]  # type: ignore[union-attr]
    return [int(dict(metadata.get("settings") or {}).get("seed", 0))]  # type: ignore[call-overload]


def seed_list(text: str) -> list[int]:
    """The value of a ``--seeds`` option: distinct integers separated by commas."""
    try:
        seeds = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"seeds must be integers separated by commas, got {text!r}") from None
    if not seeds or len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"seeds must be distinct integers, got {text!r}")
    return seeds
