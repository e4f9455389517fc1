"""The segmentation model: text models, features, stage 1 and the sequence pass.

``SegmentationModel.predict`` is the whole data path of the ARCHITECTURE
sketch for a batch of documents: the text models run once per batch (one
fastText call each), the rest runs per document so that a document's result
never depends on what else was in its batch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from segclf.features import OWN_LANGUAGE, SHALLOW_NAMES, document_features
from segclf.labels import BLANK, FOREIGN, SCORED_LABELS, is_blank
from segclf.language import LanguageIdentifier, LineLanguages, document_language
from segclf.linemodel import LineClassifier
from segclf.lines import feature_view, model_view, split_lines
from segclf.outlet import OutletAdapter
from segclf.sequence import sequence_features
from segclf.textmodel import FastTextClassifier

__all__ = ["SegmentationModel", "DocumentPrediction", "prepare_documents", "PreparedDocument"]

_FOREIGN = SCORED_LABELS.index(FOREIGN)
ADAPTER_OWN = ("log_chars", OWN_LANGUAGE)
#: Below this identifier confidence a short line is taken to be in the document's language.
_SHORT_LINE_TOKENS = 4
_CONFIDENT = 0.5


@dataclass(slots=True)
class PreparedDocument:
    """A document split into lines, with the text models' outputs for its non-blank lines."""

    lines: list[str]
    nonblank: np.ndarray  # indices of non-blank lines
    views: list[str]
    text_probs: np.ndarray
    languages: LineLanguages
    doc_lang: str | None
    features: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))


@dataclass(slots=True)
class DocumentPrediction:
    """Labels, confidences and languages of every line of one document."""

    lines: list[str]
    labels: list[str]
    confidences: list[float]
    langs: list[str | None]
    doc_lang: str | None
    raw_labels: list[str]  # stage-1 labels before the sequence pass
    probs: np.ndarray  # (n_nonblank, n_labels) final probabilities
    nonblank: np.ndarray


@dataclass(frozen=True)
class SegmentationModel:
    """Everything a model file holds, ready to predict."""

    text_model: FastTextClassifier
    language_id: LanguageIdentifier
    stopwords: Mapping[str, frozenset[str]]
    stage1: LineClassifier
    stage2: LineClassifier
    metadata: Mapping[str, object] = field(default_factory=dict)
    adapter: OutletAdapter | None = None  # an outlet model's memory and stacked layer
    replay: Mapping[str, np.ndarray] | None = None  # held-out rows that keep adaptation general

    @property
    def labels(self) -> tuple[str, ...]:
        return SCORED_LABELS

    def prepare(self, texts: Sequence[str]) -> list[PreparedDocument]:
        return prepare_documents(texts, self.text_model, self.language_id, self.stopwords)

    def predict(self, texts: Sequence[str]) -> list[DocumentPrediction]:
        """Label every line of each text."""
        with single_blas_thread():
            return [self.predict_prepared(doc) for doc in self.prepare(texts)]

    def stage_probabilities(self, doc: PreparedDocument) -> tuple[np.ndarray, np.ndarray]:
        """Stage-1 and final probabilities of a prepared document's non-blank lines."""
        if not len(doc.nonblank):
            empty = np.zeros((0, len(SCORED_LABELS)), np.float32)
            return empty, empty
        raw = self.stage1.predict_proba(doc.features)
        revised = self.stage2.predict_proba(sequence_features(raw, doc.features, self.text_model_width))
        if self.adapter is not None:
            revised = self.adapter.revise(revised, doc.views, self.adapter_own_features(doc))
        return raw, revised

    def base_probabilities(self, doc: PreparedDocument) -> np.ndarray:
        """The shipped model's final probabilities, before any outlet adapter."""
        if not len(doc.nonblank):
            return np.zeros((0, len(SCORED_LABELS)), np.float32)
        raw = self.stage1.predict_proba(doc.features)
        return self.stage2.predict_proba(sequence_features(raw, doc.features, self.text_model_width))

    def adapter_own_features(self, doc: PreparedDocument) -> np.ndarray:
        """The line's own features an outlet adapter reads: log length, has a language."""
        cols = [self.text_model_width + SHALLOW_NAMES.index(n) for n in ADAPTER_OWN]
        return doc.features[:, cols]

    @property
    def text_model_width(self) -> int:
        return len(self.text_model.labels)

    def own_language(self, doc: PreparedDocument) -> np.ndarray:
        """Whether each non-blank line carries a language of its own (read from its features)."""
        return doc.features[:, self.text_model_width + SHALLOW_NAMES.index(OWN_LANGUAGE)] > 0.5

    def predict_prepared(self, doc: PreparedDocument) -> DocumentPrediction:
        raw, probs = self.stage_probabilities(doc)
        own_language = self.own_language(doc) if len(doc.nonblank) else np.zeros(0, bool)
        probs = _forbid_foreign_without_language(probs, own_language)
        n = len(doc.lines)
        labels = [BLANK] * n
        raw_labels = [BLANK] * n
        confidences = [1.0] * n
        langs: list[str | None] = [None] * n
        best = probs.argmax(axis=1) if len(probs) else np.zeros(0, int)
        raw_best = raw.argmax(axis=1) if len(raw) else np.zeros(0, int)
        best_probs = probs[np.arange(len(best)), best].tolist()
        tops, top_probs = doc.languages.top, doc.languages.top_prob.tolist()
        p_doc = doc.languages.prob_of(doc.doc_lang).tolist()
        own = own_language.tolist()
        for j, (i, b, r) in enumerate(zip(doc.nonblank.tolist(), best.tolist(), raw_best.tolist())):
            labels[i] = SCORED_LABELS[b]
            raw_labels[i] = SCORED_LABELS[r]
            confidences[i] = best_probs[j]
            if not own[j]:
                langs[i] = None
            elif b == _FOREIGN:
                langs[i] = _foreign_language(doc, j, tops[j])
            else:
                langs[i] = line_language(doc.views[j], tops[j], top_probs[j], p_doc[j], doc.doc_lang)
        return DocumentPrediction(doc.lines, labels, confidences, langs, doc.doc_lang, raw_labels, probs, doc.nonblank)


_CONTROLLER = None


def single_blas_thread() -> contextlib.AbstractContextManager:
    """Run numpy's matrix products on one thread while labeling.

    A document's matrices are small (lines x ~150): a thread pool costs ten times
    the product itself, and parallelism belongs to whole documents (``--jobs``).
    """
    global _CONTROLLER
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return contextlib.nullcontext()
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


def line_language(view: str, top: str, top_prob: float, p_doc: float, doc_lang: str | None) -> str:
    """The language of a non-blank, non-foreign line that has a language of its own.

    A short line that the model did not call ``foreign`` is in the document's
    language: identifiers guess wildly on menu words (``Home`` as Maori).
    """
    if doc_lang is None:
        return top
    if len(view.split()) < _SHORT_LINE_TOKENS:
        return doc_lang
    return top if top_prob >= _CONFIDENT or p_doc < 0.05 else doc_lang


def _foreign_language(doc: PreparedDocument, j: int, top: str) -> str | None:
    """A foreign line's language: its best guess other than the document's language."""
    if top != doc.doc_lang:
        return top
    return _best_other_language(doc.languages, j, doc.doc_lang) or top


def _best_other_language(languages: LineLanguages, j: int, exclude: str | None) -> str | None:
    return next((lang for lang, _ in languages.ranked(j) if lang != exclude), None)


def _forbid_foreign_without_language(probs: np.ndarray, own_language: np.ndarray) -> np.ndarray:
    """LABELS.md rule 2: a line with no language of its own is never ``foreign``."""
    if not len(probs):
        return probs
    neutral = ~own_language
    if not neutral.any():
        return probs
    probs = probs.copy()
    probs[neutral, _FOREIGN] = 0.0
    probs[neutral] /= np.maximum(probs[neutral].sum(axis=1, keepdims=True), 1e-12)
    return probs


def prepare_documents(
    texts: Sequence[str],
    text_model: FastTextClassifier,
    language_id: LanguageIdentifier,
    stopwords: Mapping[str, frozenset[str]],
) -> list[PreparedDocument]:
    """Split documents, run both text models once over all their lines, build features."""
    split = [split_lines(t) for t in texts]
    nonblank = [np.array([i for i, line in enumerate(lines) if not is_blank(line)], dtype=np.int64) for lines in split]
    views_per_doc = [[feature_view(lines[i]) for i in idx] for lines, idx in zip(split, nonblank)]
    # Chrome repeats within and across pages: each distinct line is scored once.
    unique: dict[str, int] = {}
    inverse = np.fromiter(
        (unique.setdefault(model_view(v), len(unique)) for views in views_per_doc for v in views), dtype=np.int64
    )
    distinct = list(unique)
    text_probs_all = text_model.predict_proba(distinct)[inverse]
    languages_distinct = language_id.identify(distinct, model_views=distinct)
    languages_all = LineLanguages(
        languages_distinct.columns[inverse], languages_distinct.probs[inverse], languages_distinct.labels
    )

    docs = []
    start = 0
    for lines, idx, views in zip(split, nonblank, views_per_doc):
        stop = start + len(views)
        text_probs = text_probs_all[start:stop]
        languages = languages_all.slice(start, stop)
        start = stop
        doc_lang = document_language(views, languages, weights=text_probs[:, 0] + 0.05) if views else None
        blank_before, blank_after = _blank_neighbours(lines, idx)
        features = document_features(
            views,
            [len(lines[i]) for i in idx],
            blank_before,
            blank_after,
            text_probs,
            languages,
            doc_lang,
            stopwords.get(doc_lang or "", frozenset()),
        )
        docs.append(PreparedDocument(lines, idx, views, text_probs, languages, doc_lang, features))
    return docs


def _blank_neighbours(lines: list[str], nonblank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether the raw line just before/after each non-blank line is blank."""
    is_nb = np.zeros(len(lines) + 2, dtype=bool)
    is_nb[nonblank + 1] = True
    before = (~is_nb[nonblank]).astype(np.float32)
    after = (~is_nb[nonblank + 2]).astype(np.float32)
    before[nonblank == 0] = 0.0
    after[nonblank == len(lines) - 1] = 0.0
    return before, after
