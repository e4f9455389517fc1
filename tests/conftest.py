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
