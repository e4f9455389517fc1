"""Shallow per-line features and windows over the neighbouring lines.

Everything here is a pure function of a document's non-blank lines and the
text models' outputs; the column names are recorded in the model so a model
and the code that feeds it can be checked against each other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress

import numpy as np

from segclf.chars import HAN, KANA, LATIN, Encoded, bmp_string, char_property, count_chars, encode, per_line_counts
from segclf.chars import build_tables as build_char_tables
from segclf.language import _UNSPACED, LineLanguages, has_own_language
from segclf.segments import Segments

__all__ = [
    "SHALLOW_NAMES",
    "ViewTable",
    "view_table",
    "document_features",
    "neighbour_features",
    "feature_names",
    "n_features",
    "SENTENCE_FINAL",
]

#: Marks that end a sentence, in the scripts of the training languages.
SENTENCE_FINAL = ".!?。！？؟۔।…"
#: What ``ends_terminal`` accepts as a line's last character: a sentence's end, or the
#: quote or bracket that closes it.
_TERMINAL = tuple(SENTENCE_FINAL + "\"'”»)")
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


def _char_set(chars: str) -> np.ndarray:
    """A lookup table: is a code point (all of them below 0x10000 here) one of ``chars``?"""
    table = np.zeros(0x10000, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


def _in_set(cp: np.ndarray, table: np.ndarray) -> np.ndarray:
    return table[np.minimum(cp, len(table) - 1)]  # 0xFFFF is in no set


_DATE_SEPARATOR_SET = _char_set("./:-")
_TERMINAL_SET = _char_set("".join(_TERMINAL))
_BULLET_SET = _char_set("".join(_BULLETS))
_SEPARATOR_SET = _char_set("|/·•>»")
#: Characters that ``re.I`` matches to c, o, n, h and w (``\.(?:com|org|net|htm)``, ``www\.``).
_CONH_SET = _char_set("cCoOnNhH")
_W_SET = _char_set("wW")
#: The four sets above that view_table tests every character against, as bits of one
#: table: one lookup per character instead of four.
_IS_DATE_SEPARATOR, _IS_SEPARATOR, _IS_CONH, _IS_W = 1, 2, 4, 8
_SYMBOLS = (
    _DATE_SEPARATOR_SET * _IS_DATE_SEPARATOR + _SEPARATOR_SET * _IS_SEPARATOR + _CONH_SET * _IS_CONH + _W_SET * _IS_W
).astype(np.uint8)


@dataclass(frozen=True, slots=True)
class ViewTable:
    """What depends on a line's view alone, computed once per distinct view of a batch.

    ``shallow`` holds the ``SHALLOW_NAMES`` columns except ``log_chars`` (left 0: it
    measures the raw line); a document's rows are gathered by view index.
    """

    views: Sequence[str]
    shallow: np.ndarray  # (n_views, len(SHALLOW_NAMES)) float32
    letters: np.ndarray  # (n_views,) float32
    scripts: np.ndarray  # (n_views, len(SCRIPTS)) float32
    lengths: np.ndarray  # (n_views,) int64, ``len`` of each view
    has_digit: np.ndarray  # (n_views,) bool: a decimal digit (``\d``) in the view
    cp: np.ndarray | None = None  # the views joined by \n, as code points (``chars.encode``)
    _tokens: list[ViewTokens] = field(default_factory=list)  # computed on first use

    def stop_share(self, vids: np.ndarray, stopwords: frozenset[str]) -> np.ndarray:
        """Share of stop words among the tokens of views ``vids``."""
        return self.stop_shares(vids, np.zeros(len(vids), dtype=np.int64), [stopwords])

    def stop_shares(
        self, vids: np.ndarray, set_of_row: np.ndarray, stopword_sets: Sequence[frozenset[str]]
    ) -> np.ndarray:
        """Share of stop words among the tokens of views ``vids``, row ``i`` counting ``stopword_sets[set_of_row[i]]``.

        One lookup for all rows: each token's hash is salted with its row's set, and
        looked up among the stop words' hashes salted the same way.
        """
        if not len(vids):
            return np.zeros(0, dtype=np.float32)
        if not self._tokens:
            self._tokens.append(view_tokens(self.views, self.cp))
        tokens = self._tokens[0]
        pairs, pair_of_row = np.unique(set_of_row * len(self.views) + vids, return_inverse=True)
        pair_set, pair_view = np.divmod(pairs, len(self.views))
        salts = pair_set.astype(np.uint64) * _SET_SALT
        first, counts = tokens.offsets[pair_view], tokens.offsets[pair_view + 1] - tokens.offsets[pair_view]
        ends = np.cumsum(counts)
        starts = ends - counts
        # the tokens of each pair's view, pair after pair, salted with the pair's set
        index = np.arange(int(ends[-1])) + np.repeat(first - starts, counts)
        salted = tokens.hashes[index] + np.repeat(salts, counts)
        set_salts = np.arange(len(stopword_sets), dtype=np.uint64) * _SET_SALT  # (arrays wrap without warnings)
        stop_hashes = [_stopword_hashes(words) + set_salts[k : k + 1] for k, words in enumerate(stopword_sets)]
        found = np.zeros(len(index) + 1, dtype=np.int64)
        np.cumsum(_is_among(salted, np.sort(np.concatenate(stop_hashes))), out=found[1:])
        n_stop = found[ends] - found[starts]
        shares = np.where(counts > 0, n_stop / np.maximum(counts, 1), 0.0).astype(np.float32)
        return shares[pair_of_row.ravel()]


#: Salts the token hashes of each stop-word set (odd, so distinct sets never share a salt).
_SET_SALT = np.uint64(0x9E3779B97F4A7C15)


def _lower(cp: np.ndarray, views: Sequence[str]) -> np.ndarray:
    """``str.lower`` of the joined views, as code points: by table where every character maps to one.

    \\n between views stops the final-sigma context, so this equals lowering each view.
    """
    table = _lower_table()
    if len(cp) and int(cp.max()) < len(table):
        lowered = table[cp]
        if not (lowered < 0).any():  # no character that lowers to several or by context (İ, Σ)
            return lowered.astype(np.uint32)
    return np.frombuffer("\n".join(views).lower().encode("utf-32-le"), dtype=np.uint32)


@lru_cache(maxsize=1)
def _lower_table() -> np.ndarray:
    """Per BMP code point: its lower case when that is one code point whatever the context, else -1."""
    lowered = list(map(str.lower, bmp_string()))
    single = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered)) == 1
    table = np.full(len(lowered), -1, dtype=np.int64)
    table[single] = np.frombuffer("".join(compress(lowered, single.tolist())).encode("utf-32-le"), dtype=np.uint32)
    table[0xD800:0xE000] = -1  # surrogates are no characters
    table[0x03A3] = -1  # capital sigma lowers to ς at the end of a word
    return table


@dataclass(frozen=True, slots=True)
class ViewTokens:
    """The word tokens (``language.tokens``) of views, hashed, view after view (tokenised once per batch)."""

    hashes: np.ndarray  # (n_tokens,) uint64 ``_span_hashes``
    offsets: np.ndarray  # (n_views + 1,) where each view's tokens start


def view_tokens(views: Sequence[str], cp: np.ndarray | None = None) -> ViewTokens:
    """Tokenise and hash all ``views`` at once (``cp``: the views joined by \\n as code points, if known)."""
    if cp is None:
        cp = np.frombuffer("\n".join(views).encode("utf-32-le"), dtype=np.uint32)
    cp = _lower(cp, views)
    starts, ends = _token_spans(cp)
    line = np.searchsorted(np.flatnonzero(cp == 10), starts)  # separators before each token
    offsets = np.zeros(len(views) + 1, dtype=np.int64)
    np.cumsum(np.bincount(line, minlength=len(views)), out=offsets[1:])
    return ViewTokens(_span_hashes(cp, starts, ends), offsets)


def build_tables() -> None:
    """Build the per-code-point tables that features read (otherwise built on first use)."""
    build_char_tables()
    _token_tables()
    _lower_table()


@lru_cache(maxsize=1)
def _token_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``language._TOKEN``'s two kinds of token character, one character at a time (compiled on first use)."""
    return re.compile(rf"[^\W\d_{_UNSPACED}]"), re.compile(rf"[{_UNSPACED}]")


@lru_cache(maxsize=1)
def _token_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per BMP code point: a character of a word token, a token on its own (``language._TOKEN``).

    ``[^\\W\\d_...]`` is a word character (``re``'s ``\\w``) that is no decimal digit, no
    underscore and not of an unspaced script; an unspaced script's characters stand alone.
    """
    bmp = np.arange(0x10000, dtype=np.uint32)
    decimal, word = char_property(bmp, "decimal"), char_property(bmp, "word")
    alone = np.zeros(0x10000, dtype=bool)
    for start, end in re.findall(r"(.)-(.)", _UNSPACED, flags=re.S):
        alone[ord(start) : ord(end) + 1] = True
    is_word = word & ~decimal & ~alone
    is_word[ord("_")] = False
    return is_word, alone


def _char_classes(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_token_tables`` for any code points (those beyond the BMP asked of the patterns)."""
    word, alone = _token_tables()
    clipped = np.minimum(cp, 0xFFFF)
    is_word, is_alone = word[clipped], alone[clipped]
    beyond = np.flatnonzero(cp > 0xFFFF)
    word_char, alone_char = _token_patterns()
    for i, c in zip(beyond.tolist(), cp[beyond].tolist()):
        is_word[i] = word_char.match(chr(c)) is not None
        is_alone[i] = alone_char.match(chr(c)) is not None
    return is_word, is_alone


def _token_spans(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of each token of ``cp``: one unspaced-script character, or a maximal run of word characters."""
    is_word, is_alone = _char_classes(cp)
    after_word = np.concatenate([[False], is_word[:-1]])
    before_word = np.concatenate([is_word[1:], [False]])
    starts = np.flatnonzero(is_alone | (is_word & ~after_word))
    ends = np.flatnonzero(is_alone | (is_word & ~before_word)) + 1
    return starts, ends


#: Tokens are compared by a 64-bit polynomial hash of their code points, computed with
#: numpy for all tokens at once (a Python string per token cost about 1 us).
_HASH_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_HASH_INVERSE = pow(_HASH_BASE, -1, 2**64)


def _span_hashes(cp: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``sum(cp[i] * BASE ** (end - i) for i in span)`` modulo 2**64 for each span (uint64 arithmetic wraps)."""
    n = len(cp)
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    powers, inverse = _hash_powers(n + 1)
    # prefix[j] = sum(cp[i] * BASE ** (n - i) for i < j); a span's sum, times BASE ** -(n - end)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(cp.astype(np.uint64) * powers[n:0:-1], dtype=np.uint64, out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * inverse[n - ends]


def _is_among(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_set)`` for a small sorted set, by binary search."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


_POWERS: list[np.ndarray] = []


def _hash_powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``BASE ** k`` and ``BASE ** -k`` modulo 2**64 for k < n (kept, and grown when a longer text comes)."""
    if not _POWERS or len(_POWERS[0]) < n:
        size = max(n, 1 << 16, 2 * len(_POWERS[0]) if _POWERS else 0)
        tables = []
        for base in (_HASH_BASE, _HASH_INVERSE):
            steps = np.full(size, base, dtype=np.uint64)
            steps[0] = 1
            tables.append(np.cumprod(steps, dtype=np.uint64))
        _POWERS[:] = tables
    return _POWERS[0][:n], _POWERS[1][:n]


@lru_cache(maxsize=256)
def _stopword_hashes(stopwords: frozenset[str]) -> np.ndarray:
    """``_span_hashes`` of each stop word, as the tokens of a text are hashed (sorted)."""
    words = sorted(stopwords)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    cp = np.frombuffer("\n".join(words).encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths + 1) - 1
    return np.sort(_span_hashes(cp, ends - lengths, ends))


def _any_per_line(positions: np.ndarray, enc: Encoded) -> np.ndarray:
    """Whether each line holds at least one of ``positions`` (a boolean mask over ``enc.cp``)."""
    return per_line_counts(positions, enc) > 0


def _search_lines(pattern: re.Pattern[str], views: Sequence[str], candidates: np.ndarray) -> np.ndarray:
    """``pattern.search`` on the candidate lines only (the others are known not to match)."""
    found = np.zeros(len(views), dtype=bool)
    for i in np.flatnonzero(candidates).tolist():
        found[i] = pattern.search(views[i]) is not None
    return found


def _maybe_url_lines(enc: Encoded, symbols: np.ndarray) -> np.ndarray:
    """Lines that may match ``_MAYBE_URL`` (``://``, ``www.``, ``@``, ``.com`` ...): a superset, cheaply.

    ``symbols`` are the ``_SYMBOLS`` bits of each character of ``enc``.
    """
    cp = enc.cp
    nxt = np.append(cp[1:], np.uint32(10))
    next_conh = np.append((symbols[1:] & _IS_CONH) != 0, False)
    hit = (cp == ord("@")) | ((cp == ord(":")) & (nxt == ord("/"))) | ((cp == ord(".")) & next_conh)
    is_w = (symbols & _IS_W) != 0
    hit[:-3] |= is_w[:-3] & is_w[1:-2] & is_w[2:-1] & (cp[3:] == ord("."))
    return _any_per_line(hit, enc)


def _date_starts(cp: np.ndarray, decimal: np.ndarray, separator: np.ndarray) -> np.ndarray:
    """Where ``_DATE`` matches in ``cp`` (views joined by \\n), computed for every position at once.

    ``_DATE`` is ``\\b(?:1[89]|20)\\d\\d\\b|\\b\\d{1,2}[./:-]\\d{1,2}\\b``. Each match starts and
    ends with a digit, a word character, so its ``\\b`` say that the character before
    it and the one after it are not word characters (or are the text's ends).
    ``decimal`` is ``\\d`` and ``separator`` ``[./:-]`` of each position.
    """
    n, pad = len(cp), 5
    if not n:
        return np.zeros(0, dtype=bool)
    # Padded with non-word, non-digit positions so that i + 5 (the furthest look) is always an index.
    digit = np.concatenate([decimal, np.zeros(pad, dtype=bool)])
    sep = np.concatenate([separator, np.zeros(pad, dtype=bool)])
    not_word = np.concatenate([~char_property(cp, "word"), np.ones(pad, dtype=bool)])
    ch = np.concatenate([cp, np.full(pad, 10, dtype=cp.dtype)])
    starts = digit[:n] & np.concatenate([[True], not_word[: n - 1]])  # \b before a digit

    def at(array: np.ndarray, k: int) -> np.ndarray:
        return array[k : k + n]

    # \b(?:1[89]|20)\d\d\b
    century = ((at(ch, 0) == ord("1")) & ((at(ch, 1) == ord("8")) | (at(ch, 1) == ord("9")))) | (
        (at(ch, 0) == ord("2")) & (at(ch, 1) == ord("0"))
    )
    year = century & at(digit, 2) & at(digit, 3) & at(not_word, 4)

    # \b\d{1,2}[./:-]\d{1,2}\b: one or two digits, a separator at k, one or two digits, \b
    def after_separator(k: int) -> np.ndarray:
        return at(digit, k + 1) & (at(not_word, k + 2) | (at(digit, k + 2) & at(not_word, k + 3)))

    one_digit = ~at(digit, 1) & at(sep, 1) & after_separator(1)
    two_digits = at(digit, 1) & at(sep, 2) & after_separator(2)
    return starts & (year | one_digit | two_digits)


def view_table(views: Sequence[str]) -> ViewTable:
    """The view-only features of each line, vectorised over all lines at once.

    ``views`` are ``feature_view`` outputs (non-empty, no ``\\n``); every number equals
    what ``count_chars``, ``has_own_language`` and the line-by-line reference in
    ``tests/test_features.py`` give.
    """
    m = len(views)
    enc = encode(views)
    counts = count_chars(views, enc)
    cp, line, lengths = enc.cp, enc.line, enc.lengths
    nonempty = lengths > 0
    starts = enc.starts
    last = cp[np.maximum(starts + lengths - 1, 0)] if len(cp) else np.zeros(m, np.uint32)
    first = cp[np.minimum(starts, len(cp) - 1)] if len(cp) else np.zeros(m, np.uint32)

    # Words: maximal runs of non-space characters (``str.split``).
    space = char_property(cp, "space")  # the ``\n`` separators are space too
    word_start = ~space & np.concatenate([[True], space[:-1]])
    n_words = per_line_counts(word_start, enc)
    first_cps = cp[word_start]
    first_line = line[word_start]
    first_alpha = char_property(first_cps, "alpha")
    n_firsts = np.bincount(first_line[first_alpha], minlength=m)
    titled = np.bincount(first_line[first_alpha & char_property(first_cps, "upper")], minlength=m)
    per_word = np.maximum(n_words, 1).astype(np.float64)
    commas = per_line_counts(cp == ord(","), enc)

    # Patterns: a cheap exact test finds the lines a regex can match; only those are searched.
    symbols = _SYMBOLS[np.minimum(cp, len(_SYMBOLS) - 1)]  # 0xFFFF is in no set
    maybe_url = _maybe_url_lines(enc, symbols)
    has_url = _search_lines(_URL, views, maybe_url)  # every _URL match is a _MAYBE_URL match
    has_email = _search_lines(_EMAIL, views, maybe_url & _any_per_line(cp == ord("@"), enc))
    inner_space = space & (cp != 10)
    around = np.zeros(len(cp), dtype=bool)
    around[1:-1] = inner_space[:-2] & inner_space[2:]
    has_separator = _any_per_line((cp == ord("|")) | (around & ((symbols & _IS_SEPARATOR) != 0)), enc)
    paren_c = np.zeros(len(cp), dtype=bool)
    paren_c[:-2] = (cp[:-2] == ord("(")) & ((cp[1:-1] == ord("c")) | (cp[1:-1] == ord("C"))) & (cp[2:] == ord(")"))
    has_copyright = _any_per_line((cp == ord("©")) | paren_c, enc)
    decimal = char_property(cp, "decimal")
    has_date = _any_per_line(_date_starts(cp, decimal, (symbols & _IS_DATE_SEPARATOR) != 0), enc)

    letters = counts.letters
    own_language = letters >= 2
    for i in np.flatnonzero(own_language & maybe_url).tolist():
        own_language[i] = has_own_language(views[i], int(letters[i]))

    length = np.maximum(counts.length, 1.0)
    log1p_words = np.array([math.log1p(k) for k in range(int(n_words.max(initial=0)) + 1)])
    columns = {
        "log_chars": np.zeros(m, dtype=np.float32),
        "log_tokens": log1p_words[n_words],
        "frac_letters": letters / length,
        "frac_digits": counts.digits / length,
        "frac_upper": np.where(letters > 0, counts.upper / np.maximum(letters, 1.0), 0.0),
        "frac_punct": counts.punct / length,
        "ends_terminal": nonempty & _in_set(last, _TERMINAL_SET),
        "starts_bullet": nonempty & _in_set(first, _BULLET_SET),
        "has_url": has_url,
        "has_email": has_email,
        "has_separator": has_separator,
        "has_copyright": has_copyright,
        "title_ratio": np.where(n_firsts > 0, titled / np.maximum(n_firsts, 1), 0.0),
        "mean_token_len": np.minimum(lengths / per_word, 30.0) / 10.0,
        "all_caps": (letters >= 3) & (counts.upper == letters),
        "ends_colon": nonempty & (last == ord(":")),
        "has_date": has_date,
        "starts_digit": nonempty & char_property(first, "digit"),
        "ends_star": nonempty & (last == ord("*")),
        "commas_per_token": commas / per_word,
        OWN_LANGUAGE: own_language,
    }
    shallow = np.empty((m, len(SHALLOW_NAMES)), dtype=np.float32)
    for j, name in enumerate(SHALLOW_NAMES):
        shallow[:, j] = columns[name]
    return ViewTable(views, shallow, letters, counts.scripts, lengths, _any_per_line(decimal, enc), cp)


OFFSETS = (-3, -2, -1, 1, 2, 3)
WINDOW = 6


def neighbour_features(
    signals: np.ndarray,
    offsets: Sequence[int] = OFFSETS,
    window: int = WINDOW,
    segments: Segments | None = None,
) -> np.ndarray:
    """Neighbours' signals at fixed offsets (zero-padded, with a presence flag) and window means.

    ``signals`` is ``(n_lines, k)``; the result is
    ``(n_lines, len(offsets) * (k + 1) + 2 * k)``: each offset's signals and
    whether that neighbour exists, then the mean over the ``window`` lines
    before and the ``window`` lines after. Neighbours are looked for within each
    line's document (``segments``; default: all lines are one document).
    """
    segments = segments if segments is not None else Segments.single(len(signals))
    parts = []
    for offset in offsets:
        values, exists = segments.shifted(signals, offset)
        parts += [values, exists[:, None]]
    before, after = segments.window_means(signals, window)
    parts += [before, after]
    return np.hstack(parts).astype(np.float32)


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
    table: ViewTable,
    vids: np.ndarray,
    raw_lengths: np.ndarray,
    blank_before: np.ndarray,
    blank_after: np.ndarray,
    text_probs: np.ndarray,
    languages: LineLanguages,
    doc_langs: Sequence[str | None],
    stop_share: np.ndarray,
    segments: Segments,
) -> np.ndarray:
    """The stage-1 feature matrix of the non-blank lines of documents (``feature_names`` order).

    Row ``i`` is view ``vids[i]`` of ``table``, ``raw_lengths[i]`` characters long before
    the view, in document ``segments.doc[i]``, whose language is ``doc_langs[...]``;
    ``stop_share`` is the share of that language's stop words among the line's tokens.
    """
    n = len(vids)
    if n == 0:
        return np.zeros((0, n_features(text_probs.shape[1])), dtype=np.float32)
    doc = segments.doc
    shallow = table.shallow[vids]
    shallow[:, 0] = np.log1p(np.asarray(raw_lengths).astype(np.float32))
    doc_script_share, latin_on_unlatin = _script_shares(table, vids, text_probs, segments)

    lang_index = {lang: i for i, lang in enumerate(languages.labels)}
    doc_column = np.array([lang_index.get(lang, -1) if lang else -1 for lang in doc_langs], dtype=np.int64)[doc]
    p_doc = languages.prob_at(doc_column)
    top_is_doc = np.zeros(n, dtype=np.float32)
    if languages.columns.shape[1]:
        top_is_doc[languages.columns[:, 0] == doc_column] = 1.0
    position = segments.position.astype(np.float32)
    size = segments.row_sizes()
    repeats = np.minimum(_same_view_in_document(vids, doc), 3).astype(np.float32)
    log_chars = shallow[:, 0]
    doc_part = np.column_stack(
        [
            stop_share,
            p_doc,
            languages.top_prob,
            top_is_doc,
            doc_script_share,
            latin_on_unlatin,
            position / np.maximum(size - 1, 1).astype(np.float32),
            np.log1p(position),
            np.log1p((size - 1).astype(np.float32) - position),
            np.array([math.log1p(k) for k in segments.sizes.tolist()], dtype=np.float32)[doc],
            blank_before,
            blank_after,
            repeats,
            (position == 0).astype(np.float32),
            log_chars - segments.medians(log_chars)[doc],
        ]
    ).astype(np.float32)
    signals = np.column_stack([text_probs, log_chars, stop_share, p_doc]).astype(np.float32)
    return np.hstack([text_probs, shallow, doc_part, neighbour_features(signals, segments=segments)]).astype(
        np.float32, copy=False
    )


def _script_shares(
    table: ViewTable, vids: np.ndarray, text_probs: np.ndarray, segments: Segments
) -> tuple[np.ndarray, np.ndarray]:
    """Each line's share of letters in its document's script, and of Latin letters when that script is not Latin.

    The document's script is the script of most letters, body-like lines weighing more.
    Japanese mixes kana and Han in every sentence: they count as one script here, or a
    Japanese page's kanji-only lines (names, headings) would look written in another script.
    """
    scripts = table.scripts[vids]
    if scripts[:, KANA].any():
        scripts = scripts.copy()
        scripts[:, HAN] += scripts[:, KANA].sum(axis=1)
        scripts[:, KANA] = 0.0
    body_weight = (text_probs[:, 0] + 0.05).astype(np.float64)
    per_script = segments.sums(body_weight[:, None] * scripts)
    has_script = per_script.max(axis=1, initial=0.0) > 0
    doc_script = per_script.argmax(axis=1)
    row_script = doc_script[segments.doc]
    letters = np.maximum(table.letters[vids], 1.0)
    rows = np.arange(len(vids))
    doc_script_share = np.where(has_script[segments.doc], scripts[rows, row_script] / letters, 0.0)
    unlatin = has_script & (doc_script != LATIN)
    latin_on_unlatin = np.where(unlatin[segments.doc], scripts[:, LATIN] / letters, 0.0)
    return doc_script_share.astype(np.float32), latin_on_unlatin.astype(np.float32)


def _same_view_in_document(vids: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """For each line, how many other lines of its document have the same view."""
    _, inverse, counts = np.unique(doc * (int(vids.max()) + 1) + vids, return_inverse=True, return_counts=True)
    return counts[inverse.ravel()] - 1
