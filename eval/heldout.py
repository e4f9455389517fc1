"""Measure a model on the held-out parts of the corpus that ``training/`` builds.

    python eval/heldout.py [--model MODEL] [--corpus build/corpus] [--out eval/results]

Evaluation sets (none of them is read by training):

* ``real-article`` / ``real-full``: test-split real pages (outlets and sites
  held out by group), in the article-with-residue and the full-page style;
* ``real-article-text-nodes`` / ``real-full-text-nodes``: the same pages rendered
  one text node per line (``training.render``'s ``text-nodes``, as BeautifulSoup's
  ``get_text("\\n")`` writes them: a link inside a sentence breaks it), one style per
  page; the two sets above keep to the two other renderers;
* ``readability-article`` / ``readability-full``: the Readability.js test
  pages (several languages), never trained on;
* ``composed``: test-split composed documents (held-out articles and chrome
  strings) in every training language;
* ``composed-unseen-languages``: composed documents in languages kept out of
  every training set (``training.splits.HELDOUT_LANGS``);
* ``composed-unpunctuated``: the ``composed`` documents again, every body line
  without its final punctuation (and Chinese and Japanese clause marks turned
  into spaces, ``training.augment``): a stress test of how much the model leans on
  full stops. The recipe can give a share of the composed *training* pages the same
  rewrite (``training.train_model --unpunctuated``; off for the shipped model);
* ``real-excerpts`` / ``composed-excerpts``: one short document of 1 to 4 consecutive
  lines cut from each test-split real page (both styles) and composed document, starting
  inside the article half of the time (``segclf.excerpts``; none where `foreign` lines
  would hold half of it): what users send alone, a headline and its lede, a pasted
  paragraph, a menu;
* ``seeds``: the five seed documents (a smoke test).

Prints each set's tables, writes full reports (with example lines) under
``build/reports/`` and the figures alone (no corpus text) to
``<out>/heldout.json`` and ``<out>/heldout.md``, with a 95% bootstrap interval of each
set's macro-F1 and body F1 (``segclf.resample.score_intervals``; the pages are drawn
again, a page's renderings and styles together: how much a figure owes to which pages
the set happens to hold).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from segclf import Segmenter  # noqa: E402
from segclf.evaluate import evaluate, format_text, predict_gold  # noqa: E402
from segclf.labeled import read_labeled  # noqa: E402
from segclf.resample import score_intervals  # noqa: E402
from training.eval_sets import CHOICE_SETS, SETS, set_documents  # noqa: E402


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def headline(summary: dict) -> dict:
    o = summary["overall"]
    return {
        "documents": summary["documents"],
        "scored_lines": summary["scored_lines"],
        "languages": len(summary["by_lang"]),
        "macro_f1": o["macro_f1"],
        # Real English pages hold a handful of gold ``foreign`` lines: one line moves that F1 a lot.
        "macro_f1_without_foreign": _mean(s["f1"] for label, s in o["per_class"].items() if label != "foreign"),
        "micro_f1": o["micro_f1"],
        "body_f1_lines": o["body_f1_lines"],
        "body_f1_chars": o["body_f1_chars"],
        "f1": {label: s["f1"] for label, s in o["per_class"].items()},
        "support": {label: s["support"] for label, s in o["per_class"].items()},
        "ece": (summary.get("calibration") or {}).get("ece"),
        "doc_lang_accuracy": (summary.get("language") or {}).get("accuracy"),
        "by_lang_macro_f1": {k: v["macro_f1"] for k, v in summary["by_lang"].items()},
    }


def sampling_unit(doc_id: str) -> str:
    """The page a document comes from: its renderings, styles and excerpts are drawn together.

    Real pages are ``source/page/renderer/style``; an excerpt adds ``#lines...``;
    composed and seed documents stand alone.
    """
    base = doc_id.split("#", 1)[0]
    parts = base.split("/")
    return "/".join(parts[:2]) if len(parts) == 4 else base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="model file (default: the shipped model)")
    parser.add_argument("--corpus", type=Path, default=REPO / "build" / "corpus")
    parser.add_argument("--out", type=Path, default=REPO / "eval" / "results")
    parser.add_argument("--reports", type=Path, default=REPO / "build" / "reports")
    parser.add_argument("--sets", default=",".join([*SETS, "seeds"]))
    parser.add_argument("--max-docs", type=int, default=0, help="at most this many documents per set (0: all)")
    parser.add_argument("--resamples", type=int, default=1000, help="draws for the bootstrap intervals (0: none)")
    parser.add_argument(
        "--split",
        choices=("test", "dev"),
        default="test",
        help="dev: the development split, to choose between models without looking at test",
    )
    args = parser.parse_args(argv)

    segmenter = Segmenter(args.model)
    results: dict[str, dict] = {}
    for name in args.sets.split(","):
        if name == "seeds":
            seeds = REPO.parent / "shared" / "gold" / "seeds.jsonl"
            docs = read_labeled([seeds]) if seeds.exists() else []
        else:
            path = args.corpus / SETS[name][0]
            if not path.exists():
                print(f"skipping {name}: {path} is missing (python -m training.build)", file=sys.stderr)
                continue
            docs = set_documents(name, args.corpus, args.split)
        if args.max_docs:
            docs = docs[: args.max_docs]
        if not docs:
            continue
        started = time.monotonic()
        ev = evaluate(docs, predict_gold(segmenter, docs))
        summary = ev.to_dict()
        print(format_text(ev, title=f"{name} ({time.monotonic() - started:.0f} s)"))
        print()
        results[name] = headline(summary)
        drawn = None
        if args.resamples > 0:
            units = [sampling_unit(d.id) for d in docs]
            drawn = score_intervals(ev, resamples=args.resamples, groups=units)
            results[name]["units"] = len(set(units))
            results[name]["intervals"] = {k: [m["low"], m["high"]] for k, m in drawn["metrics"].items()}
        try:
            from segclf.report import write_report

            names = (str(args.model or "default"), "")
            write_report(ev, args.reports / name, model_names=names, model_intervals=[drawn])
        except ImportError:
            pass

    args.out.mkdir(parents=True, exist_ok=True)
    model_name = str(args.model or "models/default.segclf")
    output: dict[str, object] = {"model": model_name, "sets": results}
    if all(name in results for name in CHOICE_SETS):
        output["choice_mean_macro_f1"] = choice_criterion(results)
        print(f"mean macro-F1 of {', '.join(CHOICE_SETS)} (the choice criterion): {output['choice_mean_macro_f1']:.4f}")
    (args.out / "heldout.json").write_text(json.dumps(output, indent=1) + "\n")
    (args.out / "heldout.md").write_text(markdown(results, model_name))
    return 0


def choice_criterion(results: dict[str, dict]) -> float:
    """What models are chosen by: the mean macro-F1 of ``CHOICE_SETS`` (without ``foreign`` on real pages,
    where it has a handful of gold lines)."""
    key = lambda name: "macro_f1_without_foreign" if name.startswith("real") else "macro_f1"  # noqa: E731
    return _mean(results[name][key(name)] for name in CHOICE_SETS)


def _span(interval: list[float] | None) -> str:
    return "—" if interval is None else f"{interval[0]:.3f} to {interval[1]:.3f}"


def markdown(results: dict[str, dict], model: str) -> str:
    """The figures as a Markdown table (the model card includes it)."""
    f = lambda v: "—" if v is None else f"{v:.3f}"  # noqa: E731
    lines = [
        f"Model: `{model}`. Produced by `python eval/heldout.py`.",
        "",
        "| set | docs | lines | langs | macro-F1 | macro-F1 w/o foreign | body F1 (lines) | body F1 (chars) "
        "| body | nav | ad | comment | foreign |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        per = [f(r["f1"].get(lab)) for lab in ("body", "nav", "ad", "comment", "foreign")]
        lines.append(
            f"| {name} | {r['documents']} | {r['scored_lines']} | {r['languages']} | {f(r['macro_f1'])} | "
            f"{f(r['macro_f1_without_foreign'])} | "
            f"{f(r['body_f1_lines'])} | {f(r['body_f1_chars'])} | " + " | ".join(per) + " |"
        )
    with_intervals = {name: r for name, r in results.items() if r.get("intervals")}
    if with_intervals:
        lines += [
            "",
            "95% bootstrap intervals: the pages of each set drawn again with replacement (a page's renderings, "
            "styles and excerpts together; composed documents alone), the figure computed on each draw.",
            "",
            "| set | pages or documents drawn | macro-F1 | interval | body F1 (lines) | interval |",
            "| --- | ---: | ---: | --- | ---: | --- |",
        ]
        for name, r in with_intervals.items():
            macro, body = (_span(r["intervals"].get(key)) for key in ("macro_f1", "body_f1_lines"))
            lines.append(f"| {name} | {r['units']} | {f(r['macro_f1'])} | {macro} | {f(r['body_f1_lines'])} | {body} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
