"""Scripts, the document's language, each line's language, and lines with none.

Language evidence is weighed, not obeyed: a per-line identifier is unreliable
on short lines, so the classifier receives these signals as features next to
length and context. Only the *document* language is decided here (by the
characters of long lines), and a line's reported language falls back to the
document's language when the identifier is unsure of a short line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from segclf.chars import HAN, HANGUL, KANA
from segclf.segments import Segments

__all__ = [
    "has_own_language",
    "LineLanguages",
    "document_languages",
    "exclusive_script_languages",
]

_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\S+\.(?:com|org|net|html?)\b", re.I)
_MAYBE_URL = re.compile(r"://|www\.|@|\.(?:com|org|net|htm)", re.I)
#: Scripts written without spaces between words: tokens are single characters.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W\d_{_UNSPACED}]+")


def tokens(view: str) -> list[str]:
    """Lower-case word tokens; characters of unspaced scripts are tokens of their own."""
    return _TOKEN.findall(view.lower())


def has_own_language(view: str, letters: int | None = None) -> bool:
    """False for a line that carries no language: numbers, URLs, e-mails, punctuation, emoji.

    ``letters``, the number of letters in ``view``, may be given when already counted.
    """
    if letters is None:
        letters = sum(map(str.isalpha, view))
    if letters < 2:
        return False
    if not _MAYBE_URL.search(view):  # no URL or e-mail to take away (a cheap test first)
        return True
    return sum(map(str.isalpha, _URL_OR_EMAIL.sub(" ", view))) >= 2


@dataclass(frozen=True, slots=True)
class LineLanguages:
    """The text model's few best guesses of the language of each line of a document.

    Kept sparse (``top_k`` languages per line) so a long document costs
    ``n_lines * top_k`` numbers, not ``n_lines * n_languages``.
    """

    columns: np.ndarray  # (n_lines, k) indices into ``labels``, best first
    probs: np.ndarray  # (n_lines, k) their probabilities
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.columns)

    @property
    def top(self) -> list[str]:
        """The most likely language of each line."""
        if not self.columns.shape[1]:
            return [""] * len(self)
        return list(map(self.labels.__getitem__, self.columns[:, 0].tolist()))

    @property
    def top_prob(self) -> np.ndarray:
        return self.probs[:, 0] if self.probs.shape[1] else np.zeros(len(self), np.float32)

    def prob_at(self, column_of_row: np.ndarray) -> np.ndarray:
        """Each line's probability of language ``labels[column_of_row[i]]`` (0 where it is not among its guesses)."""
        return np.where(self.columns == column_of_row[:, None], self.probs, 0.0).sum(axis=1).astype(np.float32)

    def slice(self, start: int, stop: int) -> LineLanguages:
        return LineLanguages(self.columns[start:stop], self.probs[start:stop], self.labels)

    def take(self, rows: np.ndarray) -> LineLanguages:
        """The guesses of lines ``rows`` (an index array), in that order."""
        return LineLanguages(self.columns[rows], self.probs[rows], self.labels)

    def ranked(self, row: int) -> list[tuple[str, float]]:
        """A line's guesses, best first."""
        return [(self.labels[c], float(p)) for c, p in zip(self.columns[row], self.probs[row]) if p > 0]


def document_languages(
    languages: LineLanguages, lengths: np.ndarray, weights: np.ndarray, segments: Segments
) -> list[str | None]:
    """The main language of each document of ``segments``: the most probable language by weighted characters.

    The rows are the lines of several documents. ``lengths`` are their characters;
    ``weights`` say how much each line counts (the caller gives body-like lines more):
    LABELS.md defines the main language by the body's characters. ``np.bincount`` adds
    each document's masses in row order, the same additions as for the document alone.
    """
    n_docs, n_labels = len(segments.sizes), len(languages.labels)
    if not n_labels:
        return [None] * n_docs
    chars = np.asarray(lengths, dtype=np.float64) * weights
    mass = (languages.probs * chars[:, None]).ravel()
    bins = (segments.doc[:, None] * n_labels + languages.columns).ravel()
    totals = np.bincount(bins, mass, minlength=n_docs * n_labels).reshape(n_docs, n_labels)
    best = totals.argmax(axis=1).tolist()
    found = (totals.max(axis=1) > 0).tolist()
    return [languages.labels[b] if ok else None for b, ok in zip(best, found)]


#: A line whose letters are at least this share of one writing system is written in it.
_WRITING_SYSTEM_SHARE = 0.5


def exclusive_script_languages(languages: LineLanguages, scripts: np.ndarray, letters: np.ndarray) -> LineLanguages:
    """Correct the text model where a line's letters name its language outright.

    Kana is written by Japanese alone and Hangul by Korean alone, yet the text model,
    whose character n-grams share hash buckets across 100+ languages, named one
    Japanese line in fifteen Chinese (development rows of the language corpus), and
    Japanese lines in Japanese pages were flagged ``foreign``. A line at least half
    Japanese script (kana and Han) with a kana letter is Japanese; a line at least half
    Hangul is Korean. Every other line keeps the model's guesses: Han alone is Chinese
    or Japanese, and Latin, Cyrillic or Arabic letters are shared by many languages.

    ``scripts`` holds each line's letters per script (``chars.SCRIPTS`` columns) and
    ``letters`` its letter count.
    """
    kana = scripts[:, KANA].sum(axis=1)
    share_of = np.maximum(letters, 1.0)
    written_in = {
        "ja": (kana > 0) & ((kana + scripts[:, HAN]) / share_of >= _WRITING_SYSTEM_SHARE),
        "ko": scripts[:, HANGUL] / share_of >= _WRITING_SYSTEM_SHARE,
    }
    labels = languages.labels
    decided = {lang: rows for lang, rows in written_in.items() if lang in labels and rows.any()}
    if not decided or not languages.columns.shape[1]:
        return languages
    columns, probs = languages.columns.copy(), languages.probs.copy()
    for lang, rows in decided.items():
        columns[rows, 0] = labels.index(lang)
        probs[rows] = 0.0
        probs[rows, 0] = 1.0
    return LineLanguages(columns, probs, labels)
