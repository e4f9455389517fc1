"""The line text model: one fastText pass gives a line's function scores and its languages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from segclf.store import default_model_path
from segclf.textmodel import LABEL_PREFIX, LineTextModel, load_fasttext
from segclf.train import TEXT_LABELS, read_language_rows

LINES = [
    "home",
    "the minister said on tuesday that the plan would go ahead.",
    "der minister sagte am dienstag, dass der plan weitergeht.",
    "подписаться на рассылку",
    "share on facebook",
    "",
]


@pytest.fixture(scope="module")
def shipped_fasttext(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    path = tmp_path_factory.mktemp("textmodel") / "text.bin"
    path.write_bytes(zipfile.ZipFile(default_model_path()).read("text.bin"))
    return load_fasttext(path)


def test_heads_equal_fasttexts_own_softmax_split_in_two(shipped_fasttext) -> None:  # noqa: ANN001
    """Each head is fastText's softmax over all labels, renormalised within functions or within languages."""
    model = LineTextModel(shipped_fasttext, TEXT_LABELS)
    lines = [t for t in LINES if t]  # (the empty line's languages tie at 0: no order to compare)
    functions, languages = model.score(lines)
    labels, probs = shipped_fasttext.f.multilinePredict([t + "\n" for t in lines], -1, 0.0, "strict")
    for row, (labs, ps) in enumerate(zip(labels, probs)):
        # fastText reports exp(log(p + 1e-5)) for each label's probability p
        full = dict(zip((lab.removeprefix(LABEL_PREFIX) for lab in labs), np.maximum(np.array(ps) - 1e-5, 0.0)))
        expected = np.array([full[lab] for lab in TEXT_LABELS])
        np.testing.assert_allclose(functions[row], expected / expected.sum(), atol=1e-4)
        by_language = {lab: full[lab] for lab in model.languages}
        total = sum(by_language.values())
        best = sorted(by_language, key=by_language.__getitem__, reverse=True)[: model.top_languages]
        assert [model.languages[c] for c in languages.columns[row]] == best
        np.testing.assert_allclose(languages.probs[row], [by_language[b] / total for b in best], atol=1e-4)


def test_languages_are_every_label_but_the_functions(shipped_fasttext) -> None:  # noqa: ANN001
    model = LineTextModel(shipped_fasttext, TEXT_LABELS)
    assert not set(model.languages) & set(TEXT_LABELS)
    assert {"en", "de", "ru", "uk", "fa", "ar", "zh", "ja"} <= set(model.languages)
    assert len(model.languages) + len(TEXT_LABELS) == len(shipped_fasttext.get_labels())


def test_one_pass_per_batch_and_no_newlines(shipped_fasttext) -> None:  # noqa: ANN001
    model = LineTextModel(shipped_fasttext, TEXT_LABELS)
    one_by_one = np.vstack([model.hidden([t]) for t in LINES])
    np.testing.assert_array_equal(model.hidden(LINES), one_by_one)
    assert model.hidden([]).shape == (0, model.dim)
    with pytest.raises(ValueError, match="one line at a time"):
        model.hidden(["two\nlines"])


def test_a_lines_scores_do_not_depend_on_its_batch(shipped_fasttext) -> None:  # noqa: ANN001
    """Bit for bit: a document's labels must never depend on what else was in its batch."""
    from segclf.model import single_blas_thread

    model = LineTextModel(shipped_fasttext, TEXT_LABELS, cache_size=0)  # compute every time
    batch = LINES * 23  # 138 lines: matrix products of another shape than one line's
    with single_blas_thread():
        functions, languages = model.score(batch)
        for row, text in enumerate(LINES):
            alone_functions, alone_languages = model.score([text])
            np.testing.assert_array_equal(functions[row], alone_functions[0])
            np.testing.assert_array_equal(languages.columns[row], alone_languages.columns[0])
            np.testing.assert_array_equal(languages.probs[row], alone_languages.probs[0])


def _scores(model: LineTextModel, texts: list[str]) -> list[np.ndarray]:
    functions, languages = model.score(texts)
    return [functions, languages.columns, languages.probs]


def test_cached_scores_equal_computed_ones_also_after_the_cache_fills(shipped_fasttext) -> None:  # noqa: ANN001
    from segclf.model import single_blas_thread

    words = ["home", "news", "the plan went ahead on tuesday", "подписаться"] * 5
    texts = [f"{word} {i}" for i, word in enumerate(words)]
    uncached = LineTextModel(shipped_fasttext, TEXT_LABELS, cache_size=0)
    cached = LineTextModel(shipped_fasttext, TEXT_LABELS, cache_size=7)
    with single_blas_thread():
        expected = _scores(uncached, texts)
        for start in range(0, len(texts), 3):  # overlapping calls: hits, misses, and the cache emptied when full
            window = texts[max(start - 4, 0) : start + 3]
            got = _scores(cached, window)
            want = _scores(uncached, window)
            for a, b in zip(got, want):
                np.testing.assert_array_equal(a, b)
            assert len(cached._cache) <= 7
        assert len(uncached._cache) == 0
        np.testing.assert_array_equal(_scores(cached, texts)[0], expected[0])
        cached.clear_cache()
        assert len(cached._cache) == 0


def test_threads_sharing_a_cached_model_get_the_computed_scores(shipped_fasttext) -> None:  # noqa: ANN001
    from concurrent.futures import ThreadPoolExecutor

    from segclf.model import single_blas_thread

    texts = [f"line {i} of the menu" for i in range(60)]
    cached = LineTextModel(shipped_fasttext, TEXT_LABELS, cache_size=25)
    with single_blas_thread():
        expected = _scores(LineTextModel(shipped_fasttext, TEXT_LABELS, cache_size=0), texts)

        def score_window(start: int) -> tuple[int, list[np.ndarray]]:
            return start, _scores(cached, texts[start : start + 10])

        with ThreadPoolExecutor(4) as pool:
            for start, got in pool.map(score_window, [i % 50 for i in range(0, 400, 7)]):
                for a, b in zip(got, expected):
                    np.testing.assert_array_equal(a, b[start : start + 10])


def test_a_function_label_the_model_lacks_gets_zero(shipped_fasttext) -> None:  # noqa: ANN001
    model = LineTextModel(shipped_fasttext, (*TEXT_LABELS, "sidebar"))
    probs = model.function_probs(model.hidden(LINES))
    assert probs.shape == (len(LINES), 5)
    assert (probs[:, 4] == 0).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_language_rows_are_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("__label__en the cat sat\n__label__de die katze\n", encoding="utf-8")
    assert read_language_rows(good) == ["__label__en the cat sat", "__label__de die katze"]
    unlabeled = tmp_path / "unlabeled.txt"
    unlabeled.write_text("__label__en fine\nno label here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="every row must be"):
        read_language_rows(unlabeled)
    clash = tmp_path / "clash.txt"
    clash.write_text("__label__nav home\n", encoding="utf-8")
    with pytest.raises(ValueError, match="clash with function labels: nav"):
        read_language_rows(clash)


def test_function_lines_also_teach_their_documents_language() -> None:
    """Menu words and comments are rows of their document's language too (not numbers, not unknown languages)."""
    from segclf.labeled import LabeledDocument
    from segclf.train import _text_training_lines

    lines = ["Home", "3 days ago", "12:30", "The minister said so.", "Der Minister sagte"]
    doc = LabeledDocument("d", lines, ["nav", "body", "nav", "body", "foreign"])
    english = LabeledDocument("e", doc.lines, doc.labels, "en")
    rows = _text_training_lines([english], 3, frozenset({"en", "de"}))
    assert rows == [
        "__label__nav home",
        "__label__en home",
        "__label__body 0 days ago",
        "__label__en 0 days ago",
        "__label__nav 00:00",
        "__label__body the minister said so.",
        "__label__en the minister said so.",
    ]
    unknown = LabeledDocument("x", doc.lines, doc.labels, "xx")
    assert not any(r.startswith("__label__xx") for r in _text_training_lines([unknown], 3, frozenset({"en"})))
