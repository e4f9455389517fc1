"""Training, dev and test lines for segclf's own language-identification model (fastText supervised).

Usage (from the repository root)::

    python -m training.lid_corpus --data /work/shared/data --out build/corpus/lid

writes ``lid.train.txt``, ``lid.dev.txt``, ``lid.test.txt`` (``__label__<iso639-1> <text>``,
one line each, white space normalised, shuffled) and ``languages.json`` (code ->
English name, scripts seen, lines per split and per source).

Method
------
A line of a scraped page is short: a sentence, a headline, a menu item, a
button.  So the corpus mixes, per language, real sentences (NTREX-128 news
sentences of every variant, Leipzig sentences, UD sentences), Leipzig word
pairs and single words, and interface strings (the whole WordPress / wpcom /
Mailchimp lexicon, giscus, klaro and segclf's ``markers.json``; HTML and
placeholders removed, untranslated or wrong-script translations dropped,
admin help texts longer than ``MAX_UI_WORDS`` words skipped).

* Labels are ISO 639-1 (``training.langs``): variants merge (``pt_BR``,
  ``por-BR`` -> ``pt``; ``prs`` -> ``fa``; ``fil`` -> ``tl``; ``zh_TW`` ->
  ``zh``), Serbian keeps both scripts as ``sr``, languages without a 639-1
  code are dropped.  No "no language" class: language-neutral lines are
  handled by rules in segclf.
* Splits follow the composed corpus: NTREX sentences take their article's
  split (``ntrex:<article>``), Leipzig/UD sentences their chunk's, word lists
  fixed blocks of 50 items, interface strings the chrome pool of their key
  (test pool -> test; the rest train, with a hashed 10% to dev).  Languages in
  ``HELDOUT_LANGS`` appear in the test file only.
* Balance: at most ``--cap`` train lines per language (default 6,000), with
  quotas per kind (sentences about half, interface strings a quarter, word
  pairs and single words the rest; unused quota goes to the others) and the
  sentence sources interleaved so no treebank dominates.  Dev and test are
  capped at 600 and 1,000 lines per language.  Languages with fewer than
  ``MIN_TRAIN`` train lines (only a few interface strings: Breton, Occitan,
  Sundanese, Assamese, Chuvash, Scottish Gaelic) are left out altogether.
* Clean-up: a text that occurs under two labels (``Sport``, ``OK``, a shared
  name) is dropped everywhere; a dev/test text that is also in train is
  dropped; lines without two letters are dropped.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from training.langs import LANG_NAMES, locale_to_iso, script_of
from training.splits import DEV, HELDOUT_LANGS, TEST, TRAIN, split_of
from training.text_sources import (
    clean_text,
    ensure_extracted,
    read_leipzig_chunks,
    read_leipzig_words,
    read_ntrex,
    read_ud_chunks,
)
from training.uistrings import (
    accept_translation,
    clean_ui,
    hashed_pool,
    load_lexicon,
    strip_placeholders,
)

__all__ = ["main", "build_lid_corpus", "normalise"]

KINDS = ("sent", "ui", "pairs", "words")
#: Share of the train cap per kind (unused quota flows to the other kinds).
QUOTA = {"sent": 0.5, "ui": 0.25, "pairs": 0.125, "words": 0.125}
DEV_CAP, TEST_CAP = 600, 1000
#: Longer non-curated interface strings (admin help texts) are skipped: web lines are short.
MAX_UI_WORDS = 12
#: A language seen in training needs at least this many train lines, else it is left out.
MIN_TRAIN = 500
WORD_BLOCK = 50

_WS = re.compile(r"\s+")
_LABEL = re.compile(r"__label__", re.IGNORECASE)


def normalise(text: str) -> str:
    """One fastText-safe line: no label marker, no line breaks, single spaces."""
    return _WS.sub(" ", _LABEL.sub(" ", text)).strip()


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


# (lang, split, kind, source, text)
Item = tuple[str, str, str, str, str]


def _side_split(group: str, lang: str) -> str:
    return TEST if lang in HELDOUT_LANGS else split_of(group)


def sentence_items(data: Path) -> list[Item]:
    """NTREX, Leipzig and UD sentences with the split of their article or chunk."""
    items: list[Item] = []
    for art in read_ntrex(data):
        split = _side_split(f"ntrex:{art.doc_id}", art.lang)
        items += [(art.lang, split, "sent", "ntrex", t) for t in art.lines]
    for chunk in read_leipzig_chunks(data) + read_ud_chunks(data):
        if chunk.lang in LANG_NAMES:
            split = _side_split(chunk.group, chunk.lang)
            items += [(chunk.lang, split, "sent", chunk.source, t) for t in chunk.sentences]
    return items


def word_items(data: Path) -> list[Item]:
    """Leipzig word pairs and single words, split in blocks of ``WORD_BLOCK``."""
    items: list[Item] = []
    for kind, folder in (("pairs", "word-pairs"), ("words", "single-words")):
        for lang, words in read_leipzig_words(data, folder).items():
            if lang not in LANG_NAMES:
                continue
            for i, w in enumerate(words):
                split = _side_split(f"leipzig-{folder}:{lang}:{i // WORD_BLOCK}", lang)
                items.append((lang, split, kind, "leipzig-" + folder, w))
    return items


def _ui_split(key: str, pool: str, lang: str) -> str:
    if lang in HELDOUT_LANGS or pool == "test":
        return TEST
    return DEV if split_of("lid-ui:" + key, dev=0.10, test=0.0) == DEV else TRAIN


def _ui_text(raw: str) -> str:
    """An interface string as a line: placeholders and stray punctuation around them removed."""
    text = strip_placeholders(clean_ui(raw))
    text = re.sub(r"\(\s*\)|\[\s*\]|“\s*”|\"\s*\"|&\w+;", " ", text)
    return clean_text(text).strip(" :,-–—|")


def ui_items(data: Path) -> list[Item]:
    """Every interface string: the full .po lexicon, giscus, klaro and segclf's markers."""
    lex = load_lexicon(data)
    items: list[Item] = []
    curated = set()
    for e in lex.entries:
        key = e.key.split(":", 1)[1]
        curated.add(key)
        pool = lex.pool[e.key]
        for code, texts in e.texts.items():
            lang = code.split("-")[0]
            for t in texts:
                items.append((lang, _ui_split(e.key, pool, lang), "ui", e.key.split(":")[0], _ui_text(t)))
    root = ensure_extracted(
        data, "ui-strings.tar.gz", "ui-strings", members=("_lexicon_po.json", "giscus-comments", "klaro-cookie-notice")
    )
    lexicon = json.loads((root / "_lexicon_po.json").read_text(encoding="utf-8"))
    for msgid, item in sorted(lexicon.items()):
        if msgid in curated or len(clean_ui(msgid).split()) > MAX_UI_WORDS:
            continue
        english = clean_ui(msgid)
        pool = hashed_pool("po:" + msgid)
        items.append(("en", _ui_split("po:" + msgid, pool, "en"), "ui", "po", _ui_text(msgid)))
        for locale, texts in sorted(item["tr"].items()):
            lang = locale_to_iso(locale)
            if lang is None:
                continue
            for raw in texts:
                text = clean_ui(raw)
                if accept_translation(lang, text, english):
                    items.append((lang, _ui_split("po:" + msgid, pool, lang), "ui", "po", _ui_text(raw)))
    return items


def _usable(text: str) -> bool:
    return _letters(text) >= 2 and len(text) <= 600


def _dedupe(items: list[Item]) -> list[Item]:
    """Drop texts found under two labels, and dev/test texts that train has."""
    labels: dict[str, set[str]] = defaultdict(set)
    for lang, _, _, _, text in items:
        labels[text.casefold()].add(lang)
    train_texts = {(lang, text.casefold()) for lang, split, _, _, text in items if split == TRAIN}
    seen: set[tuple[str, str, str]] = set()
    out = []
    for item in items:
        lang, split, _, _, text = item
        key = text.casefold()
        if len(labels[key]) > 1 or (split != TRAIN and (lang, key) in train_texts):
            continue
        if (lang, split, key) in seen:
            continue
        seen.add((lang, split, key))
        out.append(item)
    return out


def _interleave(items: list[Item], rng: random.Random) -> list[Item]:
    """Items of several sources in round-robin order (each source shuffled)."""
    by_source: dict[str, list[Item]] = defaultdict(list)
    for it in items:
        by_source[it[3]].append(it)
    queues = []
    for source in sorted(by_source):
        q = by_source[source]
        rng.shuffle(q)
        queues.append(q)
    out: list[Item] = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop())
    return out


def _select(items: list[Item], cap: int, rng: random.Random) -> list[Item]:
    """At most ``cap`` items with per-kind quotas; unused quota goes to the other kinds."""
    by_kind = {k: _interleave([it for it in items if it[2] == k], rng) for k in KINDS}
    take = {k: min(len(by_kind[k]), int(cap * QUOTA[k])) for k in KINDS}
    spare = cap - sum(take.values())
    for k in KINDS:  # hand the spare quota out in order of preference
        extra = min(spare, len(by_kind[k]) - take[k])
        take[k] += extra
        spare -= extra
    return [it for k in KINDS for it in by_kind[k][: take[k]]]


def build_lid_corpus(data: Path, out: Path, cap: int) -> dict:
    """Write the LID corpus files to ``out``; return the per-language summary."""
    items = sentence_items(data) + word_items(data) + ui_items(data)
    items = [(lang, split, kind, src, normalise(text)) for lang, split, kind, src, text in items if lang in LANG_NAMES]
    items = _dedupe([it for it in items if _usable(it[4])])
    grouped: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for it in items:
        grouped[(it[0], it[1])].append(it)
    n_train: Counter[str] = Counter()
    for (lang, split), group in grouped.items():
        if split == TRAIN:
            n_train[lang] = len(group)
    keep = {lang for lang, _ in grouped if lang in HELDOUT_LANGS or n_train[lang] >= MIN_TRAIN}
    grouped = {k: v for k, v in grouped.items() if k[0] in keep}
    caps = {TRAIN: cap, DEV: DEV_CAP, TEST: TEST_CAP}
    chosen: dict[str, list[Item]] = {TRAIN: [], DEV: [], TEST: []}
    for (lang, split), group in sorted(grouped.items()):
        rng = random.Random(f"lid:{lang}:{split}")
        chosen[split] += _select(group, caps[split], rng)
    out.mkdir(parents=True, exist_ok=True)
    for split, rows in chosen.items():
        random.Random("lid-shuffle:" + split).shuffle(rows)
        path = out / f"lid.{split}.txt"
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for lang, _, _, _, text in rows:
                fh.write(f"__label__{lang} {text}\n")
        tmp.replace(path)
    summary = _languages(chosen)
    (out / "languages.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    return summary


def _languages(chosen: dict[str, list[Item]]) -> dict:
    """code -> name, scripts seen (at least 2% of its lines), lines per split and kind."""
    info: dict[str, dict] = {}
    scripts: dict[str, Counter] = defaultdict(Counter)
    for split, rows in chosen.items():
        for lang, _, kind, src, text in rows:
            d = info.setdefault(
                lang,
                {
                    "name": LANG_NAMES[lang],
                    "heldout": lang in HELDOUT_LANGS,
                    "lines": Counter(),
                    "kinds": Counter(),
                    "sources": Counter(),
                },
            )
            d["lines"][split] += 1
            d["kinds"][kind] += 1
            d["sources"][src] += 1
            counts = script_of(text)
            if counts:
                s = counts.most_common(1)[0][0]
                scripts[lang]["Jpan" if lang == "ja" and s == "Hani" else s] += 1
    for lang, d in info.items():
        total = sum(scripts[lang].values()) or 1
        d["scripts"] = sorted(s for s, c in scripts[lang].items() if c / total >= 0.02)
        d["lines"] = {s: d["lines"][s] for s in (TRAIN, DEV, TEST)} | {"total": sum(d["lines"].values())}
        d["kinds"] = dict(d["kinds"])
        d["sources"] = dict(d["sources"])
    return info


def _report(summary: dict) -> str:
    totals = Counter()
    for d in summary.values():
        totals.update({k: v for k, v in d["lines"].items() if k != "total"})
    train_langs = [c for c, d in summary.items() if d["lines"]["train"]]
    lines = [f"{len(summary)} languages ({len(train_langs)} in train), lines {dict(totals)}"]
    small = sorted((d["lines"]["train"], c) for c, d in summary.items() if 0 < d["lines"]["train"] < 2000)
    lines.append("languages with < 2000 train lines: " + ", ".join(f"{c} {n}" for n, c in small))
    lines.append("test-only languages: " + ", ".join(sorted(c for c, d in summary.items() if not d["lines"]["train"])))
    multi = {c: d["scripts"] for c, d in summary.items() if len(d["scripts"]) > 1}
    lines.append(f"languages with several scripts: {multi}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.lid_corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the data archives")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--cap", type=int, default=6000, help="train lines per language at most")
    args = parser.parse_args(argv)
    start = time.time()
    summary = build_lid_corpus(args.data, args.out, args.cap)
    print(_report(summary))
    print(
        f"wrote {args.out}/lid.{{train,dev,test}}.txt and languages.json in {time.time() - start:.0f}s", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
