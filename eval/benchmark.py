"""segclf's speed and memory benchmark: one command, one table, one JSON file.

    pip install '.[bench]'
    python eval/benchmark.py [--lines 200000] [--out eval/benchmark.json] [--stream-mb 200] [--repeats 3]

What it measures, on the same lines of full news pages:

* lines/s of the API (``Segmenter.segment_many``) and of the CLI
  (``segclf classify --jobs 1``), each in a fresh process pinned to one core;
* the floor: a bare fastText ``predict`` with the model's own text model
  (the ``text.bin`` member of the model file, segclf's only fastText pass)
  on the same non-blank lines;
* per-line ``langdetect`` (``DetectorFactory.seed = 0``) on an evenly spaced
  sample of 2,000 non-blank lines, extrapolated to the corpus;
* model load time: import, cold (first load in a fresh process) and warm;
* peak memory (``ru_maxrss``) of the API run;
* ``--jobs 2`` against ``--jobs 1`` (API ``segment_parallel`` and CLI), and the
  machine's own ceiling for two processes: two ``--jobs 1`` runs at once, one
  per core, on half the corpus each (two processes running together are slower
  per CPU-second than one alone; on this project's VM by 15-30%). The CLI's
  ``--jobs 1``, ``--jobs 2`` and side-by-side runs take turns, ``--repeats``
  rounds of them (3 by default): a run of a few seconds moves by 10-20% with the
  state of a shared machine, so the table gives the medians of the runs and of
  the per-round ratios, with their range;
* streaming: a large JSONL corpus (``--stream-mb``, 200 MB by default, 1000
  for the full 1 GB check) through ``segclf classify --field text --format
  jsonl``, with the peak RSS of the whole process tree polled; then the same
  corpus with ``--jobs 1`` on one core, ``--repeats`` rounds of the two. The
  ``--jobs`` target (1.7x on 2 cores) is checked here, at corpus scale: on the
  200,000 lines, a run of a few seconds, the start-up and exit that both
  commands pay once (about 0.45 s) weigh a fifth of ``--jobs 2``'s time.

The corpus is built at run time from the repository: when the public data
folder ``../shared/data`` sits beside the repository, the L3S-GN1 and
Readability test pages are rendered to text with html-text (cached under
``build/bench/``), and composed multilingual documents from
``build/corpus/composed.jsonl`` are mixed in when the training recipe has
built them (one document per language in turn, so every language is in);
without ``../shared`` the composed (or another labeled) corpus in
``build/corpus/`` is used alone. The sources are interleaved so that each
gives about the same number of lines, and documents are repeated only if all
of them together have fewer than ``--lines`` lines. The run prints which
corpus it used and its languages.

Each measurement runs in its own subprocess (``--child``) so that imports,
memory and CPU pinning do not leak between them. The machine's load average
and a pure-Python calibration loop are recorded next to the numbers, because
a shared machine can be many times slower than an idle one.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import importlib.util
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the training recipe's page decoder
SHARED_DATA = REPO.parent / "shared" / "data"
BENCH = REPO / "build" / "bench"
CORPUS_DIR = REPO / "build" / "corpus"
PAGE_ARCHIVES = ("html-l3s-gn1.tar.gz", "html-readability-testpages.tar.gz")

TARGETS = {
    "lines_per_s_per_core": 20_000,
    "floor_ratio": 3.0,
    "load_s": 1.0,
    "speedup_jobs2": 1.7,
    "stream_rss_mb": 500,
}
LANGDETECT_SAMPLE = 2_000
FASTTEXT_BATCH = 4096


# --- the corpus -------------------------------------------------------------------------

_HTML_LANG = re.compile(rb"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)


def decode_page(data: bytes) -> str:
    """Decode a page the way the training recipe does (BOM, UTF-8, declared charset, cp1252)."""
    from training.render import decode_bytes

    return decode_bytes(data)


def _archive_pages(archive: Path) -> Iterator[tuple[str, bytes]]:
    """(member name, bytes) of the HTML pages of one archive, in archive order."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            name = member.name
            wanted = (
                "/original/" in name and name.endswith(".html")
                if "l3s" in archive.name
                else name.endswith("/source.html")
            )
            if member.isfile() and wanted:
                fh = tar.extractfile(member)
                if fh is not None:
                    yield name, fh.read()


def render_pages(data_dir: Path, cache_dir: Path) -> Path:
    """Render the news pages of ``PAGE_ARCHIVES`` to text once; later runs read the cache."""
    import html_text

    archives = [data_dir / name for name in PAGE_ARCHIVES if (data_dir / name).is_file()]
    stamp = hashlib.sha256(
        json.dumps([[a.name, a.stat().st_size, a.stat().st_mtime_ns] for a in archives]).encode()
    ).hexdigest()[:12]
    cache = cache_dir / f"pages-{stamp}.jsonl.gz"
    if cache.is_file():
        return cache
    cache_dir.mkdir(parents=True, exist_ok=True)
    print(f"rendering news pages from {', '.join(a.name for a in archives)} with html-text (once) ...", flush=True)
    tmp = cache.with_suffix(".tmp")
    n = 0
    with gzip.open(tmp, "wt", encoding="utf-8") as out:
        for archive in archives:
            for name, data in _archive_pages(archive):
                markup = decode_page(data)
                if "lorem ipsum" in markup[:200_000].lower():  # Readability's synthetic test cases
                    continue
                try:
                    text = html_text.extract_text(markup, guess_layout=True)
                except Exception:  # noqa: BLE001 - a page the renderer cannot parse is left out
                    continue
                text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
                if text.count("\n") < 5:
                    continue
                lang = _HTML_LANG.search(data[:20_000])
                record = {
                    "id": f"{archive.name.split('.')[0]}/{name.split('/')[-2 if 'source' in name else -1]}",
                    "source": archive.name.removesuffix(".tar.gz"),
                    "lang": lang.group(1).decode().lower() if lang else None,
                    "text": text,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
    tmp.replace(cache)
    print(f"rendered {n} pages into {cache.relative_to(REPO)}", flush=True)
    return cache


def _read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _labeled_docs(path: Path, source: str) -> list[dict]:
    """Documents of a LABELS.md JSONL corpus (``lines``: [{text, label}, ...]) as plain text."""
    docs = []
    for record in _read_jsonl(path):
        if isinstance(record.get("lines"), list):
            text = "\n".join(str(line.get("text", "")) for line in record["lines"])
        elif isinstance(record.get("text"), str):
            text = record["text"]
        else:
            continue
        docs.append({"id": record.get("id"), "source": source, "lang": record.get("lang"), "text": text})
    return docs


def _by_language_in_turn(docs: list[dict]) -> list[dict]:
    """One document of each language in turn, so that any prefix covers every language."""
    groups: dict[str, list[dict]] = {}
    for doc in docs:
        groups.setdefault(doc.get("lang") or "?", []).append(doc)
    out: list[dict] = []
    for i in range(max((len(g) for g in groups.values()), default=0)):
        out.extend(g[i] for g in groups.values() if i < len(g))
    return out


def build_corpus(target_lines: int) -> tuple[list[dict], dict[str, Any]]:
    """The benchmark documents (repeated until ``target_lines``) and a description of them."""
    sources: list[list[dict]] = []
    names: list[str] = []
    if SHARED_DATA.is_dir() and any((SHARED_DATA / a).is_file() for a in PAGE_ARCHIVES):
        pages: dict[str, list[dict]] = {}
        for page in _read_jsonl(render_pages(SHARED_DATA, BENCH)):
            pages.setdefault(page["source"], []).append(page)
        sources.extend(pages.values())
        names.append(f"rendered news pages ({', '.join(pages)}; html-text)")
    composed = CORPUS_DIR / "composed.jsonl"
    if composed.is_file():
        sources.append(_by_language_in_turn(_labeled_docs(composed, "composed")))
        names.append(f"composed multilingual documents ({composed.relative_to(REPO)})")
    if not sources:
        for path in sorted(CORPUS_DIR.glob("*.jsonl")):
            sources.append(_labeled_docs(path, path.stem))
            names.append(f"labeled corpus {path.relative_to(REPO)}")
            break
    if not sources or not any(sources):
        raise SystemExit(
            "benchmark: no corpus: needs ../shared/data beside the repository, or build/corpus/composed.jsonl "
            "(run the training recipe)"
        )
    # Interleave the sources, line for line, so that every stretch of the corpus mixes them
    # and each source gives about the same number of lines.
    unique: list[dict] = []
    queues = [[iter(s), 0] for s in sources if s]
    taken = 0
    while queues and taken < target_lines:
        queue = min(queues, key=lambda q: q[1])
        doc = next(queue[0], None)
        if doc is None:
            queues.remove(queue)
        else:
            unique.append(doc)
            queue[1] += doc["text"].count("\n") + 1
            taken += doc["text"].count("\n") + 1
    docs: list[dict] = []
    lines = 0
    while lines < target_lines:
        for doc in unique:
            docs.append(doc)
            lines += doc["text"].count("\n") + 1
            if lines >= target_lines:
                break
    unique_lines = sum(d["text"].count("\n") + 1 for d in unique)
    per_source: Counter[str] = Counter()
    for doc in unique:
        per_source[doc["source"]] += doc["text"].count("\n") + 1
    info = {
        "sources": names,
        "unique_documents": len(unique),
        "unique_lines": unique_lines,
        "repeats": round(lines / unique_lines, 2),
        "documents": len(docs),
        "lines": lines,
        "nonblank_lines": sum(1 for d in docs for line in d["text"].split("\n") if line.strip()),
        "mb": round(sum(len(d["text"].encode()) for d in docs) / 1e6, 1),
        "unique_lines_per_source": dict(per_source),
        "declared_languages": dict(Counter(d["lang"] or "?" for d in unique).most_common()),
    }
    return docs, info


# --- measurements in child processes -----------------------------------------------------


def _pin_one_core() -> int | None:
    """Pin this process to one CPU (before numpy starts its BLAS threads); return it."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def _maxrss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def _texts(corpus: str) -> list[str]:
    return [r["text"] for r in _read_jsonl(Path(corpus))]


def child_api(corpus: str, model: str | None) -> dict:
    from segclf import Segmenter

    texts = _texts(corpus)
    segmenter = Segmenter(model)
    rss_loaded = _maxrss_mb()
    langs: Counter[str] = Counter()
    lines = 0
    start, cpu = time.perf_counter(), time.process_time()
    for doc in segmenter.segment_many(texts):
        lines += len(doc)
        langs[doc.lang or "none"] += 1
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "lines": lines,
        "lines_per_s": lines / seconds,
        "lines_per_cpu_s": lines / cpu,
        "maxrss_mb": _maxrss_mb(),
        "maxrss_after_load_mb": rss_loaded,
        "document_languages": dict(langs.most_common()),
    }


def child_load(model: str | None) -> dict:
    start = time.perf_counter()
    from segclf import Segmenter

    imported = time.perf_counter()
    Segmenter(model)
    cold = time.perf_counter() - imported
    warm = []
    for _ in range(3):
        t = time.perf_counter()
        Segmenter(model)
        warm.append(time.perf_counter() - t)
    return {"import_s": imported - start, "cold_load_s": cold, "warm_load_s": min(warm), "maxrss_mb": _maxrss_mb()}


def _nonblank(texts: Sequence[str]) -> list[str]:
    return [line for text in texts for line in text.split("\n") if line.strip()]


def child_fasttext(corpus: str, model: str | None) -> dict:
    """The floor: the model's own fastText text model, bare, in batches."""
    import zipfile

    from segclf.store import default_model_path
    from segclf.textmodel import load_fasttext

    texts = _texts(corpus)
    lines = sum(t.count("\n") + 1 for t in texts)
    nonblank = _nonblank(texts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "text.bin"
        path.write_bytes(zipfile.ZipFile(model or default_model_path()).read("text.bin"))
        ft = load_fasttext(path)
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(nonblank), FASTTEXT_BATCH):
        ft.predict(nonblank[i : i + FASTTEXT_BATCH], k=1)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "lines": lines,
        "predicted_lines": len(nonblank),
        "lines_per_s": lines / seconds,
        "lines_per_cpu_s": lines / cpu,
    }


def child_langdetect(corpus: str) -> dict:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    texts = _texts(corpus)
    lines = sum(t.count("\n") + 1 for t in texts)
    nonblank = _nonblank(texts)
    step = max(len(nonblank) // LANGDETECT_SAMPLE, 1)
    sample = nonblank[::step][:LANGDETECT_SAMPLE]
    detect("warm up the profiles")
    start = time.perf_counter()
    for line in sample:
        try:
            detect(line)
        except LangDetectException:
            pass
    seconds = time.perf_counter() - start
    per_line = seconds / len(sample)
    extrapolated = per_line * len(nonblank)
    return {
        "sample_lines": len(sample),
        "sample_seconds": seconds,
        "seconds_extrapolated": extrapolated,
        "lines": lines,
        "lines_per_s": lines / extrapolated,
    }


def child_parallel(corpus: str, model: str | None, jobs: int) -> dict:
    from segclf.parallel import segment_parallel

    texts = _texts(corpus)
    lines = 0
    first = None
    monitor = TreeMonitor(os.getpid())
    start, cpu = time.perf_counter(), time.process_time()
    for doc in segment_parallel(texts, model=model, jobs=jobs):
        if first is None:
            first = time.perf_counter() - start
        lines += len(doc)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    monitor.stop()
    return {
        "jobs": jobs,
        "seconds": seconds,
        "lines": lines,
        "lines_per_s": lines / seconds,
        "first_document_s": first,
        "cpu_seconds_parent": cpu,
        "cpu_seconds_workers": monitor.cpu_seconds(),
        "cpu_seconds": cpu + monitor.cpu_seconds(),
        "maxrss_parent_mb": _maxrss_mb(),
        "peak_rss_tree_mb": round(monitor.peak_rss / 1e6, 1),
    }


def child_calibrate() -> dict:
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return {"python_loop_10M_s": time.perf_counter() - start}


CHILDREN = {
    "api": child_api,
    "load": child_load,
    "fasttext": child_fasttext,
    "langdetect": child_langdetect,
    "parallel": child_parallel,
    "calibrate": child_calibrate,
}


def run_child(kind: str, *, pin: bool, **kwargs: Any) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps({"pin": pin, **kwargs})]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child {kind!r} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child_main(kind: str, payload: str) -> int:
    kwargs = json.loads(payload)
    cpu = _pin_one_core() if kwargs.pop("pin") else None
    result = CHILDREN[kind](**kwargs)
    result["pinned_cpu"] = cpu
    print(json.dumps(result))
    return 0


# --- the command line interface -------------------------------------------------------------


def cli_available() -> str | None:
    """None when ``segclf classify`` is usable, else why not."""
    proc = subprocess.run([sys.executable, "-m", "segclf", "classify", "--help"], capture_output=True, text=True)
    if proc.returncode != 0:
        return f"segclf classify --help failed: {(proc.stderr or proc.stdout).strip()[-300:]}"
    missing = [flag for flag in ("--jobs", "--field", "--format") if flag not in proc.stdout]
    return f"segclf classify has no {', '.join(missing)}" if missing else None


def _pin_preexec() -> None:
    _pin_one_core()


def classify_cmd(corpus_jsonl: Path, model: str | None, jobs: int | None = None) -> list[str]:
    """``segclf classify`` of a JSONL corpus's ``text`` field to JSONL, quiet (``jobs``: its default if None)."""
    cmd = [sys.executable, "-m", "segclf", "classify", str(corpus_jsonl), "--field", "text", "--format", "jsonl", "-q"]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    return cmd + (["--model", model] if model else [])


def median_index(values: Sequence[float]) -> int:
    """The position of the median of ``values`` (the lower middle one of an even count; ties in order)."""
    return sorted(range(len(values)), key=values.__getitem__)[(len(values) - 1) // 2]


def median_run(runs: Sequence[dict]) -> dict:
    """The run of median wall time (the lower middle one of an even count), with every run's time and speed."""
    middle = dict(runs[median_index([run["seconds"] for run in runs])])
    middle["runs_seconds"] = [run["seconds"] for run in runs]
    if "lines_per_s" in middle:
        middle["runs_lines_per_s"] = [run["lines_per_s"] for run in runs]
    return middle


def run_cli(corpus_jsonl: Path, *, jobs: int, pin: bool, model: str | None, docs: int) -> dict:
    """``segclf classify`` over the corpus, output drained through a pipe (as to ``/dev/null``)."""
    cmd = classify_cmd(corpus_jsonl, model, jobs)
    run = run_monitored(cmd, pin=pin)
    if run["records_written"] != docs:
        raise RuntimeError(f"segclf classify wrote {run['records_written']} records for {docs} documents")
    run.pop("rss_tree_mb_over_time")
    return {"jobs": jobs, "pinned": pin, **run, "command": " ".join(["segclf", *cmd[3:]]) + " > /dev/null"}


class TreeMonitor:
    """Polls a process and its descendants: peak total RSS, and CPU time per process.

    CPU times are the last values seen for each process (polled every ``interval``
    seconds), so up to one interval of a process's last CPU time may be missed.
    ``include_root=False`` counts only the descendants (the root measures itself).
    """

    def __init__(self, pid: int, interval: float = 0.2, include_root: bool | None = None) -> None:
        import psutil

        self._root = psutil.Process(pid)
        self._include_root = pid != os.getpid() if include_root is None else include_root
        self._cpu: dict[int, float] = {}
        self.peak_rss = 0
        self.samples: list[tuple[float, float]] = []
        self._interval = interval
        self._start = time.perf_counter()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        import psutil

        try:
            procs = [self._root, *self._root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for proc in procs:
            if proc.pid == self._root.pid and not self._include_root:
                continue
            try:
                with proc.oneshot():
                    total += proc.memory_info().rss
                    times = proc.cpu_times()
            except psutil.Error:
                continue
            self._cpu[proc.pid] = max(self._cpu.get(proc.pid, 0.0), times.user + times.system)
        self.peak_rss = max(self.peak_rss, total)
        elapsed = time.perf_counter() - self._start
        if not self.samples or elapsed - self.samples[-1][0] >= 10:
            self.samples.append((round(elapsed, 1), round(total / 1e6, 1)))

    def _run(self) -> None:
        while not self._done.wait(self._interval):
            self._poll()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())


def write_halves(corpus_jsonl: Path, tmp: Path, docs: list[dict]) -> tuple[list[Path], list[int]]:
    """The corpus in two files of about the same number of lines (give or take a document), and their lines."""
    lines = [doc["text"].count("\n") + 1 for doc in docs]
    half, total, cut = sum(lines) / 2, 0, len(docs)
    for i, n in enumerate(lines):
        total += n
        if total >= half:
            cut = i + 1
            break
    with corpus_jsonl.open(encoding="utf-8") as fh:
        records = fh.readlines()
    halves = [tmp / "half1.jsonl", tmp / "half2.jsonl"]
    halves[0].write_text("".join(records[:cut]), encoding="utf-8")
    halves[1].write_text("".join(records[cut:]), encoding="utf-8")
    return halves, [sum(lines[:cut]), sum(lines[cut:])]


def side_by_side(halves: Sequence[Path], lines_each: list[int], *, model: str | None) -> dict:
    """The machine's ceiling for two processes: two ``--jobs 1`` runs at once, one per core, on half the corpus each.

    No segclf code is shared between them: whatever slows two processes running
    together (caches, memory bandwidth, the host's other guests) slows these too.
    ``--jobs 2`` is compared with it as well as with ``--jobs 1``.
    """
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) < 2:
        return {"skipped": "fewer than 2 CPUs"}
    cmds = [classify_cmd(path, model, jobs=1) for path in halves]
    start = time.perf_counter()
    procs = []
    for cmd, cpu in zip(cmds, cpus[:2], strict=True):
        pin = functools.partial(os.sched_setaffinity, 0, {cpu})
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=pin))  # noqa: PLW1509
    ends = []
    for proc in procs:
        stderr = proc.communicate()[1].decode(errors="replace")
        ends.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise RuntimeError(f"segclf classify (side by side) failed (exit {proc.returncode}): {stderr[-2000:]}")
    return {"seconds": max(ends), "seconds_each": ends, "lines_each": lines_each}


def run_monitored(cmd: list[str], *, pin: bool = False) -> dict:
    """Run a command to the end, draining its output; wall time, CPU time and peak RSS of its process tree."""
    counted = {"records": 0, "bytes": 0}

    def drain(stream: io.BufferedReader) -> None:
        while chunk := stream.read(1 << 20):
            counted["records"] += chunk.count(b"\n")
            counted["bytes"] += len(chunk)

    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_pin_preexec if pin else None
    )  # noqa: PLW1509
    monitor = TreeMonitor(proc.pid)
    reader = threading.Thread(target=drain, args=(proc.stdout,), daemon=True)
    reader.start()
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.wait()
    seconds = time.perf_counter() - start
    monitor.stop()
    reader.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[1:4])} failed (exit {proc.returncode}): {stderr[-2000:]}")
    return {
        "seconds": seconds,
        "cpu_seconds": monitor.cpu_seconds(),
        "records_written": counted["records"],
        "output_mb": round(counted["bytes"] / 1e6, 1),
        "peak_rss_tree_mb": round(monitor.peak_rss / 1e6, 1),
        "rss_tree_mb_over_time": monitor.samples,
    }


def stream_check(docs: list[dict], tmp: Path, mb: int, model: str | None, rounds: int = 1, jobs1: bool = True) -> dict:
    """A large JSONL corpus through ``segclf classify`` (all cores), polling the tree's peak RSS.

    With ``jobs1``, the same corpus again with ``--jobs 1`` pinned to one core, in
    each of ``rounds`` rounds: ``--jobs`` at corpus scale, where the start-up that
    both commands pay once is a small share. The figures are those of the median
    round (by the ratio); the peak RSS is the largest of all rounds.
    """
    path = tmp / "stream.jsonl"
    limit = mb * 1_000_000
    size = n_docs = n_lines = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < limit:
            for doc in docs:
                line = json.dumps({"id": n_docs, "text": doc["text"]}, ensure_ascii=False) + "\n"
                fh.write(line)
                size += len(line.encode())
                n_docs += 1
                n_lines += doc["text"].count("\n") + 1
                if size >= limit:
                    break
    cmd = classify_cmd(path, model)
    runs: list[dict] = []
    ones: list[dict] = []
    try:
        for i in range(rounds):
            of = f" (round {i + 1} of {rounds})" if rounds > 1 else ""
            what = f"{size / 1e6:.0f} MB ({n_docs:,} documents, {n_lines:,} lines)"
            print(f"streaming {what} through segclf classify{of} ...", flush=True)
            runs.append(run_monitored(cmd))
            if jobs1:
                print(f"the same {size / 1e6:.0f} MB with --jobs 1 on one core{of} ...", flush=True)
                ones.append(run_monitored([*cmd, "--jobs", "1"], pin=True))
    except RuntimeError as exc:
        return {"failed": str(exc)}
    finally:
        path.unlink()
    ratios = [one["seconds"] / run["seconds"] for one, run in zip(ones, runs, strict=False)]
    middle = median_index(ratios or [r["seconds"] for r in runs])
    run = runs[middle]
    result = {
        "input_mb": round(size / 1e6, 1),
        "documents": n_docs,
        "lines": n_lines,
        "jobs": os.cpu_count(),
        **run,
        "peak_rss_tree_mb": max(r["peak_rss_tree_mb"] for r in runs),
        "runs_seconds": [r["seconds"] for r in runs],
        "lines_per_s": n_lines / run["seconds"],
        "command": " ".join(["segclf", *cmd[3:]]) + " > /dev/null",
    }
    if ones:
        one = ones[middle]
        result["jobs1"] = {
            "seconds": one["seconds"],
            "cpu_seconds": one["cpu_seconds"],
            "lines_per_s": n_lines / one["seconds"],
            "peak_rss_tree_mb": one["peak_rss_tree_mb"],
            "runs_seconds": [r["seconds"] for r in ones],
        }
        result["speedup"] = ratios[middle]
        result["speedup_pairs"] = ratios
    return result


# --- the report ---------------------------------------------------------------------------------


def _fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []
    api = results["api_1core"]
    floor = results["fasttext_floor_1core"]
    rows.append(
        (
            "API Segmenter.segment_many, 1 core",
            f"{_fmt(api['lines_per_s'])} lines/s",
            f">= {_fmt(TARGETS['lines_per_s_per_core'])}",
            _verdict(api["lines_per_s"] >= TARGETS["lines_per_s_per_core"]),
        )
    )
    rows.append(
        ("  per CPU-second (wall time minus waiting for the CPU)", f"{_fmt(api['lines_per_cpu_s'])} lines/s", "", "")
    )
    cli = results.get("cli_jobs1_1core")
    if cli and "seconds" in cli:
        rows.append(
            (
                "CLI classify --jobs 1, 1 core (incl. start-up)",
                f"{_fmt(cli['lines_per_s'])} lines/s{_spread(cli.get('runs_lines_per_s'), '{:,.0f}')}",
                f">= {_fmt(TARGETS['lines_per_s_per_core'])}",
                _verdict(cli["lines_per_s"] >= TARGETS["lines_per_s_per_core"]),
            )
        )
        rows.append(("  peak RSS of the CLI run", f"{cli['peak_rss_tree_mb']:.0f} MB", "", ""))
    else:
        rows.append(("CLI classify --jobs 1", "skipped", "", (cli or {}).get("skipped", "")[:60]))
    ratio = api["seconds"] / floor["seconds"]
    cpu_ratio = api["cpu_seconds"] / floor["cpu_seconds"]
    rows.append(("fastText floor (text.bin predict), 1 core", f"{_fmt(floor['lines_per_s'])} lines/s", "", ""))
    rows.append(
        (
            "  segclf time / floor time (CPU time)",
            f"{ratio:.1f}x ({cpu_ratio:.1f}x)",
            f"<= {TARGETS['floor_ratio']:.0f}x",
            _verdict(ratio <= TARGETS["floor_ratio"]),
        )
    )
    ld = results["langdetect_1core"]
    rows.append(
        (
            f"langdetect per line (extrapolated from {ld['sample_lines']:,})",
            f"{_fmt(ld['lines_per_s'])} lines/s",
            "",
            "",
        )
    )
    rows.append(("  langdetect time / segclf time", f"{ld['seconds_extrapolated'] / api['seconds']:.1f}x", "", ""))
    load = results["model_load"]
    rows.append(
        (
            "model load, cold (fresh process)",
            f"{load['cold_load_s']:.2f} s",
            f"< {TARGETS['load_s']:.0f} s",
            _verdict(load["cold_load_s"] < TARGETS["load_s"]),
        )
    )
    rows.append(
        (
            "model load, warm",
            f"{load['warm_load_s']:.2f} s",
            f"< {TARGETS['load_s']:.0f} s",
            _verdict(load["warm_load_s"] < TARGETS["load_s"]),
        )
    )
    rows.append(("import segclf", f"{load['import_s']:.2f} s", "", ""))
    rows.append(("peak RSS, API run (ru_maxrss)", f"{api['maxrss_mb']:.0f} MB", "", ""))
    # Runs of a few seconds, where the start-up that --jobs 1 and --jobs 2 each pay once weighs:
    # the --jobs target is checked at corpus scale, on the stream (below).
    for key, label, one, two in (
        ("speedup_api_jobs2", "API segment_parallel jobs=2 vs jobs=1 (wall, short run)", "api_1core", "api_jobs2"),
        ("speedup_cli_jobs2", "CLI --jobs 2 vs --jobs 1 (wall, short run)", "cli_jobs1_1core", "cli_jobs2"),
    ):
        if key in results:
            value = results[key]
            spread = _spread(results.get(f"{key}_pairs"), "{:.2f}")
            rows.append((label, f"{value:.2f}x{spread}", "", ""))
            efficiency = results[one]["cpu_seconds"] / results[two]["cpu_seconds"]
            rows.append(("  CPU time jobs=1 / CPU time jobs=2 (all processes)", f"{efficiency:.2f}", "", ""))
    if "speedup_side_by_side" in results:
        ceiling = results["speedup_side_by_side"]
        spread = _spread(results.get("speedup_side_by_side_pairs"), "{:.2f}")
        label = "  two --jobs 1 runs side by side, half each (the machine's ceiling)"
        rows.append((label, f"{ceiling:.2f}x{spread}", "", ""))
        share = results.get("cli_jobs2_share_of_ceiling", results["speedup_cli_jobs2"] / ceiling)
        spread = _spread(results.get("cli_jobs2_share_of_ceiling_pairs"), "{:.2f}")
        rows.append(("  CLI --jobs 2 / that ceiling (per round)", f"{share:.2f}{spread}", "", ""))
    stream = results.get("stream")
    if stream and "peak_rss_tree_mb" in stream:
        rows.append(
            (
                f"stream {stream['input_mb']:.0f} MB JSONL through CLI: peak RSS (all processes)",
                f"{stream['peak_rss_tree_mb']:.0f} MB",
                f"<= {TARGETS['stream_rss_mb']} MB",
                _verdict(stream["peak_rss_tree_mb"] <= TARGETS["stream_rss_mb"]),
            )
        )
        rows.append(("  stream throughput (all cores)", f"{_fmt(stream['lines_per_s'])} lines/s", "", ""))
        if "speedup" in stream:
            rows.append(
                (
                    f"stream: CLI --jobs {stream['jobs']} vs --jobs 1 ({_fmt(stream['lines'])} lines, wall)",
                    f"{stream['speedup']:.2f}x{_spread(stream.get('speedup_pairs'), '{:.2f}')}",
                    f">= {TARGETS['speedup_jobs2']}",
                    _verdict(stream["speedup"] >= TARGETS["speedup_jobs2"]),
                )
            )
    elif stream:
        rows.append(("stream check", "skipped", "", str(stream.get("skipped") or stream.get("failed"))[:60]))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    head = ("measure", "value", "target", "")
    widths = [max(w, len(h)) for w, h in zip(widths, head, strict=True)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def _spread(values: Sequence[float] | None, fmt: str) -> str:
    """`` (low-high, N runs)`` after a median, or nothing for a single run."""
    if not values or len(values) < 2:
        return ""
    return f" ({fmt.format(min(values))}-{fmt.format(max(values))}, {len(values)} runs)"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _positive(value: str) -> int:
    # segclf.cli._positive_int's twin: importing segclf here would spoil the children's import and load timings
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=200_000, help="lines in the benchmark corpus (default 200000)")
    parser.add_argument("--out", default=str(REPO / "eval" / "benchmark.json"), help="JSON results file")
    parser.add_argument("--model", help="model file (default: the model shipped with segclf)")
    parser.add_argument(
        "--stream-mb",
        type=int,
        default=200,
        help="size of the streaming check's JSONL input in MB (1000 for the 1 GB check; 0 skips it)",
    )
    parser.add_argument(
        "--repeats",
        type=_positive,
        default=3,
        help="rounds of the CLI's --jobs 1, --jobs 2 and side-by-side runs, and of the stream's --jobs 1 "
        "and all-core runs; the table gives the medians (default 3)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child_main(*args.child)

    # psutil polls process trees; langdetect is the naive approach; html_text renders the pages of ../shared/data
    needed = ("psutil", "langdetect", "html_text") if SHARED_DATA.is_dir() else ("psutil", "langdetect")
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        parser.error(f"the benchmark needs {', '.join(missing)}: pip install '.[bench]'")
    model = str(Path(args.model).resolve()) if args.model else None
    results: dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu": _cpu_name(),
            "loadavg_start": os.getloadavg(),
        },
        "targets": TARGETS,
    }
    docs, info = build_corpus(args.lines)
    results["corpus"] = info
    print(f"corpus: {'; '.join(info['sources'])}")
    print(
        f"  {info['documents']:,} documents ({info['unique_documents']:,} unique, repeated {info['repeats']}x), "
        f"{info['lines']:,} lines ({info['nonblank_lines']:,} non-blank), {info['mb']} MB"
    )
    print(f"  unique lines per source: {info['unique_lines_per_source']}")
    declared = info["declared_languages"]
    print(
        f"  {len(declared)} languages declared by the documents (<html lang> or corpus 'lang'; '?' = none): "
        f"{', '.join(f'{k} {v}' for k, v in declared.items())}",
        flush=True,
    )

    with tempfile.TemporaryDirectory(prefix="segclf-bench-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for i, doc in enumerate(docs):
                fh.write(json.dumps({"id": i, "text": doc["text"]}, ensure_ascii=False) + "\n")
        common = {"corpus": str(corpus)}

        steps: list[tuple[str, str, dict[str, Any]]] = [
            ("calibration", "calibrate", {"pin": True}),
            ("model_load", "load", {"pin": True, "model": model}),
            ("api_1core", "api", {"pin": True, "model": model, **common}),
            ("fasttext_floor_1core", "fasttext", {"pin": True, "model": model, **common}),
            ("langdetect_1core", "langdetect", {"pin": True, **common}),
            ("api_jobs2", "parallel", {"pin": False, "model": model, "jobs": 2, **common}),
        ]
        for key, kind, kwargs in steps:
            print(f"measuring {key} ...", flush=True)
            results[key] = run_child(kind, **kwargs)
        found = results["api_1core"].pop("document_languages")
        results["corpus"]["document_languages_by_segclf"] = found
        print(f"  document languages found by segclf: {found}", flush=True)
        results["speedup_api_jobs2"] = results["api_1core"]["seconds"] / results["api_jobs2"]["seconds"]

        why_not = cli_available()
        if why_not:
            print(f"CLI measurements skipped: {why_not}")
            results["cli_jobs1_1core"] = {"skipped": why_not}
        else:
            runs: dict[int, list[dict]] = {1: [], 2: []}
            pairs: list[dict] = []
            halves, lines_each = write_halves(corpus, tmp, docs)
            # --jobs 1, --jobs 2 and the side-by-side pair in turn: the runs of one round share the machine's state
            for rep in range(args.repeats):
                for jobs, pin in ((1, True), (2, False)):
                    print(f"measuring cli_jobs{jobs} ({rep + 1} of {args.repeats}) ...", flush=True)
                    run = run_cli(corpus, jobs=jobs, pin=pin, model=model, docs=len(docs))
                    run["lines_per_s"] = info["lines"] / run["seconds"]
                    runs[jobs].append(run)
                print(f"measuring two --jobs 1 runs side by side ({rep + 1} of {args.repeats}) ...", flush=True)
                pairs.append(side_by_side(halves, lines_each, model=model))
            results["cli_jobs1_1core"] = median_run(runs[1])
            results["cli_jobs2"] = median_run(runs[2])
            ratios = [one["seconds"] / two["seconds"] for one, two in zip(runs[1], runs[2], strict=True)]
            results["speedup_cli_jobs2"] = statistics.median(ratios)
            results["speedup_cli_jobs2_pairs"] = ratios
            if "seconds" not in pairs[0]:  # skipped: fewer than 2 CPUs
                results["cli_side_by_side"] = pairs[0]
            else:
                results["cli_side_by_side"] = median_run(pairs)
                ceilings = [one["seconds"] / pair["seconds"] for one, pair in zip(runs[1], pairs, strict=True)]
                results["speedup_side_by_side"] = statistics.median(ceilings)
                results["speedup_side_by_side_pairs"] = ceilings
                shares = [ratio / ceiling for ratio, ceiling in zip(ratios, ceilings, strict=True)]
                results["cli_jobs2_share_of_ceiling"] = statistics.median(shares)
                results["cli_jobs2_share_of_ceiling_pairs"] = shares
        if args.stream_mb > 0:
            if why_not:
                results["stream"] = {"skipped": f"needs the CLI: {why_not}"}
            else:
                results["stream"] = stream_check(docs, tmp, args.stream_mb, model, rounds=args.repeats)

    results["machine"]["loadavg_end"] = os.getloadavg()
    results["machine"]["python_loop_10M_s"] = results.pop("calibration")["python_loop_10M_s"]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(table(results))
    print()
    machine = results["machine"]
    print(
        f"machine: {machine['cpus']} CPUs ({machine['cpu']}), load average {machine['loadavg_start'][0]:.1f} at "
        f"start, {machine['loadavg_end'][0]:.1f} at end; a 10M-iteration Python loop took "
        f"{machine['python_loop_10M_s']:.2f} s (about 0.3-0.5 s on an idle modern core)"
    )
    print(f"results written to {out}")
    return 0


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
