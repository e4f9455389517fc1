"""Training helpers: which languages and pages a fold's text model does not learn; the stage networks' settings."""

from __future__ import annotations

import numpy as np

from segclf.labeled import LabeledDocument
from segclf.train import TrainSettings, _fit_stage, _fold_text_documents, _languages_hidden_from, _without_languages

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


def test_a_fold_text_model_learns_the_other_folds_less_the_pages_in_hidden_languages() -> None:
    docs = [
        LabeledDocument(f"d{n}", ["Menu", "A line."], ["nav", "body"], lang)
        for n, lang in enumerate("en de fr de".split())
    ]
    folds = [0, 1, 1, 1]
    ids = lambda hidden: [d.id for d in _fold_text_documents(docs, folds, 0, hidden)]  # noqa: E731
    assert ids(frozenset()) == ["d1", "d2", "d3"]
    assert ids(frozenset({"de"})) == ["d2"]
    assert ids(frozenset({"en"})) == ["d1", "d2", "d3"]  # fold 0's own page is never learned anyway


def test_the_l2_penalty_of_the_settings_reaches_the_stage_networks() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4096, 6)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64) * 3  # body and comment
    squared = []
    for alpha in (1e-4, 100.0):  # sklearn divides the penalty by the rows
        stage = _fit_stage(X, y, TrainSettings(hidden=(8,), mlp_iter=100, mlp_alpha=alpha), seed=0)
        squared.append(sum(float((w**2).sum()) for w in stage.weights))
    assert squared[1] < 0.5 * squared[0]
