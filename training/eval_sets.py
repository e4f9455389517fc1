"""The held-out sets of the corpus that ``training.build`` writes: what models are measured and chosen on.

A set is a file of the corpus and a filter of its records for a split (``dev``
to choose between models and their settings, ``test`` to report), and maybe a
rewrite of its documents. ``eval/heldout.py`` and ``eval/outlet_benchmark.py`` measure them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from segclf.corpus import Record, iter_records, labeled_document
from segclf.excerpts import excerpt
from segclf.labeled import LabeledDocument
from training.augment import unpunctuated_variant
from training.render import RENDERERS, TEXT_NODES
from training.splits import HELDOUT_LANGS

__all__ = ["SETS", "REWRITES", "CHOICE_SETS", "set_documents"]


# The real-page sets keep to the two renderers that render every page, as they did before the
# third (``text-nodes``) came: their figures stay comparable across models and corpus builds.
def _real(style: str, renderers: tuple[str, ...] = RENDERERS) -> Callable[[Record, str], bool]:
    return lambda r, split: (
        r["split"] == split
        and r["style"] == style
        and r["renderer"] in renderers
        and not r["source"].startswith("readability")
    )


def _readability(style: str) -> Callable[[Record, str], bool]:  # never trained on
    return lambda r, split: r["source"].startswith("readability") and r["style"] == style and r["renderer"] in RENDERERS


def _real_pages(r: Record, split: str) -> bool:
    return r["split"] == split and r["renderer"] in RENDERERS and not r["source"].startswith("readability")


def _composed(r: Record, split: str) -> bool:
    return r["split"] == split and r["lang"] not in HELDOUT_LANGS


#: Each set: the corpus file and which of its records belong to the set for a split.
SETS: dict[str, tuple[str, Callable[[Record, str], bool]]] = {
    "real-article": ("real.jsonl", _real("article")),
    "real-full": ("real.jsonl", _real("full")),
    "real-article-text-nodes": ("real.jsonl", _real("article", (TEXT_NODES,))),
    "real-full-text-nodes": ("real.jsonl", _real("full", (TEXT_NODES,))),
    "readability-article": ("real.jsonl", _readability("article")),
    "readability-full": ("real.jsonl", _readability("full")),
    "composed": ("composed.jsonl", _composed),
    "composed-unseen-languages": ("composed.jsonl", lambda r, split: r["lang"] in HELDOUT_LANGS),
    "composed-unpunctuated": ("composed.jsonl", _composed),
    "real-excerpts": ("real.jsonl", _real_pages),
    "composed-excerpts": ("composed.jsonl", _composed),
}
#: Sets whose documents are rewritten before they are measured (a document rewritten to
#: ``None`` is left out of its set).
REWRITES: dict[str, Callable[[LabeledDocument], LabeledDocument | None]] = {
    "composed-unpunctuated": lambda doc: unpunctuated_variant(doc, share=1.0),
    "real-excerpts": excerpt,
    "composed-excerpts": excerpt,
}
#: The sets whose mean macro-F1 chooses between models (the real pages without ``foreign``,
#: which has a handful of gold lines there).
CHOICE_SETS: tuple[str, ...] = ("real-article", "real-full", "composed", "composed-unpunctuated")


def set_documents(name: str, corpus: Path, split: str) -> list[LabeledDocument]:
    """The documents of set ``name`` for ``split``; FileNotFoundError if the corpus lacks its file."""
    file, keep = SETS[name]
    rewrite = REWRITES.get(name, lambda doc: doc)
    rewritten = (rewrite(labeled_document(r)) for r in iter_records(corpus / file) if keep(r, split))
    return [doc for doc in rewritten if doc is not None]
