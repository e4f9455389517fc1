"""Align rendered page lines with a labeled gold token stream.

Method
------
1. Both sides are cut into normalised word tokens (NFKC, lower case, runs of
   letters/digits; every CJK character is a token of its own).
2. ``match_tokens`` finds an order-preserving token alignment, anchored for
   speed: word k-grams that occur exactly once on each side are anchors, the
   longest chain of anchors increasing on both sides is kept (LIS), anchors
   are extended while tokens agree, and the gaps between anchors are aligned
   recursively with smaller k, finally with ``difflib.SequenceMatcher``
   (``autojunk=False``) when a gap is small enough.
3. ``label_lines`` gives each rendered line the majority gold label of its
   matched tokens when at least half of its tokens are matched.  Short lines
   (fewer than ``SHORT`` tokens) must be matched completely, in one
   contiguous gold run, next to gold text that neighbouring lines matched,
   so a lone "Share" or "By" in a menu cannot steal a gold token.

The gold side is a list of ``(text, label)`` segments: for pages with a gold
main text the labels are ``body``/``comment``; for L3S-GN1 they are the typed
block labels of the annotated page.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

__all__ = ["tokenize", "match_tokens", "label_lines", "gold_tokens", "SHORT"]

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")

#: Lines with fewer tokens than this must be matched completely and in context.
SHORT = 4
#: How many rendered lines away a neighbouring match may be for a short line.
_CONTEXT_LINES = 40
#: k-gram sizes tried in turn on a gap before difflib takes over.
_KS = (8, 4, 2)
#: difflib is used on a gap only when it is this small (product of lengths) ...
_DIFFLIB_MAX = 3_000_000
#: ... or when one side of the gap is at most this long.
_DIFFLIB_SIDE = 60


def tokenize(text: str) -> list[str]:
    """Normalised word tokens of a text."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def gold_tokens(segments: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Flatten labeled gold segments into parallel token and label lists."""
    toks: list[str] = []
    labels: list[str] = []
    for text, label in segments:
        t = tokenize(text)
        toks.extend(t)
        labels.extend([label] * len(t))
    return toks, labels


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of pairs increasing in both coordinates (pairs sorted by the first)."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_idx.append(n)
        else:
            tails[k] = j
            tail_idx[k] = n
        prev[n] = tail_idx[k - 1] if k else -1
    out: list[tuple[int, int]] = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        out.append(pairs[n])
        n = prev[n]
    return out[::-1]


def _unique_grams(seq: Sequence[int], lo: int, hi: int, k: int) -> dict[tuple[int, ...], int]:
    """k-grams occurring exactly once in ``seq[lo:hi]``, with their start index."""
    grams = list(zip(*(seq[lo + d : hi] for d in range(k)), strict=False))
    counts = Counter(grams)
    return {g: lo + i for i, g in enumerate(grams) if counts[g] == 1}


def _anchors(a: Sequence[int], b: Sequence[int], box: tuple[int, int, int, int], k: int) -> list[tuple[int, int, int]]:
    """Non-overlapping matched runs ``(i, j, size)`` seeded by unique k-grams, in order."""
    a0, a1, b0, b1 = box
    ua = _unique_grams(a, a0, a1, k)
    ub = _unique_grams(b, b0, b1, k)
    pairs = sorted((i, ub[g]) for g, i in ua.items() if g in ub)
    runs: list[tuple[int, int, int]] = []
    a_end, b_end = a0, b0
    for i, j in _lis(pairs):
        if i < a_end or j < b_end:
            continue
        while i > a_end and j > b_end and a[i - 1] == b[j - 1]:
            i, j = i - 1, j - 1
        size = 0
        while i + size < a1 and j + size < b1 and a[i + size] == b[j + size]:
            size += 1
        runs.append((i, j, size))
        a_end, b_end = i + size, j + size
    return runs


def _difflib_runs(a: Sequence[int], b: Sequence[int], box: tuple[int, int, int, int]) -> list[tuple[int, int, int]]:
    a0, a1, b0, b1 = box
    sm = difflib.SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
    return [(a0 + i, b0 + j, n) for i, j, n in sm.get_matching_blocks() if n]


def _align_box(
    a: Sequence[int], b: Sequence[int], box: tuple[int, int, int, int], ks: Sequence[int]
) -> list[tuple[int, int, int]]:
    a0, a1, b0, b1 = box
    la, lb = a1 - a0, b1 - b0
    if la <= 0 or lb <= 0:
        return []
    if la * lb <= _DIFFLIB_MAX or min(la, lb) <= _DIFFLIB_SIDE:
        return _difflib_runs(a, b, box)
    if not ks:
        return []
    runs = _anchors(a, b, box, ks[0])
    out: list[tuple[int, int, int]] = []
    ai, bj = a0, b0
    for i, j, n in [*runs, (a1, b1, 0)]:
        out.extend(_align_box(a, b, (ai, i, bj, j), ks[1:] if not runs else ks))
        if n:
            out.append((i, j, n))
        ai, bj = i + n, j + n
    return out


def match_tokens(a: Sequence[str], b: Sequence[str]) -> list[int]:
    """For every token of ``a`` the index of its matched token in ``b``, or -1."""
    vocab: dict[str, int] = {}
    ia = [vocab.setdefault(t, len(vocab)) for t in a]
    ib = [vocab.setdefault(t, len(vocab)) for t in b]
    matched = [-1] * len(a)
    for i, j, n in _align_box(ia, ib, (0, len(ia), 0, len(ib)), _KS):
        for d in range(n):
            matched[i + d] = j + d
    return matched


def _line_spans(lines: Sequence[str]) -> tuple[list[str], list[tuple[int, int]]]:
    toks: list[str] = []
    spans: list[tuple[int, int]] = []
    for line in lines:
        t = tokenize(line)
        spans.append((len(toks), len(toks) + len(t)))
        toks.extend(t)
    return toks, spans


def _short_line_ok(js: list[int], line_no: int, gold_line: list[int], n_gold: int) -> bool:
    """A short line counts only if matched whole, contiguously, beside its neighbours' gold."""
    if any(j < 0 for j in js) or js != list(range(js[0], js[0] + len(js))):
        return False
    before, after = js[0] - 1, js[-1] + 1
    ok_before = before < 0 or abs(gold_line[before] - line_no) <= _CONTEXT_LINES
    ok_after = after >= n_gold or abs(gold_line[after] - line_no) <= _CONTEXT_LINES
    return ok_before or ok_after


def label_lines(
    lines: Sequence[str], gold_toks: Sequence[str], gold_labels: Sequence[str]
) -> tuple[list[str | None], list[int]]:
    """Gold label per rendered line (None when unmatched) and the indices of the matched gold tokens."""
    toks, spans = _line_spans(lines)
    matched = match_tokens(toks, gold_toks)
    gold_line = [10**9] * len(gold_toks)
    for n, (s, e) in enumerate(spans):
        for i in range(s, e):
            if matched[i] >= 0:
                gold_line[matched[i]] = n
    out: list[str | None] = []
    for n, (s, e) in enumerate(spans):
        js = matched[s:e]
        hits = [j for j in js if j >= 0]
        ok = bool(js) and 2 * len(hits) >= len(js)
        if ok and len(js) < SHORT:
            ok = _short_line_ok(js, n, gold_line, len(gold_toks))
        out.append(Counter(gold_labels[j] for j in hits).most_common(1)[0][0] if ok else None)
    return out, [j for j in matched if j >= 0]
