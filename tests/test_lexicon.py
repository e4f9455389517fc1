"""The recipe's hand-made markers (training/lexicon/markers.json) and their roles.

Composed pages place a marker by its role; a role whose marker is missing from the
file is silently never placed (the ``Source link`` of LABELS.md was lost that way).
"""

from __future__ import annotations

import json

import pytest

from training.uistrings import MARKER_ROLES, MARKERS_PATH, _load_markers, role_label

MARKERS = json.loads(MARKERS_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize("english", sorted(MARKER_ROLES))
def test_every_role_has_its_marker_under_the_roles_label(english: str) -> None:
    label = role_label(MARKER_ROLES[english])
    assert english in MARKERS.get(label, {}), f"{english!r} ({MARKER_ROLES[english]}) is not in markers.json[{label!r}]"


def test_markers_have_english_and_clean_translations() -> None:
    for label, phrases in MARKERS.items():
        for english, texts in phrases.items():
            assert texts["en"] == english
            assert len(texts) >= 20, f"{label}/{english!r}: {len(texts)} languages"
            for lang, text in texts.items():
                assert text and text.strip() == text and "\n" not in text, (english, lang, text)


def test_loaded_markers_carry_their_roles() -> None:
    roles = {entry.key.removeprefix("marker:"): entry for entry in _load_markers()}
    for english in ("Donate", "Get the app", "Source link"):
        entry = roles[english]
        assert entry.role == MARKER_ROLES[english]
        assert len(entry.texts) >= 50
    assert roles["Donate"].texts["de"] == ["Spenden"]
