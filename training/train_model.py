"""Train the shipped model from the corpus that the other recipes build.

    python -m training.train_model --corpus build/corpus --out models/default.segclf
    python -m training.train_model --seed 1 --out build/one.segclf   # one model, one seed

Reads ``real.jsonl`` and ``composed.jsonl`` (documents with a ``split`` field)
and ``lid/lid.train.txt``; trains on ``train`` documents only, calibrates on a
sample of ``dev`` documents, and never reads ``test`` documents (``eval/``
measures the model on them).

The shipped model averages models trained with the seeds ``SHIPPED_SEEDS``
(``segclf.train.average_models``): each seed draws its own sample of pages,
hidden languages and network weights, and one model's labels of a hard page
depend on its seed more than on any recipe change measured (see the model
card). Each takes 7-45 minutes on 2 cores (by machine); ``--reuse-members`` keeps the ones
already trained.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from segclf.corpus import read_split
from segclf.labeled import LabeledDocument
from segclf.sampling import Sampling, seed_list
from segclf.store import load_model, read_manifest
from segclf.train import (
    TrainSettings,
    average_models,
    fit_segmentation_model,
    language_labels,
    read_language_rows,
    stopwords_from_lines,
)
from training.augment import unpunctuated_variant

log = logging.getLogger("training.train_model")

#: The seeds of the models that the shipped model averages (the first also draws its calibration pages).
SHIPPED_SEEDS = (3, 4, 5)
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
    """Documents of one split from the corpus files, warning of a file not built yet."""

    def missing(path: Path) -> None:
        log.warning("%s is missing: build it first (python -m training.build)", path)

    yield from read_split(corpus, split, missing)


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
    shipped = Sampling()
    parser.add_argument("--per-group", type=int, default=shipped.per_group, help="real pages per (source, style) group")
    parser.add_argument(
        "--per-language", type=int, default=shipped.per_language, help="composed documents per (source, language)"
    )
    parser.add_argument("--max-rows", type=int, default=450_000, help="lines per stage fit (a random sample)")
    parser.add_argument("--calibration-docs", type=int, default=shipped.calibration_docs)
    parser.add_argument(
        "--unpunctuated",
        type=_share,
        default=0.0,
        help="share of composed training pages whose body loses its punctuation (training.augment; "
        "0.2 was measured, see the model card)",
    )
    parser.add_argument(
        "--excerpts",
        type=_share,
        default=shipped.excerpt_share,
        help="share of training pages that also give a short document of 1-4 of their lines (segclf.excerpts; "
        "default: the shipped model's)",
    )
    parser.add_argument(
        "--text-nodes",
        type=_share,
        default=shipped.text_nodes_share,
        help="share of the corpus's text-nodes documents (one text node per line, training.render) that train "
        "and calibrate (default: the shipped model's)",
    )
    parser.add_argument(
        "--leads",
        type=_share,
        default=shipped.lead_share,
        help="share of training pages that also give their first 1-3 body lines as a document (a headline "
        "and its lede; segclf.excerpts.lead; default: the shipped model's)",
    )
    parser.add_argument(
        "--hide-language-pages",
        action=argparse.BooleanOptionalAction,
        default=TrainSettings.hide_language_pages,
        help="the cross-fitting text models leave out the pages of the languages hidden from them, not only "
        "their names, so that the later stages learn pages whose menus and ad markers the text model has "
        "never read (segclf.train; default: the shipped model's)",
    )
    parser.add_argument("--threads", type=int, default=2, help="fastText threads (at least 11 run, see segclf.train)")
    parser.add_argument(
        "--mlp-alpha", type=float, default=TrainSettings.mlp_alpha, help="L2 penalty of the stage networks"
    )
    parser.add_argument(
        "--text-dim", type=int, default=TrainSettings.text_dim, help="dimensions of the fastText text model's vectors"
    )
    parser.add_argument(
        "--hidden",
        type=int,
        default=TrainSettings.hidden[0],
        help="hidden units of each stage network (one layer)",
    )
    seed_choice = parser.add_mutually_exclusive_group()
    seed_choice.add_argument(
        "--seeds",
        type=seed_list,
        default=list(SHIPPED_SEEDS),
        help="comma-separated seeds (default: the shipped model's): one model per seed, trained one after "
        "another into --members, then averaged into --out; one seed trains --out directly",
    )
    seed_choice.add_argument("--seed", type=int, help="the same as --seeds with one seed")
    parser.add_argument(
        "--members", type=Path, default=Path("build/members"), help="folder of the per-seed models (with --seeds)"
    )
    parser.add_argument(
        "--reuse-members",
        action="store_true",
        help="keep a per-seed model that is already in --members, trained with this run's seed and settings, "
        "instead of retraining it",
    )
    args = parser.parse_args(argv)
    seeds = [args.seed] if args.seed is not None else args.seeds
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    started = time.monotonic()
    lid_dir = args.corpus / "lid"
    log.info("language rows from %s", lid_dir / "lid.train.txt")
    language_rows = read_language_rows(lid_dir / "lid.train.txt")
    stopwords = stopwords_from_lines(_lid_lines_by_lang(language_rows))
    dev = list(iter_corpus(args.corpus, "dev"))
    # read when a model is trained (not when every member is reused), and once for all the seeds
    corpus_train = functools.cache(lambda: list(iter_corpus(args.corpus, "train")))
    if len(seeds) == 1:
        _train_one(args, seeds[0], args.out, corpus_train(), language_rows, stopwords, dev)
    else:
        members = []
        for seed in seeds:
            path = args.members / f"{args.out.stem}.seed{seed}.segclf"
            if (
                args.reuse_members
                and path.exists()
                and _trained_as(path, _settings(args, seed), _sampling(args), unpunctuated=args.unpunctuated)
            ):
                log.info("seed %d: reusing %s", seed, path)
            else:
                _train_one(args, seed, path, corpus_train(), language_rows, stopwords, dev)
            members.append(load_model(path))
        average_models(members, _sampling(args).calibration(dev, seeds[0]), args.out)
    log.info("done in %.0f s: %s (%.1f MB)", time.monotonic() - started, args.out, args.out.stat().st_size / 1e6)
    return 0


def _share(text: str) -> float:
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"a share is a number from 0 to 1, got {text!r}")
    return share


def _settings(args: argparse.Namespace, seed: int) -> TrainSettings:
    return TrainSettings(
        threads=args.threads,
        seed=seed,
        max_rows=args.max_rows,
        mlp_alpha=args.mlp_alpha,
        text_dim=args.text_dim,
        hidden=(args.hidden,),
        hide_language_pages=args.hide_language_pages,
    )


def _sampling(args: argparse.Namespace) -> Sampling:
    return Sampling(
        per_group=args.per_group,
        per_language=args.per_language,
        excerpt_share=args.excerpts,
        lead_share=args.leads,
        calibration_docs=args.calibration_docs,
        text_nodes_share=args.text_nodes,
    )


def _trained_as(path: Path, settings: TrainSettings, sampling: Sampling, *, unpunctuated: float) -> bool:
    """Whether the model at ``path`` was trained with ``settings``, ``sampling`` and that share of unpunctuated pages.

    The learning rate is left out: training lowers it where fastText diverges. A setting
    the model does not record is newer than the model file and is read as
    ``TrainSettings.of_model`` and ``Sampling.of_model`` read it: the default, or for
    ``hide_language_pages`` and ``text_nodes_share`` the value before they existed (off, 0).
    """
    meta = read_manifest(path)["metadata"]
    as_trained = TrainSettings.of_model(meta)  # its learning rate is the default, whatever the model recorded
    return (
        as_trained == dataclasses.replace(settings, text_lr=as_trained.text_lr)
        and meta.get("unpunctuated_share") == unpunctuated
        and Sampling.of_model(meta) == sampling
    )


def _train_one(
    args: argparse.Namespace,
    seed: int,
    out: Path,
    corpus_train: list[LabeledDocument],
    language_rows: list[str],
    stopwords: dict[str, frozenset[str]],
    dev: list[LabeledDocument],
) -> None:
    """One model, trained with ``seed`` (its sample of pages, folds' hidden languages and network weights)."""
    sampling = _sampling(args)
    train = sampling.pages(corpus_train, seed)
    train = [unpunctuated_variant(doc, args.unpunctuated) for doc in train]
    log.info(
        "composed pages rewritten without punctuation: %d", sum(d.extra.get("variant") == "unpunctuated" for d in train)
    )
    cuts = sampling.short_documents(train)
    log.info("short documents cut from training pages: %d", len(cuts))
    train += cuts
    calibration = sampling.calibration(dev, seed)
    log.info("seed %d: training on %d documents, calibrating on %d", seed, len(train), len(calibration))
    metadata = {
        "name": "segclf default model",
        "sources": SOURCES_AND_TERMS,
        "languages": sorted(language_labels(language_rows)),
        "train_documents_by_source": dict(Counter(str(d.source).split(":")[0] for d in train)),
        "train_documents_by_lang": dict(Counter(str(d.lang) for d in train)),
        "recipe": "python -m training.build (corpus) then python -m training.train_model",
        "unpunctuated_share": args.unpunctuated,
        **sampling.record(),
    }
    fit_segmentation_model(
        train,
        calibration,
        language_rows=language_rows,
        stopwords=stopwords,
        out=out,
        settings=_settings(args, seed),
        metadata=metadata,
        progress=log.info,
    )


if __name__ == "__main__":
    raise SystemExit(main())
