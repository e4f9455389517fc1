"""Shallow per-line features and windows over the neighbouring lines.

Everything here is a pure function of a document's non-blank lines and the
text models' outputs; the column names are recorded in the model so a model
and the code that feeds it can be checked against each other.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from segclf.chars import LATIN, CharCounts, count_chars
from segclf.language import LineLanguages, has_own_language, tokens

__all__ = [
    "SHALLOW_NAMES",
    "shallow_features",
    "document_features",
    "neighbour_features",
    "feature_names",
    "n_features",
]

_TERMINAL = tuple(".!?。！？؟۔।…\"'”»)")
_BULLETS = tuple("-•*·–—>»▶►●■□◦+#")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|html?)\b", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_SEPARATOR = re.compile(r"\s[|/·•>»]\s|\|")
_DATE = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}[./:-]\d{1,2}\b")

OWN_LANGUAGE = "has_own_language"
SHALLOW_NAMES: tuple[str, ...] = (
    "log_chars",
    "log_tokens",
    "frac_letters",
    "frac_digits",
    "frac_upper",
    "frac_punct",
    "ends_terminal",
    "starts_bullet",
    "has_url",
    "has_email",
    "has_separator",
    "has_copyright",
    "title_ratio",
    "mean_token_len",
    "all_caps",
    "ends_colon",
    "has_date",
    "starts_digit",
    "ends_star",
    "commas_per_token",
    "has_own_language",
)


def _text_features(view: str, has_digits: bool) -> tuple[float, ...]:
    """The features of one line that need its words or a pattern (``view`` is non-empty)."""
    words = view.split()
    n_words = len(words) or 1
    firsts = [w[0] for w in words if w[0].isalpha()]
    titled = sum(map(str.isupper, firsts))
    return (
        math.log1p(len(words)),
        float(view.endswith(_TERMINAL)),
        float(view.startswith(_BULLETS)),
        float(("." in view or "/" in view) and _URL.search(view) is not None),
        float("@" in view and _EMAIL.search(view) is not None),
        float(_SEPARATOR.search(view) is not None),
        float("©" in view or "(c)" in view.lower()),
        titled / len(firsts) if firsts else 0.0,
        min(len(view) / n_words, 30.0) / 10.0,
        float(view.endswith(":")),
        float(has_digits and _DATE.search(view) is not None),
        float(view[:1].isdigit()),
        float(view.endswith("*")),
        view.count(",") / n_words,
    )


def shallow_features(views: Sequence[str], raw_lengths: Sequence[int], counts: CharCounts) -> np.ndarray:
    """The ``SHALLOW_NAMES`` columns for every line."""
    digits = (counts.digits > 0).tolist()
    text = np.array([_text_features(v, d) for v, d in zip(views, digits)], dtype=np.float32).reshape(len(views), 14)
    length = np.maximum(counts.length, 1.0)
    letters = counts.letters
    own_language = np.array([has_own_language(v, int(k)) for v, k in zip(views, letters)], dtype=np.float32)
    columns = {
        "log_chars": np.log1p(np.asarray(raw_lengths, dtype=np.float32)),
        "log_tokens": text[:, 0],
        "frac_letters": letters / length,
        "frac_digits": counts.digits / length,
        "frac_upper": np.where(letters > 0, counts.upper / np.maximum(letters, 1.0), 0.0),
        "frac_punct": counts.punct / length,
        "ends_terminal": text[:, 1],
        "starts_bullet": text[:, 2],
        "has_url": text[:, 3],
        "has_email": text[:, 4],
        "has_separator": text[:, 5],
        "has_copyright": text[:, 6],
        "title_ratio": text[:, 7],
        "mean_token_len": text[:, 8],
        "all_caps": ((letters >= 3) & (counts.upper == letters)).astype(np.float32),
        "ends_colon": text[:, 9],
        "has_date": text[:, 10],
        "starts_digit": text[:, 11],
        "ends_star": text[:, 12],
        "commas_per_token": text[:, 13],
        OWN_LANGUAGE: own_language,
    }
    return np.column_stack([columns[name] for name in SHALLOW_NAMES]).astype(np.float32)


OFFSETS = (-3, -2, -1, 1, 2, 3)
WINDOW = 6


def neighbour_features(signals: np.ndarray, offsets: Sequence[int] = OFFSETS, window: int = WINDOW) -> np.ndarray:
    """Neighbours' signals at fixed offsets (zero-padded, with a presence flag) and window means.

    ``signals`` is ``(n_lines, k)``; the result is
    ``(n_lines, len(offsets) * (k + 1) + 2 * k)``: each offset's signals and
    whether that neighbour exists, then the mean over the ``window`` lines
    before and the ``window`` lines after.
    """
    n, k = signals.shape
    parts = []
    for off in offsets:
        shifted = np.zeros((n, k + 1), dtype=np.float32)
        if off < 0 and n + off > 0:
            shifted[-off:, :k] = signals[: n + off]
            shifted[-off:, k] = 1.0
        elif off > 0 and n - off > 0:
            shifted[: n - off, :k] = signals[off:]
            shifted[: n - off, k] = 1.0
        parts.append(shifted)
    cumsum = np.vstack([np.zeros((1, k), dtype=np.float64), np.cumsum(signals, axis=0, dtype=np.float64)])
    idx = np.arange(n)
    lo = np.maximum(idx - window, 0)
    before_n = np.maximum(idx - lo, 1)[:, None]
    before = (cumsum[idx] - cumsum[lo]) / before_n
    hi = np.minimum(idx + 1 + window, n)
    after_n = np.maximum(hi - idx - 1, 1)[:, None]
    after = (cumsum[hi] - cumsum[idx + 1]) / after_n
    parts.extend([before.astype(np.float32), after.astype(np.float32)])
    return np.hstack(parts)


DOC_NAMES: tuple[str, ...] = (
    "stopword_share",
    "p_doc_lang",
    "p_top_lang",
    "top_is_doc_lang",
    "doc_script_share",
    "latin_on_unlatin_doc",
    "rel_position",
    "log_from_start",
    "log_from_end",
    "log_doc_lines",
    "blank_before",
    "blank_after",
    "repeats_in_doc",
    "is_first_line",
    "rel_log_length",
)


def _neighbour_names(signal_names: Sequence[str]) -> list[str]:
    names = []
    for off in OFFSETS:
        names += [f"{n}@{off:+d}" for n in signal_names] + [f"exists@{off:+d}"]
    names += [f"{n}@before" for n in signal_names] + [f"{n}@after" for n in signal_names]
    return names


def feature_names(text_labels: Sequence[str]) -> list[str]:
    """Column names of ``document_features`` for a text model with these labels."""
    text = [f"text_{lab}" for lab in text_labels]
    signals = [*text, "log_chars", "stopword_share", "p_doc_lang"]
    return [*text, *SHALLOW_NAMES, *DOC_NAMES, *_neighbour_names(signals)]


def n_features(n_text_labels: int) -> int:
    """Number of columns of ``document_features`` for a text model with this many labels."""
    signals = n_text_labels + 3
    return n_text_labels + len(SHALLOW_NAMES) + len(DOC_NAMES) + len(OFFSETS) * (signals + 1) + 2 * signals


def document_features(
    views: Sequence[str],
    raw_lengths: Sequence[int],
    blank_before: np.ndarray,
    blank_after: np.ndarray,
    text_probs: np.ndarray,
    languages: LineLanguages,
    doc_lang: str | None,
    stopwords: frozenset[str],
) -> np.ndarray:
    """The stage-1 feature matrix of a document's non-blank lines (``feature_names`` order)."""
    n = len(views)
    if n == 0:
        return np.zeros((0, n_features(text_probs.shape[1])), dtype=np.float32)
    counts = count_chars(views)
    shallow = shallow_features(views, raw_lengths, counts)

    # The document's script: the script of most letters, body-like lines weighing more.
    body_weight = text_probs[:, 0] + 0.05
    per_script = body_weight @ counts.scripts
    letters = np.maximum(counts.letters, 1.0)
    if per_script.max() > 0:
        doc_script = int(per_script.argmax())
        doc_script_share = counts.scripts[:, doc_script] / letters
        latin_on_unlatin = counts.scripts[:, LATIN] / letters if doc_script != LATIN else np.zeros(n, np.float32)
    else:
        doc_script_share = latin_on_unlatin = np.zeros(n, np.float32)

    stop_share = np.zeros(n, dtype=np.float32)
    if stopwords:
        for i, view in enumerate(views):
            toks = tokens(view)
            if toks:
                stop_share[i] = sum(map(stopwords.__contains__, toks)) / len(toks)

    p_doc = languages.prob_of(doc_lang)
    top_is_doc = np.array([t == doc_lang for t in languages.top], dtype=np.float32)
    position = np.arange(n, dtype=np.float32)
    seen = Counter(views)
    repeats = np.array([min(seen[v] - 1, 3) for v in views], dtype=np.float32)
    log_chars = shallow[:, 0]
    doc_part = np.column_stack(
        [
            stop_share,
            p_doc,
            languages.top_prob,
            top_is_doc,
            doc_script_share,
            latin_on_unlatin,
            position / max(n - 1, 1),
            np.log1p(position),
            np.log1p(n - 1 - position),
            np.full(n, math.log1p(n), dtype=np.float32),
            blank_before,
            blank_after,
            repeats,
            (position == 0).astype(np.float32),
            log_chars - np.median(log_chars),
        ]
    ).astype(np.float32)
    signals = np.column_stack([text_probs, log_chars, stop_share, p_doc]).astype(np.float32)
    return np.hstack([text_probs, shallow, doc_part, neighbour_features(signals)]).astype(np.float32)
