"""A labeled document as columns: what the command line writes, without a ``Line`` per line.

``Document`` (a list of ``Line`` objects) is the API's form of a result. The
command line only formats the labels, so it takes them as lists: building and
reading a ``Line`` for every line of a corpus cost about a microsecond each
(measured: 0.12 s for 200,000 lines, besides reading their attributes back).
This module imports nothing heavy: the output code uses it before numpy is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover - typing only
    from segclf.model import DocumentPrediction

__all__ = ["LabelColumns"]


class _LabeledLine(Protocol):
    text: str
    label: str
    confidence: float
    lang: str | None


@dataclass(frozen=True, slots=True)
class LabelColumns:
    """Every line's text, label, confidence and language, one list each, and the document's language.

    ``confidences`` is a list of floats or a float64 numpy array.
    """

    texts: list[str]
    labels: list[str]
    confidences: Sequence[float]
    langs: list[str | None]
    lang: str | None

    def __len__(self) -> int:
        return len(self.labels)

    @classmethod
    def from_prediction(cls, prediction: DocumentPrediction) -> LabelColumns:
        p = prediction
        return cls(p.lines, p.labels, p.confidences, p.langs, p.doc_lang)

    @classmethod
    def of(cls, doc: LabelColumns | Iterable[_LabeledLine]) -> LabelColumns:
        """``doc`` itself, or the columns of a ``Document`` (a sequence of lines with a ``.lang``)."""
        if isinstance(doc, LabelColumns):
            return doc
        lines = list(doc)
        return cls(
            [ln.text for ln in lines],
            [ln.label for ln in lines],
            [ln.confidence for ln in lines],
            [ln.lang for ln in lines],
            getattr(doc, "lang", None),
        )
