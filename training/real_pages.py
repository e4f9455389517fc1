"""Build labeled plain-text documents from the real HTML pages of the public data.

    python -m training.real_pages --data /work/shared/data --out build/corpus/real.jsonl [--limit N]

For every page of L3S-GN1, Dragnet, CleanEval (dev, final, CleanPortalEval),
Big9, Chaos and the Readability test pages (``training.real_sources``):

1. render the HTML with both renderers (``training.render``), and with a third,
   ``text-nodes`` (one line per text node);
2. label every line by aligning it with the page's gold text and applying
   the weak rules (``training.real_labels``); a rendering whose lines cover
   less than ``MIN_COVERAGE`` of the gold body tokens is dropped (gold and
   page disagree, e.g. content loaded by JavaScript);
3. emit the ``full`` page in one renderer and the scraper-like ``article``
   extract (``training.article_style``) in both (CleanEval: in the other
   one), the full renderer chosen by a stable hash of the page id so both
   renderers are equally represented; and one ``text-nodes`` document, in a
   style drawn by another hash of the page id (half of the pages each).

Archives are extracted once into ``--cache`` (default ``build/cache``).
Documents are written in page order, so the output is identical on every
build; work is spread over ``--jobs`` processes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from segclf.labels import BODY
from training.align import tokenize
from training.article_style import article_doc, full_doc
from training.line_lid import Lid, latin_share
from training.real_labels import Labeled, headline_keys, label_document
from training.real_report import summarize
from training.real_sources import Page, PageRef, iter_refs, load_page
from training.render import RENDERERS, TEXT_NODES, page_title, render, split_lines

__all__ = ["main", "build", "ensure_extracted", "page_documents"]

#: Archive name -> folder it unpacks to.
ARCHIVES = {
    "html-l3s-gn1.tar.gz": "l3s-gn1",
    "html-dragnet-cleaneval.tar.gz": "html-cleaning-merged",
    "html-msv-big9-chaos.tar.gz": "msv-big9-chaos",
    "html-readability-testpages.tar.gz": "readability-testpages",
}
#: A rendering must cover this share of the gold body tokens to be used.
MIN_COVERAGE = 0.6
#: Sets of long non-news pages: their article extract is emitted in one renderer only (the one not
#: used for the full page), to keep the corpus small and news-heavy.
ONE_ARTICLE_RENDERER = frozenset({"cleaneval-dev", "cleaneval-final"})
#: Pages whose gold body has fewer tokens than this are skipped.
MIN_GOLD_TOKENS = 30

_LID: Lid | None = None


def ensure_extracted(data: Path, cache: Path) -> Path:
    """Unpack the needed archives of ``data`` into ``cache`` (once) and return ``cache``."""
    cache.mkdir(parents=True, exist_ok=True)
    for archive, folder in ARCHIVES.items():
        done = cache / f".{folder}.extracted"
        if done.exists() and (cache / folder).exists():
            continue
        tmp = cache / f".tmp-{folder}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        with tarfile.open(data / archive) as tar:
            tar.extractall(tmp, filter="data")
        shutil.rmtree(cache / folder, ignore_errors=True)
        (tmp / folder).rename(cache / folder)
        shutil.rmtree(tmp, ignore_errors=True)
        done.write_text(archive + "\n", encoding="utf-8")
    return cache


def _hash01(key: str) -> float:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF


def _doc_id(ref: PageRef, renderer: str, style: str) -> str:
    return f"{ref.set_name}/{ref.page_id}/{renderer}/{style}"


def _record(page: Page, lang: str, renderer: str, style: str, doc: tuple[list[str], list[str]]) -> dict[str, Any]:
    lines, labels = doc
    return {
        "id": _doc_id(page.ref, renderer, style),
        "source": page.source,
        "lang": lang,
        "style": style,
        "renderer": renderer,
        "split": page.split,
        "lines": [{"text": t, "label": lab} for t, lab in zip(lines, labels)],
    }


def _init_worker(lid_path: str) -> None:
    global _LID
    _LID = Lid(lid_path)


def _page_language(lid: Lid, page: Page) -> tuple[str, bool]:
    """Main language of the page (from its gold body) and whether it is written in Latin script."""
    text = "\n".join(t for t, lab in page.gold if lab == BODY)
    return lid.document_language(text, default="en"), latin_share(text) >= 0.5


def page_documents(ref: PageRef) -> tuple[list[dict[str, Any]], Counter[str]]:
    """All corpus documents of one page, and counters of what happened to it."""
    lid = _LID or Lid(None)
    stats: Counter[str] = Counter()
    try:
        page = load_page(ref)
    except (OSError, ValueError) as exc:
        stats[f"load-error:{type(exc).__name__}"] += 1
        return [], stats
    lang, latin = _page_language(lid, page)
    body_text = " ".join(t for t, lab in page.gold if lab == BODY)
    if len(body_text.split()) < MIN_GOLD_TOKENS:
        stats["short-gold"] += 1
        return [], stats
    full_renderer = RENDERERS[int(_hash01(ref.set_name + "/" + ref.page_id) * len(RENDERERS)) % len(RENDERERS)]
    docs: list[dict[str, Any]] = []
    for renderer in RENDERERS:
        labeled = _labeled(page, renderer, lid, lang, latin, stats)
        if labeled is None:
            continue
        if renderer == full_renderer:
            docs.append(_record(page, lang, renderer, "full", full_doc(labeled.lines, labeled.labels)))
            if ref.set_name in ONE_ARTICLE_RENDERER:
                continue
        if art := _article(page, lang, renderer, labeled):
            docs.append(art)
    # A scraper that breaks lines inside sentences: one more document per page, half of them full
    # pages (drawn by a hash of their own, so the two renderers' documents above stay as they were).
    if labeled := _labeled(page, TEXT_NODES, lid, lang, latin, stats):
        if _hash01(f"{ref.set_name}/{ref.page_id}/{TEXT_NODES}") < 0.5:
            docs.append(_record(page, lang, TEXT_NODES, "full", full_doc(labeled.lines, labeled.labels)))
        elif art := _article(page, lang, TEXT_NODES, labeled):
            docs.append(art)
    return docs, stats


def _labeled(page: Page, renderer: str, lid: Lid, lang: str, latin: bool, stats: Counter[str]) -> Labeled | None:
    """The page's lines in ``renderer`` with their labels, or None if they miss too much of the gold body."""
    lines = split_lines(render(page.html, renderer))
    labeled = label_document(lines, page.html, page.gold, lid, lang, latin)
    if labeled.body_coverage < MIN_COVERAGE or BODY not in labeled.labels:
        stats[f"low-coverage:{renderer}"] += 1
        return None
    stats[f"ok:{renderer}"] += 1
    return labeled


def _article(page: Page, lang: str, renderer: str, labeled: Labeled) -> dict[str, Any] | None:
    """The article-with-residue document of a labeled rendering (None if nothing is left of it)."""
    title = page_title(page.html) if headline_keys(page.html, _body_tokens(page)) else ""
    art = article_doc(labeled.lines, labeled.labels, title, random.Random(_doc_id(page.ref, renderer, "article")))
    return _record(page, lang, renderer, "article", art) if art and art[0] else None


def _body_tokens(page: Page) -> list[str]:
    return tokenize(" ".join(t for t, lab in page.gold if lab == BODY))


def _limited(refs: Sequence[PageRef], limit: int | None) -> list[PageRef]:
    if not limit:
        return list(refs)
    seen: Counter[str] = Counter()
    out = []
    for ref in refs:
        seen[ref.set_name] += 1
        if seen[ref.set_name] <= limit:
            out.append(ref)
    return out


def _results(refs: Sequence[PageRef], jobs: int, lid_path: str) -> Iterator[tuple[list[dict[str, Any]], Counter[str]]]:
    if jobs <= 1:
        _init_worker(lid_path)
        yield from map(page_documents, refs)
        return
    with Pool(jobs, initializer=_init_worker, initargs=(lid_path,)) as pool:
        yield from pool.imap(page_documents, refs, chunksize=2)
        pool.close()
        pool.join()


def build(
    data: Path, out: Path, cache: Path, limit: int | None = None, jobs: int = 2, lid_path: str | None = None
) -> Counter[str]:
    """Extract, render, label and write the corpus; return build counters."""
    root = ensure_extracted(data, cache)
    refs = _limited(iter_refs(root), limit)
    lid_path = lid_path or str(data / "lid.176.ftz")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    stats: Counter[str] = Counter(pages=len(refs))
    with tmp.open("w", encoding="utf-8") as fh:
        for n, (docs, page_stats) in enumerate(_results(refs, jobs, lid_path), 1):
            stats.update(page_stats)
            stats["docs"] += len(docs)
            for doc in docs:
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
            if n % 250 == 0:
                print(f"  {n}/{len(refs)} pages, {stats['docs']} documents", file=sys.stderr, flush=True)
    os.replace(tmp, out)
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.real_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the public *.tar.gz archives")
    parser.add_argument("--out", type=Path, required=True, help="output JSONL file")
    parser.add_argument("--cache", type=Path, default=Path("build/cache"), help="where archives are extracted")
    parser.add_argument("--limit", type=int, default=None, help="at most N pages per data set (quick runs)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--lid", default=None, help="fastText lid.176 model (default: DATA/lid.176.ftz)")
    args = parser.parse_args(argv)
    t0 = time.time()
    stats = build(args.data, args.out, args.cache, args.limit, args.jobs, args.lid)
    cpu = sum(resource.getrusage(who).ru_utime for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(
        f"built {args.out} in {time.time() - t0:.0f} s wall, {cpu:.0f} s CPU: "
        + ", ".join(f"{k}={v}" for k, v in sorted(stats.items()))
    )
    print(summarize(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
