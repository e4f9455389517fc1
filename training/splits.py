"""Deterministic train/dev/test assignment, shared by every corpus builder.

Documents are split by a *group* key (an outlet, a site, an article id), never
by document, so that a test outlet or article is unseen in training.
"""

from __future__ import annotations

import hashlib

TRAIN, DEV, TEST = "train", "dev", "test"

#: Languages kept out of every training set (composed documents and the
#: language-ID model): they measure how segclf does on a language it never saw.
HELDOUT_LANGS: frozenset[str] = frozenset({"sw", "is", "lv", "ka", "ta"})


def split_of(group_key: str, dev: float = 0.10, test: float = 0.20) -> str:
    """Map a group key to ``train``/``dev``/``test`` by a stable hash."""
    h = int(hashlib.sha1(group_key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    if h < test:
        return TEST
    if h < test + dev:
        return DEV
    return TRAIN
