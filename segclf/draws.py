"""Random draws that a rebuild repeats: each is decided by a hash of what it is about.

A page's variants, excerpts and composed material depend on its id, not on the order in
which pages are read or on Python's hash seed, so every rebuild draws the same.
"""

from __future__ import annotations

import hashlib

__all__ = ["drawn", "seed_of"]


def seed_of(key: str) -> int:
    """A 64-bit seed for ``random.Random``, the same for ``key`` in every run."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:16], 16)


def drawn(purpose: str, doc_id: str, share: float) -> bool:
    """Whether page ``doc_id`` is among ``share`` of the pages drawn for ``purpose``: the same in every run."""
    return int(hashlib.sha1(f"{purpose}:{doc_id}".encode()).hexdigest()[:8], 16) / 0x1_0000_0000 < share
