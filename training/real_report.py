"""Summary and label spot check of a labeled corpus file (LABELS.md JSONL).

    python -m training.real_report build/corpus/real.jsonl [--sample 40] [--seed 0]

``summarize`` counts documents per source family / split / style / renderer
and lines per label; ``spot_check`` prints a seeded random sample of
non-blank lines for every label, to be read by a person.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from segclf.labels import LABELS

__all__ = ["summarize", "spot_check", "main"]


def _docs(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _family(source: str) -> str:
    return source.split(":", 1)[0]


def summarize(path: Path) -> str:
    """Counts of documents and labeled lines, as a printable table."""
    docs: Counter[tuple[str, str, str]] = Counter()
    renderers: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in _docs(path):
        docs[(_family(doc["source"]), doc["split"], doc["style"])] += 1
        renderers[doc["renderer"]] += 1
        for line in doc["lines"]:
            labels[doc["style"]][line["label"]] += 1
            labels["all"][line["label"]] += 1
    out = [f"{path} ({path.stat().st_size / 1e6:.1f} MB)", "documents per source / split / style:"]
    for fam in sorted({k[0] for k in docs}):
        row = [f"{s}/{st}={docs[(fam, s, st)]}" for s in ("train", "dev", "test") for st in ("full", "article") if docs[(fam, s, st)]]
        out.append(f"  {fam:16} " + " ".join(row))
    out.append("documents per renderer: " + ", ".join(f"{k}={v}" for k, v in sorted(renderers.items())))
    out.append("lines per label:")
    for key in ("all", "full", "article"):
        out.append(f"  {key:8} " + " ".join(f"{lab}={labels[key][lab]}" for lab in LABELS))
    return "\n".join(out)


def spot_check(path: Path, per_label: int = 40, seed: int = 0) -> str:
    """A seeded sample of ``per_label`` non-blank lines per label with their document ids."""
    rng = random.Random(seed)
    seen: Counter[str] = Counter()
    sample: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for doc in _docs(path):
        for line in doc["lines"]:
            lab = line["label"]
            if lab == "blank":
                continue
            seen[lab] += 1
            item = (doc["id"], line["text"].strip()[:140])
            if len(sample[lab]) < per_label:  # reservoir sampling
                sample[lab].append(item)
            else:
                k = rng.randrange(seen[lab])
                if k < per_label:
                    sample[lab][k] = item
    out = []
    for lab in LABELS:
        if lab == "blank":
            continue
        out.append(f"=== {lab} ({seen[lab]} lines)")
        out.extend(f"  {text!r}    [{doc_id}]" for doc_id, text in sample[lab])
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.real_report", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--sample", type=int, default=0, help="lines per label to print for a spot check")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(summarize(args.path))
    if args.sample:
        print(spot_check(args.path, args.sample, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
