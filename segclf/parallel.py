"""Label many documents on many cores: ``--jobs``, Dask and Spark.

Parallel across documents, not lines. ``segment_parallel`` runs a process pool
whose workers are forked from a fork server that has loaded the model once
(``segclf._preload``; a worker asked for another model file loads that one),
documents sent in chunks with a bounded read-ahead, results returned in input
order. The command line's ``--jobs`` uses the same pool and workers
(``_start_pool``), with blocks of documents that the workers also write
(``segclf.blocks``). A document that fails comes back
from its worker as a value, never as a dead pool; the caller chooses whether it
is raised (``on_error="raise"``, the default) or yielded as a ``FailedDocument``
(``on_error="return"``).

Results cross the process boundary compactly (one byte per label, eight per
confidence, the languages); the parent already holds the texts, so it builds
the ``Line`` objects itself.

For clusters, ``segment_bag`` and ``segment_dataframe`` run the same labeling
partition by partition on Dask, and ``segment_pandas`` does it for Spark's
``mapInPandas``; every worker process loads a model once and keeps it
(``_cached_segmenter``). Dask and pandas are imported only when those
functions are called (``pip install 'segclf[dask]'``).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import sys
import threading
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from segclf.columns import LabelColumns
from segclf.errors import ModelError, SegclfError
from segclf.labels import LABELS
from segclf.model import DocumentPrediction, SegmentationModel
from segclf.segmenter import Document, Line, Segmenter

if TYPE_CHECKING:  # pragma: no cover - typing only
    import dask.bag
    import dask.dataframe
    import pandas as pd

__all__ = [
    "segment_parallel",
    "segment_parallel_columns",
    "segment_bag",
    "segment_dataframe",
    "segment_pandas",
    "FailedDocument",
    "DocumentError",
    "OUTPUT_COLUMNS",
    "default_jobs",
    "fork_is_safe",
    "prepare_fork",
]

ModelPath = str | os.PathLike[str] | None
OnError = Literal["raise", "return"]

#: A chunk sent to a worker holds at most this many characters (besides ``chunk_docs``
#: documents), so that read-ahead memory is bounded for very long documents too.
CHUNK_CHARS = 1_000_000

#: The first chunk goes to the workers in this many pieces, so that the first documents
#: come back after a few documents' work instead of a whole chunk's.
FIRST_CHUNK_PIECES = 8

#: Columns that ``segment_pandas`` and ``segment_dataframe`` add, with their Spark SQL types.
OUTPUT_COLUMNS: dict[str, str] = {
    "segclf_labels": "array<string>",
    "segclf_confidences": "array<double>",
    "segclf_langs": "array<string>",
    "segclf_lang": "string",
    "segclf_error": "string",
}

_CODE = {label: i for i, label in enumerate(LABELS)}
_R = TypeVar("_R")


# --- errors as values ---------------------------------------------------------------


class DocumentError(SegclfError):
    """A document could not be labeled; ``index`` is its 0-based position in the input."""

    def __init__(self, index: int, error: str, message: str) -> None:
        super().__init__(f"document {index}: {error}: {message}")
        self.index = index
        self.error = error
        self.message = message

    def __reduce__(self) -> tuple[type[DocumentError], tuple[int, str, str]]:
        return DocumentError, (self.index, self.error, self.message)


@dataclass(frozen=True, slots=True)
class FailedDocument:
    """Stands in the output for a document that could not be labeled.

    ``index`` is the document's 0-based position in the input, ``error`` the name
    of the exception raised for it and ``message`` its text.
    """

    index: int
    error: str
    message: str

    def exception(self) -> DocumentError:
        """The ``DocumentError`` that ``on_error="raise"`` raises for this document."""
        return DocumentError(self.index, self.error, self.message)


@dataclass(frozen=True, slots=True)
class _Failure:
    """A failed document inside a chunk (its index is known only to the parent)."""

    error: str
    message: str


#: A labeled document on its way back from a worker: label codes, stage-1 label
#: codes, confidences (float64 bytes), line languages, document language.
_Packed = tuple[bytes, bytes, bytes, list[str | None], str | None]


def _pack(result: DocumentPrediction | Document) -> _Packed:
    if isinstance(result, Document):
        labels = [line.label for line in result]
        raw = [line.raw_label for line in result]
        confidences = [line.confidence for line in result]
        langs = [line.lang for line in result]
        doc_lang = result.lang
    else:
        labels, raw, confidences, langs = result.labels, result.raw_labels, result.confidences, result.langs
        doc_lang = result.doc_lang
    code = _CODE.__getitem__
    return (bytes(map(code, labels)), bytes(map(code, raw)), array("d", confidences).tobytes(), langs, doc_lang)


def _unpack_columns(text: str, packed: _Packed) -> LabelColumns:
    """A worker's result for ``text`` as ``LabelColumns`` (no ``Line`` objects)."""
    labels, _, confidences, langs, doc_lang = packed
    lines = text.split("\n")
    if len(lines) != len(labels):
        raise SegclfError(f"a worker returned {len(labels)} labels for a document of {len(lines)} lines")
    conf = array("d")
    conf.frombytes(confidences)
    return LabelColumns(lines, list(map(LABELS.__getitem__, labels)), conf.tolist(), langs, doc_lang)


def _unpack(text: str, packed: _Packed) -> Document:
    """A worker's result for ``text`` as a ``Document``, with the stage-1 labels too."""
    cols = _unpack_columns(text, packed)
    raw = map(LABELS.__getitem__, packed[1])
    return Document(map(Line, cols.texts, cols.labels, cols.confidences, cols.langs, raw), cols.lang)


def _type_error(text: object) -> _Failure:
    return _Failure("TypeError", f"text must be str, got {type(text).__name__}; decode bytes first")


def _label_chunk(segmenter: Segmenter, texts: Sequence[str]) -> list[Document | _Failure]:
    """Label ``texts`` together; if that fails, one by one, so that only the bad documents fail."""
    return _isolated(segmenter.segment_many, texts)


def _isolated(label: Callable[[Sequence[str]], Iterable[_R]], texts: Sequence[str]) -> list[_R | _Failure]:
    """``list(label(texts))``; if that fails, ``label`` on each text, so that only the bad documents fail."""
    try:
        return list(label(texts))
    except Exception:  # noqa: BLE001 - narrowed below, document by document
        pass
    results: list[_R | _Failure] = []
    for text in texts:
        try:
            results.extend(label([text]))
        except Exception as exc:  # noqa: BLE001 - a bad document is reported, not fatal
            results.append(_Failure(type(exc).__name__, str(exc)))
    return results


# --- the worker side of the pool ----------------------------------------------------

#: What identifies a model file on disk: resolved path, device, inode, modification time, size.
ModelKey = tuple[str, int, int, int, int]


@dataclass(frozen=True, slots=True)
class _Preloaded:
    key: ModelKey
    model: SegmentationModel


#: The model that the fork server loaded before forking the workers (see ``segclf._preload``).
_PRELOADED: _Preloaded | None = None
_WORKER: Segmenter | None = None
_WORKER_INIT_ERROR: _Failure | None = None


def _model_key(model: str | None) -> ModelKey | None:
    """The identity of the model file ``model`` (None: the shipped one); None if it cannot be read."""
    from segclf.store import default_model_path

    path = os.fspath(default_model_path()) if model is None else model
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.path.realpath(path), st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def preload_model(model: str | None) -> None:
    """Load ``model`` in this process (the fork server, or ``prepare_fork``'s caller) for the workers forked from it.

    Never raises: a model that cannot be loaded here is loaded by each worker
    instead, which reports the error to the parent as a value.
    """
    global _PRELOADED
    from segclf.store import load_model

    key = _model_key(model)  # before loading: a file replaced meanwhile gets a new key, so it is reloaded
    if key is None:
        return
    try:
        _PRELOADED = _Preloaded(key, load_model(model))
    except Exception:  # noqa: BLE001 - an exception here would kill the fork server
        return


def _worker_segmenter(model: str | None, batch_size: int) -> Segmenter:
    """The preloaded model (the fork server's, or ``prepare_fork``'s) if it was loaded from the same file,
    as it is now; else ``model`` loaded here."""
    if _PRELOADED is not None and _PRELOADED.key == _model_key(model):
        return Segmenter(_PRELOADED.model, batch_size=batch_size)
    return Segmenter(model, batch_size=batch_size)


def _init_worker(model: str | None, batch_size: int) -> None:
    """Pool initializer: the model this worker labels with, for its whole life."""
    global _WORKER, _WORKER_INIT_ERROR
    # Ctrl-C reaches the whole process group; the parent alone handles it and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_blas_threads()
    try:
        _WORKER = _worker_segmenter(model, batch_size)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a value
        _WORKER_INIT_ERROR = _Failure(type(exc).__name__, str(exc))


def _limit_blas_threads() -> None:
    """One BLAS thread per worker: the pool already uses the cores, and small matrix
    products slow down many times over when BLAS threads compete for them."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: without it, BLAS keeps its default
        return
    global _BLAS_LIMIT
    _BLAS_LIMIT = threadpool_limits(limits=1, user_api="blas")


_BLAS_LIMIT: Any = None


def _worker_or_failure() -> Segmenter | _Failure:
    """This worker's segmenter, or why it has none (its initializer failed), for a task to return."""
    if _WORKER is None:
        return _WORKER_INIT_ERROR or _Failure("SegclfError", "the worker has no model")
    return _WORKER


def _work(texts: list[str]) -> _Failure | list[_Packed | _Failure]:
    """Label one chunk in a worker; a failed initializer is returned instead of results."""
    worker = _worker_or_failure()
    if isinstance(worker, _Failure):
        return worker
    # Packed straight from the model's results: the parent builds the Line objects anyway.
    return _isolated(lambda batch: map(_pack, worker._results(batch)), texts)


# --- the parent side ----------------------------------------------------------------


def default_jobs() -> int:
    """The number of CPUs this process may run on (``jobs=None``)."""
    if hasattr(os, "process_cpu_count"):  # Python >= 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def fork_is_safe() -> bool:
    """Whether workers can be forked from this process: Linux, and no thread runs but this one.

    ``/proc`` counts every thread, also those that C libraries start (a BLAS pool);
    forking a process that runs threads can deadlock the child.
    """
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1]) == 1
    except (OSError, ValueError):
        pass
    return False


def prepare_fork(model: ModelPath) -> str | None:
    """Get this process ready to fork its workers: returns ``"fork"``, or None where that is not safe.

    For a program that starts workers while running one thread, like the command
    line: the model and the character tables are loaded here, and the workers
    forked from this process share them. That skips the fork server's own start
    (a new interpreter and its imports): on 2 cores the workers began labeling
    0.2-0.4 s sooner. Pass the result as ``segment_parallel``'s ``start_method``
    (None keeps its default). A model that cannot be loaded is left to
    ``segment_parallel``, which raises ``ModelError``.
    """
    if not fork_is_safe():
        return None
    from segclf import features

    features.build_tables()
    preload_model(_model_arg(model))
    return "fork" if fork_is_safe() else None  # (loading started no thread, but check)


def _start_method(requested: str | None) -> str:
    """``forkserver`` where there is one (POSIX), else ``spawn``; see ``segment_parallel``."""
    if requested is not None:
        if requested not in multiprocessing.get_all_start_methods():
            raise ValueError(
                f"start_method must be one of {', '.join(multiprocessing.get_all_start_methods())}, got {requested!r}"
            )
        return requested
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _model_arg(model: ModelPath) -> str | None:
    if model is None:
        return None
    if not isinstance(model, (str, os.PathLike)):
        raise TypeError(f"model must be a path to a model file or None, got {type(model).__name__}")
    return os.path.abspath(os.fspath(model))


@dataclass(slots=True)
class _Chunk:
    start: int  # input index of the chunk's first document
    texts: list[str]  # the documents sent to a worker (valid texts only)
    slots: list[int | _Failure]  # per input document: its position in ``texts``, or its failure
    contexts: list[Any]


def _chunks(items: Iterable[Any], chunk_docs: int, as_tuples: bool) -> Iterator[_Chunk]:
    """Cut the input into chunks of at most ``chunk_docs`` documents and ``CHUNK_CHARS`` characters."""
    chunk = _Chunk(0, [], [], [])
    chars = 0
    index = 0
    for item in items:
        if as_tuples:
            text, context = item
            chunk.contexts.append(context)
        else:
            text = item
        if isinstance(text, str):
            chunk.slots.append(len(chunk.texts))
            chunk.texts.append(text)
            chars += len(text)
        else:
            chunk.slots.append(_type_error(text))
        index += 1
        if len(chunk.slots) >= chunk_docs or chars >= CHUNK_CHARS:
            yield chunk
            chunk = _Chunk(index, [], [], [])
            chars = 0
    if chunk.slots:
        yield chunk


def _pieces(chunk: _Chunk, n: int) -> list[_Chunk]:
    """``chunk`` cut into at most ``n`` consecutive chunks of (nearly) equal numbers of documents."""
    size = -(-len(chunk.slots) // n)
    pieces = []
    for lo in range(0, len(chunk.slots), size):
        piece = _Chunk(chunk.start + lo, [], [], chunk.contexts[lo : lo + size])
        for slot in chunk.slots[lo : lo + size]:
            if not isinstance(slot, _Failure):  # renumbered: a piece holds its own texts
                piece.texts.append(chunk.texts[slot])
                slot = len(piece.texts) - 1
            piece.slots.append(slot)
        pieces.append(piece)
    return pieces


@dataclass(frozen=True, slots=True)
class _Output:
    """How results are handed out: failures raised or yielded, with contexts or not, as documents or columns."""

    on_error: OnError
    as_tuples: bool
    columns: bool = False


def _emit(chunk: _Chunk, results: Sequence[Document | _Packed | _Failure], output: _Output) -> Iterator[Any]:
    """The chunk's documents in input order, with failures raised or yielded as values."""
    for offset, slot in enumerate(chunk.slots):
        result = slot if isinstance(slot, _Failure) else results[slot]
        if isinstance(result, _Failure):
            out: Any = FailedDocument(chunk.start + offset, result.error, result.message)
            if output.on_error == "raise":
                raise out.exception()
        elif isinstance(result, Document):
            out = LabelColumns.of(result) if output.columns else result
        else:
            unpack = _unpack_columns if output.columns else _unpack
            out = unpack(chunk.texts[slot], result)  # type: ignore[index]
        yield (out, chunk.contexts[offset]) if output.as_tuples else out


@overload
def segment_parallel(
    texts: Iterable[str],
    *,
    model: ModelPath = ...,
    jobs: int | None = ...,
    batch_size: int = ...,
    chunk_docs: int = ...,
    prefetch: int = ...,
    on_error: Literal["raise"] = ...,
    as_tuples: Literal[False] = ...,
    start_method: str | None = ...,
) -> Iterator[Document]: ...


@overload
def segment_parallel(
    texts: Iterable[str],
    *,
    model: ModelPath = ...,
    jobs: int | None = ...,
    batch_size: int = ...,
    chunk_docs: int = ...,
    prefetch: int = ...,
    on_error: Literal["return"],
    as_tuples: Literal[False] = ...,
    start_method: str | None = ...,
) -> Iterator[Document | FailedDocument]: ...


@overload
def segment_parallel(
    texts: Iterable[tuple[str, Any]],
    *,
    model: ModelPath = ...,
    jobs: int | None = ...,
    batch_size: int = ...,
    chunk_docs: int = ...,
    prefetch: int = ...,
    on_error: OnError = ...,
    as_tuples: Literal[True],
    start_method: str | None = ...,
) -> Iterator[tuple[Document | FailedDocument, Any]]: ...


def segment_parallel(
    texts: Iterable[str] | Iterable[tuple[str, Any]],
    *,
    model: ModelPath = None,
    jobs: int | None = None,
    batch_size: int = 64,
    chunk_docs: int = 64,
    prefetch: int = 2,
    on_error: OnError = "raise",
    as_tuples: bool = False,
    start_method: str | None = None,
) -> Iterator[Any]:
    """Label many documents on ``jobs`` processes; yields one ``Document`` per text, in input order.

    ``jobs=None`` uses every CPU this process may run on; ``jobs=1`` never starts a
    pool and labels in this process with ``Segmenter(model, batch_size).segment_many``
    semantics. With ``jobs > 1``, a pool of worker processes labels chunks of
    ``chunk_docs`` documents (fewer if the chunk would pass ``CHUNK_CHARS``
    characters; the first chunk is sent in ``FIRST_CHUNK_PIECES`` pieces, so that
    the first results come back early). This process does not load the model:
    the workers share the one that their fork server loaded, or each loads
    ``model`` once if it is not that one. At most ``prefetch * jobs``
    chunks are in flight: the input is read only as fast as results are consumed,
    so a corpus of any size streams in bounded memory. Labels are identical to
    ``jobs=1``: a document's labels never depend on what else was in its batch.

    Errors come back from the workers as values. ``on_error="raise"`` (default)
    raises ``DocumentError`` (naming the document's 0-based index) when the
    iteration reaches a document that failed, after yielding every document before
    it; ``on_error="return"`` yields a ``FailedDocument`` in its place and goes on,
    which is what batch jobs want. A document that is not a ``str`` fails with a
    ``TypeError`` message. A model that cannot be loaded raises ``ModelError``
    before any work; a worker process that dies (killed by the system, out of
    memory) raises ``SegclfError``.

    ``as_tuples=True`` takes ``(text, context)`` pairs and yields
    ``(document, context)`` pairs; contexts (ids, records) stay in this process.

    ``start_method`` is the multiprocessing start method: by default ``forkserver``
    on POSIX and ``spawn`` elsewhere. ``fork`` starts workers fastest, but forking
    a process that runs threads (a Dask client, a progress bar, a web server) can
    deadlock the child and is deprecated since Python 3.12; a fork server forks
    workers from a small, single-threaded process that has imported segclf and
    loaded the model once, so workers start at once, without copying the caller's
    memory; the server lives as long as this process and keeps that model. As
    with ``spawn``, a script that calls this must guard its entry point with
    ``if __name__ == "__main__":``. A program that runs one thread only (the
    command line) can pass ``start_method=prepare_fork(model)``: its workers are
    then forked from it, sharing the model it loaded.

    An input that turns out to fit in one chunk is labeled in this process: starting
    a pool would cost more than it saves.

    Returns a generator: closing it early (``break``) cancels the chunks not yet started.
    """
    output = _Output(on_error, as_tuples)
    return _segment_parallel(texts, model, jobs, batch_size, chunk_docs, prefetch, output, start_method)


def segment_parallel_columns(
    texts: Iterable[str],
    *,
    model: ModelPath = None,
    jobs: int | None = None,
    batch_size: int = 64,
    chunk_docs: int = 64,
    prefetch: int = 2,
    on_error: OnError = "raise",
    start_method: str | None = None,
) -> Iterator[LabelColumns | FailedDocument]:
    """``segment_parallel`` yielding ``LabelColumns`` instead of ``Document``: no ``Line`` objects.

    For writers that only format the labels, like the command line.
    """
    output = _Output(on_error, as_tuples=False, columns=True)
    return _segment_parallel(texts, model, jobs, batch_size, chunk_docs, prefetch, output, start_method)


def _segment_parallel(
    texts: Iterable[Any],
    model: ModelPath,
    jobs: int | None,
    batch_size: int,
    chunk_docs: int,
    prefetch: int,
    output: _Output,
    start_method: str | None,
) -> Iterator[Any]:
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"texts must be an iterable of documents, got {type(texts).__name__}; wrap one text in a list")
    if jobs is None:
        jobs = default_jobs()
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be None or an int >= 1, got {jobs!r}")
    for name, value in (("batch_size", batch_size), ("chunk_docs", chunk_docs), ("prefetch", prefetch)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    if output.on_error not in ("raise", "return"):
        raise ValueError(f"on_error must be 'raise' or 'return', got {output.on_error!r}")
    path = _model_arg(model)
    if jobs == 1:
        return _in_process(texts, Segmenter(path, batch_size=batch_size), output)
    from segclf.store import default_model_path, read_manifest

    read_manifest(path if path is not None else default_model_path())  # a ModelError now, not in every worker
    method = _start_method(start_method)
    return _pooled(texts, path, jobs, batch_size, chunk_docs, prefetch, output, method)


def _in_process(items: Iterable[Any], segmenter: Segmenter, output: _Output) -> Iterator[Any]:
    for chunk in _chunks(items, segmenter.batch_size, output.as_tuples):
        yield from _emit(chunk, _label_chunk(segmenter, chunk.texts), output)


def _pooled(
    items: Iterable[Any],
    model: str | None,
    jobs: int,
    batch_size: int,
    chunk_docs: int,
    prefetch: int,
    output: _Output,
    method: str,
) -> Iterator[Any]:
    chunks = _chunks(items, chunk_docs, output.as_tuples)
    head = [chunk for chunk in (next(chunks, None), next(chunks, None)) if chunk is not None]
    if len(head) < 2:  # the whole input is one chunk (or none)
        if head:
            yield from _emit(head[0], _label_chunk(_worker_segmenter(model, batch_size), head[0].texts), output)
        return
    chunks = chain(_pieces(head[0], FIRST_CHUNK_PIECES), head[1:], chunks)
    pool = _start_pool(model, jobs, batch_size, method)
    window = prefetch * jobs
    in_flight: deque[tuple[Future, _Chunk]] = deque()
    finished = False
    try:
        while True:
            while len(in_flight) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                in_flight.append((pool.submit(_work, chunk.texts), chunk))
            if not in_flight:
                break
            future, chunk = in_flight.popleft()
            yield from _emit(chunk, _result(future, chunk), output)
        finished = True
    finally:
        for future, _ in in_flight:
            future.cancel()
        # After a normal end, wait for the workers to exit; after an error or an early
        # ``close()``, do not wait for chunks that are still running.
        pool.shutdown(wait=finished, cancel_futures=True)


def _start_pool(model: str | None, jobs: int, batch_size: int, method: str) -> ProcessPoolExecutor:
    """The worker pool; its processes start with the first tasks submitted."""
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # imports, tables and model once in the server, not in every worker
        from segclf._preload import start_forkserver

        start_forkserver(model)
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(model, batch_size)
    )


def _result(future: Future, chunk: _Chunk) -> list[_Packed | _Failure]:
    return _task_result(future, f"documents {chunk.start}-{chunk.start + len(chunk.slots) - 1}")


def _task_result(future: Future, what: str) -> Any:
    """A pool task's result: a dead worker raises ``SegclfError`` naming ``what`` it was labeling,
    a worker whose initializer failed ``ModelError`` (or ``SegclfError``)."""
    try:
        result = future.result()
    except BrokenProcessPool:
        raise SegclfError(
            f"a worker process died while labeling {what} (killed by the system? out of memory?)"
        ) from None
    if isinstance(result, _Failure):  # the initializer failed
        cls = ModelError if result.error == "ModelError" else SegclfError
        raise cls(result.message if cls is ModelError else f"{result.error}: {result.message}")
    return result


# --- Dask, pandas and Spark -----------------------------------------------------------

_CACHE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _load_segmenter(model: str | None, batch_size: int) -> Segmenter:
    return Segmenter(model, batch_size=batch_size)


def _cached_segmenter(model: str | None, batch_size: int = 64) -> Segmenter:
    """The model loaded once per process (and per path), shared by every partition it labels."""
    with _CACHE_LOCK:  # threads of one Dask worker must not load the model twice
        return _load_segmenter(model, batch_size)


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{module} is needed for this function but is not installed: pip install 'segclf[dask]' ({exc})"
        ) from exc


def _label_records(texts: Sequence[object], segmenter: Segmenter) -> list[Document | _Failure]:
    """Label a partition's texts; a text that is not a ``str`` (None, NaN) fails alone."""
    valid = [t for t in texts if isinstance(t, str)]
    labeled = iter(_label_chunk(segmenter, valid))
    return [next(labeled) if isinstance(t, str) else _type_error(t) for t in texts]


def _columns(result: Document | _Failure) -> dict[str, Any]:
    if isinstance(result, _Failure):
        return {
            "segclf_labels": None,
            "segclf_confidences": None,
            "segclf_langs": None,
            "segclf_lang": None,
            "segclf_error": f"{result.error}: {result.message}",
        }
    return {
        "segclf_labels": [line.label for line in result],
        "segclf_confidences": [line.confidence for line in result],
        "segclf_langs": [line.lang for line in result],
        "segclf_lang": result.lang,
        "segclf_error": None,
    }


def _segment_partition(records: Iterable[Any], model: str | None, field: str | None, batch_size: int) -> list[Any]:
    records = list(records)
    segmenter = _cached_segmenter(model, batch_size)
    if field is None:
        results = _label_records(records, segmenter)
        return [FailedDocument(i, r.error, r.message) if isinstance(r, _Failure) else r for i, r in enumerate(results)]
    texts = [r.get(field) if isinstance(r, dict) else None for r in records]
    results = _label_records(texts, segmenter)
    out = []
    for record, result in zip(records, results, strict=True):
        if not isinstance(record, dict):
            result = _Failure("TypeError", f"element must be a dict with field {field!r}, got {type(record).__name__}")
            record = {}
        elif field not in record:
            result = _Failure("KeyError", f"record has no field {field!r}")
        out.append({**record, **_columns(result)})
    return out


def segment_bag(
    bag: dask.bag.Bag, *, model: ModelPath = None, field: str | None = None, batch_size: int = 64
) -> dask.bag.Bag:
    """Label every document of a Dask bag, partition by partition.

    With ``field=None`` each element is a text and becomes a ``Document`` (or a
    ``FailedDocument``, whose ``index`` counts within its partition). With
    ``field="text"`` each element is a dict (e.g. from ``dask.bag.read_text(...).map(json.loads)``)
    and becomes a copy with the ``OUTPUT_COLUMNS`` keys added: lists of labels,
    confidences and line languages, the document language, and ``segclf_error``
    (None, or why the document could not be labeled).

    Each worker process loads the model once and keeps it. ``model`` must be a path
    that the *workers* can read (made absolute here), or None for the shipped model.
    """
    _require("dask.bag")
    return bag.map_partitions(_segment_partition, _model_arg(model), field, batch_size)


def _segment_frame(pdf: pd.DataFrame, text_column: str, model: str | None, batch_size: int) -> pd.DataFrame:
    import pandas as pd

    if text_column not in pdf.columns:
        raise KeyError(f"text_column {text_column!r} is not a column (columns: {', '.join(map(str, pdf.columns))})")
    results = _label_records(pdf[text_column].tolist(), _cached_segmenter(model, batch_size))
    columns = [_columns(r) for r in results]
    out = pdf.copy()
    for name in OUTPUT_COLUMNS:
        out[name] = pd.Series([c[name] for c in columns], index=pdf.index, dtype=object)
    return out


def segment_pandas(
    frames: Iterable[pd.DataFrame], text_column: str = "text", model: ModelPath = None, batch_size: int = 64
) -> Iterator[pd.DataFrame]:
    """Label the ``text_column`` of each pandas DataFrame; yields each frame with ``OUTPUT_COLUMNS`` added.

    Added columns (object dtype): ``segclf_labels`` (list of labels, one per line of
    ``text.split("\\n")``), ``segclf_confidences`` (list of floats), ``segclf_langs``
    (list of ISO 639-1 codes or None), ``segclf_lang`` (the document's language) and
    ``segclf_error`` (None, or why the row could not be labeled, e.g. a missing
    text; the other columns are then None). The model is loaded once per process.

    This is the signature Spark's ``mapInPandas`` expects (an iterator of frames in,
    an iterator of frames out)::

        from functools import partial
        from pyspark.sql import types as T
        from segclf.parallel import segment_pandas

        schema = T.StructType(df.schema.fields + [
            T.StructField("segclf_labels", T.ArrayType(T.StringType())),
            T.StructField("segclf_confidences", T.ArrayType(T.DoubleType())),
            T.StructField("segclf_langs", T.ArrayType(T.StringType())),
            T.StructField("segclf_lang", T.StringType()),
            T.StructField("segclf_error", T.StringType()),
        ])
        labeled = df.mapInPandas(
            partial(segment_pandas, text_column="text", model="/models/default.segclf"), schema=schema
        )

    The model path must be readable on every executor (or None for the shipped
    model, which needs segclf installed there). Spark reuses Python workers
    (``spark.python.worker.reuse``, on by default), so each loads the model once;
    ``spark.sql.execution.arrow.maxRecordsPerBatch`` sets the rows per frame.
    ``OUTPUT_COLUMNS`` maps these column names to their Spark SQL types.
    """
    _require("pandas")
    path = _model_arg(model)
    for pdf in frames:
        yield _segment_frame(pdf, text_column, path, batch_size)


def segment_dataframe(
    df: dask.dataframe.DataFrame, *, text_column: str = "text", model: ModelPath = None, batch_size: int = 64
) -> dask.dataframe.DataFrame:
    """Label the ``text_column`` of a Dask DataFrame, partition by partition.

    Returns the frame with the columns of ``segment_pandas`` added (object dtype:
    lists per row). Each worker process loads the model once and keeps it;
    ``model`` must be a path the workers can read, or None for the shipped model.
    """
    _require("dask.dataframe")
    pd = _require("pandas")
    if text_column not in df.columns:
        raise KeyError(f"text_column {text_column!r} is not a column (columns: {', '.join(map(str, df.columns))})")
    meta = df._meta.copy()
    for name in OUTPUT_COLUMNS:
        meta[name] = pd.Series([], dtype=object, index=meta.index)
    return df.map_partitions(_segment_frame, text_column, _model_arg(model), batch_size, meta=meta)
