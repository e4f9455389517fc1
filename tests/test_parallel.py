"""``segclf.parallel``: process pool order and errors, bounded read-ahead, Dask, pandas (Spark)."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator

import pytest

from segclf import Document, ModelError, SegclfError, Segmenter
from segclf.parallel import (
    DocumentError,
    FailedDocument,
    segment_bag,
    segment_dataframe,
    segment_pandas,
    segment_parallel,
)

ARTICLE = """World leaders meet in Geneva

By Jane Doe | 12 March 2024

The summit opened on Monday with a call for a ceasefire, as delegates from forty countries gathered in the city.
Officials said the talks would continue through the week, and that a joint statement was expected on Friday.
Переговоры продолжатся в пятницу, сообщили официальные лица.

- Advertisement -
Home | World | Sport | Contact
Subscribe to our newsletter
Leave a comment"""

GERMAN = """Startseite
Politik | Wirtschaft | Sport

Die Regierung hat am Montag ein neues Gesetz vorgestellt, das die Mieten in den Städten begrenzen soll.
Kritiker sagen, dass die Maßnahmen nicht ausreichen werden, um den Wohnungsmangel zu beheben.
© 2024 Zeitung GmbH"""

RUSSIAN = """Главная  Новости  Спорт
Правительство в понедельник представило новый закон об ограничении арендной платы в городах.
Критики говорят, что этих мер будет недостаточно.\r
Реклама
\t
Комментарии (12)"""


def corpus(n: int = 14) -> list[str]:
    base = [ARTICLE, GERMAN, RUSSIAN, "", "\n\n", "one line", ARTICLE.replace("\n", "\r\n")]
    return [base[i % len(base)] + ("" if i < len(base) else f"\nline {i}") for i in range(n)]


def same(a: Document, b: Document) -> bool:
    """Every field of every line, and the document language, are identical."""
    fields = [(x.text, x.label, x.confidence, x.lang, x.raw_label) for x in a]
    return fields == [(x.text, x.label, x.confidence, x.lang, x.raw_label) for x in b] and a.lang == b.lang


# --- the process pool -----------------------------------------------------------------


def test_jobs2_identical_to_jobs1_and_in_order(segmenter: Segmenter) -> None:
    texts = corpus()
    expected = list(segmenter.segment_many(texts))
    one = list(segment_parallel(texts, jobs=1))
    # as_tuples: contexts (ids, records) pass through and stay in this process
    pairs = [(text, {"id": i}) for i, text in enumerate(texts)]
    out = list(segment_parallel(pairs, jobs=2, chunk_docs=3, as_tuples=True))
    assert [ctx["id"] for _, ctx in out] == list(range(len(texts)))
    two = [doc for doc, _ in out]
    assert len(one) == len(two) == len(texts)
    for text, e, a, b in zip(texts, expected, one, two, strict=True):
        assert isinstance(b, Document)
        assert b.text == text
        assert same(e, a) and same(e, b)


def test_jobs1_never_starts_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    import segclf.parallel as parallel

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("jobs=1 started a pool")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    assert len(list(segment_parallel(corpus(3), jobs=1))) == 3


def test_errors_are_values_or_raised_with_their_index() -> None:
    texts: list[object] = [ARTICLE, b"bytes are not text", GERMAN, None, RUSSIAN]
    out = list(segment_parallel(texts, jobs=2, chunk_docs=2, on_error="return"))  # type: ignore[arg-type]
    assert [type(x).__name__ for x in out] == ["Document", "FailedDocument", "Document", "FailedDocument", "Document"]
    assert isinstance(out[1], FailedDocument) and out[1].index == 1 and out[1].error == "TypeError"
    assert "got bytes" in out[1].message and out[3].index == 3

    seen = []
    with pytest.raises(DocumentError, match=r"document 1: TypeError") as info:
        for doc in segment_parallel(texts, jobs=1, on_error="raise"):  # type: ignore[arg-type]
            seen.append(doc)
    assert len(seen) == 1 and info.value.index == 1 and isinstance(info.value, SegclfError)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork to patch workers")
def test_a_document_failing_inside_a_worker_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from segclf.model import SegmentationModel

    predict = SegmentationModel.predict

    def fragile(self: SegmentationModel, texts: list[str]) -> list:
        if any("BOOM" in t for t in texts):
            raise RuntimeError("cannot label BOOM")
        return predict(self, texts)

    monkeypatch.setattr(SegmentationModel, "predict", fragile)  # inherited by forked workers
    texts = [ARTICLE, "BOOM", GERMAN, RUSSIAN]
    out = list(segment_parallel(texts, jobs=2, chunk_docs=2, on_error="return", start_method="fork"))
    assert isinstance(out[1], FailedDocument)
    assert (out[1].index, out[1].error, out[1].message) == (1, "RuntimeError", "cannot label BOOM")
    assert [isinstance(d, Document) for d in out] == [True, False, True, True]


class CountingInput:
    """An input that records how many documents were read from it."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for i in range(self.n):
            self.read += 1
            yield f"Line one of document {i}.\nA second line of text."


@pytest.mark.parametrize("jobs,chunk_docs,prefetch", [(2, 3, 1), (1, 4, 1)])
def test_read_ahead_is_bounded(jobs: int, chunk_docs: int, prefetch: int) -> None:
    source = CountingInput(40)
    window = prefetch * jobs * chunk_docs if jobs > 1 else chunk_docs  # jobs=1 reads a batch at a time
    results = segment_parallel(source, jobs=jobs, chunk_docs=chunk_docs, prefetch=prefetch, batch_size=chunk_docs)
    assert source.read == 0  # nothing is read before the first result is asked for
    for yielded, _ in enumerate(results, start=1):
        assert source.read - yielded <= window
    assert source.read == 40


def test_closing_early_does_not_wait_for_the_whole_input() -> None:
    source = CountingInput(10_000)
    results = segment_parallel(source, jobs=2, chunk_docs=2, prefetch=1)
    start = time.perf_counter()
    first = next(results)
    results.close()  # type: ignore[attr-defined]
    assert isinstance(first, Document) and source.read <= 4
    assert time.perf_counter() - start < 30


def test_invalid_arguments_and_models_fail_before_any_work(tmp_path: object) -> None:
    with pytest.raises(ValueError, match="jobs must be"):
        segment_parallel([ARTICLE], jobs=0)
    with pytest.raises(ValueError, match="on_error"):
        segment_parallel([ARTICLE], jobs=2, on_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="no such model file"):
        segment_parallel([ARTICLE], jobs=2, model="/nonexistent/model.segclf")


# --- pandas and Spark's mapInPandas -------------------------------------------------------


def test_segment_pandas_adds_columns_per_row(segmenter: Segmenter) -> None:
    pd = pytest.importorskip("pandas")
    frames = [
        pd.DataFrame({"id": [1, 2], "text": [ARTICLE, GERMAN]}),
        pd.DataFrame({"id": [3, 4], "text": [None, RUSSIAN]}, index=[10, 11]),
    ]
    out = list(segment_pandas(iter(frames), text_column="text"))
    assert [list(f.index) for f in out] == [[0, 1], [10, 11]]
    assert list(out[0].columns) == [
        "id",
        "text",
        "segclf_labels",
        "segclf_confidences",
        "segclf_langs",
        "segclf_lang",
        "segclf_error",
    ]
    row = out[0].iloc[0]
    doc = segmenter.segment(ARTICLE)
    assert row["segclf_labels"] == doc.labels
    assert row["segclf_confidences"] == [line.confidence for line in doc]
    assert row["segclf_langs"] == [line.lang for line in doc]
    assert row["segclf_lang"] == doc.lang and row["segclf_error"] is None
    missing = out[1].loc[10]
    assert missing["segclf_labels"] is None and "TypeError" in missing["segclf_error"]
    assert out[1].loc[11]["segclf_labels"] == segmenter.segment(RUSSIAN).labels


# --- Dask -------------------------------------------------------------------------------


def test_dask_missing_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "dask.bag", None)
    with pytest.raises(ImportError, match=r"segclf\[dask\]"):
        segment_bag(object())  # type: ignore[arg-type]


def test_dask_local_scheduler(segmenter: Segmenter) -> None:
    db = pytest.importorskip("dask.bag")
    texts = corpus(6)
    docs = segment_bag(db.from_sequence(texts, npartitions=2)).compute(scheduler="sync")
    assert all(same(d, e) for d, e in zip(docs, segmenter.segment_many(texts), strict=True))
    records = [{"id": i, "text": t} for i, t in enumerate(texts)] + [{"id": 99}]
    out = segment_bag(db.from_sequence(records, npartitions=3), field="text").compute(scheduler="sync")
    assert [r["id"] for r in out] == [*range(6), 99]
    assert out[0]["segclf_labels"] == segmenter.segment(texts[0]).labels
    assert out[-1]["segclf_labels"] is None and out[-1]["segclf_error"].startswith("KeyError")


def test_dask_dataframe(segmenter: Segmenter) -> None:
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    texts = corpus(8)
    pdf = pd.DataFrame({"id": range(len(texts)), "body": texts})
    lazy = segment_dataframe(dd.from_pandas(pdf, npartitions=3), text_column="body")
    labeled = lazy.compute(scheduler="sync")
    assert list(labeled.columns) == list(lazy.columns) and list(labeled["id"]) == list(range(len(texts)))
    expected = list(segmenter.segment_many(texts))
    assert list(labeled["segclf_labels"]) == [d.labels for d in expected]
    assert list(labeled["segclf_lang"]) == [d.lang for d in expected]
    with pytest.raises(KeyError, match="text_column 'text'"):
        segment_dataframe(dd.from_pandas(pdf, npartitions=1))


@pytest.fixture(scope="module")
def dask_client() -> Iterator[object]:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_dask_cluster_loads_the_model_once_per_worker(dask_client: object, segmenter: Segmenter) -> None:
    db = pytest.importorskip("dask.bag")
    texts = corpus(12)
    expected = list(segmenter.segment_many(texts))
    docs = segment_bag(db.from_sequence(texts, npartitions=6)).compute()
    assert all(same(d, e) for d, e in zip(docs, expected, strict=True))
    records = [{"id": i, "text": t} for i, t in enumerate(texts)]
    out = segment_bag(db.from_sequence(records, npartitions=6), field="text").compute()
    assert [r["segclf_labels"] for r in out] == [d.labels for d in expected]

    from segclf import parallel

    loads = dask_client.run(lambda: parallel._load_segmenter.cache_info().misses)  # type: ignore[attr-defined]
    assert len(loads) == 2 and all(n <= 1 for n in loads.values())  # once per worker process, not per task


def test_the_pool_preloads_segclf_in_its_forkserver() -> None:
    """One preload list, naming ``segclf._preload`` (a second call would replace the first)."""
    import multiprocessing
    import multiprocessing.forkserver

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver on this platform")
    docs = ["Home\nThe minister said on Tuesday that the plan would go ahead."] * 4
    assert len(list(segment_parallel(docs, jobs=2, chunk_docs=1, start_method="forkserver"))) == 4
    assert multiprocessing.forkserver._forkserver._preload_modules == ["segclf._preload"]
