"""The segmentation model: the text model, features, stage 1 and the sequence pass.

``SegmentationModel.predict`` is the whole data path of the ARCHITECTURE
sketch for a batch of documents: the text model reads each distinct line of
the batch once (one fastText pass gives its function scores and its
languages), the rest runs per document so that a document's result
never depends on what else was in its batch.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat

import numpy as np

from segclf.features import OWN_LANGUAGE, SHALLOW_NAMES, ViewTable, document_features, view_table
from segclf.labels import BLANK, FOREIGN, SCORED_LABELS, is_blank
from segclf.language import LineLanguages, document_languages, exclusive_script_languages
from segclf.linemodel import LineClassifier
from segclf.lines import feature_view, split_lines, text_model_view
from segclf.outlet import OutletAdapter
from segclf.segments import Segments
from segclf.sequence import Scope, sequence_features
from segclf.textmodel import LineTextModel

__all__ = [
    "SegmentationModel",
    "DocumentPrediction",
    "prepare_documents",
    "prepare_batch",
    "PreparedDocument",
    "PreparedBatch",
]

_FOREIGN = SCORED_LABELS.index(FOREIGN)
ADAPTER_OWN = ("log_chars", OWN_LANGUAGE)
#: A line the model did not call ``foreign`` is in the document's language unless it has
#: at least this many words and the identifier is at least this sure of another language.
_SHORT_LINE_TOKENS = 4
_CONFIDENT = 0.9
#: The main language is that of most of the document's text: a line with at least this share
#: of the document's characters is taken to set it, and is not ``foreign`` (no page of the
#: corpus has such a ``foreign`` line; 55 of 300 one-line documents cut from development
#: pages were called ``foreign``).
_MAIN_TEXT_SHARE = 0.5


@dataclass(slots=True)
class PreparedDocument:
    """A document split into lines, with the text model's outputs for its non-blank lines."""

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

    text_model: LineTextModel  # a line's function and language, in one fastText pass
    stopwords: Mapping[str, frozenset[str]]
    stage1: LineClassifier
    stage2: LineClassifier
    metadata: Mapping[str, object] = field(default_factory=dict)
    adapter: OutletAdapter | None = None  # an outlet model's memory and stacked layer
    replay: Mapping[str, np.ndarray] | None = None  # held-out rows that keep adaptation general
    sequence_scope: Scope = "window"  # what the sequence pass sees (``segclf.sequence``)

    @property
    def labels(self) -> tuple[str, ...]:
        return SCORED_LABELS

    def prepare(self, texts: Sequence[str]) -> list[PreparedDocument]:
        return prepare_documents(texts, self.text_model, self.stopwords)

    def predict(self, texts: Sequence[str]) -> list[DocumentPrediction]:
        """Label every line of each text."""
        with single_blas_thread():
            return self.predict_batch(prepare_batch(texts, self.text_model, self.stopwords))

    def batch_probabilities(self, batch: PreparedBatch) -> tuple[np.ndarray, np.ndarray]:
        """Stage-1 and final probabilities of the non-blank lines of a batch, numpy running once per batch."""
        raw = self.stage1.predict_proba(batch.features)
        probs = self.stage2.predict_proba(
            sequence_features(raw, batch.features, self.text_model_width, self.sequence_scope, batch.segments)
        )
        if self.adapter is not None:  # an outlet's memory is looked up document by document
            own = self._adapter_own_features(batch.features)
            for rows in batch.segments.slices():
                if rows.stop > rows.start:
                    views = [batch.views[v] for v in batch.vids[rows].tolist()]
                    probs[rows] = self.adapter.revise(probs[rows], views, own[rows])
        return raw, probs

    def predict_batch(self, batch: PreparedBatch) -> list[DocumentPrediction]:
        """Labels, confidences and languages of every line of every document of a batch."""
        segments = batch.segments
        raw, probs = self.batch_probabilities(batch)
        own_language = self._own_language(batch.features)
        probs = _forbid_foreign(probs, self._may_be_foreign(batch, own_language))
        best = probs.argmax(axis=1)
        langs = self._line_languages(batch.features, batch.languages, batch.doc_langs, segments.doc, best, own_language)

        # All lines of the batch (blank ones too), document after document, then cut.
        sizes = [len(lines) for lines in batch.lines]
        starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        at = np.concatenate(batch.nonblank) + starts[:-1][segments.doc] if segments.n_rows else np.zeros(0, np.int64)
        total = int(starts[-1])
        label_index = np.full(total, len(SCORED_LABELS))  # the last name is blank
        label_index[at] = best
        raw_index = np.full(total, len(SCORED_LABELS))
        raw_index[at] = raw.argmax(axis=1)
        confidences = np.ones(total)
        confidences[at] = probs[np.arange(len(best)), best]
        all_langs = np.full(total, None, dtype=object)
        all_langs[at] = langs
        labels = _LABEL_NAMES[label_index].tolist()
        raw_labels = _LABEL_NAMES[raw_index].tolist()
        confidence_list = confidences.tolist()
        lang_list = all_langs.tolist()
        out = []
        for k, (lo, hi, rows) in enumerate(zip(starts[:-1].tolist(), starts[1:].tolist(), segments.slices())):
            out.append(
                DocumentPrediction(
                    batch.lines[k],
                    labels[lo:hi],
                    confidence_list[lo:hi],
                    lang_list[lo:hi],
                    batch.doc_langs[k],
                    raw_labels[lo:hi],
                    probs[rows],
                    batch.nonblank[k],
                )
            )
        return out

    def base_probabilities(self, doc: PreparedDocument) -> np.ndarray:
        """The shipped model's final probabilities, before any outlet adapter."""
        if not len(doc.nonblank):
            return np.zeros((0, len(SCORED_LABELS)), np.float32)
        raw = self.stage1.predict_proba(doc.features)
        return self.stage2.predict_proba(self.sequence_features(raw, doc))

    def sequence_features(self, stage1_probs: np.ndarray, doc: PreparedDocument) -> np.ndarray:
        """The sequence pass's input for one prepared document."""
        return sequence_features(stage1_probs, doc.features, self.text_model_width, self.sequence_scope)

    def adapter_own_features(self, doc: PreparedDocument) -> np.ndarray:
        """The line's own features an outlet adapter reads: log length, has a language."""
        return self._adapter_own_features(doc.features)

    def _adapter_own_features(self, features: np.ndarray) -> np.ndarray:
        return features[:, [self.text_model_width + SHALLOW_NAMES.index(n) for n in ADAPTER_OWN]]

    @property
    def text_model_width(self) -> int:
        return len(self.text_model.function_labels)

    def _own_language(self, features: np.ndarray) -> np.ndarray:
        """Whether each non-blank line carries a language of its own (read from its features)."""
        return features[:, self.text_model_width + SHALLOW_NAMES.index(OWN_LANGUAGE)] > 0.5

    def _may_be_foreign(self, batch: PreparedBatch, own_language: np.ndarray) -> np.ndarray:
        """LABELS.md rule 2: the non-blank lines that can be ``foreign`` at all.

        Not a line without a language of its own (``own_language`` false), nor one holding
        most of its document's characters (``_MAIN_TEXT_SHARE``: it sets the main language).
        The networks, trained on whole pages, do not know the second of a one-line document.
        """
        features, segments = batch.features, batch.segments
        if not len(features):
            return np.zeros(0, dtype=bool)
        chars = np.expm1(features[:, self.text_model_width + SHALLOW_NAMES.index("log_chars")].astype(np.float64))
        main_text = chars >= _MAIN_TEXT_SHARE * segments.sums(chars[:, None])[segments.doc, 0]
        return own_language & ~main_text

    def _line_languages(
        self,
        features: np.ndarray,
        languages: LineLanguages,
        doc_langs: Sequence[str | None],
        row_doc: np.ndarray,
        best: np.ndarray,
        own_language: np.ndarray,
    ) -> np.ndarray:
        """The language of each non-blank line: None without one of its own; see ``line_languages``."""
        tokens_col = self.text_model_width + SHALLOW_NAMES.index("log_tokens")
        tops = languages.top
        n_words = _tokens_from_log(features[:, tokens_col])
        row_lang = np.array(doc_langs, dtype=object)[row_doc] if len(row_doc) else np.zeros(0, object)
        langs = line_languages(n_words, tops, languages.top_prob, row_lang)
        langs[~own_language] = None
        for j in np.flatnonzero(own_language & (best == _FOREIGN)).tolist():
            langs[j] = _foreign_language(languages, j, tops[j], row_lang[j])
        return langs


_LABEL_NAMES = np.array([*SCORED_LABELS, BLANK], dtype=object)


def _tokens_from_log(log_tokens: np.ndarray) -> np.ndarray:
    """Word counts back from the ``log_tokens`` feature (``log1p`` of ``len(view.split())``)."""
    return np.rint(np.expm1(log_tokens.astype(np.float64))).astype(np.int64)


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


def line_languages(
    n_words: np.ndarray, top: Sequence[str], top_prob: np.ndarray, doc_lang: str | None | np.ndarray
) -> np.ndarray:
    """The language of non-blank, non-foreign lines that have a language of their own.

    The model did not call them ``foreign``, so each is in the document's language
    unless it has at least ``_SHORT_LINE_TOKENS`` words and the identifier is very
    sure otherwise: identifiers guess wildly on menu words (``Home`` as Maori) and
    on headlines full of names (an English headline as Yoruba). ``n_words`` counts
    the words of each line, ``top`` and ``top_prob`` are the identifier's best guesses;
    ``doc_lang`` is the document's language, or each line's document's (an object array).
    """
    guesses = np.array(top, dtype=object)
    doc_langs = np.asarray(doc_lang, dtype=object)
    trusted = (np.asarray(n_words) >= _SHORT_LINE_TOKENS) & (np.asarray(top_prob) >= _CONFIDENT)
    return np.where(trusted | (doc_langs == None), guesses, doc_langs)  # noqa: E711 - elementwise


def line_language(view: str, top: str, top_prob: float, doc_lang: str | None) -> str:
    """``line_languages`` of one line (``view`` is its text)."""
    return line_languages(np.array([len(view.split())]), [top], np.array([top_prob]), doc_lang)[0]


def _foreign_language(languages: LineLanguages, j: int, top: str, doc_lang: str | None) -> str | None:
    """A foreign line's language: its best guess other than the document's language."""
    if top != doc_lang:
        return top
    return _best_other_language(languages, j, doc_lang) or top


def _best_other_language(languages: LineLanguages, j: int, exclude: str | None) -> str | None:
    return next((lang for lang, _ in languages.ranked(j) if lang != exclude), None)


def _forbid_foreign(probs: np.ndarray, possible: np.ndarray) -> np.ndarray:
    """``foreign`` only where it is ``possible`` (``SegmentationModel._may_be_foreign``); the rest renormalised."""
    if not len(probs):
        return probs
    impossible = ~possible
    if not impossible.any():
        return probs
    probs = probs.copy()
    probs[impossible, _FOREIGN] = 0.0
    probs[impossible] /= np.maximum(probs[impossible].sum(axis=1, keepdims=True), 1e-12)
    return probs


@dataclass(slots=True)
class PreparedBatch:
    """Documents split into lines, with the features of all their non-blank lines in one matrix.

    Row ``i`` of the arrays is a non-blank line of document ``segments.doc[i]``; a
    document's rows are consecutive, in line order.
    """

    lines: list[list[str]]  # each document's lines
    nonblank: list[np.ndarray]  # each document's non-blank line indices
    views: Sequence[str]  # the distinct views of the batch
    vids: np.ndarray  # (n_rows,) each row's view
    text_probs: np.ndarray
    languages: LineLanguages
    doc_langs: list[str | None]
    features: np.ndarray
    segments: Segments

    def documents(self) -> list[PreparedDocument]:
        """The batch cut into its documents."""
        docs = []
        for k, rows in enumerate(self.segments.slices()):
            languages = self.languages.slice(rows.start, rows.stop)
            doc_views = [self.views[v] for v in self.vids[rows].tolist()]
            docs.append(
                PreparedDocument(
                    self.lines[k],
                    self.nonblank[k],
                    doc_views,
                    self.text_probs[rows],
                    languages,
                    self.doc_langs[k],
                    self.features[rows],
                )
            )
        return docs


def prepare_documents(
    texts: Sequence[str],
    text_model: LineTextModel,
    stopwords: Mapping[str, frozenset[str]],
) -> list[PreparedDocument]:
    """``prepare_batch``, cut into its documents."""
    return prepare_batch(texts, text_model, stopwords).documents()


def prepare_batch(
    texts: Sequence[str],
    text_model: LineTextModel,
    stopwords: Mapping[str, frozenset[str]],
) -> PreparedBatch:
    """Split documents, run the text model once over all their lines, build features.

    Chrome repeats within and across pages, so everything that depends on a line alone
    (blankness, view, text model, shallow features) is computed once per distinct line
    of the batch; a document's results never depend on the rest of its batch.
    """
    split = [split_lines(t) for t in texts]
    distinct_lines, all_ids = _distinct(list(chain.from_iterable(split)))
    blank = np.fromiter(map(_is_blank, distinct_lines), dtype=bool, count=len(distinct_lines))
    raw_lengths = np.fromiter(map(len, distinct_lines), dtype=np.int64, count=len(distinct_lines))
    # Distinct lines can share a view (they differ in white space), views a model text.
    nonblank_lines = np.flatnonzero(~blank)
    line_views = list(map(feature_view, map(distinct_lines.__getitem__, nonblank_lines.tolist())))
    views, view_ids = _distinct(line_views)
    view_of_line = np.full(len(distinct_lines), -1, dtype=np.int64)
    view_of_line[nonblank_lines] = view_ids
    table = view_table(views)
    cap = repeat(text_model.max_chars)
    model_texts, model_of_view = _distinct(list(map(text_model_view, views, table.has_digit.tolist(), cap)))
    text_probs_distinct, languages_distinct = text_model.score(model_texts)
    view_languages = exclusive_script_languages(languages_distinct.take(model_of_view), table.scripts, table.letters)

    # The non-blank lines of all documents, document after document.
    line_segments = Segments.of_sizes([len(lines) for lines in split])
    is_row = ~blank[all_ids]
    rows = np.flatnonzero(is_row)
    row_doc = line_segments.doc[rows]
    segments = Segments.of_sizes(np.bincount(row_doc, minlength=len(split)))
    nonblank = np.split(line_segments.position[rows], segments.starts[1:])
    vids = view_of_line[all_ids[rows]]
    model_rows = model_of_view[vids]
    text_probs = text_probs_distinct[model_rows]
    languages = view_languages.take(vids)
    doc_langs = document_languages(languages, table.lengths[vids], text_probs[:, 0] + 0.05, segments)
    features = document_features(
        table,
        vids,
        raw_lengths[all_ids[rows]],
        *_blank_neighbours(is_row, rows, line_segments),
        text_probs,
        languages,
        doc_langs,
        _stop_shares(table, vids, doc_langs, segments, stopwords),
        segments,
    )
    return PreparedBatch(split, nonblank, views, vids, text_probs, languages, doc_langs, features, segments)


def _stop_shares(
    table: ViewTable,
    vids: np.ndarray,
    doc_langs: Sequence[str | None],
    segments: Segments,
    stopwords: Mapping[str, frozenset[str]],
) -> np.ndarray:
    """Each row's share of its document language's stop words."""
    langs = sorted(set(doc_langs), key=str)
    code = {lang: i for i, lang in enumerate(langs)}
    set_of_row = np.array([code[lang] for lang in doc_langs], dtype=np.int64)[segments.doc]
    return table.stop_shares(vids, set_of_row, [stopwords.get(lang or "", frozenset()) for lang in langs])


def _distinct(items: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct items in order of first appearance, and the index of each item among them."""
    distinct = list(dict.fromkeys(items))
    index = dict(zip(distinct, range(len(distinct))))
    return distinct, np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))


def _is_blank(line: str) -> bool:
    """``is_blank``, with the common cases decided by C string methods first."""
    if not line or line.isspace():
        return True
    if line.isascii():  # ASCII has no invisible characters: a non-space one makes it non-blank
        return False
    return is_blank(line)


def _blank_neighbours(is_row: np.ndarray, rows: np.ndarray, line_segments: Segments) -> tuple[np.ndarray, np.ndarray]:
    """Whether the raw line just before/after each non-blank line (``rows`` of ``is_row``) is blank.

    0 for a document's first line (nothing before) and last line (nothing after).
    """
    position = line_segments.position[rows]
    has_before = position > 0
    has_after = position < line_segments.row_sizes()[rows] - 1
    before = has_before & ~is_row[np.maximum(rows - 1, 0)]
    after = has_after & ~is_row[np.minimum(rows + 1, len(is_row) - 1)]
    return before.astype(np.float32), after.astype(np.float32)
