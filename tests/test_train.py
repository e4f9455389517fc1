"""Training helpers: which languages a fold's text model is not taught to name."""

from __future__ import annotations

from segclf.train import _languages_hidden_from, _without_languages

LANGUAGES = frozenset({"en", "de", "fr", "fa", "ur", "ps", "ru", "uk", "ja", "zh", "tr", "sw"})


def test_hidden_languages_are_a_share_chosen_the_same_way_every_run() -> None:
    hidden = [_languages_hidden_from(k, LANGUAGES, frozenset(), 0.5, seed=1) for k in range(3)]
    assert hidden == [_languages_hidden_from(k, LANGUAGES, frozenset(), 0.5, seed=1) for k in range(3)]
    assert all(0 < len(h) < len(LANGUAGES) for h in hidden)
    assert len(set(hidden)) > 1  # each fold hides its own draw
    assert hidden != [_languages_hidden_from(k, LANGUAGES, frozenset(), 0.5, seed=2) for k in range(3)]


def test_languages_of_real_pages_are_never_hidden() -> None:
    assert _languages_hidden_from(0, LANGUAGES, frozenset({"en"}), 1.0, seed=0) == LANGUAGES - {"en"}
    assert _languages_hidden_from(0, LANGUAGES, frozenset(), 0.0, seed=0) == frozenset()


def test_rows_of_hidden_languages_are_dropped_and_the_rest_kept_in_order() -> None:
    rows = ["__label__de Der Minister sagte", "__label__fa سلام", "__label__en the minister said", "__label__fa خبر"]
    assert _without_languages(rows, frozenset({"fa"})) == [rows[0], rows[2]]
    assert _without_languages(rows, frozenset()) == rows
