"""Train the shipped model from the corpus that the other recipes build.

    python -m training.train_model --corpus build/corpus --out models/default.segclf

Reads ``real.jsonl`` and ``composed.jsonl`` (documents with a ``split`` field)
and ``lid/lid.train.txt``; trains on ``train`` documents only, calibrates on a
sample of ``dev`` documents, and never reads ``test`` documents (``eval/``
measures the model on them).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from segclf.labeled import LabeledDocument
from segclf.train import (
    TrainSettings,
    fit_segmentation_model,
    language_labels,
    read_language_rows,
    stopwords_from_lines,
)
from training.augment import unpunctuated_variant

log = logging.getLogger("training.train_model")

CORPUS_FILES = ("real.jsonl", "composed.jsonl")
SOURCES_AND_TERMS = {
    "L3S-GN1 (Kohlschütter et al. 2010)": "research use only",
    "Dragnet data": "CC BY 4.0",
    "CleanEval dev/final, CleanPortalEval": "research data",
    "MSV Big9/Chaos (Utomo & Leu)": "research use only",
    "NTREX-128": "CC BY-SA 4.0",
    "Leipzig corpora samples (via lingua test data)": "Leipzig corpora terms",
    "Universal Dependencies treebanks": "CC BY-SA 4.0 / CC BY-NC-SA",
    "WordPress core and WordPress.com theme translations": "GPL-2.0+",
    "Mailchimp for WordPress, giscus, klaro translations": "GPL-2.0+, MIT, BSD-3",
}


def iter_corpus(corpus: Path, split: str) -> Iterator[LabeledDocument]:
    """Documents of one split from the corpus files."""
    for name in CORPUS_FILES:
        path = corpus / name
        if not path.exists():
            log.warning("%s is missing: build it first (python -m training.build)", path)
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if record.get("split") != split:
                    continue
                texts = [item["text"] for item in record["lines"]]
                labels = [item["label"] for item in record["lines"]]
                extra = {k: record[k] for k in ("style", "renderer", "split") if k in record}
                yield LabeledDocument(record["id"], texts, labels, record.get("lang"), record.get("source"), extra)


def _balanced(docs: list[LabeledDocument], per_group: int, per_language: int, seed: int) -> list[LabeledDocument]:
    """A sample in which no outlet and no language dominates.

    Real pages: at most ``per_group`` documents of each (source, style) group.
    Composed documents: at most ``per_language`` of each (source, language), so
    that every language keeps the same share whatever its text source holds.
    """
    groups: dict[tuple, list[LabeledDocument]] = defaultdict(list)
    for doc in docs:
        if doc.extra.get("style") == "composed":
            groups[(doc.source, "composed", doc.lang)].append(doc)
        else:
            groups[(doc.source, doc.extra.get("style"))].append(doc)
    rng = random.Random(seed)
    out = []
    for key in sorted(groups, key=str):
        members = groups[key]
        rng.shuffle(members)
        out.extend(members[: per_language if key[1] == "composed" else per_group])
    return out


def _lid_lines_by_lang(language_rows: list[str], per_lang: int = 3000) -> dict[str, list[str]]:
    """Up to ``per_lang`` sentences of four words or more per language, from ``__label__<iso> text`` rows."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for row in language_rows:
        label, _, text = row.partition(" ")
        lang = label.removeprefix("__label__")
        if len(by_lang[lang]) < per_lang and len(text.split()) >= 4:
            by_lang[lang].append(text)
    return by_lang


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("build/corpus"))
    parser.add_argument("--out", type=Path, default=Path("models/default.segclf"))
    parser.add_argument("--per-group", type=int, default=1500, help="real pages per (source, style) group")
    parser.add_argument("--per-language", type=int, default=80, help="composed documents per (source, language)")
    parser.add_argument("--max-rows", type=int, default=450_000, help="lines per stage fit (a random sample)")
    parser.add_argument("--calibration-docs", type=int, default=600)
    parser.add_argument(
        "--unpunctuated",
        type=float,
        default=0.0,
        help="share of composed training pages whose body loses its punctuation (training.augment; "
        "0.2 was measured, see the model card)",
    )
    parser.add_argument("--threads", type=int, default=2, help="fastText threads (at least 11 run, see segclf.train)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    started = time.monotonic()
    lid_dir = args.corpus / "lid"
    log.info("language rows from %s", lid_dir / "lid.train.txt")
    language_rows = read_language_rows(lid_dir / "lid.train.txt")
    stopwords = stopwords_from_lines(_lid_lines_by_lang(language_rows))

    train = _balanced(list(iter_corpus(args.corpus, "train")), args.per_group, args.per_language, args.seed)
    train = [unpunctuated_variant(doc, args.unpunctuated) for doc in train]
    log.info(
        "composed pages rewritten without punctuation: %d", sum(d.extra.get("variant") == "unpunctuated" for d in train)
    )
    dev = list(iter_corpus(args.corpus, "dev"))
    random.Random(args.seed).shuffle(dev)
    calibration = dev[: args.calibration_docs]
    log.info("training on %d documents, calibrating on %d", len(train), len(calibration))
    metadata = {
        "name": "segclf default model",
        "sources": SOURCES_AND_TERMS,
        "languages": sorted(language_labels(language_rows)),
        "train_documents_by_source": dict(Counter(str(d.source).split(":")[0] for d in train)),
        "train_documents_by_lang": dict(Counter(str(d.lang) for d in train)),
        "recipe": "python -m training.build (corpus) then python -m training.train_model",
        "unpunctuated_share": args.unpunctuated,
    }
    fit_segmentation_model(
        train,
        calibration,
        language_rows=language_rows,
        stopwords=stopwords,
        out=args.out,
        settings=TrainSettings(threads=args.threads, seed=args.seed, max_rows=args.max_rows),
        metadata=metadata,
        progress=log.info,
    )
    log.info("done in %.0f s: %s (%.1f MB)", time.monotonic() - started, args.out, args.out.stat().st_size / 1e6)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
