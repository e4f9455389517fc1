"""Documents labeled block by block: whoever labels a block also parses it and writes its output.

``segclf classify`` and ``segclf clean`` (to standard output or a file) run on
this. A JSONL corpus is cut into ``RecordBlock``s of raw lines
(``segclf.io.iter_input_blocks``), whose records are decoded and parsed where
they are labeled; text files are read by the parent and go in ``DocBlock``s. A
worker labels a block's documents and formats their output (``label_block``), and
the parent process only writes that text, in input order, and reports what the
worker found. Sending documents one by one left the parent parsing every
record, rebuilding every result and formatting every output line on the same
cores as the workers: on 2 cores, ``--jobs 2`` made 1.55-1.66x ``--jobs 1`` on
the benchmark's 100 MB stream, and 1.71-1.85x (medians of three rounds, five
runs) once the parent only read and wrote (``eval/benchmark.py``). With
``jobs=1`` the same code runs in this process.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Literal

from segclf.columns import LabelColumns
from segclf.io import BlockSize, InputDoc, RecordBlock, encode

if TYPE_CHECKING:
    from segclf.segmenter import Segmenter

__all__ = ["DocumentWriter", "BlockOutput", "DocBlock", "doc_blocks", "label_block", "label_blocks"]

#: Items (blocks and unreadable inputs) waiting in order, per block in flight: bounds the
#: memory of a long run of inputs that all fail while a block is labeled.
_MAX_WAITING = 16

#: The output of one labeled document (its lines, each ending in ``\n``).
DocumentWriter = Callable[[InputDoc, LabelColumns], str]

#: A message for stderr: its kind, the input it is counted under and its text. A
#: ``"warning-once"`` is shown for the first of an input's blocks only (invalid UTF-8 in JSONL).
Message = tuple[Literal["warning", "warning-once", "error"], str, str]


@dataclass(slots=True)
class DocBlock:
    """Documents already read (text files, standard input, unreadable inputs), labeled together."""

    items: list[InputDoc]
    warn_once = False

    def docs(self) -> Iterator[InputDoc]:
        return iter(self.items)


def doc_blocks(docs: Iterable[InputDoc], size: BlockSize | None = None) -> Iterator[DocBlock]:
    """``docs`` in blocks of at most ``size.records`` documents, closed once they reach ``size.bytes`` characters."""
    size = size or BlockSize()
    items: list[InputDoc] = []
    chars = 0
    for doc in docs:
        items.append(doc)
        chars += len(doc.text or "")
        if len(items) >= size.records or chars >= size.bytes:
            yield DocBlock(items)
            items, chars = [], 0
    if items:
        yield DocBlock(items)


Block = RecordBlock | DocBlock


@dataclass(frozen=True, slots=True)
class BlockOutput:
    """What a block gave: its output, its messages in order, how many documents and lines were labeled.

    The output is UTF-8 (a lone surrogate, which only a JSON escape can give, as
    ``\\udXXX``, as ``segclf.io`` writes text): encoded where it is made, so that the
    process that writes it only copies bytes.
    """

    data: bytes
    messages: list[Message]
    docs: int
    lines: int


def label_block(block: Block, segmenter: Segmenter, write: DocumentWriter) -> BlockOutput:
    """Parse, label and write the documents of ``block``, as reading them one by one would.

    An unreadable document or bad record is reported and, where ``segclf.io`` says
    so, passed through as read; a document whose labeling raises is reported (a
    JSONL record is then passed through as read); the others are written by ``write``.
    """
    from segclf.parallel import _Failure, _isolated

    docs = list(block.docs())
    results = iter(_isolated(segmenter._label_columns, [doc.text for doc in docs if doc.ok]))
    out: list[str] = []
    messages: list[Message] = []
    labeled = lines = 0
    warning = "warning-once" if block.warn_once else "warning"
    for doc in docs:
        key = doc.key
        messages.extend((warning, key, text) for text in doc.warnings)
        if not doc.ok:
            messages.append(("error", key, doc.error))  # type: ignore[arg-type]
            if doc.passthrough is not None:
                out.append(doc.passthrough + "\n")
            continue
        result = next(results)
        if isinstance(result, _Failure):
            messages.append(("error", key, f"{doc.id}: could not be labeled ({result.error}: {result.message})"))
            if doc.raw is not None:  # a JSONL record
                out.append(doc.raw + "\n")
        else:
            out.append(write(doc, result))
            labeled += 1
            lines += len(result)
    return BlockOutput(encode("".join(out)), messages, labeled, lines)


def label_blocks(
    items: Iterable[InputDoc | Block],
    write: DocumentWriter,
    *,
    segmenter: Callable[[], Segmenter],
    jobs: int,
    model: str | None = None,
    batch_size: int = 64,
    prefetch: int = 2,
    start_method: str | None = None,
    fork_here: bool = False,
) -> Iterator[tuple[InputDoc, None] | tuple[Block, BlockOutput]]:
    """Each block with its ``BlockOutput``, and each unreadable input (an ``InputDoc``) with None, in input order.

    With ``jobs`` > 1 the blocks are labeled on a pool of worker processes (see
    ``segclf.parallel.segment_parallel`` for ``model``, ``batch_size`` and
    ``start_method``), at most ``prefetch * jobs`` blocks at a time, so memory does
    not grow with the input. ``fork_here=True`` (for a caller that runs one thread,
    like the command line) forks the workers from this process once it has loaded
    the model (``segclf.parallel.prepare_fork``), when a pool starts. Else, or when
    the input is a single block, ``segmenter()`` labels them in this process. A
    model that cannot be loaded raises ``ModelError``; a worker that dies raises
    ``SegclfError``. Closing the generator early cancels the blocks not yet started.
    """
    items = iter(items)
    head = list(islice(items, 2))
    if jobs == 1 or len(head) < 2:
        local = functools.cache(segmenter)  # loaded at the first block: not at all for inputs that all fail
        for item in chain(head, items):
            if isinstance(item, InputDoc):
                yield item, None
            else:
                yield item, label_block(item, local(), write)
        return
    if fork_here:
        from segclf.parallel import prepare_fork

        start_method = prepare_fork(model) or start_method
    yield from _pooled(chain(head, items), write, jobs, model, batch_size, prefetch, start_method)


def _pooled(
    items: Iterator[InputDoc | Block],
    write: DocumentWriter,
    jobs: int,
    model: str | None,
    batch_size: int,
    prefetch: int,
    start_method: str | None,
) -> Iterator[tuple[InputDoc, None] | tuple[Block, BlockOutput]]:
    from segclf.parallel import _model_arg, _start_method, _start_pool
    from segclf.store import default_model_path, read_manifest

    path = _model_arg(model)
    read_manifest(path if path is not None else default_model_path())  # a ModelError now, not in every worker
    pool = _start_pool(path, jobs, batch_size, _start_method(start_method))
    window = prefetch * jobs
    in_flight: deque[tuple[InputDoc | Block, Future | None]] = deque()
    submitted = 0  # blocks in ``in_flight`` (unreadable inputs wait there too, without a future)
    finished = False
    try:
        while True:
            while submitted < window and len(in_flight) < _MAX_WAITING * window:
                item = next(items, None)
                if item is None:
                    break
                future = None if isinstance(item, InputDoc) else pool.submit(_work, item, write)
                submitted += future is not None
                in_flight.append((item, future))
            if not in_flight:
                break
            item, future = in_flight.popleft()
            submitted -= future is not None
            if future is None:
                yield item, None  # type: ignore[misc]
            else:
                yield item, _result(future, item)  # type: ignore[misc, arg-type]
        finished = True
    finally:
        for _, future in in_flight:
            if future is not None:
                future.cancel()
        pool.shutdown(wait=finished, cancel_futures=True)


def _work(block: Block, write: DocumentWriter) -> BlockOutput | object:
    """A block in a worker process; a failed initializer is returned instead of a result."""
    from segclf.parallel import _Failure, _worker_or_failure

    worker = _worker_or_failure()
    return worker if isinstance(worker, _Failure) else label_block(block, worker, write)


def _result(future: Future, block: Block) -> BlockOutput:
    from segclf.parallel import _task_result

    if isinstance(block, RecordBlock):
        what = f"{block.source.name}, lines {block.first_line}-{block.first_line + len(block.lines) - 1}"
    else:
        what = f"{block.items[0].id} ({len(block.items)} documents from there)"
    return _task_result(future, what)
