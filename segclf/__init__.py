"""segclf: label every line of scraped news text as body, nav, ad, comment or foreign.

    >>> import segclf
    >>> doc = segclf.segment(text)          # one Line per input line, doc.lang
    >>> body = segclf.clean(text)           # the article with its paragraph breaks

Heavy modules (numpy, fastText) are imported on first use, so ``segclf --help``
starts at once.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import TYPE_CHECKING, Any

from segclf.errors import InputError, LabeledDataError, ModelError, SegclfError
from segclf.labels import LABELS, SCORED_LABELS

if TYPE_CHECKING:
    from segclf.segmenter import Document, Line, Segmenter, clean, segment
    from segclf.store import load_model

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "__version__",
    "segment",
    "clean",
    "Segmenter",
    "Document",
    "Line",
    "load_model",
    "LABELS",
    "SCORED_LABELS",
    "SegclfError",
    "ModelError",
    "LabeledDataError",
    "InputError",
]

_LAZY = {
    "segment": "segclf.segmenter",
    "clean": "segclf.segmenter",
    "Segmenter": "segclf.segmenter",
    "Document": "segclf.segmenter",
    "Line": "segclf.segmenter",
    "load_model": "segclf.store",
}


def __getattr__(name: str) -> Any:  # PEP 562: import the API on first use
    if name == "__version__":  # importlib.metadata takes longer to import than segclf itself
        globals()[name] = _version()
        return globals()[name]
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'segclf' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("segclf")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0"


def __dir__() -> list[str]:
    return sorted(__all__)
