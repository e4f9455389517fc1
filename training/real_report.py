"""Summary and label spot check of a labeled corpus file (LABELS.md JSONL).

    python -m training.real_report build/corpus/real.jsonl [--sample 40] [--seed 0] [--seeds SEEDS.jsonl]

``summarize`` counts documents per source family / split / style / renderer
and lines per label; ``spot_check`` prints a seeded random sample of
non-blank lines for every label, to be read by a person; ``compare_shapes``
sets the labeled seed documents beside the corpus's article documents
(chrome before / inside / after the article, body and blank shares).
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

__all__ = ["summarize", "spot_check", "compare_shapes", "main"]


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
        row = [
            f"{s}/{st}={docs[(fam, s, st)]}"
            for s in ("train", "dev", "test")
            for st in ("full", "article")
            if docs[(fam, s, st)]
        ]
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


def _shape(labels: Sequence[str]) -> tuple[int, int, int, float, float]:
    """Chrome lines before / inside / after the body span, body share, blank share."""
    nb = [lab for lab in labels if lab != "blank"]
    body = [n for n, lab in enumerate(nb) if lab == "body"]
    if not body:
        return 0, 0, len(nb), 0.0, 0.0
    inside = sum(1 for lab in nb[body[0] : body[-1] + 1] if lab != "body")
    return body[0], inside, len(nb) - body[-1] - 1, len(body) / len(nb), 1 - len(nb) / max(1, len(labels))


def compare_shapes(seeds: Path, corpus: Path, style: str = "article") -> str:
    """Seed documents next to quantiles of the corpus's ``style`` documents, by shape."""
    out = ["shape: chrome lines before / inside / after the body span, body share of non-blank lines, blank share"]
    for doc in _docs(seeds):
        b, i, a, share, blank = _shape([x["label"] for x in doc["lines"]])
        out.append(f"  seed {doc['id'][:16]:16} {b:3d} {i:3d} {a:3d}  body={share:.2f} blank={blank:.2f}")
    shapes = sorted(_shape([x["label"] for x in d["lines"]]) for d in _docs(corpus) if d["style"] == style)
    if shapes:
        cols = list(zip(*shapes, strict=True))
        for q in (0.1, 0.25, 0.5, 0.75, 0.9):
            vals = [sorted(c)[int(q * (len(c) - 1))] for c in cols]
            out.append(
                f"  {style} q{int(q * 100):02d}      {vals[0]:3.0f} {vals[1]:3.0f} {vals[2]:3.0f}  "
                f"body={vals[3]:.2f} blank={vals[4]:.2f}"
            )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.real_report", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--sample", type=int, default=0, help="lines per label to print for a spot check")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=Path, default=None, help="labeled seed JSONL to compare article shapes with")
    args = parser.parse_args(argv)
    print(summarize(args.path))
    if args.seeds:
        print(compare_shapes(args.seeds, args.path))
    if args.sample:
        print(spot_check(args.path, args.sample, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
