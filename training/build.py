"""Rebuild the training corpus and the shipped model with one command.

    python -m training.build --data ../shared/data   # corpus + model (as shipped)
    python -m training.build --data ../shared/data --skip-model   # corpus only

Steps (each also runs alone, see its module):

1. ``training.real_pages``: real pages rendered with html-text and inscriptis,
   full-page and article-with-residue styles (and once one text node per line),
   labeled by alignment with gold text and L3S-GN1's typed blocks
   -> ``build/corpus/real.jsonl``;
2. ``training.compose``: composed documents in 100+ languages -> ``composed.jsonl``;
3. ``training.lid_corpus``: language-identification sentences -> ``lid/``;
4. ``training.train_model``: the model -> ``models/default.segclf``;
5. ``eval/heldout.py``: the held-out figures -> ``eval/results/``.

Needs the ``recipe`` extra: ``pip install '.[recipe,train]'``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(args: list[str]) -> None:
    started = time.monotonic()
    print("+", " ".join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=REPO, check=True)
    print(f"  ({time.monotonic() - started:.0f} s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="the public data archives")
    parser.add_argument("--corpus", type=Path, default=REPO / "build" / "corpus")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "default.segclf")
    parser.add_argument("--skip-corpus", action="store_true", help="reuse an existing corpus")
    parser.add_argument("--skip-model", action="store_true", help="build the corpus only")
    parser.add_argument(
        "--seeds", default=None, help="training seeds, comma-separated (default: the shipped model's, see train_model)"
    )
    args = parser.parse_args(argv)
    data, corpus = args.data.resolve(), args.corpus.resolve()
    if not data.is_dir():
        parser.error(f"{data}: no such folder (the public data archives)")
    if not args.skip_corpus:
        _run(["-m", "training.real_pages", "--data", str(data), "--out", str(corpus / "real.jsonl")])
        _run(["-m", "training.compose", "--data", str(data), "--out", str(corpus / "composed.jsonl")])
        _run(["-m", "training.lid_corpus", "--data", str(data), "--out", str(corpus / "lid")])
    if not args.skip_model:
        seeds = ["--seeds", args.seeds] if args.seeds else []
        _run(["-m", "training.train_model", "--corpus", str(corpus), "--out", str(args.model), *seeds])
        _run(["eval/heldout.py", "--model", str(args.model), "--corpus", str(corpus)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
