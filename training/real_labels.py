"""Label every line of a rendered real page (LABELS.md), from gold text and weak rules.

Order of decisions for one rendered document:

1. ``blank`` for white-space lines (``segclf.labels.is_blank``).
2. Token alignment with the gold segments (``training.align``): a line mostly
   matched to gold ``body`` / ``comment`` / L3S ``nav`` text takes that label.
3. Headline repeats: a line equal to the page ``<title>`` (or to one of its
   parts split at `` | `` / `` - ``...) is ``body`` when that text opens the
   gold article (LABELS.md: the title line a scraper puts first is body).
4. Every other line is chrome: ``training.weak_rules.chrome_label`` makes it
   ``ad``, ``comment`` or ``nav``; short runs of chrome between comment lines
   after the article become ``comment``.
5. Lines without a word (``|``, ``* * *``, ``: ))``) take the label of the
   block they sit in when both neighbours agree, else ``nav``.
6. ``foreign`` overrides everything but ``blank`` for lines that fastText
   clearly puts in another language (``training.line_lid``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from segclf.labels import BLANK, BODY, COMMENT, FOREIGN, NAV, is_blank
from training.align import gold_tokens, label_lines, tokenize
from training.line_lid import Lid
from training.render import page_title
from training.weak_rules import chrome_label, fill_comment_gaps, zone_start

__all__ = ["Labeled", "label_document", "headline_keys"]

_TITLE_SPLIT = re.compile(r"\s+[|\-–—:•»]+\s+|\s*::\s*")
#: How far into the gold body the headline must appear.
_HEAD_TOKENS = 400


@dataclass
class Labeled:
    """One rendered document with a label per line and alignment statistics."""

    lines: list[str]
    labels: list[str]
    body_coverage: float


def headline_keys(markup: str, gold_body: Sequence[str]) -> set[tuple[str, ...]]:
    """Token tuples of title variants that open the gold article (or the whole title if a part does)."""
    title = page_title(markup)
    head = " " + " ".join(gold_body[:_HEAD_TOKENS]) + " "
    keys: set[tuple[str, ...]] = set()
    for part in [title, *_TITLE_SPLIT.split(title)]:
        toks = tuple(tokenize(part))
        if len(toks) >= 3 and f" {' '.join(toks)} " in head:
            keys.add(toks)
    if keys:
        keys.add(tuple(tokenize(title)))
    return keys


def _wordless_fix(lines: Sequence[str], labels: list[str]) -> list[str]:
    """A line without tokens takes its neighbours' label when they agree, else stays as is."""
    idx = [n for n, line in enumerate(lines) if not is_blank(line)]
    out = list(labels)
    for k, n in enumerate(idx):
        if tokenize(lines[n]) or out[n] == FOREIGN:
            continue
        prev = labels[idx[k - 1]] if k > 0 else None
        nxt = labels[idx[k + 1]] if k + 1 < len(idx) else None
        out[n] = prev if prev is not None and prev == nxt else NAV if out[n] == BODY else out[n]
    return out


def _base_labels(lines: Sequence[str], aligned: Sequence[str | None], heads: set[tuple[str, ...]]) -> list[str | None]:
    out: list[str | None] = []
    for line, lab in zip(lines, aligned):
        if is_blank(line):
            out.append(BLANK)
        elif lab not in (BODY, COMMENT) and heads and tuple(tokenize(line)) in heads:
            out.append(BODY)
        else:
            out.append(lab)
    return out


def label_document(lines: list[str], markup: str, gold: Sequence[tuple[str, str]], lid: Lid, lang: str, page_latin: bool) -> Labeled:
    """Labels for the rendered ``lines`` of ``markup`` given its gold segments."""
    g_toks, g_labels = gold_tokens(gold)
    aligned, matched_gold = label_lines(lines, g_toks, g_labels)
    body_toks = [t for t, lab in zip(g_toks, g_labels) if lab == BODY]
    n_body_matched = sum(1 for j in matched_gold if g_labels[j] == BODY)
    coverage = n_body_matched / max(1, len(body_toks))
    base = _base_labels(lines, aligned, headline_keys(markup, body_toks))
    start = zone_start(base)
    labels: list[str] = []
    for n, (line, lab) in enumerate(zip(lines, base)):
        if lab in (BLANK, BODY, COMMENT):
            labels.append(lab)
        elif lab == NAV:  # L3S related content: may still be an ad
            labels.append(chrome_label(line, in_zone=False))
        else:  # unmatched or L3S "not content"
            labels.append(chrome_label(line, in_zone=n >= start))
    labels = fill_comment_gaps(lines, labels, start)
    labels = _wordless_fix(lines, labels)
    for n, flag in enumerate(lid.foreign_flags(lines, lang, page_latin)):
        if flag and labels[n] != BLANK:
            labels[n] = FOREIGN
    return Labeled(list(lines), labels, coverage)

