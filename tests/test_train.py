"""Training helpers: which languages a fold's text model is not taught to name; the stage networks' settings."""

from __future__ import annotations

import numpy as np

from segclf.train import TrainSettings, _fit_stage, _languages_hidden_from, _without_languages

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


def test_the_l2_penalty_of_the_settings_reaches_the_stage_networks() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4096, 6)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64) * 3  # body and comment
    squared = []
    for alpha in (1e-4, 100.0):  # sklearn divides the penalty by the rows
        stage = _fit_stage(X, y, TrainSettings(hidden=(8,), mlp_iter=100, mlp_alpha=alpha), seed=0)
        squared.append(sum(float((w**2).sum()) for w in stage.weights))
    assert squared[1] < 0.5 * squared[0]
