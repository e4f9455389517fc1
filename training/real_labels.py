"""Label every line of a rendered real page (LABELS.md), from gold text and weak rules.

Order of decisions for one rendered document:

1. ``blank`` for white-space lines (``segclf.labels.is_blank``).
2. Token alignment with the gold segments (``training.align``): a line mostly
   matched to gold ``body`` / ``comment`` / L3S ``nav`` text takes that label.
3. Headline repeats: a line equal to the page ``<title>`` or to its longest
   part that opens the gold article is ``body`` (LABELS.md: the title line a
   scraper puts first is body, even with a `` - Site name`` suffix).
4. Every other line is chrome: the first matching rule of
   ``training.weak_rules.RULES`` makes it ``ad``, ``comment`` or ``nav``
   (default ``nav``); runs of chrome between comment lines after the article
   become ``comment`` (``weak_rules.fill_comment_gaps``).
5. Bylines, datelines and sign-offs right around the article are ``body``
   (``weak_rules.frame_article``); gold texts often leave them out.  When a
   gold text without a comment part has taken in a comment thread (a comment
   header, then "Reply" links or dated and timed attributions between runs of
   body lines), the body lines below the header become ``comment``.
6. Lines without a word (``|``, ``* * *``, ``: ))``) take the label of the
   block they sit in when both neighbours agree, else ``nav``.
7. ``foreign`` overrides everything but ``blank`` for lines that fastText
   clearly puts in another language (``training.line_lid``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from segclf.labels import BLANK, BODY, COMMENT, FOREIGN, NAV, is_blank
from training.align import gold_tokens, label_lines, tokenize
from training.line_lid import Lid
from training.render import page_title
from training.weak_rules import (
    chrome_rule,
    fill_comment_gaps,
    frame_article,
    swallowed_comments,
    zone_start,
)

__all__ = ["Labeled", "label_document", "headline_keys"]

#: How far into the gold body the headline must appear.
_HEAD_TOKENS = 400


@dataclass
class Labeled:
    """One rendered document with a label per line and alignment statistics."""

    lines: list[str]
    labels: list[str]
    body_coverage: float


def _longest_run_in(toks: Sequence[str], head: str) -> tuple[str, ...]:
    """Longest contiguous run of ``toks`` that occurs in the space-joined token string ``head``."""
    best: tuple[str, ...] = ()
    for i in range(len(toks)):
        for j in range(len(toks), i + len(best), -1):
            if f" {' '.join(toks[i:j])} " in head:
                best = tuple(toks[i:j])
                break
    return best


def headline_keys(markup: str, gold_body: Sequence[str]) -> set[tuple[str, ...]]:
    """Token tuples of the title and its headline part, when that part opens the gold article."""
    toks = tokenize(page_title(markup))
    run = _longest_run_in(toks, " " + " ".join(gold_body[:_HEAD_TOKENS]) + " ")
    if len(run) >= 3 and 2 * len(run) >= len(toks):
        return {tuple(toks), run}
    return set()


def _wordless_fix(lines: Sequence[str], labels: list[str]) -> list[str]:
    """A line without words takes its neighbours' label when they agree, else keeps its own."""
    idx = [n for n, line in enumerate(lines) if not is_blank(line)]
    out = list(labels)
    for k, n in enumerate(idx):
        if tokenize(lines[n]) or out[n] == FOREIGN:
            continue
        prev = labels[idx[k - 1]] if k > 0 else None
        nxt = labels[idx[k + 1]] if k + 1 < len(idx) else None
        if prev is not None and prev == nxt:
            out[n] = prev
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


def label_document(
    lines: list[str], markup: str, gold: Sequence[tuple[str, str]], lid: Lid, lang: str, page_latin: bool
) -> Labeled:
    """Labels for the rendered ``lines`` of ``markup`` given its gold segments."""
    g_toks, g_labels = gold_tokens(gold)
    aligned, matched_gold = label_lines(lines, g_toks, g_labels)
    body_toks = [t for t, lab in zip(g_toks, g_labels) if lab == BODY]
    n_body_matched = sum(1 for j in matched_gold if g_labels[j] == BODY)
    coverage = n_body_matched / max(1, len(body_toks))
    base = _base_labels(lines, aligned, headline_keys(markup, body_toks))
    start = zone_start(base)
    labels: list[str] = []
    ruled_nav: set[int] = set()
    for n, (line, lab) in enumerate(zip(lines, base, strict=True)):
        if lab in (BLANK, BODY, COMMENT):
            labels.append(lab)
            continue
        # L3S "related content" (nav) may still be an ad; comment rules only for unmatched/"not content".
        rule = chrome_rule(line, in_zone=lab != NAV and n >= start)
        labels.append(rule.label if rule else NAV)
        if rule and rule.label == NAV:
            ruled_nav.add(n)
    labels = frame_article(lines, labels)
    if COMMENT not in g_labels:
        labels = swallowed_comments(lines, labels)
    labels = fill_comment_gaps(lines, labels, start, ruled_nav)
    labels = _wordless_fix(lines, labels)
    for n, flag in enumerate(lid.foreign_flags(lines, lang, page_latin)):
        if flag and labels[n] != BLANK:
            labels[n] = FOREIGN
    return Labeled(list(lines), labels, coverage)
