"""Turn a fully labeled page into the two document styles of the corpus.

* ``full``: every line of the rendered page, as rendered.
* ``article``: what a scraper leaves, like the seed documents: the span from
  the first to the last line of the main cluster of ``body`` lines, extended
  (in most documents) over a comment section that follows the article closely
  (capped at ``MAX_COMMENT_LINES``); a few (0-8) chrome lines before
  and after it; a random subset of the chrome runs inside it (long runs cut
  to a few lines); sometimes the page title put first; and one of several
  blank-line and indentation conventions.

All randomness comes from a ``random.Random`` seeded by the document id, so
the corpus is the same on every build.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from segclf.labels import BLANK, BODY, COMMENT, is_blank

__all__ = ["article_doc", "full_doc"]

Doc = tuple[list[str], list[str]]

#: Chance that the comment section after the article is kept.
P_KEEP_COMMENTS = 0.8
#: At most this many non-blank comment-section lines are kept.
MAX_COMMENT_LINES = 120
#: Chrome lines taken before/after the span: uniform in 0..MAX_EDGE.
MAX_EDGE = 8
#: Longest chrome run kept inside the span (non-blank lines).
MAX_INNER_RUN = 5
#: Body lines further apart than this many non-blank lines belong to different clusters; the
#: span is the largest cluster (a headline repeated in a sidebar does not stretch it).
MAX_BODY_GAP = 30
#: Chance that the page title is put first when the span does not start with it.
P_TITLE_FIRST = 0.3
#: Blank-line conventions and their weights.
BLANK_STYLES = (("keep", 0.3), ("collapse", 0.3), ("none", 0.2), ("double", 0.2))


def full_doc(lines: Sequence[str], labels: Sequence[str]) -> Doc:
    """The whole rendered page."""
    return list(lines), list(labels)


def _nonblank(lines: Sequence[str], lo: int, hi: int) -> list[int]:
    return [n for n in range(max(lo, 0), min(hi, len(lines))) if not is_blank(lines[n])]


def _span_end(lines: Sequence[str], labels: Sequence[str], last_body: int, rng: random.Random) -> int:
    """Last line of the kept span: the last body line, or into the comment section right after it."""
    comments = [n for n in range(last_body + 1, len(labels)) if labels[n] == COMMENT]
    if not comments or rng.random() >= P_KEEP_COMMENTS:
        return last_body
    if len(_nonblank(lines, last_body + 1, comments[0])) > MAX_BODY_GAP:
        return last_body  # the comments are far below: not what a scraper would keep
    kept = _nonblank(lines, last_body + 1, comments[-1] + 1)
    if len(kept) > MAX_COMMENT_LINES:
        return kept[rng.randint(20, MAX_COMMENT_LINES) - 1]
    return comments[-1]


def _inner_keep(lines: Sequence[str], labels: Sequence[str], lo: int, hi: int, rng: random.Random) -> list[int]:
    """Indices kept inside [lo, hi]: all body/comment/blank lines and a random subset of chrome runs."""
    p_keep = rng.uniform(0.15, 0.75)
    keep: list[int] = []
    run: list[int] = []

    def flush() -> None:
        if run and rng.random() < p_keep:
            nb = [n for n in run if not is_blank(lines[n])]
            if len(nb) > MAX_INNER_RUN:
                start = rng.randint(0, len(nb) - MAX_INNER_RUN)
                nb = nb[start : start + rng.randint(1, MAX_INNER_RUN)]
            keep.extend(nb)
        run.clear()

    for n in range(lo, hi + 1):
        if labels[n] in (BODY, COMMENT) or (labels[n] == BLANK and not run):
            flush()
            keep.append(n)
        else:
            run.append(n)
    flush()
    return sorted(keep)


def _blank_style(lines: list[str], labels: list[str], style: str) -> Doc:
    if style == "keep":
        return lines, labels
    pairs = [(t, lab) for t, lab in zip(lines, labels)]
    if style == "collapse":
        out = [p for k, p in enumerate(pairs) if not (p[1] == BLANK and k > 0 and pairs[k - 1][1] == BLANK)]
    else:
        out = [p for p in pairs if p[1] != BLANK]
        if style == "double":
            out = [q for p in out for q in (p, ("", BLANK))][:-1]
    return [t for t, _ in out], [lab for _, lab in out]


def _trim(lines: list[str], labels: list[str]) -> Doc:
    while labels and labels[0] == BLANK:
        lines, labels = lines[1:], labels[1:]
    while labels and labels[-1] == BLANK:
        lines, labels = lines[:-1], labels[:-1]
    return lines, labels


def _main_body(lines: Sequence[str], labels: Sequence[str]) -> tuple[int, int]:
    """First and last line of the largest cluster of body lines (clusters split at long non-body gaps)."""
    body = [n for n, lab in enumerate(labels) if lab == BODY]
    clusters: list[list[int]] = [[body[0]]]
    for prev, n in zip(body, body[1:], strict=False):
        if len(_nonblank(lines, prev + 1, n)) > MAX_BODY_GAP:
            clusters.append([])
        clusters[-1].append(n)
    best = max(clusters, key=lambda c: sum(len(lines[n].strip()) for n in c))
    return best[0], best[-1]


def article_doc(lines: Sequence[str], labels: Sequence[str], title: str, rng: random.Random) -> Doc | None:
    """A scraper-like extract of the page, or None when the page has no body line."""
    if BODY not in labels:
        return None
    first, last = _main_body(lines, labels)
    end = _span_end(lines, labels, last, rng)
    head = _nonblank(lines, 0, first)
    before = head[max(0, len(head) - rng.randint(0, MAX_EDGE)) :]
    after = _nonblank(lines, end + 1, len(lines))[: rng.randint(0, MAX_EDGE)]
    idx = [*before, *_inner_keep(lines, labels, first, end, rng), *after]
    out_lines = [lines[n] for n in idx]
    out_labels = [labels[n] for n in idx]
    if title and rng.random() < P_TITLE_FIRST and title not in {t.strip() for t in out_lines[:10]}:
        out_lines, out_labels = [title, "", *out_lines], [BODY, BLANK, *out_labels]
    if rng.random() < 0.5:
        out_lines = [t.strip() for t in out_lines]
    style = rng.choices([s for s, _ in BLANK_STYLES], weights=[w for _, w in BLANK_STYLES])[0]
    return _trim(*_blank_style(out_lines, out_labels, style))
