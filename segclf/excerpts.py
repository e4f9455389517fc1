"""Training-time short documents: a few consecutive lines cut from a training page.

Every training page is a whole page of tens or hundreds of lines, so the networks never
saw a document of one to four lines, and users send them: a headline and its lede, a
pasted paragraph, a field of a JSONL corpus. On such snippets cut from development
pages, v17 (trained on whole pages only) called 44 of 600 lines of two-line documents
and 22 of 900 of three-line ones `foreign`, all wrongly. The shipped model since v19
is trained with a share of 0.3 (the model card, "Short documents").

The recipe (``python -m training.train_model --excerpts SHARE``) and ``segclf train
--base-corpus`` (with the share its base model records, ``segclf.sampling``) add, for that
share of the training pages, one excerpt of 1 to ``MAX_EXCERPT_LINES`` consecutive non-blank lines (with the
blank lines between them) with its gold labels, starting on a line of the article half of
the time (``ARTICLE_SHARE``) and anywhere otherwise. Which pages, where and how long are
decided by a hash of the page id, so a rebuild trains on the same excerpts. An excerpt
whose `foreign` lines hold half of its characters or more is not added: the main language
is that of most of the text (LABELS.md rule 2), so its gold would no longer hold. Each
excerpt names its page as its ``group``, so that cross-fitting keeps it in its page's fold
(``segclf.train``): a text model that learned the page's lines must not score the excerpt.

``lead`` cuts another kind, a page's first body lines alone (a headline and its lede);
the recipe's ``--leads SHARE`` adds them (none for the shipped model: see the model card,
"Tried after v20").
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Iterator

from segclf.draws import drawn, seed_of
from segclf.labeled import LabeledDocument
from segclf.labels import BODY, FOREIGN

__all__ = [
    "ARTICLE_SHARE",
    "EXCERPT_SHARE",
    "MAX_EXCERPT_LINES",
    "MAX_LEAD_LINES",
    "excerpt",
    "excerpts",
    "lead",
    "leads",
]

#: The share of training pages that give a short document too (the shipped model's; see the model card).
EXCERPT_SHARE = 0.3
MAX_EXCERPT_LINES = 4
#: A lead document holds the page's first 1 to this many body lines.
MAX_LEAD_LINES = 3
#: The chance that an excerpt starts on a line of the article: what users send alone is
#: mostly article text, and a page holds more lines of chrome than of article.
ARTICLE_SHARE = 0.5


def excerpt(doc: LabeledDocument, max_lines: int = MAX_EXCERPT_LINES) -> LabeledDocument | None:
    """A run of 1 to ``max_lines`` non-blank lines of ``doc`` as a document, or ``None`` if it has none to give."""
    rng = random.Random(seed_of(f"excerpt:{doc.id}"))
    nonblank = [i for i, text in enumerate(doc.lines) if text.strip()]
    if not nonblank:
        return None
    size = rng.randint(1, min(max_lines, len(nonblank)))
    starts = range(len(nonblank) - size + 1)
    in_article = [k for k in starts if doc.labels[nonblank[k]] == BODY]
    start = rng.choice(in_article if in_article and rng.random() < ARTICLE_SHARE else starts)
    first, last = nonblank[start], nonblank[start + size - 1]
    lines, labels = doc.lines[first : last + 1], doc.labels[first : last + 1]
    foreign_chars = sum(len(t.strip()) for t, lab in zip(lines, labels) if lab == FOREIGN)
    if 2 * foreign_chars >= sum(len(t.strip()) for t in lines):
        return None
    return dataclasses.replace(
        doc,
        id=f"{doc.id}#lines{first + 1}-{last + 1}",
        lines=list(lines),
        labels=list(labels),
        extra={**doc.extra, "variant": "excerpt", "group": doc.extra.get("group", doc.id)},
    )


def excerpts(docs: Iterable[LabeledDocument], share: float) -> Iterator[LabeledDocument]:
    """One excerpt of each document drawn into ``share`` (0 to 1), where it has one to give."""
    for doc in docs:
        if drawn("excerpted", doc.id, share) and (cut := excerpt(doc)) is not None:
            yield cut


def lead(doc: LabeledDocument, max_lines: int = MAX_LEAD_LINES) -> LabeledDocument | None:
    """The first 1 to ``max_lines`` body lines of ``doc`` as a document of their own, or ``None`` without any.

    What users send alone is often a headline with its lede: those lines without the
    menu, byline or share buttons that stand between them on the page.
    """
    body = [i for i, (text, label) in enumerate(zip(doc.lines, doc.labels)) if label == BODY and text.strip()]
    if not body:
        return None
    size = random.Random(seed_of(f"lead:{doc.id}")).randint(1, min(max_lines, len(body)))
    return dataclasses.replace(
        doc,
        id=f"{doc.id}#lead{size}",
        lines=[doc.lines[i] for i in body[:size]],
        labels=[BODY] * size,
        extra={**doc.extra, "variant": "lead", "group": doc.extra.get("group", doc.id)},
    )


def leads(docs: Iterable[LabeledDocument], share: float) -> Iterator[LabeledDocument]:
    """The lead of each document drawn into ``share`` (0 to 1), where it has one."""
    for doc in docs:
        if drawn("lead", doc.id, share) and (cut := lead(doc)) is not None:
            yield cut
