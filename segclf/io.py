"""Readers and writers: files, folders, stdin and JSONL corpora in; TSV, JSONL and clean text out.

Reading (``read_document``, ``iter_inputs``)
--------------------------------------------
* A text file is one document, read whole. Its lines are what ``text.split("\\n")``
  gives: a ``\\r`` before the ``\\n`` stays part of its line, so the lines always
  join back to the decoded file. An empty file is one empty line.
* Encodings: UTF-8 is assumed. A byte-order mark selects UTF-8, UTF-16 (LE/BE) or
  UTF-32 (LE/BE) and is removed (it is not part of the first line's text).
  Invalid UTF-8 is decoded with U+FFFD replacement characters and a warning
  naming the file; with ``strict=True`` it is an ``InputError`` instead. Legacy
  encodings (Latin-1, cp1252, ...) are not guessed: convert them first.
* A file with a NUL byte in its first 8 KiB and no UTF-16/32 byte-order mark is
  binary and is skipped with an error (so is UTF-16 without a byte-order mark).
* Folders are walked recursively in sorted order. Picked: regular files whose
  name ends in one of ``TEXT_SUFFIXES`` (or ``.jsonl`` files only, when reading
  JSONL corpora); names starting with ``.`` are skipped and symbolic links to
  folders are not followed. Files named explicitly are read whatever their name.
* JSONL corpora (``field`` given): every non-empty line is a JSON object, and
  ``record[field]`` (a string) is the document. The file must be UTF-8. A line
  that is not a JSON object is reported and skipped; an object whose field is
  missing or not a string is reported and passed through unchanged
  (``InputDoc.passthrough``). Records are read one at a time; each keeps its
  JSON text (``InputDoc.raw``) so that it can be written back unchanged.
  ``iter_input_blocks`` gives the same records in ``RecordBlock``s of raw lines,
  decoded and parsed by ``RecordBlock.docs()`` where they are labeled.

Nothing here raises for a bad input during iteration: ``iter_inputs`` yields an
``InputDoc`` whose ``error`` says what went wrong, so that a batch goes on.

Writing
-------
``AtomicFile``/``atomic_write`` write through a temporary file in the target's
folder renamed into place, so an interrupted run never leaves a half-written
file; ``Sink`` writes to a binary stream (stdout). All output is UTF-8 with
``\\n`` line ends added only between rows; text is written verbatim (lone
surrogates, which only JSON escapes can produce, come out as ``\\udXXX``).
A classified JSONL record is its own JSON text with ``"segclf"`` added before
the closing brace (``labeled_record_line``): its keys, numbers and escapes are
written back exactly as read.
"""

from __future__ import annotations

import codecs
import errno
import functools
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from segclf.columns import LabelColumns
from segclf.errors import InputError

if TYPE_CHECKING:
    from segclf.segmenter import Document

__all__ = [
    "STDIN",
    "TEXT_SUFFIXES",
    "JSONL_SUFFIXES",
    "DecodedText",
    "InputDoc",
    "decode_bytes",
    "read_document",
    "iter_inputs",
    "iter_input_blocks",
    "BlockSize",
    "RecordBlock",
    "AtomicFile",
    "atomic_write",
    "Sink",
    "encode",
    "one_line",
    "doc_header",
    "tsv_rows",
    "jsonl_rows",
    "labels_record",
    "labels_json",
    "labeled_record_line",
    "dumps",
]

#: The path that means standard input (and standard output).
STDIN = "-"
#: Name endings picked in folders (``""``: a name with no dot at all).
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
#: Name endings picked in folders when reading JSONL corpora.
JSONL_SUFFIXES = frozenset({".jsonl"})
#: Bytes looked at for NUL bytes when deciding that a file is binary.
SNIFF_BYTES = 8192
_STDIN_ID = "<stdin>"
#: The white space JSON allows around a value (str.strip() would also take Unicode spaces).
_JSON_SPACE = " \t\r\n"

# Longest BOMs first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class BlockSize:
    """How ``iter_input_blocks`` cuts JSONL inputs into ``RecordBlock``s: at most ``records`` lines,
    and no more lines once ``bytes`` are reached."""

    records: int = 64
    bytes: int = 1_000_000


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A decoded document: its text, the encoding used and any warnings (for stderr)."""

    text: str
    warnings: tuple[str, ...] = ()
    encoding: str = "utf-8"


@dataclass(slots=True)
class InputDoc:
    """One input document, or the report of one that could not be read.

    ``id`` names it in output and messages: the path as given (folder + relative
    path for files found in folders), ``<stdin>``, or ``path:line`` for a JSONL
    record. ``rel`` is where it goes under an output folder. ``text`` is None
    when ``error`` says why; ``record`` is the parsed JSONL record and ``raw``
    its JSON text (white space around it removed), kept to write it back
    unchanged; ``passthrough`` is a bad record's original line, to be copied to
    the output.
    """

    id: str
    text: str | None = None
    path: Path | None = None
    rel: Path | None = None
    record: dict[str, Any] | None = None
    raw: str | None = None
    line_no: int | None = None
    error: str | None = None
    passthrough: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def key(self) -> str:
        """What messages about this document are counted under: its file, or standard input."""
        return str(self.path) if self.path is not None else _STDIN_ID


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    return exc.strerror.lower() if exc.strerror else str(exc)


def decode_bytes(data: bytes, name: str, *, strict: bool = False) -> DecodedText:
    """Decode a whole document by the policy in the module docstring; ``name`` is used in messages."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, name, strict)
    if b"\0" in data[:SNIFF_BYTES]:
        raise InputError(f"{name}: binary file (NUL bytes and no UTF-16 byte-order mark), skipped")
    return _decode(data, "utf-8", name, strict)


def _decode(data: bytes, encoding: str, name: str, strict: bool) -> DecodedText:
    try:
        return DecodedText(data.decode(encoding), (), encoding)
    except UnicodeDecodeError as exc:
        where = f"invalid {encoding.upper()} ({exc.reason} at byte {exc.start})"
        if strict:
            raise InputError(f"{name}: {where}") from None
        text = data.decode(encoding, errors="replace")
        return DecodedText(text, (f"{name}: {where}; decoded with replacement characters (U+FFFD)",), encoding)


def read_document(path: str | os.PathLike[str], *, strict: bool = False) -> DecodedText:
    """Read and decode one text file (``-``: standard input); raises ``InputError`` naming the path."""
    name = os.fspath(path)
    if name == STDIN:
        return decode_bytes(_stdin().read(), _STDIN_ID, strict=strict)
    try:
        with open(name, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(f"{name}: {_reason(exc)}") from None
    return decode_bytes(data, name, strict=strict)


def _stdin() -> IO[bytes]:
    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise OSError(errno.EBADF, "standard input is closed")
    return getattr(sys.stdin, "buffer", sys.stdin)


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]],
    field: str | None = None,
    *,
    strict_encoding: bool = False,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[InputDoc]:
    """Every document of ``paths`` (files, folders, ``-``) in order, read lazily.

    With ``field``, inputs are JSONL corpora and each record is a document.
    Folders listed in ``exclude`` (an output folder) are not walked into when
    met inside a folder input.
    """
    return _inputs(paths, field, strict_encoding, exclude, _jsonl_docs)  # type: ignore[return-value]


def iter_input_blocks(
    paths: Iterable[str | os.PathLike[str]],
    field: str,
    *,
    strict_encoding: bool = False,
    exclude: Iterable[str | os.PathLike[str]] = (),
    size: BlockSize = BlockSize(),
) -> Iterator[InputDoc | RecordBlock]:
    """``iter_inputs`` of JSONL corpora with their records in unparsed ``RecordBlock``s.

    What cannot be read at all (a missing file, a binary file, an empty folder)
    comes as an ``InputDoc`` with its ``error``, in its place. Reading stays cheap
    for the caller: decoding and parsing happen in ``RecordBlock.docs()``, which a
    worker process can call.
    """
    reader = functools.partial(_jsonl_blocks, block=size)
    return _inputs(paths, field, strict_encoding, exclude, reader)


#: Reads one JSONL stream: (stream, name, path, rel, field, strict) -> its documents or blocks.
_JsonlReader = Callable[..., Iterator[Any]]


def _inputs(
    paths: Iterable[str | os.PathLike[str]],
    field: str | None,
    strict: bool,
    exclude: Iterable[str | os.PathLike[str]],
    jsonl: _JsonlReader,
) -> Iterator[InputDoc | RecordBlock]:
    skip = {Path(p).resolve() for p in exclude}
    for p in paths:
        name = os.fspath(p)
        if name == STDIN:
            if field is None:
                yield _text_doc(STDIN, _STDIN_ID, None, None, strict)
                continue
            try:
                stdin = _stdin()
            except OSError as exc:
                yield InputDoc(id=_STDIN_ID, error=f"{_STDIN_ID}: {_reason(exc)}")
            else:
                yield from jsonl(stdin, _STDIN_ID, None, None, field, strict)
            continue
        if not name:
            yield InputDoc(id=repr(name), error=f"{name!r}: empty path")
            continue
        path = Path(name)
        if path.is_dir():
            yield from _folder_docs(path, field, strict, skip, jsonl)
        else:
            yield from _file_docs(path, name, Path(path.name), field, strict, jsonl)


def _folder_docs(
    top: Path, field: str | None, strict: bool, skip: set[Path], jsonl: _JsonlReader
) -> Iterator[InputDoc | RecordBlock]:
    suffixes = JSONL_SUFFIXES if field is not None else TEXT_SUFFIXES
    found = False
    for file, problem in _walk(top, suffixes, skip):
        found = True
        if problem is not None:
            yield InputDoc(id=str(file), path=file, error=f"{file}: {problem}")
        else:
            yield from _file_docs(file, str(file), file.relative_to(top), field, strict, jsonl)
    if not found:
        picked = ", ".join(sorted(s or "(no suffix)" for s in suffixes))
        yield InputDoc(id=str(top), path=top, error=f"{top}: no input files in this folder (looked for {picked})")


def _walk(top: Path, suffixes: frozenset[str], skip: set[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files under ``top`` in sorted order, each with None or the reason it cannot be read."""
    try:
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield top, f"cannot list folder: {_reason(exc)}"
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                if path.resolve() not in skip:
                    yield from _walk(path, suffixes, skip)
                continue
            if Path(entry.name).suffix.lower() not in suffixes:
                continue
            if entry.is_symlink() and not path.exists():
                yield path, "broken symbolic link"
            elif entry.is_dir():
                yield path, "symbolic link to a folder, not followed"
            elif not stat.S_ISREG(entry.stat().st_mode):
                yield path, "not a regular file (a pipe, socket or device), skipped"
            else:
                yield path, None
        except OSError as exc:
            yield path, _reason(exc)


def _file_docs(
    path: Path, name: str, rel: Path, field: str | None, strict: bool, jsonl: _JsonlReader
) -> Iterator[InputDoc | RecordBlock]:
    if field is None:
        yield _text_doc(name, name, path, rel, strict)
        return
    if path.is_symlink() and not path.exists():
        yield InputDoc(id=name, path=path, rel=rel, error=f"{name}: broken symbolic link")
        return
    try:
        fh = open(path, "rb")  # closed by the with below, after the records are read lazily
    except OSError as exc:
        yield InputDoc(id=name, path=path, rel=rel, error=f"{name}: {_reason(exc)}")
        return
    with fh:
        yield from jsonl(fh, name, path, rel, field, strict)


def _text_doc(source: str, name: str, path: Path | None, rel: Path | None, strict: bool) -> InputDoc:
    if path is not None and path.is_symlink() and not path.exists():
        return InputDoc(id=name, path=path, rel=rel, error=f"{name}: broken symbolic link")
    try:
        decoded = read_document(source, strict=strict)
    except InputError as exc:
        return InputDoc(id=name, path=path, rel=rel, error=str(exc))
    except OSError as exc:  # reading standard input
        return InputDoc(id=name, path=path, rel=rel, error=f"{name}: {_reason(exc)}")
    return InputDoc(id=name, text=decoded.text, path=path, rel=rel, warnings=decoded.warnings)


def _jsonl_docs(
    fh: IO[bytes], name: str, path: Path | None, rel: Path | None, field: str, strict: bool
) -> Iterator[InputDoc]:
    """The records of one JSONL stream, one at a time."""
    source = _JsonlSource(name, path, rel, field, strict)
    numbered = _Numbered(fh)
    try:
        if (binary := source.binary(fh)) is not None:
            yield binary
            return
        yield from source.docs(numbered)
    except OSError as exc:
        yield source.read_error(exc, numbered.count + 1)


def _jsonl_blocks(
    fh: IO[bytes], name: str, path: Path | None, rel: Path | None, field: str, strict: bool, block: BlockSize
) -> Iterator[InputDoc | RecordBlock]:
    """The records of one JSONL stream, unparsed, in ``RecordBlock``s of consecutive lines."""
    source = _JsonlSource(name, path, rel, field, strict)
    numbered = _Numbered(fh)
    lines: list[bytes] = []
    first = size = 0
    try:
        if (binary := source.binary(fh)) is not None:
            yield binary
            return
        for n, raw in numbered:
            if not lines:
                first, size = n, 0
            lines.append(raw)
            size += len(raw)
            if len(lines) >= block.records or size >= block.bytes:
                yield RecordBlock(source, first, lines)
                lines = []
        if lines:
            yield RecordBlock(source, first, lines)
    except OSError as exc:
        if lines:
            yield RecordBlock(source, first, lines)
        yield source.read_error(exc, numbered.count + 1)


class _Numbered:
    """A stream's lines numbered from 1, counting how many were read (for a read error's line number)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self.count = 0

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        for raw in self._fh:
            self.count += 1
            yield self.count, raw


@dataclass(frozen=True, slots=True)
class _JsonlSource:
    """One JSONL input (a file or stdin) and how its records are read."""

    name: str
    path: Path | None
    rel: Path | None
    field: str
    strict: bool

    def binary(self, fh: IO[bytes]) -> InputDoc | None:
        """The error for a stream that is not UTF-8 text (binary, UTF-16/32), or None."""
        peek = getattr(fh, "peek", None)
        head = peek(SNIFF_BYTES)[:SNIFF_BYTES] if peek is not None else b""
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\0" in head:
            problem = "not a UTF-8 JSONL file (binary, or UTF-16/32), skipped"
            return InputDoc(id=self.name, path=self.path, rel=self.rel, error=f"{self.name}: {problem}")
        return None

    def read_error(self, exc: OSError, line_no: int) -> InputDoc:
        return InputDoc(id=self.name, path=self.path, rel=self.rel, error=f"{self.name}:{line_no}: {_reason(exc)}")

    def docs(self, numbered: Iterable[tuple[int, bytes]]) -> Iterator[InputDoc]:
        """A document (or the report of a bad record) per non-empty line; invalid UTF-8 is reported once."""
        path, rel = self.path, self.rel
        warned = False
        for n, raw in numbered:
            where = f"{self.name}:{n}"
            if n == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            warnings: tuple[str, ...] = ()
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = f"invalid UTF-8 ({exc.reason} at byte {exc.start} of the line)"
                if self.strict:
                    yield InputDoc(id=where, path=path, rel=rel, line_no=n, error=f"{where}: {problem}, record skipped")
                    continue
                line = raw.decode("utf-8", errors="replace")
                if not warned:
                    warnings = (
                        f"{where}: {problem}; decoded with replacement characters (U+FFFD); "
                        "later lines of this file are not reported",
                    )
                    warned = True
            if not line.strip():
                continue
            yield _record_doc(line.rstrip("\r\n"), where, path, rel, n, self.field, warnings)


@dataclass(slots=True)
class RecordBlock:
    """Consecutive lines of one JSONL input, read but not yet decoded or parsed.

    ``docs()`` makes them ``InputDoc``s exactly as reading the input record by record
    does, with the same line numbers, so that a block can be parsed where it is
    labeled (a worker process). Invalid UTF-8 is reported once per block here;
    whoever gathers the blocks of a file keeps the first such warning only.
    """

    source: _JsonlSource
    first_line: int
    lines: list[bytes]
    warn_once = True  # invalid UTF-8: one warning per input file, not per block

    def docs(self) -> Iterator[InputDoc]:
        return self.source.docs(enumerate(self.lines, start=self.first_line))


def _record_doc(
    line: str, where: str, path: Path | None, rel: Path | None, n: int, field: str, warnings: tuple[str, ...]
) -> InputDoc:
    base = {"id": where, "path": path, "rel": rel, "line_no": n, "warnings": warnings}
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, too many digits, too deep
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc) or "nested too deeply"
        return InputDoc(**base, error=f"{where}: broken JSON ({msg}), record skipped")
    if not isinstance(record, dict):
        return InputDoc(**base, error=f"{where}: expected a JSON object, got {type(record).__name__}; skipped")
    text = record.get(field)
    if not isinstance(text, str):
        if field not in record:
            problem = f"has no field {field!r}"
        else:
            problem = f"field {field!r} is {_json_type(text)}, not a string"
        error = f"{where}: {problem}; record passed through unchanged"
        return InputDoc(**base, record=record, passthrough=line, error=error)
    return InputDoc(**base, text=text, record=record, raw=line.strip(_JSON_SPACE))


def _json_type(value: object) -> str:
    names = {
        type(None): "null",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "an array",
        dict: "an object",
    }
    return names.get(type(value), type(value).__name__)


class AtomicFile:
    """A text file written to a temporary name in its folder and renamed into place on ``commit``.

    Used as a context manager it commits on success and removes the temporary
    file on any exception (including KeyboardInterrupt). Missing folders are made.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        self._tmp = Path(tmp)
        self._fh: IO[bytes] | None = os.fdopen(fd, "wb")

    def write(self, text: str) -> int:
        return self.write_bytes(encode(text))

    def write_bytes(self, data: bytes) -> int:
        """Output already encoded by ``encode``."""
        assert self._fh is not None, "the file is already committed or aborted"
        return self._fh.write(data)

    def flush(self) -> None:
        if self._fh is not None:
            self._fh.flush()

    def commit(self) -> Path:
        """Close the temporary file and rename it to ``path``, with the usual permissions."""
        assert self._fh is not None, "the file is already committed or aborted"
        try:
            self._fh.close()
            self._fh = None
            os.chmod(self._tmp, 0o666 & ~_umask())
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise
        return self.path

    def abort(self) -> None:
        """Drop the temporary file; ``path`` is left as it was."""
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
            self._fh = None
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8, verbatim) to ``path`` atomically."""
    with AtomicFile(path) as fh:
        fh.write(text)
    return Path(path)


def encode(text: str) -> bytes:
    """Output text as segclf writes it: UTF-8, a lone surrogate (only JSON escapes make them) as ``\\udXXX``."""
    return text.encode("utf-8", "backslashreplace")


class Sink:
    """Text output on a binary stream (standard output by default), UTF-8, no newline translation."""

    def __init__(self, stream: IO[bytes] | None = None) -> None:
        if stream is None:
            if sys.stdout is None:  # started with stdout closed (`>&-`)
                raise OSError(errno.EBADF, "standard output is closed")
            sys.stdout.flush()
            stream = getattr(sys.stdout, "buffer", None)
        self._stream = stream
        self._text = sys.stdout if stream is None else None  # a text-only stdout (rare)

    def write(self, text: str) -> int:
        if self._stream is None:
            return self._text.write(text)  # type: ignore[union-attr]
        return self._stream.write(encode(text))

    def write_bytes(self, data: bytes) -> int:
        """Output already encoded by ``encode``."""
        if self._stream is None:
            return self._text.write(data.decode("utf-8"))  # type: ignore[union-attr]
        return self._stream.write(data)

    def flush(self) -> None:
        (self._stream or self._text).flush()  # type: ignore[union-attr]


def one_line(doc_id: str) -> str:
    """A document id safe on one line: a newline, carriage return or tab in a file name is escaped."""
    return doc_id.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def doc_header(doc_id: str) -> str:
    """The ``# doc: <id>`` line that precedes a document's rows when there are several documents."""
    return f"# doc: {one_line(doc_id)}\n"


def tsv_rows(doc: Document | LabelColumns, doc_id: str | None = None) -> str:
    """``label<TAB>confidence<TAB>lang<TAB>text`` rows of a document, after a ``# doc: <id>`` line if ``doc_id``.

    The text is the last field and is written verbatim (a tab or ``\\r`` in it is
    kept); confidences have four decimals; ``lang`` is empty when None.
    """
    cols = LabelColumns.of(doc)
    head = doc_header(doc_id) if doc_id is not None else ""
    label_confidence = map(_TSV_LABEL.__getitem__, zip(cols.labels, confidence_keys(cols.confidences)))
    langs = map(_TSV_LANG.__getitem__, cols.langs)
    return head + "".join(map("{}{}{}\n".format, label_confidence, langs, cols.texts))


# json.dumps(obj, ensure_ascii=False) builds this encoder on every call; one shared encoder writes the same text.
_JSON = json.JSONEncoder(ensure_ascii=False)
#: The most values a fragment cache keeps: labels, languages and 4-decimal confidences need far fewer.
_MAX_FRAGMENTS = 1 << 17


class _Fragments(dict[Any, str]):
    """Text fragments made once per distinct value (a label, a language, a confidence) and then looked up."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> str:
        text = self._make(key)
        if len(self) < _MAX_FRAGMENTS:  # bounded even if a value came from an open set
            self[key] = text
        return text


#: A confidence's key (``confidence_keys``): its 4-decimal value in units of 1/10,000, or
#: for a value outside [0, 1], NaN or within a hair of a tie, its ``f"{c:.4f}"`` text.
ConfidenceKey = int | str


def confidence_keys(confidences: Sequence[float]) -> list[ConfidenceKey]:
    """Each confidence rounded to 4 decimals, as ``f"{c:.4f}"`` rounds it (c's exact binary value, half to even).

    numpy scales and rounds them all at once, as a count of 1/10,000. Scaling
    errs by less than 1e-12, so it can change the rounding only of a value
    within a hair of a tie (xxx.5 after scaling): those, and anything but a
    number in [0, 1] (negative zero, NaN), are formatted by Python itself.
    """
    import numpy as np

    values = np.asarray(confidences, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):  # huge and non-finite values are not ok, and formatted
        scaled = values * 10_000
        ok = ~np.signbit(values) & (values <= 1.0)  # (NaN compares False)
        ok &= np.abs(scaled - np.floor(scaled) - 0.5) > 1e-6
    keys: list[ConfidenceKey] = np.rint(np.where(ok, scaled, 0.0)).astype(np.int64).tolist()
    for i in np.flatnonzero(~ok).tolist():
        keys[i] = f"{float(values[i]):.4f}"
    return keys


def _confidence_text(key: ConfidenceKey) -> str:
    """``f"{c:.4f}"`` of a confidence from its key."""
    return key if isinstance(key, str) else f"{key // 10_000}.{key % 10_000:04d}"


def _confidence_json(key: ConfidenceKey) -> str:
    """``json.dumps(round(c, 4))`` of a confidence from its key.

    ``round(c, 4)`` is the float nearest the 4-decimal value that ``f"{c:.4f}"``
    writes, and so is ``k / 10_000`` (a correctly rounded division of exact integers).
    """
    return _JSON.encode(key / 10_000 if isinstance(key, int) else round(float(key), 4))


def _label_confidence_json(key: tuple[str, ConfidenceKey]) -> str:
    """``"label": ..., "confidence": ...`` of a line, from its label and confidence key."""
    return f'"label": {_JSON.encode(key[0])}, "confidence": {_confidence_json(key[1])}'


_VALUE = _Fragments(_JSON.encode)
# The fixed text around a line's confidence, per label and confidence and per language,
# in the key order of the dicts they replace.
_LINE_LABEL = _Fragments(lambda key: "{" + _label_confidence_json(key))
_LINE_LANG = _Fragments(lambda lang: f', "lang": {_JSON.encode(lang)}}}')
_ROW_LABEL = _Fragments(lambda key: ", " + _label_confidence_json(key))
_ROW_LANG = _Fragments(lambda lang: f', "lang": {_JSON.encode(lang)}, "text": ')
_TSV_LABEL = _Fragments(lambda key: f"{key[0]}\t{_confidence_text(key[1])}\t")
_TSV_LANG = _Fragments(lambda lang: f"{lang or ''}\t")


def dumps(obj: object) -> str:
    """One JSON line (UTF-8 characters kept, not escaped)."""
    return _JSON.encode(obj) + "\n"


def labels_record(doc: Document | LabelColumns) -> dict[str, Any]:
    """The ``"segclf"`` value added to a classified JSONL record: the document's language and per-line labels."""
    cols = LabelColumns.of(doc)
    return {
        "lang": cols.lang,
        "lines": [
            {"label": label, "confidence": round(confidence, 4), "lang": lang}
            for label, confidence, lang in zip(cols.labels, cols.confidences, cols.langs)
        ],
    }


def labels_json(doc: Document | LabelColumns) -> str:
    """``labels_record(doc)`` as ``dumps`` writes it, built from cached fragments instead of a dict per line."""
    cols = LabelColumns.of(doc)
    label_confidence = map(_LINE_LABEL.__getitem__, zip(cols.labels, confidence_keys(cols.confidences)))
    lines = ", ".join(map(str.__add__, label_confidence, map(_LINE_LANG.__getitem__, cols.langs)))
    return f'{{"lang": {_VALUE[cols.lang]}, "lines": [{lines}]}}'


def labeled_record_line(doc: InputDoc, result: Document | LabelColumns) -> str:
    """The output line of a classified JSONL record: the record with ``"segclf": labels_record(result)`` added.

    The record's own JSON text is kept, its closing brace replaced by the
    labels, so nothing of it is lost or re-encoded (a record holding a document
    is never ``{}``). A record that already has a ``"segclf"`` key (segclf's
    output classified again) is re-encoded instead: the key is replaced, not doubled.
    """
    record = doc.record if doc.record is not None else {}
    if doc.raw is None or "segclf" in record:
        return dumps({**record, "segclf": labels_record(result)})
    return f'{doc.raw[:-1]}, "segclf": {labels_json(result)}}}\n'


def jsonl_rows(doc: Document | LabelColumns, doc_id: str) -> str:
    """One JSON object per line: ``{"doc", "line" (1-based), "label", "confidence", "lang", "text"}``.

    Written as ``dumps`` writes the dict, from cached fragments: only the line
    number and the text change from row to row.
    """
    cols = LabelColumns.of(doc)
    head = f'{{"doc": {_JSON.encode(doc_id)}, "line": '
    label_confidence = map(_ROW_LABEL.__getitem__, zip(cols.labels, confidence_keys(cols.confidences)))
    langs = map(_ROW_LANG.__getitem__, cols.langs)
    texts = map(_JSON.encode, cols.texts)
    row = head.replace("{", "{{").replace("}", "}}") + "{}{}{}{}}}\n"  # braces of the id are text
    rows = map(row.format, range(1, len(cols) + 1), label_confidence, langs, texts)
    return "".join(rows)
