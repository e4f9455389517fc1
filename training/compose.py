"""Composed labeled documents: real article text dressed as a scraped news page, in many languages.

Usage (from the repository root)::

    python -m training.compose --data /work/shared/data --out build/corpus/composed.jsonl [--docs-per-lang N]

Method
------
No labeled news HTML exists for most languages, so pages are *composed*: the
body is a real article in language L (an NTREX-128 article, headline first,
or 3-36 consecutive Leipzig / UD sentences standing in for one), and the chrome
around it is real website interface text in L (WordPress core and themes,
Mailchimp, giscus, klaro; see ``training.uistrings``) plus segclf's hand-made
markers (``training/lexicon/markers.json``: advertisement, share, related,
copyright... lines that no source has).  Every line is labeled by how it was
made (``training.page_parts``), following LABELS.md:

* body: headline (sometimes repeated as the scraper's title line), byline or
  dateline, paragraphs of 1-3 sentences;
* nav / ad / comment: header menus and breadcrumbs, language switchers, ad
  markers and ``READ MORE: <headline>`` teasers between paragraphs, tags,
  share bars, related lists, newsletter boxes, comment sections with reader
  comments (short sentences of L with names and dates), cookie notices and
  footers, in varying amounts (a page is bare, light, normal or heavy);
* foreign: in about 60% of the pages, lines of another language M: a whole
  comment form / newsletter box / cookie notice from M's interface strings
  (M is a close, same-script language two times out of three: Indonesian
  under Malay, Russian under Ukrainian, Persian under Urdu...), an
  untranslated quote or a reader comment in M, English menu words on pages
  in a non-Latin script, or an English frame with names and dates;
* hard negatives on purpose: names, digit dates, counts, URLs, e-mail
  addresses, ``©`` lines, emoji rows, social-network names, language-switcher
  entries and (on Latin-script pages) English loanwords, all labeled by
  function, never ``foreign``.

The body always dominates: foreign text stays under a third of the body's
characters and chrome under the body's, or optional blocks are dropped.
Blank-line conventions vary per page (none, single, double, after every line,
mixed; empty, spaces, tabs or no-break spaces).

Splits: a page's split is the split of its body's group
(``ntrex:<article>``, ``leipzig:<lang>:<chunk>``, ``ud:<treebank>:<doc>``),
so one article is in one split in every language; languages in
``HELDOUT_LANGS`` are test only and never foreign lines of train/dev pages.
Quoted material (headlines, comments, foreign quotes) comes from the same side
(test vs. train+dev).  Chrome strings are split too (``chrome_pool``): train
and dev pages use the train pool, test pages the test pool first (train pool
only when a role has no test string in that language), so the test measures
unseen chrome.  Everything is seeded from the document id: reruns give the
same file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from segclf.draws import seed_of
from segclf.labels import BLANK, is_blank
from training.langs import LANG_NAMES, SCRIPT_OF_LANG, main_script
from training.page_parts import FOREIGN, Block, Body, Material, Page, variant_of
from training.splits import HELDOUT_LANGS, TEST, split_of
from training.text_sources import Chunk, read_leipzig_chunks, read_leipzig_words, read_ntrex, read_ud_chunks
from training.uistrings import UILexicon, load_lexicon

__all__ = ["main", "compose_corpus", "compose_document", "NEIGHBOURS"]

#: Languages whose lines are likeliest to turn up on a page in L: close, same-script
#: languages first (the hard cases of LABELS.md), then big neighbours.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "ms": ("id",),
    "id": ("ms", "tl"),
    "tl": ("id", "en"),
    "uk": ("ru", "be", "bg"),
    "ru": ("uk", "be", "bg", "kk"),
    "be": ("ru", "uk"),
    "bg": ("ru", "mk", "sr"),
    "mk": ("bg", "sr"),
    "sr": ("hr", "bs", "mk", "ru"),
    "hr": ("sr", "bs", "sl"),
    "bs": ("hr", "sr"),
    "sl": ("hr", "sk"),
    "cs": ("sk", "pl"),
    "sk": ("cs", "pl"),
    "pl": ("cs", "sk", "uk"),
    "es": ("pt", "ca", "gl", "it"),
    "pt": ("es", "gl", "it"),
    "gl": ("pt", "es"),
    "ca": ("es", "fr", "oc"),
    "it": ("es", "fr", "pt", "ro"),
    "fr": ("it", "es", "ca", "en"),
    "ro": ("it", "fr", "es"),
    "de": ("nl", "da", "en", "lb"),
    "nl": ("de", "af", "en"),
    "af": ("nl",),
    "lb": ("de",),
    "da": ("nb", "sv", "nn"),
    "nb": ("da", "sv", "nn"),
    "nn": ("nb", "da"),
    "sv": ("nb", "da"),
    "fi": ("et", "sv"),
    "et": ("fi", "lv"),
    "lv": ("lt", "et"),
    "lt": ("lv", "pl"),
    "is": ("fo", "da", "nb"),
    "fo": ("is", "da"),
    "tr": ("az", "en"),
    "az": ("tr",),
    "uz": ("tr", "kk"),
    "kk": ("ky", "ru", "tt"),
    "ky": ("kk", "ru"),
    "tt": ("ba", "ru"),
    "ba": ("tt", "ru"),
    "tg": ("ru", "fa"),
    "mn": ("ru",),
    "ar": ("fa", "ur"),
    "fa": ("ar", "ur", "ps"),
    "ur": ("fa", "ar", "ps"),
    "ps": ("fa", "ur", "ar"),
    "sd": ("ur", "ar", "fa"),
    "ug": ("ar", "fa"),
    "hi": ("mr", "ne", "ur"),
    "mr": ("hi", "ne"),
    "ne": ("hi", "mr"),
    "bn": ("hi",),
    "pa": ("hi", "ur"),
    "zh": ("ja", "ko"),
    "ja": ("zh", "ko"),
    "ko": ("ja", "zh"),
    "th": ("lo",),
    "lo": ("th",),
    "km": ("th",),
    "vi": ("en", "zh"),
    "el": ("en", "bg"),
    "he": ("ar", "en"),
    "hy": ("ru",),
    "ka": ("ru",),
    # English pages: Persian first (seed 004: a Persian WordPress comment form under an English article)
    "en": ("fa", "fa", "fa", "ar", "ur", "es", "fr", "de", "hi", "zh", "ru", "id"),
}
#: Widely used languages for foreign lines when L has no listed neighbour.
COMMON = ("en", "fr", "es", "ru", "ar", "de", "zh", "pt", "tr", "fa")
BLANK_TEXTS = ("", " ", "\u00a0", "\t", "  ", "\u00a0\u00a0", "\u200b")
BLANK_WEIGHTS = (0.8, 0.06, 0.05, 0.03, 0.03, 0.02, 0.01)
DENSITIES = ((0.0, 0.15), (0.5, 0.3), (1.0, 0.35), (1.4, 0.2))


# ---------------------------------------------------------------------------- material
def _headline_of(sentences: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """A chunk's headline: its shortest sentence if short enough, else the first words."""
    wordy = [s for s in sentences if sum(ch.isalpha() for ch in s) >= 8] or list(sentences)
    short = min(wordy, key=len)
    if len(short) <= 110:
        rest = list(sentences)
        rest.remove(short)
        return short.rstrip(".") or short, tuple(rest)
    words = wordy[0].split()
    return " ".join(words[: min(len(words), 9)]).rstrip(",;:") or wordy[0], sentences


def _chunk_body(chunk: Chunk) -> Body:
    head, rest = _headline_of(chunk.sentences)
    return Body(chunk.group, chunk.source, chunk.source, chunk.lang, head, rest, main_script(" ".join(rest[:3])))


def _side(group: str) -> str:
    return "test" if split_of(group) == TEST else "train"


def load_bodies(data: Path) -> tuple[dict[str, list[Body]], dict[str, Material]]:
    """Bodies per language and the material (headlines, sentences, words) around them."""
    bodies: dict[str, list[Body]] = defaultdict(list)
    material: dict[str, Material] = defaultdict(Material)
    for art in read_ntrex(data):
        if len(art.lines) < 4:
            continue
        body = Body(
            f"ntrex:{art.doc_id}",
            "ntrex",
            art.variant,
            art.lang,
            art.lines[0],
            art.lines[1:],
            main_script(" ".join(art.lines[:4])),
        )
        bodies[art.lang].append(body)
    for chunk in read_leipzig_chunks(data) + read_ud_chunks(data):
        bodies[chunk.lang].append(_chunk_body(chunk))
    for lang, items in bodies.items():
        for b in items:
            mat = material[lang]
            sents = [s for s in b.sentences if 15 <= len(s) <= 400]
            keys = [_side(b.group)]
            if variant := variant_of(lang, b.script, "zh-Hant" if b.variant == "zho-TW" else lang):
                keys.append(f"{keys[0]}:{variant}")
            for key in keys:
                if len(b.headline) <= 140:
                    mat.headlines.setdefault(key, []).append(b.headline)
                mat.sentences.setdefault(key, []).extend(sents)
    for lang, words in read_leipzig_words(data, "single-words").items():
        material[lang].words = [w for w in words if len(w) > 3][:300]
    return dict(bodies), dict(material)


# ---------------------------------------------------------------------------- one document
def _pools(lang: str, split: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Chrome pools a page may use, and the fallback when a role has none there."""
    if lang in HELDOUT_LANGS:
        return ("train", "test", "both"), ()
    if split == TEST:
        return ("test", "both"), ("train",)
    return ("train", "both"), ()


def _foreign_langs(page: Page, lex: UILexicon, material: dict[str, Material], need: str) -> list[str]:
    """Candidate languages M for a foreign line, best first (close neighbours, then common ones)."""
    lang = page.lang
    close = list(NEIGHBOURS.get(lang, ()))
    page.rng.shuffle(close)
    close = list(dict.fromkeys(close))  # repeated entries weigh a language up
    other = [m for m in COMMON if m not in close]
    page.rng.shuffle(other)
    order = close + other if page.rng.random() < 0.7 else other + close
    ok = []
    for m in order:
        if m == lang or (m in HELDOUT_LANGS and page.split != TEST):
            continue
        if need == "chrome" and lex.counts.get(m, 0) < 30:
            continue
        if need == "text" and not (material.get(m) and material[m].sentences[page.side]):
            continue
        ok.append(m)
    return ok


def _foreign_events(page: Page, density: float) -> list[str]:
    """Which kinds of foreign lines this page gets (empty for about 40% of pages)."""
    if page.rng.random() >= (0.3 if density == 0 else 0.62):
        return []
    kinds = ["form", "quote", "comment", "frame"]
    weights = [0.38, 0.22, 0.1, 0.12]
    if page.script != "Latn":
        kinds.append("menu")
        weights.append(0.18)
    if page.lang == "en":
        weights[3] = 0.0
    n = 1 if page.rng.random() < 0.75 else 2
    return page.rng.choices(kinds, weights, k=n)


def _insert_inline(page: Page, paras: list[Block], inserts: list[Block]) -> list[Block]:
    """Put ad markers, teasers and quotes between paragraphs (never before the first)."""
    out = list(paras)
    for block in inserts:
        if block and len(out) > 2:
            out.insert(page.rng.randint(2, len(out) - 1), block)
    return out


def _chars(blocks: list[Block], labels: set[str], include: bool = True) -> int:
    return sum(len(t) for b in blocks for t, lab in b if (lab in labels) == include)


def _enforce_dominance(page: Page, top: list[Block], after: list[Block], body: list[Block]) -> None:
    """Drop optional blocks until the body dominates (LABELS.md: main language = body's)."""
    body_chars = _chars(body, {"body"})

    def too_much() -> bool:
        foreign = _chars(top + after + body, {FOREIGN})
        chrome = _chars(top + after, {"body"}, include=False) + _chars(body, {"body"}, include=False)
        return foreign > body_chars / 3 or chrome > body_chars

    while too_much() and (top or after):
        pool = after if after else top
        pool.pop(max(range(len(pool)), key=lambda i: sum(len(t) for t, _ in pool[i])))
    while too_much():  # inline inserts in the body
        for i, b in enumerate(body):
            if any(lab != "body" for _, lab in b):
                body.pop(i)
                break
        else:
            break


def _assemble(page: Page, blocks: list[Block]) -> list[tuple[str, str]]:
    """Join blocks with this page's blank-line convention; add stray trailing spaces."""
    rng = page.rng
    style = rng.choices(("none", "single", "double", "all", "mixed"), (0.2, 0.35, 0.1, 0.15, 0.2))[0]

    def blank() -> tuple[str, str]:
        return (rng.choices(BLANK_TEXTS, BLANK_WEIGHTS)[0], BLANK)

    lines: list[tuple[str, str]] = []
    if rng.random() < 0.08:
        lines.append(blank())
    for i, block in enumerate(blocks):
        if i:
            n = {"none": 0, "single": 1, "double": 2, "all": 1}.get(style, rng.choice((0, 1, 1, 2)))
            lines.extend(blank() for _ in range(n))
        for j, (text, label) in enumerate(block):
            if j and style == "all":
                lines.append(blank())
            if rng.random() < 0.03:
                text += rng.choice((" ", "\u00a0", "  "))
            lines.append((text, label))
    if rng.random() < 0.3:
        lines.append(("", BLANK))
    return lines


def compose_document(
    doc_id: str, body: Body, split: str, lex: UILexicon, material: dict[str, Material]
) -> tuple[dict, dict]:
    """One composed page: the JSONL record and bookkeeping (foreign languages, chrome keys)."""
    rng = random.Random(seed_of(doc_id))
    lang = body.lang
    chrome_lang = lang
    if lang == "sr" and body.script == "Latn":
        chrome_lang = "sr-Latn"
    elif body.variant == "zho-TW":
        chrome_lang = "zh-Hant"
    pools, fallback = _pools(lang, split)
    page = Page(
        lang=lang,
        chrome_lang=chrome_lang,
        split=split,
        rng=rng,
        lex=lex,
        material=material,
        pools=pools,
        fallback=fallback,
        script=body.script or SCRIPT_OF_LANG.get(lang, "Latn"),
        close=NEIGHBOURS.get(lang, ()),
    )
    density = rng.choices([d for d, _ in DENSITIES], [w for _, w in DENSITIES])[0]
    events = _foreign_events(page, density)
    foreign_used: list[str] = []

    top = page.header(body.headline, density)
    body_blocks = page.body_blocks(body)
    n_head = next(i for i, b in enumerate(body_blocks) if b[0][1] == "body" and b[0][0] == body.headline) + 1
    head_blocks, paras = body_blocks[:n_head], body_blocks[n_head:]
    inserts: list[Block] = []
    for _ in range(rng.choices((0, 1, 2, 3), (0.45, 0.3, 0.17, 0.08))[0] if density else 0):
        inserts.append(page.ad_marker() if rng.random() < 0.55 else page.teaser())
    after: list[Block] = []
    r = rng.random
    if r() < 0.1 * density and (t := page.ui("nav.source")):
        after.append([(t, "nav")])
    if r() < 0.3 * density:
        after.append(page.tags(body))
    if r() < 0.15 * density and (t := page.ui("nav.cats_line")):
        after.append([(t, "nav")])
    if r() < 0.35 * density:
        after.append(page.share_bar())
    if r() < 0.1 * density:
        after.append(page.author_box())
    if r() < 0.2 * density:
        after.append(page.post_navigation())
    if r() < 0.35 * density:
        after.append(page.related(rng.randint(2, 5)))
    if r() < 0.08 * density:
        after.append(page.sponsored_widget())
    if r() < 0.3 * density:
        after.append(page.newsletter())
    # the comment section (seed 001: a bare page can end with a lone "Leave a comment")
    comment_blocks: list[Block] = []
    foreign_comment_lang = None
    if "comment" in events and (ms := _foreign_langs(page, lex, material, "text")):
        foreign_comment_lang = ms[0]
    want_comments = r() < (0.45 * density + 0.08) or foreign_comment_lang is not None
    foreign_form = None
    if "form" in events and (ms := _foreign_langs(page, lex, material, "chrome")):
        foreign_form = ms[0]
    if want_comments or foreign_form:
        n_comments = rng.choice((0, 0, 1, 2, 3, 4)) if density else 0
        if foreign_comment_lang and not n_comments:
            n_comments = 1
        if r() < 0.7:
            comment_blocks.append(page.comment_header(n_comments))
        comment_blocks += page.reader_comments(n_comments, foreign_comment_lang)
        if foreign_form:
            kind = rng.choices(("form", "newsletter", "cookie"), (0.65, 0.2, 0.15))[0]
            block = (
                page.comment_form(foreign_form)
                if kind == "form"
                else page.newsletter(foreign_form, FOREIGN)
                if kind == "newsletter"
                else page.cookie_notice(foreign_form)
            )
            if block:
                foreign_used.append(foreign_form)
            comment_blocks.append(block)
        elif density == 0 and rng.random() < 0.6:
            t = page.ui("comment.title")
            comment_blocks.append([(t, "comment")] if t else [])
        else:
            comment_blocks.append(page.comment_form())
    if foreign_comment_lang and any(lab == FOREIGN for b in comment_blocks for _, lab in b):
        foreign_used.append(foreign_comment_lang)
    after += comment_blocks
    after += page.footer(density)

    if "quote" in events and (ms := _foreign_langs(page, lex, material, "text")):
        quote = page.foreign_quote(ms[0])
        if quote:
            inserts.append(quote)
            foreign_used.append(ms[0])
    if "menu" in events:
        top.insert(rng.randint(0, len(top)), page.english_menu())
        foreign_used.append("en")
    if "frame" in events and (frame := page.english_frame()):
        (head_blocks if rng.random() < 0.4 else after).append(frame)
        foreign_used.append("en")

    paras = _insert_inline(page, paras, [b for b in inserts if b])
    top = [b for b in top if b]
    after = [b for b in after if b]
    main = head_blocks + paras
    _enforce_dominance(page, top, after, main)
    lines = _assemble(page, top + main + after)
    record = {
        "id": doc_id,
        "source": f"composed:{body.source}",
        "lang": lang,
        "style": "composed",
        "renderer": "none",
        "split": split,
        "lines": [{"text": t, "label": lab} for t, lab in lines],
    }
    if split != TEST and HELDOUT_LANGS & set(foreign_used):
        raise AssertionError(f"{doc_id}: held-out language as a foreign line of a {split} page")
    info = {
        "foreign": sorted(set(foreign_used)) if any(lab == FOREIGN for _, lab in lines) else [],
        "keys": page.used_keys,
        "fallback": page.fallback_keys,
    }
    return record, info


def _check(record: dict) -> None:
    for line in record["lines"]:
        text, label = line["text"], line["label"]
        if "\n" in text or "\r" in text:
            raise ValueError(f"{record['id']}: line with a line break: {text[:60]!r}")
        if (label == BLANK) != is_blank(text):
            raise ValueError(f"{record['id']}: blank label mismatch on {text[:60]!r} ({label})")


# ---------------------------------------------------------------------------- the corpus
def _doc_count(lang: str, lex: UILexicon, per_lang: int) -> int:
    """Full count for languages with native chrome, half for the others."""
    native = lex.counts.get(lang, 0)
    return per_lang if native >= 25 else per_lang // 2


def compose_corpus(data: Path, out: Path, per_lang: int) -> dict:
    """Write the composed corpus to ``out``; return summary statistics."""
    lex = load_lexicon(data)
    bodies, material = load_bodies(data)
    stats: dict = {
        "docs": Counter(),
        "labels": Counter(),
        "pairs": Counter(),
        "foreign_docs": Counter(),
        "fallback": Counter(),
        "test_keys": Counter(),
        "lines": Counter(),
        "sources": Counter(),
        "pool": lex.pool,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for lang in sorted(bodies):
            if lang not in LANG_NAMES:
                continue
            items = sorted(bodies[lang], key=lambda b: (b.group, b.headline))
            random.Random(seed_of("bodies:" + lang)).shuffle(items)
            for n in range(_doc_count(lang, lex, per_lang)):
                body = items[n % len(items)]
                split = TEST if lang in HELDOUT_LANGS else split_of(body.group)
                record, info = compose_document(f"composed/{lang}/{n}", body, split, lex, material)
                _check(record)
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                _tally(stats, record, info)
    tmp.replace(out)
    return stats


def _tally(stats: dict, record: dict, info: dict) -> None:
    lang, split = record["lang"], record["split"]
    stats["docs"][(lang, split)] += 1
    stats["sources"][record["source"]] += 1
    for line in record["lines"]:
        stats["labels"][(split, line["label"])] += 1
    if info["foreign"]:
        stats["foreign_docs"][split] += 1
        for m in info["foreign"]:
            stats["pairs"][(lang, m)] += 1
    stats["fallback"].update(info["fallback"])
    if split == TEST and lang not in HELDOUT_LANGS:
        stats["test_keys"].update(info["keys"])


def _same_script(a: str, b: str) -> bool:
    sa, sb = SCRIPT_OF_LANG.get(a, "Latn"), SCRIPT_OF_LANG.get(b, "Latn")
    return sa == sb or {sa, sb} <= {"Hani", "Jpan"} or "sr" in (a, b) and {sa, sb} <= {"Latn", "Cyrl"}


def summarize(stats: dict) -> str:
    """A human-readable summary of a composed corpus."""
    out = []
    pool = stats["pool"]
    langs = sorted({lang for lang, _ in stats["docs"]})
    per = {lang: {s: stats["docs"][(lang, s)] for s in ("train", "dev", "test")} for lang in langs}
    total = sum(stats["docs"].values())
    out.append(f"{total} documents, {len(langs)} languages; sources {dict(stats['sources'])}")
    out.append(
        "docs per language (train/dev/test): "
        + ", ".join(f"{lang} {v['train']}/{v['dev']}/{v['test']}" for lang, v in per.items())
    )
    out.append(
        f"languages with >=150 train docs: {sum(v['train'] >= 150 for v in per.values())}; "
        f"with >=30 test docs: {sum(v['test'] >= 30 for v in per.values())}"
    )
    for split in ("train", "dev", "test"):
        labs = {lab: c for (s, lab), c in stats["labels"].items() if s == split}
        nonblank = sum(c for lab, c in labs.items() if lab != BLANK)
        docs = sum(v[split] for v in per.values())
        out.append(
            f"{split}: {docs} docs, lines {dict(sorted(labs.items()))}; foreign "
            f"{labs.get(FOREIGN, 0) / max(nonblank, 1):.1%} of non-blank lines, in "
            f"{stats['foreign_docs'][split] / max(docs, 1):.0%} of docs"
        )
    pairs = stats["pairs"]
    same = sorted(((a, b, c) for (a, b), c in pairs.items() if _same_script(a, b)), key=lambda x: -x[2])
    out.append(
        f"foreign (L, M) pairs: {len(pairs)}; same-script share of pair-docs "
        f"{sum(c for *_, c in same) / max(sum(pairs.values()), 1):.0%}"
    )
    out.append("top same-script pairs: " + ", ".join(f"{a}<-{b} {c}" for a, b, c in same[:60]))
    keys = stats["test_keys"]
    by_pool = Counter()
    for k, c in keys.items():
        by_pool[pool[k]] += c
    out.append(
        f"chrome pools: {dict(Counter(pool.values()))} keys; test docs (seen languages) used strings "
        f"from test pool {by_pool['test']}, shared {by_pool['both']}, train-pool fallback {by_pool['train']}"
    )
    out.append(f"roles that fell back to the train pool: {dict(stats['fallback'].most_common(12))}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.compose", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the data archives")
    parser.add_argument("--out", type=Path, required=True, help="output JSONL file")
    parser.add_argument(
        "--docs-per-lang", type=int, default=240, help="documents per language with native chrome (others get half)"
    )
    args = parser.parse_args(argv)
    start = time.time()
    stats = compose_corpus(args.data, args.out, args.docs_per_lang)
    print(summarize(stats))
    stats_path = args.out.with_suffix(".stats.json")
    stats_path.write_text(
        json.dumps(
            {
                "docs": {f"{k[0]}/{k[1]}": v for k, v in sorted(stats["docs"].items())},
                "labels": {f"{k[0]}/{k[1]}": v for k, v in sorted(stats["labels"].items())},
                "foreign_pairs": {f"{k[0]}<-{k[1]}": v for k, v in sorted(stats["pairs"].items())},
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB) and {stats_path} in {time.time() - start:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
