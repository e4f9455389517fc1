"""segclf's small exception hierarchy; the CLI catches it at the edge."""

from __future__ import annotations

__all__ = ["SegclfError", "ModelError", "LabeledDataError", "InputError"]


class SegclfError(Exception):
    """Base class of every error segclf raises on purpose."""


class ModelError(SegclfError):
    """A model file is missing, corrupted, truncated or of another format version."""


class LabeledDataError(SegclfError):
    """A labeled file is invalid; the message names file, document and line."""


class InputError(SegclfError):
    """An input document or path cannot be read."""
