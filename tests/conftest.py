"""Shared fixtures: the shipped model is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import segclf

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def segmenter() -> segclf.Segmenter:
    return segclf.Segmenter()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture()
def poisoned_segment_many(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Segmenter.segment_many`` (and the command line's columns) raise ``ValueError("poisoned input")``
    for a batch holding the word POISON."""
    original = segclf.Segmenter._results

    def results(self, texts):  # noqa: ANN001, ANN202
        texts = list(texts)
        if any("POISON" in t for t in texts):
            raise ValueError("poisoned input")
        return original(self, texts)

    monkeypatch.setattr(segclf.Segmenter, "_results", results)
