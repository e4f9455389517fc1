"""segclf: label every line of scraped news text as body, nav, ad, comment or foreign."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from segclf.errors import InputError, LabeledDataError, ModelError, SegclfError
from segclf.labels import LABELS, SCORED_LABELS
from segclf.segmenter import Document, Line, Segmenter, clean, segment

try:
    __version__ = version("segclf")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "__version__",
    "segment",
    "clean",
    "Segmenter",
    "Document",
    "Line",
    "LABELS",
    "SCORED_LABELS",
    "SegclfError",
    "ModelError",
    "LabeledDataError",
    "InputError",
    "load_model",
]


def load_model(path=None):  # noqa: ANN001, ANN201 - re-exported, typed in segclf.store
    """Load a model file (the shipped default when ``path`` is None); see ``segclf.store.load_model``."""
    from segclf.store import load_model as _load

    return _load(path)
