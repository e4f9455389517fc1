"""The public API: ``segment``, ``clean``, ``Segmenter``, ``Document`` and ``Line``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from segclf.columns import LabelColumns
from segclf.labels import BLANK, BODY, LABELS
from segclf.model import DocumentPrediction, SegmentationModel

__all__ = ["Line", "Document", "Segmenter", "segment", "clean", "clean_document"]

#: Documents with more lines than this are labeled in pieces, so memory stays bounded.
MAX_LINES_PER_PASS = 50_000


class Line:
    """One line of a document with its label.

    ``text`` is the line exactly as in the input; ``confidence`` is the calibrated
    probability of ``label``; ``lang`` is the line's ISO 639-1 language, or None for
    a line with no language of its own (or a blank line); ``raw_label`` is the
    label before the sequence pass.
    """

    __slots__ = ("text", "label", "confidence", "lang", "raw_label")

    def __init__(
        self, text: str, label: str, confidence: float, lang: str | None, raw_label: str | None = None
    ) -> None:
        self.text = text
        self.label = label
        self.confidence = confidence
        self.lang = lang
        self.raw_label = raw_label if raw_label is not None else label

    def __repr__(self) -> str:
        return f"Line({self.text[:40]!r}, label={self.label!r}, confidence={self.confidence:.2f}, lang={self.lang!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Line):
            return NotImplemented
        return (self.text, self.label, self.confidence, self.lang) == (
            other.text,
            other.label,
            other.confidence,
            other.lang,
        )

    def to_dict(self) -> dict:
        return {"label": self.label, "confidence": round(self.confidence, 4), "lang": self.lang, "text": self.text}


class Document(list):
    """The labeled lines of one document (a ``list`` of ``Line``) and its main language ``lang``."""

    def __init__(self, lines: Iterable[Line] = (), lang: str | None = None) -> None:
        super().__init__(lines)
        self.lang = lang

    @property
    def lines(self) -> list[Line]:
        return list(self)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self)

    @property
    def labels(self) -> list[str]:
        return [line.label for line in self]

    def clean(self, keep: Iterable[str] = (BODY,)) -> str:
        return clean_document(self, keep)

    def __repr__(self) -> str:
        return f"Document(lang={self.lang!r}, lines={len(self)})"


def clean_document(doc: Sequence[Line] | LabelColumns, keep: Iterable[str] = (BODY,)) -> str:
    """The kept lines; a run of dropped lines that held a blank line becomes one paragraph break."""
    cols = LabelColumns.of(doc)
    keep = set(keep)
    unknown = keep - set(LABELS)
    if unknown:
        raise ValueError(f"keep must name labels among {', '.join(LABELS)}, got {', '.join(sorted(unknown))}")
    out: list[str] = []
    gap_has_blank = False
    for label, text in zip(cols.labels, cols.texts):
        if label in keep and label != BLANK:
            if out and gap_has_blank:
                out.append("")
            out.append(text)
            gap_has_blank = False
        elif label == BLANK:
            gap_has_blank = True
    return "\n".join(out)


def _document(prediction: DocumentPrediction) -> Document:
    p = prediction
    return Document(map(Line, p.lines, p.labels, p.confidences, p.langs, p.raw_labels), p.doc_lang)


class Segmenter:
    """Loads a model once and labels many documents.

    ``model`` is a path to a model file, a loaded ``SegmentationModel``, or None for
    the model shipped with segclf. ``batch_size`` documents share one call of the
    text models.
    """

    def __init__(
        self, model: str | os.PathLike[str] | SegmentationModel | None = None, *, batch_size: int = 64
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        from segclf.store import load_model

        self.model = model if isinstance(model, SegmentationModel) else load_model(model)
        self.batch_size = batch_size

    @property
    def model_path(self) -> Path | None:
        path = self.model.metadata.get("path")
        return Path(str(path)) if path else None

    def segment(self, text: str) -> Document:
        """Label every line of ``text``: one ``Line`` per element of ``text.split("\\n")``."""
        return next(iter(self.segment_many([text])))

    def segment_many(self, texts: Iterable[str]) -> Iterator[Document]:
        """Label many documents, in order, streaming: documents are read ``batch_size`` at a time."""
        for result in self._results(texts):
            yield result if isinstance(result, Document) else _document(result)

    def _label_columns(self, texts: Iterable[str]) -> Iterator[LabelColumns]:
        """``segment_many`` as ``LabelColumns``: the labels without a ``Line`` object per line (the command line)."""
        for result in self._results(texts):
            yield LabelColumns.of(result) if isinstance(result, Document) else LabelColumns.from_prediction(result)

    def _results(self, texts: Iterable[str]) -> Iterator[DocumentPrediction | Document]:
        """``segment_many`` before its ``Line`` objects are built (a very long document comes built).

        Parallel workers send labels back from here: the parent builds the lines.
        """
        it = iter(texts)
        while batch := list(islice(it, self.batch_size)):
            for text in batch:
                if not isinstance(text, str):
                    raise TypeError(f"text must be str, got {type(text).__name__}; decode bytes first")
            small = [t for t in batch if t.count("\n") < MAX_LINES_PER_PASS]
            predictions = iter(self.model.predict(small))
            for text in batch:
                if text.count("\n") < MAX_LINES_PER_PASS:
                    yield next(predictions)
                else:
                    yield self._segment_long(text)

    def _segment_long(self, text: str) -> Document:
        """A very long document, labeled in pieces of ``MAX_LINES_PER_PASS`` lines."""
        lines = text.split("\n")
        pieces = ["\n".join(lines[i : i + MAX_LINES_PER_PASS]) for i in range(0, len(lines), MAX_LINES_PER_PASS)]
        del lines
        doc = Document()
        weight: dict[str | None, int] = {}
        for piece in pieces:
            part = _document(self.model.predict([piece])[0])
            weight[part.lang] = weight.get(part.lang, 0) + len(piece)
            doc.extend(part)
        doc.lang = max(weight, key=weight.__getitem__) if weight else None
        return doc

    def clean(self, text: str, keep: Iterable[str] = (BODY,)) -> str:
        return clean_document(self.segment(text), keep)


_DEFAULT: Segmenter | None = None


def _default() -> Segmenter:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Segmenter()
    return _DEFAULT


def segment(text: str, *, model: str | os.PathLike[str] | None = None) -> Document:
    """Label every line of ``text`` with the shipped model (or ``model``).

    Returns a ``Document``: a list with exactly one ``Line`` per element of
    ``text.split("\\n")``, whose texts join back to ``text``; ``.lang`` is the
    document's main language.
    """
    return (Segmenter(model) if model is not None else _default()).segment(text)


def clean(text: str, *, keep: Iterable[str] = (BODY,), model: str | os.PathLike[str] | None = None) -> str:
    """The body of ``text`` (or the labels in ``keep``), with its paragraph breaks."""
    return clean_document(segment(text, model=model), keep)
