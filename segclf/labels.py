"""The label set: the one place that defines it (see LABELS.md)."""

from __future__ import annotations

__all__ = ["LABELS", "SCORED_LABELS", "BLANK", "BODY", "NAV", "AD", "COMMENT", "FOREIGN", "is_blank"]

BODY = "body"
NAV = "nav"
AD = "ad"
COMMENT = "comment"
FOREIGN = "foreign"
BLANK = "blank"

#: Labels the model predicts, in the order of its probability columns.
SCORED_LABELS: tuple[str, ...] = (BODY, NAV, AD, COMMENT, FOREIGN)
#: Every label a line can carry; ``blank`` is decided by rule and not scored.
LABELS: tuple[str, ...] = (*SCORED_LABELS, BLANK)

# White space per LABELS.md rule 1: spaces, tabs, no-break spaces, zero-width characters.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def is_blank(text: str) -> bool:
    """True for a line with nothing but white space (LABELS.md rule 1)."""
    return all(ch.isspace() or ch in _INVISIBLE for ch in text)
