"""The ``segclf`` command line: a thin face over the API (run ``segclf --help``).

Parsing, progress and exit codes live here; reading and writing live in
``segclf.io``. ``classify`` and ``clean`` label and write block by block
(``segclf.blocks``, on ``--jobs`` processes); ``clean --output-dir`` and
``annotate`` label document by document (``Segmenter``, or
``segclf.parallel.segment_parallel`` with ``--jobs`` > 1). Errors from
``segclf.errors`` are caught only in ``main``; a bad input document is reported
on stderr and the run goes on.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from itertools import chain, islice
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from segclf.columns import LabelColumns
from segclf.errors import InputError, LabeledDataError, ModelError, SegclfError
from segclf.io import (
    STDIN,
    TEXT_SUFFIXES,
    AtomicFile,
    BlockSize,
    InputDoc,
    Sink,
    atomic_write,
    doc_header,
    dumps,
    iter_input_blocks,
    iter_inputs,
    jsonl_rows,
    labeled_record_line,
    one_line,
    tsv_rows,
)
from segclf.labels import BODY, LABELS

if TYPE_CHECKING:
    from segclf.blocks import DocumentWriter
    from segclf.segmenter import Segmenter

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_FAILED_INPUTS", "EXIT_USAGE", "EXIT_MODEL", "EXIT_LABELED_DATA"]

EXIT_OK = 0
EXIT_FAILED_INPUTS = 1
EXIT_USAGE = 2
EXIT_MODEL = 3
EXIT_LABELED_DATA = 4
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
#: Messages shown per input file before the rest are counted silently.
MAX_MESSAGES_PER_FILE = 20

_EXIT_CODES = """\
exit codes:
  0    success
  1    some inputs failed or were skipped (each one is reported on stderr),
       or a command is not available in this build
  2    usage error (bad options or arguments)
  3    model error (model file missing, corrupted or of another version)
  4    labeled-data error (invalid labeled or gold file)
  130  interrupted (Ctrl-C)
  141  the output pipe was closed early (e.g. `segclf classify big.txt | head`)
"""

_INPUTS = f"""\
inputs:
  PATH is a text file, a folder (walked recursively, sorted; picks names ending
  in {", ".join(sorted(s for s in TEXT_SUFFIXES if s))} or with no suffix; skips names starting with '.'), or '-'
  for standard input. Each file is one document; its lines are split on '\\n'
  only, so a '\\r' stays at the end of its line's text. An empty file is one
  empty (blank) line. With --field NAME, inputs are JSONL corpora instead:
  each record's NAME string is a document (folders: *.jsonl files only). A
  record without a string NAME is reported and passed through unchanged; a
  line that is not a JSON object is reported and skipped.

encodings:
  UTF-8. A byte-order mark selects UTF-8/UTF-16/UTF-32 and is removed (it is
  not part of the first line). Invalid UTF-8 is replaced by U+FFFD with a
  warning naming the file (--strict-encoding: an error, the file is skipped).
  Files with NUL bytes in the first 8 KiB (and no UTF-16 mark) are binary and
  skipped. Skipped or unreadable inputs are reported and make the exit code 1.
"""

_MAIN_EPILOG = f"""\
{_EXIT_CODES}
examples:
  segclf classify article.txt
  curl -s https://example.org/a.txt | segclf classify -
  segclf clean scraped/ --output-dir clean/ --jobs 8
  segclf classify corpus.jsonl --field text > labeled.jsonl
  segclf annotate outlet/*.txt --out outlet.tsv

Run 'segclf COMMAND --help' for a command's options.
"""

_CLASSIFY_EPILOG = f"""\
output:
  TSV (default): one row per input line, 'label<TAB>confidence<TAB>lang<TAB>text'.
  The confidence has 4 decimals; lang is empty for a line with no language of
  its own. The text is the last field, written verbatim: tabs and a trailing
  '\\r' in it are kept, nothing is escaped, so split on the first three tabs.
  With several documents (several PATHs or a folder), each document's rows
  follow a '# doc: <path>' line. --header adds 'label confidence lang text'.
  JSONL (--format jsonl): one object per input line,
  {{"doc", "line" (1-based), "label", "confidence", "lang", "text"}}.
  With --field: each record is written back as read (its text unchanged) with
  "segclf": {{"lang": the document's language, "lines": [{{"label",
  "confidence", "lang"}}, ...]}} added (replacing a "segclf" key already there).

{_INPUTS}
examples:
  segclf classify article.txt
  segclf classify a.txt b.txt --format jsonl -o labels.jsonl
  cat article.txt | segclf classify - --header
  segclf classify crawl/ --jobs 8 -o crawl.tsv
  segclf classify corpus.jsonl --field text > labeled.jsonl
"""

_CLEAN_EPILOG = f"""\
output:
  The kept lines of each document (default: body), with a blank line where
  dropped lines held a paragraph break, in the document's line endings (CRLF
  stays CRLF), ending with a newline. To stdout (several documents: each after
  a '# doc: <path>' line), to -o FILE, or with --output-dir DIR one file per
  input, at the input's path relative to the folder given (a file named
  directly keeps its name). Files are written atomically (a temporary file
  renamed into place): an interrupted run leaves no half-written file.
  With --field: each record is written with NAME replaced by its clean text
  (--clean-field OTHER: added as OTHER instead); a JSONL input file gives one
  JSONL output file.

{_INPUTS}
examples:
  segclf clean article.txt
  segclf clean scraped/ --output-dir clean/
  segclf clean page.txt --keep body,foreign -o page.clean.txt
  segclf clean crawl.jsonl --field text --clean-field body_text > crawl.clean.jsonl
"""

_ANNOTATE_EPILOG = f"""\
output:
  The labeled-documents format of LABELS.md: JSONL records
  {{"id", "source", "lang", "lines": [{{"text", "label"}}, ...]}} (default), or the
  TSV of segclf.labeled ('# doc: <id>' then 'label<TAB>text' rows, a blank line
  between documents; chosen by --format tsv or an --out name ending in .tsv).
  The id is the input path (a JSONL record's own "id" when it has one, else
  'file:line'). Correct the labels by hand, then run 'segclf train'.

{_INPUTS}
examples:
  segclf annotate outlet/ --out outlet.jsonl --source my-outlet
  segclf annotate a.txt b.txt --out fix-me.tsv
"""

_TRAIN_EPILOG = """\
examples:
  segclf train outlet-corrected.tsv --out models/outlet.segclf
  segclf train corrected/ --out outlet.segclf --model base.segclf --base-corpus corpus/
  segclf train corrected/ --out quick.segclf --base-corpus build/corpus --seeds 1   # one model, not three
"""

_EVAL_EPILOG = """\
examples:
  segclf eval gold/seeds.jsonl                         # the figures only
  segclf eval gold/ --report reports/default
  segclf eval gold/seeds.jsonl --model new.segclf --compare models/default.segclf --report reports/cmp

Macro-F1 and body F1 come with 95% intervals from a bootstrap over the gold documents:
how much they owe to which documents the gold holds. With --compare, so does each
difference (paired: both models scored on the same draws); an interval that holds 0
is a difference this gold cannot tell from chance.
"""
#: ``segclf.resample.DEFAULT_RESAMPLES``, not imported here: the other commands do not load the evaluation code.
EVAL_RESAMPLES = 1000


# --- argument parsing ---------------------------------------------------------


def _whole_number(value: str, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < minimum:
        raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {number}")
    return number


def _positive_int(value: str) -> int:
    return _whole_number(value, 1)


def _non_negative_int(value: str) -> int:
    return _whole_number(value, 0)


def _label_list(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))
    unknown = [name for name in names if name not in LABELS]
    if not names or unknown:
        bad = ", ".join(unknown) if unknown else repr(value)
        raise argparse.ArgumentTypeError(f"unknown label {bad}; choose among {', '.join(LABELS)}")
    return names


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("segclf")
    except PackageNotFoundError:
        return "0.0.0 (not installed)"


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked (importlib.metadata is slow to import)."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: object, values: object, option: object = None
    ) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _input_options() -> argparse.ArgumentParser:
    """Options shared by the commands that label documents."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("paths", nargs="+", metavar="PATH", help="text files, folders, or '-' for standard input")
    p.add_argument("--field", metavar="NAME", help="read JSONL corpora: each record's NAME string is a document")
    p.add_argument("--strict-encoding", action="store_true", help="treat invalid UTF-8 as an error (skip the input)")
    p.add_argument("--model", metavar="MODEL", help="model file (default: the model shipped with segclf)")
    p.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="worker processes (default: every core this process may use; 1 runs in this process)",
    )
    p.add_argument(
        "--batch-size",
        type=_positive_int,
        default=64,
        metavar="N",
        help="documents labeled together, and sent to a worker together, up to about 1 MB (default: 64)",
    )
    p.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no warnings (errors are still shown)"
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    """The ``segclf`` argument parser with all its commands."""
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="segclf",
        description="Label every line of scraped news text as body, nav, ad, comment, foreign or blank.",
        epilog=_MAIN_EPILOG,
        formatter_class=fmt,
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, title="commands")
    inputs = _input_options()

    p = sub.add_parser(
        "classify",
        parents=[inputs],
        formatter_class=fmt,
        epilog=_CLASSIFY_EPILOG,
        help="label every line: TSV rows (label, confidence, lang, text) or JSONL",
        description="Label every line of every input document.",
    )
    p.add_argument("--format", choices=("tsv", "jsonl"), help="output rows as TSV (default) or JSONL")
    p.add_argument("--header", action="store_true", help="start TSV output with a 'label confidence lang text' line")
    p.add_argument("-o", "--output", default=STDIN, metavar="FILE", help="write here (default: standard output)")
    p.set_defaults(run=_classify, parser=p)

    p = sub.add_parser(
        "clean",
        parents=[inputs],
        formatter_class=fmt,
        epilog=_CLEAN_EPILOG,
        help="keep the body (or the labels in --keep) of each document",
        description="Write the body (or the labels in --keep) of every input document.",
    )
    p.add_argument(
        "--keep",
        type=_label_list,
        default=(BODY,),
        metavar="LABELS",
        help=f"comma-separated labels to keep (default: body; among {', '.join(LABELS)})",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", default=STDIN, metavar="FILE", help="write here (default: standard output)")
    where.add_argument("--output-dir", metavar="DIR", help="write one file per input into DIR, mirroring the inputs")
    p.add_argument(
        "--clean-field", metavar="NAME", help="with --field: add the clean text as NAME instead of replacing the field"
    )
    p.set_defaults(run=_clean, parser=p)

    p = sub.add_parser(
        "annotate",
        parents=[inputs],
        formatter_class=fmt,
        epilog=_ANNOTATE_EPILOG,
        help="write documents with predicted labels, ready for hand correction",
        description="Write the inputs with the model's labels, in the labeled-documents format.",
    )
    p.add_argument("--out", required=True, metavar="FILE", help="labeled file to write ('-': standard output)")
    p.add_argument("--format", choices=("jsonl", "tsv"), help="default: tsv if FILE ends in .tsv, else jsonl")
    p.add_argument("--source", metavar="NAME", help="the documents' source (outlet or set name)")
    p.set_defaults(run=_annotate, parser=p)

    p = sub.add_parser(
        "train",
        formatter_class=fmt,
        epilog=_TRAIN_EPILOG,
        help="adapt a model to an outlet from corrected labeled files",
        description="Train or adapt a model from labeled files (.jsonl or .tsv, or folders of them).",
    )
    p.add_argument("paths", nargs="+", metavar="LABELED", help="labeled files or folders")
    p.add_argument("--out", required=True, metavar="MODEL", help="model file to write")
    p.add_argument("--model", metavar="BASE", help="model to adapt (default: the shipped model)")
    p.add_argument(
        "--base-corpus",
        metavar="DIR",
        help="retrain every stage on this corpus (built by training/) plus your documents, "
        "as the base model was trained",
    )
    p.add_argument(
        "--seeds",
        type=_seed_list,
        metavar="N,N,...",
        help="with --base-corpus: one model per seed, averaged (default: the base model's seeds; "
        "the shipped model averages three, about 9 minutes each on 2 cores)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(run=_train, parser=p)

    p = sub.add_parser(
        "eval",
        formatter_class=fmt,
        epilog=_EVAL_EPILOG,
        help="score a model against gold files (and write a report)",
        description="Score a model against gold labeled files; print the figures and, with --report, write a report.",
    )
    p.add_argument("paths", nargs="+", metavar="GOLD", help="gold labeled files or folders")
    p.add_argument("--model", metavar="M", help="model to score (default: the shipped model)")
    p.add_argument("--compare", metavar="M2", help="a second model to compare against")
    p.add_argument(
        "--resamples",
        type=_non_negative_int,
        default=EVAL_RESAMPLES,
        metavar="N",
        help="draws of the gold documents for the bootstrap intervals of macro-F1 and body F1 "
        "(and of their differences, with --compare; default: %(default)s; 0: none)",
    )
    p.add_argument(
        "--report", metavar="DIR", help="also write report.md, report.html, PNG figures and summary.json to DIR"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(run=_eval, parser=p)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse; paths may also come after options (``segclf classify a.txt --jobs 1 b.txt``)."""
    args, extras = parser.parse_known_args(argv)
    if extras:
        command_args = argv[argv.index(args.command) + 1 :]
        args = args.parser.parse_intermixed_args(command_args, argparse.Namespace(command=args.command))
    return args


def _check_args(args: argparse.Namespace) -> None:
    """Usage rules argparse cannot express; ``parser.error`` exits with code 2."""
    error = args.parser.error
    paths = args.paths
    if paths.count(STDIN) > 1:
        error("'-' (standard input) can be given only once")
    if args.command == "classify" and args.field is not None and args.format == "tsv":
        error("--field writes JSONL records; --format tsv is not available with it")
    if args.command == "clean":
        if args.output_dir is not None and STDIN in paths:
            error("--output-dir needs file or folder inputs; write standard input's clean text to stdout or -o FILE")
        if args.clean_field is not None and args.field is None:
            error("--clean-field needs --field")
    if args.command == "train" and args.seeds is not None and args.base_corpus is None:
        error("--seeds chooses the models that --base-corpus retrains; give --base-corpus too")


# --- messages and progress ----------------------------------------------------


def _say(message: str) -> None:
    try:
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed or a broken pipe: nothing more can be said
        pass


class Reporter:
    """Messages on stderr, the progress bar (a terminal only) and the count of failed inputs."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.failed = 0
        self.docs = 0
        self.lines = 0
        self._per_file: Counter[str] = Counter()
        self._bar = None if quiet or not _isatty(sys.stderr) else _progress_bar()

    def _print(self, message: str, key: str | None) -> None:
        if key is not None:
            self._per_file[key] += 1
            if self._per_file[key] > MAX_MESSAGES_PER_FILE:
                if self._per_file[key] == MAX_MESSAGES_PER_FILE + 1:
                    message = f"segclf: {key}: more messages about this file are not shown"
                else:
                    return
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            _say(message)

    def error(self, message: str, key: str | None = None) -> None:
        """An input that failed or was skipped: always shown (up to a cap per file), and counted."""
        self.failed += 1
        self._print(f"segclf: {message}", key)

    def warn(self, message: str, key: str | None = None) -> None:
        if not self.quiet:
            self._print(f"segclf: warning: {message}", key)

    def done(self, lines: int, docs: int = 1) -> None:
        """``docs`` documents of ``lines`` lines in all were labeled."""
        self.docs += docs
        self.lines += lines
        if self._bar is not None:
            self._bar.update(docs)
            elapsed = self._bar.format_dict.get("elapsed") or 0
            if elapsed > 0:
                self._bar.set_postfix_str(f"{self.lines / elapsed:,.0f} lines/s", refresh=False)

    def stop(self) -> None:
        """Take the progress bar off the terminal."""
        if self._bar is not None:
            bar, self._bar = self._bar, None
            try:
                bar.close()
            except (OSError, ValueError):
                pass

    def close(self) -> int:
        """Stop the bar and summarise failures; returns the exit code of the run."""
        self.stop()
        if self.failed:
            if self.failed == 1:
                failed = "1 input failed or was skipped"
            else:
                failed = f"{self.failed} inputs failed or were skipped"
            _say(f"segclf: {failed}; {self.docs} document{'' if self.docs == 1 else 's'} done")
            return EXIT_FAILED_INPUTS
        return EXIT_OK


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _progress_bar() -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety
        return None

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: the workers are forked from this process

    return Bar(desc="segclf", unit=" docs", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


# --- labeling -------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _cached_segmenter(model: str | None, stamp: int, batch_size: int) -> Segmenter:
    from segclf.segmenter import Segmenter

    return Segmenter(model, batch_size=batch_size)


def _segmenter(model: str | None, batch_size: int) -> Segmenter:
    """One loaded model per (path, modification time) in this process, so repeated ``main()`` calls are cheap."""
    try:
        stamp = os.stat(model).st_mtime_ns if model is not None else 0
    except OSError:
        stamp = -1  # let the store report the problem
    return _cached_segmenter(model, stamp, batch_size)


Segment = Callable[[Iterable[str]], Iterator[Any]]


class _Failed(NamedTuple):
    """Stands in the results for a document whose labeling raised (like ``parallel.FailedDocument``)."""

    error: str
    message: str


def _segment_safely(segmenter: Segmenter, texts: Iterable[str]) -> Iterator[LabelColumns | _Failed]:
    """``segmenter.segment_many`` as columns, except that a document that fails comes back as a ``_Failed`` value."""
    it = iter(texts)
    while batch := list(islice(it, segmenter.batch_size)):
        try:
            docs: list[LabelColumns | _Failed] = list(segmenter._label_columns(batch))
        except Exception:  # find the culprit: label the batch's documents one by one
            docs = []
            for text in batch:
                try:
                    docs.extend(segmenter._label_columns([text]))
                except Exception as exc:
                    docs.append(_Failed(type(exc).__name__, str(exc)))
        yield from docs


def _jobs(args: argparse.Namespace, rep: Reporter) -> int:
    """The worker processes to run: ``--jobs``, or every core; 1 where parallel labeling is not available."""
    if args.jobs == 1:
        return 1
    try:
        from segclf.parallel import default_jobs
    except ImportError as exc:
        rep.warn(f"parallel labeling is not available ({exc}); running in one process")
        return 1
    return default_jobs() if args.jobs is None else args.jobs


def _segment_function(args: argparse.Namespace, single: bool, rep: Reporter) -> Segment:
    """Label in this process (``--jobs 1``, or a single document), or on ``segment_parallel``'s pool."""
    jobs = 1 if single else _jobs(args, rep)
    if jobs > 1:
        from segclf.parallel import prepare_fork, segment_parallel_columns

        return functools.partial(  # raises ModelError before starting workers if the model is unusable
            segment_parallel_columns,
            model=args.model,
            jobs=jobs,
            batch_size=args.batch_size,
            on_error="return",
            start_method=prepare_fork(args.model),  # this process runs one thread: fork from it
        )
    return functools.partial(_segment_safely, _segmenter(args.model, args.batch_size))


def _labeled(
    args: argparse.Namespace, rep: Reporter, exclude: Sequence[Path] = ()
) -> Iterator[tuple[InputDoc, LabelColumns | None]]:
    """Each input with its labels, in order; a failed input comes with None after being reported."""

    inputs = iter_inputs(args.paths, args.field, strict_encoding=args.strict_encoding, exclude=exclude)
    head = list(islice(inputs, 2))
    segment = _segment_function(args, single=len(head) < 2, rep=rep)
    if args.field is None:
        _warn_jsonl_read_as_text(args.paths, rep)
    pending: deque[InputDoc] = deque()

    def texts() -> Iterator[str]:
        for doc in chain(head, inputs):
            pending.append(doc)
            if doc.ok:
                yield doc.text  # type: ignore[misc]

    def reported(doc: InputDoc) -> InputDoc:
        key = doc.key
        for warning in doc.warnings:
            rep.warn(warning, key)
        if doc.error is not None:
            rep.error(doc.error, key)
        return doc

    results = segment(texts())
    try:
        for result in results:
            while not pending[0].ok:
                yield reported(pending.popleft()), None
            doc = pending.popleft()
            if isinstance(result, LabelColumns):
                yield reported(doc), result
            else:  # labeling this document failed: report it, pass a JSONL record through as read
                doc.error = f"{doc.id}: could not be labeled ({result.error}: {result.message})"
                doc.passthrough = doc.raw  # None for a text input: nothing to pass through
                yield reported(doc), None
        while pending:
            yield reported(pending.popleft()), None
    finally:  # stop the workers (or the batch in flight) early on errors and interrupts
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _outputs(args: argparse.Namespace, rep: Reporter, write: DocumentWriter) -> Iterator[bytes]:
    """The output of the inputs (UTF-8), block by block, in input order (labeled on ``--jobs`` processes).

    Each document is labeled and written by ``write`` in the process that labels
    its block (``segclf.blocks``); JSONL records are parsed there too. This only
    reports. A JSONL record's one warning, invalid UTF-8, is shown once per input
    file, as when the file is read record by record.
    """
    from segclf.blocks import doc_blocks, label_blocks

    size = BlockSize(records=args.batch_size)
    if args.field is not None:
        blocks = iter_input_blocks(args.paths, args.field, strict_encoding=args.strict_encoding, size=size)
    else:
        _warn_jsonl_read_as_text(args.paths, rep)
        blocks = doc_blocks(iter_inputs(args.paths, strict_encoding=args.strict_encoding), size)
    labeled = label_blocks(
        blocks,
        write,
        segmenter=functools.partial(_segmenter, args.model, args.batch_size),
        jobs=_jobs(args, rep),
        model=args.model,
        batch_size=args.batch_size,
        fork_here=True,  # this process runs one thread: its workers are forked from it
    )
    warned: set[str] = set()
    with closing(labeled):  # stops the workers early on errors and interrupts
        for item, output in labeled:
            if output is None:  # an input that could not be read at all
                rep.error(item.error, item.key)  # type: ignore[union-attr, arg-type]
                continue
            for kind, key, message in output.messages:
                if kind == "error":
                    rep.error(message, key)
                elif kind == "warning":
                    rep.warn(message, key)
                elif key not in warned:  # "warning-once": the first block of its input to say it
                    warned.add(key)
                    rep.warn(message, key)
            yield output.data
            if output.docs:
                rep.done(output.lines, output.docs)


def _warn_jsonl_read_as_text(paths: Sequence[str], rep: Reporter) -> None:
    for name in paths:
        if str(name).lower().endswith(".jsonl") and os.path.isfile(name):
            rep.warn(f"{name}: read as plain text; give --field NAME to read its JSONL records")


# Writers of one labeled document, run where it is labeled (module functions: they cross to workers).


def _tsv_document(doc: InputDoc, result: LabelColumns, *, with_id: bool) -> str:
    return tsv_rows(result, doc.id if with_id else None)


def _jsonl_document(doc: InputDoc, result: LabelColumns) -> str:
    return jsonl_rows(result, doc.id)


def _cleaned_document(doc: InputDoc, result: LabelColumns, *, with_header: bool, keep: tuple[str, ...]) -> str:
    return (doc_header(doc.id) if with_header else "") + _clean_file_text(result, keep)


def _cleaned_record(doc: InputDoc, result: LabelColumns, *, field: str, keep: tuple[str, ...]) -> str:
    """A JSONL record with its document replaced by the clean text (in ``field``)."""
    return dumps({**(doc.record or {}), field: _clean_text(result, keep)})


def _write_outputs(args: argparse.Namespace, rep: Reporter, write: DocumentWriter, header: str = "") -> None:
    """``header`` and then the output of every input to ``--output`` (or stdout), each block as it comes."""
    with _output(args.output) as out:
        if header:
            out.write(header)
            out.flush()
        for data in _outputs(args, rep, write):
            out.write_bytes(data)
            out.flush()


@contextmanager
def _output(target: str) -> Iterator[Sink | AtomicFile]:
    """Standard output for '-', else a file written atomically (kept only if the run gets to the end)."""
    if target == STDIN:
        sink = Sink()
        yield sink
        sink.flush()
    else:
        with AtomicFile(target) as fh:
            yield fh


def _several(paths: Sequence[str]) -> bool:
    """Whether the inputs can hold more than one document (several paths or a folder)."""
    return len(paths) > 1 or any(p != STDIN and os.path.isdir(p) for p in paths)


# --- commands ---------------------------------------------------------------------


def _classify(args: argparse.Namespace, rep: Reporter) -> None:
    as_jsonl = args.format == "jsonl"
    if args.field is not None:
        write: DocumentWriter = labeled_record_line
    elif as_jsonl:
        write = _jsonl_document
    else:
        write = functools.partial(_tsv_document, with_id=_several(args.paths))
    header = "label\tconfidence\tlang\ttext\n" if args.header and not as_jsonl and args.field is None else ""
    _write_outputs(args, rep, write, header)


def _clean_text(doc: LabelColumns, keep: Iterable[str]) -> str:
    """The kept lines; in a CRLF document the inserted paragraph breaks are CRLF too."""
    from segclf.segmenter import clean_document

    text = clean_document(doc, keep)
    if text and _crlf(doc):
        text = "\n".join(part or "\r" for part in text.split("\n"))
    return text


def _crlf(doc: LabelColumns) -> bool:
    """Whether most of the document's line ends are ``\\r\\n``."""
    ends = len(doc) - 1
    return ends > 0 and 2 * sum(text.endswith("\r") for text in doc.texts[:-1]) > ends


def _clean_file_text(doc: LabelColumns, keep: Iterable[str]) -> str:
    """The clean text as a file: ending with a newline of the document's kind, or empty."""
    text = _clean_text(doc, keep)
    if not text:
        return ""
    if text.endswith("\r"):
        return text + "\n"
    return text + ("\r\n" if _crlf(doc) else "\n")


def _clean(args: argparse.Namespace, rep: Reporter) -> None:
    if args.output_dir is not None:
        _clean_to_folder(args, rep)
        return
    if args.field is not None:
        write: DocumentWriter = functools.partial(_cleaned_record, field=args.clean_field or args.field, keep=args.keep)
    else:
        write = functools.partial(_cleaned_document, with_header=_several(args.paths), keep=args.keep)
    _write_outputs(args, rep, write)


class _Mirror:
    """Output files under ``--output-dir`` at each input's relative path, written atomically.

    A text input is one file. A JSONL input's records stream into one file that
    is renamed into place after its last record (dropped if the input fails
    part-way). An output that would overwrite its input, or another input's
    output, is refused and reported.
    """

    def __init__(self, root: Path, rep: Reporter) -> None:
        if root.exists() and not root.is_dir():
            raise InputError(f"{root}: exists and is not a folder")
        self.root = root
        self.rep = rep
        self.written: set[Path] = set()
        self.current: AtomicFile | None = None
        self.source: Path | None = None  # the JSONL input whose output is being written

    def target(self, doc: InputDoc) -> Path | None:
        target = self.root / (doc.rel or Path("stdin.txt"))
        resolved = target.resolve()
        if doc.path is not None and resolved == doc.path.resolve():
            self.rep.error(f"{doc.id}: the output would overwrite the input; skipped")
        elif resolved in self.written:
            self.rep.error(f"{doc.id}: {target} is already the output of another input; skipped")
        else:
            self.written.add(resolved)
            return target
        return None

    def write_file(self, doc: InputDoc, text: str) -> None:
        target = self.target(doc)
        if target is not None:
            try:
                atomic_write(target, text)
            except OSError as exc:
                self.rep.error(f"{target}: cannot write: {exc.strerror or exc}")

    def write_line(self, doc: InputDoc, line: str) -> None:
        """A JSONL output line of ``doc``'s source file."""
        if doc.path != self.source:
            self.finish()
            self.source = doc.path
            target = self.target(doc)
            if target is None:  # refused: the rest of this input's records are dropped too
                return
            try:
                self.current = AtomicFile(target)
            except OSError as exc:
                self.rep.error(f"{target}: cannot write: {exc.strerror or exc}")
                return
        if self.current is not None:
            self.current.write(line)

    def failed(self, doc: InputDoc) -> None:
        """A whole input failed: drop the output being written for it."""
        if doc.path == self.source and self.current is not None:
            self.current.abort()
            self.current = None

    def finish(self) -> None:
        if self.current is not None:
            current, self.current = self.current, None
            try:
                current.commit()
            except OSError as exc:
                self.rep.error(f"{current.path}: cannot write: {exc.strerror or exc}")
        self.source = None

    def abort(self) -> None:
        if self.current is not None:
            self.current.abort()
            self.current = None


def _clean_to_folder(args: argparse.Namespace, rep: Reporter) -> None:
    root = Path(args.output_dir)
    mirror = _Mirror(root, rep)
    try:
        with closing(_labeled(args, rep, exclude=[root])) as pairs:
            for doc, result in pairs:
                if args.field is None:
                    if result is not None:
                        mirror.write_file(doc, _clean_file_text(result, args.keep))
                elif result is not None:
                    mirror.write_line(
                        doc, _cleaned_record(doc, result, field=args.clean_field or args.field, keep=args.keep)
                    )
                elif doc.passthrough is not None:
                    mirror.write_line(doc, doc.passthrough + "\n")
                elif doc.line_no is None:
                    mirror.failed(doc)
                if result is not None:
                    rep.done(len(result))
        mirror.finish()
    except BaseException:
        mirror.abort()
        raise


def _annotate(args: argparse.Namespace, rep: Reporter) -> None:
    from segclf.labeled import LabeledDocument, write_jsonl, write_tsv

    fmt = args.format or ("tsv" if args.out.lower().endswith(".tsv") else "jsonl")
    write = write_tsv if fmt == "tsv" else write_jsonl
    with _output(args.out) as out, closing(_labeled(args, rep)) as pairs:

        def documents() -> Iterator[LabeledDocument]:
            for doc, result in pairs:
                if result is None:
                    continue
                record_id = (doc.record or {}).get("id")
                doc_id = str(record_id) if isinstance(record_id, (str, int)) and record_id != "" else doc.id
                yield LabeledDocument(one_line(doc_id), result.texts, result.labels, result.lang, args.source)
                out.flush()
                rep.done(len(result))

        write(documents(), out)


def _optional_module(name: str, command: str) -> ModuleType | None:
    """A module that other builds provide; None (after saying why) when it is missing."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            _say(f"segclf: {command} is not available in this build")
        else:
            _say(f"segclf: {command} needs the package {exc.name!r}: pip install 'segclf[train]'")
        return None


def _call_optional(module: str, function: str, command: str, *call_args: object) -> int:
    mod = _optional_module(module, command)
    run = getattr(mod, function, None) if mod is not None else None
    if run is None:
        if mod is not None:
            _say(f"segclf: {command} is not available in this build")
        return EXIT_FAILED_INPUTS
    result = run(*call_args)
    return result if isinstance(result, int) else EXIT_OK


def _seed_list(text: str) -> list[int]:
    from segclf.sampling import seed_list  # imported when --seeds is given: classify does not pay for it

    return seed_list(text)


def _train(args: argparse.Namespace, rep: Reporter) -> int:
    return _call_optional(
        "segclf.adapt",
        "train_from_args",
        "train",
        args.paths,
        args.out,
        args.model,
        args.base_corpus,
        args.quiet,
        args.seeds,
    )


def _eval(args: argparse.Namespace, rep: Reporter) -> int:
    return _call_optional(
        "segclf.report",
        "eval_from_args",
        "eval",
        args.paths,
        args.model,
        args.compare,
        args.report,
        args.quiet,
        args.resamples,
    )


# --- the edge -------------------------------------------------------------------------


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``segclf`` command line; returns the exit code (see ``segclf --help``)."""
    if "numpy" not in sys.modules:
        # segclf's matrix products are small and run on one BLAS thread (``model.single_blas_thread``);
        # without a BLAS thread pool this process runs one thread and can fork its workers.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parse(parser, argv)
        _check_args(args)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
    rep = Reporter(quiet=args.quiet)
    try:
        code = args.run(args, rep)
        summary = rep.close()
        return code if isinstance(code, int) else summary
    except KeyboardInterrupt:
        rep.stop()
        _say("segclf: interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        rep.stop()
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except ModelError as exc:
        rep.stop()
        _say(f"segclf: {exc}")
        return EXIT_MODEL
    except LabeledDataError as exc:
        rep.stop()
        _say(f"segclf: {exc}")
        return EXIT_LABELED_DATA
    except SegclfError as exc:
        rep.stop()
        _say(f"segclf: {exc}")
        return EXIT_FAILED_INPUTS
    except OSError as exc:  # writing the output: disk full, no permission, ...
        rep.stop()
        _say(f"segclf: {exc.filename or 'output'}: {exc.strerror or exc}")
        return EXIT_FAILED_INPUTS
