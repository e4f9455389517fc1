"""Training-time variants of composed pages: article text without sentence punctuation.

Composed bodies are edited prose (NTREX, Leipzig, UD): every paragraph ends with a full
stop. Real pages are less tidy: headlines, lists and social posts carry none, and Chinese
and Japanese blogs often separate clauses with spaces instead of ``，`` and ``。``. Trained
on tidy prose alone, the model learned that a line without a full stop is not body: on a
Traditional Chinese travel blog of the Readability test pages, 7 of its 87 body lines were
labeled ``body``; with a ``。`` appended to each, 80 were.

``python -m training.train_model --unpunctuated SHARE`` rewrites that share of the composed
training pages (never development or test pages): their body lines lose their final
punctuation, and in scripts written without spaces their commas and full stops become
spaces. Which pages is decided by a hash of the page id, so a rebuild trains on the same
variants. ``eval/heldout.py``'s ``composed-unpunctuated`` set applies it to every page.

It is off by default. A model trained with a share of 0.2, against model v10 (the same
recipe and corpus with a share of 0), moved the development split: unpunctuated composed
pages macro-F1 0.959 -> 0.972 (Chinese 0.899 -> 0.950); composed pages 0.974 -> 0.975;
but English real pages, macro-F1 without ``foreign``, 0.811 -> 0.802 (article style) and
0.848 -> 0.843 (full pages), and the shipped model is chosen on those.
"""

from __future__ import annotations

import dataclasses
import re

from segclf.draws import drawn
from segclf.features import SENTENCE_FINAL
from segclf.labeled import LabeledDocument
from segclf.labels import BODY

__all__ = ["unpunctuated", "unpunctuated_variant"]

_CJK_CLAUSE = re.compile(r"\s*[，。、；！？]\s*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def unpunctuated(line: str) -> str:
    """``line`` without its final punctuation; in Chinese or Japanese, clause marks turned into spaces."""
    text = line.rstrip()
    trailing = line[len(text) :]  # white space after the text is the page's, kept as it is
    if len(_CJK.findall(text)) * 2 > len(text):
        text = _CJK_CLAUSE.sub(" ", text).strip()
    return (text.rstrip(SENTENCE_FINAL).rstrip() or text) + trailing


def unpunctuated_variant(doc: LabeledDocument, share: float) -> LabeledDocument:
    """``doc`` with unpunctuated body lines if it is a composed page drawn into ``share``, else ``doc``."""
    if doc.extra.get("style") != "composed" or not drawn("unpunctuated", doc.id, share):
        return doc
    lines = [unpunctuated(text) if label == BODY else text for text, label in zip(doc.lines, doc.labels)]
    return dataclasses.replace(doc, lines=lines, extra={**doc.extra, "variant": "unpunctuated"})
