"""Retraining on a new outlet, measured: before/after on the outlet and on general held-out pages.

    python eval/outlet_benchmark.py [--train-docs 12] [--general 300]

The outlet is segclf's own test outlet (``tests/outlet_fixture.py``: its chrome
is made to fool the shipped model; its article text is NTREX-128, read from
``../shared/data``). General pages are the held-out real and composed test
documents from ``build/corpus`` (``python -m training.build``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from segclf import Segmenter  # noqa: E402
from segclf.adapt import fit_outlet_model  # noqa: E402
from segclf.evaluate import evaluate, predict_gold  # noqa: E402
from segclf.store import load_model  # noqa: E402
from tests.outlet_fixture import quayside_documents  # noqa: E402
from training.eval_sets import SETS, set_documents  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train-docs", type=int, default=12)
    parser.add_argument("--test-docs", type=int, default=40)
    parser.add_argument("--general", type=int, default=300, help="documents per general set")
    parser.add_argument("--corpus", type=Path, default=REPO / "build" / "corpus")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args(argv)

    docs = quayside_documents(args.shared, args.train_docs + args.test_docs)
    train, test = docs[: args.train_docs], docs[args.train_docs :]
    base = load_model()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        fit_outlet_model(base, train, out=Path(tmp) / "outlet.segclf", progress=lambda m: None)
        seconds = time.monotonic() - started
        outlet = Segmenter(Path(tmp) / "outlet.segclf")
        default = Segmenter(base)
        result = {"train_docs": len(train), "test_docs": len(test), "train_seconds": round(seconds, 1)}
        for name, seg in (("default", default), ("outlet", outlet)):
            result[f"outlet_macro_f1_{name}"] = evaluate(test, predict_gold(seg, test)).overall.macro_f1
        for set_name in ("real-article", "real-full", "composed"):
            if not (args.corpus / SETS[set_name][0]).exists():
                continue
            general = set_documents(set_name, args.corpus, "test")[: args.general]
            for name, seg in (("default", default), ("outlet", outlet)):
                result[f"{set_name}_macro_f1_{name}"] = evaluate(general, predict_gold(seg, general)).overall.macro_f1
    for key, value in result.items():
        print(f"{key:36s} {value:.4f}" if isinstance(value, float) else f"{key:36s} {value}")
    (REPO / "eval" / "results").mkdir(parents=True, exist_ok=True)
    (REPO / "eval" / "results" / "outlet.json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
