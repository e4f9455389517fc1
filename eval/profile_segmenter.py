"""Where ``Segmenter.segment_many`` spends its time, per line.

    /work/venv/bin/python eval/profile_segmenter.py [--lines 50000] [--top 25] [--model M]

Times each stage un-profiled, then runs ``cProfile`` over the benchmark corpus (``eval/benchmark.py`` builds it)
in one process pinned to one core, and prints the functions with the most
own time and the most cumulative time in microseconds per input line (and per
non-blank line, the lines the models see). cProfile's overhead inflates
Python-heavy functions more than C calls; the un-profiled wall time is
printed first for scale.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import build_corpus  # noqa: E402 - eval/ is not a package


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--model", help="model file (default: the shipped model)")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    docs, info = build_corpus(args.lines)
    texts = [d["text"] for d in docs]
    lines, nonblank = info["lines"], info["nonblank_lines"]

    from segclf import Segmenter

    segmenter = Segmenter(args.model)
    list(segmenter.segment_many(texts[:20]))  # warm caches
    clear_text_cache = segmenter.model.text_model.clear_cache  # each pass starts cold, as a real run does
    clear_text_cache()
    start = time.perf_counter()
    for _ in segmenter.segment_many(texts):
        pass
    wall = time.perf_counter() - start
    print(f"{len(texts):,} documents, {lines:,} lines ({nonblank:,} non-blank); sources: {'; '.join(info['sources'])}")
    print(
        f"un-profiled: {wall:.2f} s = {wall / lines * 1e6:.1f} us/line, {wall / nonblank * 1e6:.1f} "
        f"us/non-blank line, {lines / wall:,.0f} lines/s"
    )

    clear_text_cache()
    print("un-profiled, by stage (us/line):", stage_times(segmenter, texts, lines))
    clear_text_cache()

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in segmenter.segment_many(texts):
        pass
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"profiled: {total:.2f} s ({total / wall:.1f}x profiler overhead)")
    entries = stats.stats  # type: ignore[attr-defined]
    for title, key in (("own time", 2), ("cumulative time", 3)):
        print(f"\ntop {args.top} by {title}: us/line  us/non-blank  share  calls  function")
        ranked = sorted(entries.items(), key=lambda kv: kv[1][key], reverse=True)[: args.top]
        for (file, lineno, name), row in ranked:
            seconds = row[key]
            where = f"{Path(file).name}:{lineno}({name})" if lineno else name
            print(
                f"  {seconds / lines * 1e6:8.1f}  {seconds / nonblank * 1e6:10.1f}  {seconds / total:5.1%}"
                f"  {row[1]:>8}  {where}"
            )
    return 0


def stage_times(segmenter, texts: Sequence[str], lines: int) -> str:  # noqa: ANN001 - a Segmenter
    """Wall time of each stage of ``segment_many``, un-profiled, batch by batch."""
    from segclf.model import prepare_batch, single_blas_thread
    from segclf.segmenter import _document

    model = segmenter.model
    text_model = model.text_model
    spent = dict.fromkeys(("text model (fastText pass)", "rest of prepare", "stages and sequence", "Line objects"), 0.0)
    score = text_model.score

    def timed_score(batch: Sequence[str]):  # noqa: ANN202
        start = time.perf_counter()
        try:
            return score(batch)
        finally:
            spent["text model (fastText pass)"] += time.perf_counter() - start

    text_model.score = timed_score  # type: ignore[method-assign]
    try:
        with single_blas_thread():
            for i in range(0, len(texts), segmenter.batch_size):
                start = time.perf_counter()
                batch = prepare_batch(texts[i : i + segmenter.batch_size], text_model, model.stopwords)
                middle = time.perf_counter()
                predictions = model.predict_batch(batch)
                end = time.perf_counter()
                for prediction in predictions:
                    _document(prediction)
                spent["rest of prepare"] += middle - start
                spent["stages and sequence"] += end - middle
                spent["Line objects"] += time.perf_counter() - end
    finally:
        del text_model.score  # the instance attribute; the method shows through again
    spent["rest of prepare"] -= spent["text model (fastText pass)"]
    return ", ".join(f"{name} {seconds / lines * 1e6:.1f}" for name, seconds in spent.items())


if __name__ == "__main__":
    sys.exit(main())
