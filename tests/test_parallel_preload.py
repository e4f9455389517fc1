"""``--jobs`` start-up: the fork server loads the model once and the workers inherit it.

The pool's workers are forked from one fork server per process, launched by the
first pool; the test that checks what the workers inherit runs in a fresh
interpreter, so that it launches the server itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from segclf import Document, Segmenter, parallel
from segclf._preload import MODEL_ENV
from segclf.parallel import _Chunk, _emit, _Failure, _Output, _pieces, segment_parallel
from segclf.store import default_model_path

TEXTS = [
    "Home | World | Sport\nThe minister said on Tuesday that the plan would go ahead.\nLeave a comment",
    "Startseite\nDie Regierung hat am Montag ein neues Gesetz vorgestellt, das die Mieten begrenzen soll.",
    "Главная  Новости\nПравительство в понедельник представило новый закон.\nРеклама",
] * 6


def same(a: Document, b: Document) -> bool:
    fields = [(x.text, x.label, x.confidence, x.lang, x.raw_label) for x in a]
    return fields == [(x.text, x.label, x.confidence, x.lang, x.raw_label) for x in b] and a.lang == b.lang


@pytest.fixture
def model_copy(tmp_path: Path) -> str:
    """The shipped model under another path: another file as far as the workers can tell."""
    return str(shutil.copy(default_model_path(), tmp_path / "copy.segclf"))


@pytest.fixture
def no_preload(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's preloaded model is put back as it was after the test."""
    monkeypatch.setattr(parallel, "_PRELOADED", None)


# --- the cache, in this process -----------------------------------------------------


@pytest.mark.usefixtures("no_preload")
def test_a_worker_uses_the_preloaded_model_of_the_same_file_only(model_copy: str) -> None:
    parallel.preload_model(model_copy)
    preloaded = parallel._PRELOADED
    assert preloaded is not None and preloaded.key == parallel._model_key(model_copy)
    assert parallel._worker_segmenter(model_copy, 8).model is preloaded.model
    assert parallel._worker_segmenter(None, 8).model is not preloaded.model  # another file

    stat = os.stat(model_copy)
    os.utime(model_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # the file was rewritten
    reloaded = parallel._worker_segmenter(model_copy, 8)
    assert reloaded.model is not preloaded.model
    assert same(reloaded.segment(TEXTS[0]), Segmenter(preloaded.model).segment(TEXTS[0]))


@pytest.mark.usefixtures("no_preload")
def test_a_model_that_cannot_be_preloaded_is_left_to_the_workers(tmp_path: Path) -> None:
    broken = tmp_path / "broken.segclf"
    broken.write_bytes(b"not a zip")
    parallel.preload_model(str(broken))  # must not raise: it would kill the fork server
    parallel.preload_model(str(tmp_path / "missing.segclf"))
    assert parallel._PRELOADED is None


@pytest.mark.usefixtures("no_preload")
def test_preload_runs_only_in_the_fork_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Imported elsewhere ``segclf._preload`` does nothing; in the server it loads and removes the variable."""
    import importlib

    from segclf import chars, features

    module = importlib.import_module("segclf._preload")
    monkeypatch.delenv(MODEL_ENV, raising=False)
    features._token_tables.cache_clear()
    importlib.reload(module)
    assert parallel._PRELOADED is None and features._token_tables.cache_info().currsize == 0

    monkeypatch.setenv(MODEL_ENV, "")  # as start_forkserver launches the server, for the shipped model
    for table in (features._token_tables, chars._tables, chars._more_tables):
        table.cache_clear()
    importlib.reload(module)
    assert all(t.cache_info().currsize == 1 for t in (features._token_tables, chars._tables, chars._more_tables))
    assert parallel._PRELOADED is not None and parallel._PRELOADED.key == parallel._model_key(None)
    assert MODEL_ENV not in os.environ  # the workers forked from the server do not see it


# --- the pool -------------------------------------------------------------------------


def test_this_process_does_not_load_the_model_when_workers_label(
    monkeypatch: pytest.MonkeyPatch, segmenter: Segmenter
) -> None:
    import segclf.store

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parent process loaded the model")

    expected = list(segmenter.segment_many(TEXTS))
    monkeypatch.setattr(segclf.store, "load_model", no_load)  # the workers are not forked from this process
    out = list(segment_parallel(TEXTS, jobs=2, chunk_docs=4))
    assert len(out) == len(TEXTS) and all(same(a, b) for a, b in zip(out, expected, strict=True))


def test_the_first_chunk_in_pieces_keeps_order_failures_and_contexts() -> None:
    texts: list[object] = ["a\nb", None, "c", "d\ne\nf", b"x", "g", "h"]
    chunk = _Chunk(10, [], [], [])
    for i, text in enumerate(texts):
        chunk.contexts.append(i)
        if isinstance(text, str):
            chunk.slots.append(len(chunk.texts))
            chunk.texts.append(text)
        else:
            chunk.slots.append(_Failure("TypeError", "not a str"))
    pieces = _pieces(chunk, 3)
    assert [len(p.slots) for p in pieces] == [3, 3, 1] and [p.start for p in pieces] == [10, 13, 16]

    def labeled(c: _Chunk) -> list[Document]:
        return [Document(lang=text) for text in c.texts]  # stands in for a worker's results

    whole = list(_emit(chunk, labeled(chunk), _Output("return", True)))
    split = [out for piece in pieces for out in _emit(piece, labeled(piece), _Output("return", True))]
    assert [(repr(d), d.lang if isinstance(d, Document) else d.index, ctx) for d, ctx in split] == [
        (repr(d), d.lang if isinstance(d, Document) else d.index, ctx) for d, ctx in whole
    ]
    assert [ctx for _, ctx in split] == list(range(len(texts)))


# Run in a fresh interpreter: this module is its __main__, so the workers can unpickle ``probe``.
PROBE = textwrap.dedent(
    """
    import json, os, sys
    from segclf import parallel
    from segclf._preload import MODEL_ENV
    from segclf.parallel import segment_parallel

    def probe(_: int) -> tuple:
        preloaded = parallel._PRELOADED
        return os.getpid(), preloaded is not None and parallel._WORKER.model is preloaded.model, MODEL_ENV in os.environ

    def workers(model: str | None) -> dict:
        pool = parallel._start_pool(model, 2, 64, "forkserver")
        with pool:
            answers = list(pool.map(probe, range(8)))
        return {"preloaded": sorted({a[1] for a in answers}), "env": any(a[2] for a in answers)}

    if __name__ == "__main__":
        texts = json.loads(sys.argv[2])
        out = {"default": workers(None), "copy": workers(sys.argv[1]), "parent_env": MODEL_ENV in os.environ}
        docs = segment_parallel(texts, model=sys.argv[1], jobs=2, chunk_docs=2)
        out["labels"] = [[line.label for line in doc] for doc in docs]
        print(json.dumps(out))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server on Windows")
def test_workers_inherit_the_fork_servers_model_and_load_another_one(
    tmp_path: Path, model_copy: str, segmenter: Segmenter
) -> None:
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    proc = subprocess.run(
        [sys.executable, str(script), model_copy, json.dumps(TEXTS)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["default"]["preloaded"] == [True]  # the server was launched for the shipped model
    assert out["copy"]["preloaded"] == [False]  # another file: loaded by each worker
    assert not out["default"]["env"] and not out["copy"]["env"] and not out["parent_env"]
    assert out["labels"] == [doc.labels for doc in segmenter.segment_many(TEXTS)]


# --- forking the workers from this process (the command line) -------------------------

FORK_PROBE = textwrap.dedent(
    """
    import json, sys
    from segclf import parallel
    from segclf.parallel import prepare_fork, segment_parallel

    def probe(_: int) -> bool:
        return parallel._WORKER.model is parallel._PRELOADED.model

    if __name__ == "__main__":
        texts = json.loads(sys.argv[1])
        method = prepare_fork(None)
        with parallel._start_pool(None, 2, 64, method) as pool:
            shared = sorted(set(pool.map(probe, range(8))))
        docs = segment_parallel(texts, jobs=2, chunk_docs=2, start_method=method)
        print(json.dumps({"method": method, "shared": shared, "labels": [doc.labels for doc in docs]}))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking the workers is used on Linux only")
def test_workers_forked_from_a_single_threaded_process_share_its_model(tmp_path: Path, segmenter: Segmenter) -> None:
    script = tmp_path / "fork_probe.py"
    script.write_text(FORK_PROBE)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # as the command line sets it: no BLAS thread pool
    proc = subprocess.run(
        [sys.executable, str(script), json.dumps(TEXTS)], capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["method"] == "fork"
    assert out["shared"] == [True]  # every worker labels with the model loaded before the fork
    assert out["labels"] == [doc.labels for doc in segmenter.segment_many(TEXTS)]


def test_a_process_running_another_thread_does_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = []
    monkeypatch.setattr(parallel, "preload_model", loaded.append)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.fork_is_safe()
        assert parallel.prepare_fork(None) is None
    finally:
        stop.set()
        thread.join()
    assert loaded == []  # nothing loaded for workers that will not be forked from here
