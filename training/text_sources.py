"""Readers for the text sources of the composed corpus and the language-ID corpus.

The archives in ``--data`` are read-only; what a builder needs is unpacked once
into ``build/cache/<folder>`` (a ``.complete`` marker inside the folder
records a finished extraction and which members it holds, so an interrupted
run extracts again).  Readers return plain records and know nothing of labels:

* NTREX-128: whole articles, rebuilt from ``DOCUMENT_IDS.tsv`` (consecutive
  lines with the same id), per NTREX file code; the first line is the headline.
* Leipzig: 1,000 sentences per language, shuffled (some files are sorted
  alphabetically) with a fixed seed and cut into fixed-size chunks (a chunk is
  one split group), plus word pairs and single words.  The Malay file is left
  out: most of it is Indonesian web text (Malay comes from NTREX and the
  interface strings).
* UD: sentences grouped by document id where the treebank has them (English
  GUM), else in chunks of consecutive sentences.  Multi-word tokens that the
  Urdu treebank joins with ``_`` are split back into words.
"""

from __future__ import annotations

import random
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

from training.langs import NTREX_TO_ISO

__all__ = [
    "CACHE_DIR",
    "LEIPZIG_CHUNK",
    "LEIPZIG_EXCLUDE",
    "Article",
    "Chunk",
    "clean_text",
    "ensure_extracted",
    "read_ntrex",
    "read_leipzig_chunks",
    "read_leipzig_words",
    "read_ud_chunks",
]

CACHE_DIR = Path("build/cache")
#: Sentences per Leipzig chunk: one chunk is one composed body and one split group.
LEIPZIG_CHUNK = 10
#: Leipzig languages whose files are not (mostly) in the language they are named for.
LEIPZIG_EXCLUDE: frozenset[str] = frozenset({"ms"})
#: Sentences per UD chunk for treebanks without document ids.
UD_CHUNK = 12

_WS = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """One line of text: white space collapsed, no line breaks, stripped."""
    return _WS.sub(" ", text).strip()


def ensure_extracted(data: Path, archive: str, folder: str, members: tuple[str, ...] = ()) -> Path:
    """Unpack ``data/archive`` into ``build/cache/folder`` unless already done.

    ``members`` limits extraction to paths under these prefixes (relative to
    ``folder``); the marker lists them, so a request for other members
    extracts again.
    """
    target = CACHE_DIR / folder
    marker = target / ".complete"
    want = "\n".join(sorted(members)) or "*"
    if marker.exists() and marker.read_text(encoding="utf-8") == want:
        return target
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    prefixes = tuple(f"{folder}/{m}" for m in members)
    with tarfile.open(data / archive, "r:gz") as tar:
        chosen = [m for m in tar.getmembers() if m.isdir() or not prefixes or m.name.startswith(prefixes)]
        tar.extractall(CACHE_DIR, members=chosen, filter="data")
    marker.write_text(want, encoding="utf-8")
    return target


@dataclass(frozen=True)
class Article:
    """One NTREX article in one language variant."""

    doc_id: str
    variant: str  # NTREX file code, e.g. "srp-Latn"
    lang: str  # ISO 639-1
    lines: tuple[str, ...]  # headline first


@dataclass(frozen=True)
class Chunk:
    """Consecutive sentences of a Leipzig or UD source: a stand-in article."""

    group: str  # split group key, e.g. "leipzig:de:17"
    source: str  # "leipzig" or "ud"
    lang: str
    sentences: tuple[str, ...]


def _ntrex_code(path: Path) -> str:
    name = path.name.removesuffix(".txt")
    if name == "newstest2019-src.eng":
        return "src.eng"
    if name.startswith("newstest2019-ref-2."):
        return "ref-2." + name.removeprefix("newstest2019-ref-2.")
    return name.removeprefix("newstest2019-ref.")


def read_ntrex(data: Path) -> list[Article]:
    """All NTREX articles of every variant that has an ISO 639-1 code."""
    root = ensure_extracted(data, "text-ntrex-128-train.tar.gz", "ntrex-128-train")
    ids = [x.strip() for x in (root / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()]
    articles: list[Article] = []
    for path in sorted((root / "NTREX-128").glob("*.txt")):
        code = _ntrex_code(path)
        lang = NTREX_TO_ISO.get(code)
        if lang is None:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) != len(ids):
            raise ValueError(f"{path.name}: {len(lines)} lines, DOCUMENT_IDS.tsv has {len(ids)}")
        start = 0
        for i in range(1, len(ids) + 1):
            if i == len(ids) or ids[i] != ids[start]:
                kept = tuple(t for t in (clean_text(x) for x in lines[start:i]) if t)
                if kept:
                    articles.append(Article(ids[start], code, lang, kept))
                start = i
    return articles


def _leipzig_root(data: Path) -> Path:
    return ensure_extracted(data, "text-lingua-leipzig.tar.gz", "lingua-leipzig-testdata")


def _read_lines(path: Path) -> list[str]:
    return [t for t in (clean_text(x) for x in path.read_text(encoding="utf-8").splitlines()) if t]


def read_leipzig_chunks(data: Path) -> list[Chunk]:
    """Leipzig sentences of every language in chunks of ``LEIPZIG_CHUNK``."""
    chunks: list[Chunk] = []
    for path in sorted((_leipzig_root(data) / "sentences").glob("*.txt")):
        if path.stem in LEIPZIG_EXCLUDE:
            continue
        sents = _read_lines(path)
        random.Random("leipzig:" + path.stem).shuffle(sents)
        for i in range(0, len(sents), LEIPZIG_CHUNK):
            part = tuple(sents[i : i + LEIPZIG_CHUNK])
            if len(part) >= 3:
                chunks.append(Chunk(f"leipzig:{path.stem}:{i // LEIPZIG_CHUNK}", "leipzig", path.stem, part))
    return chunks


def read_leipzig_words(data: Path, kind: str) -> dict[str, list[str]]:
    """Leipzig ``word-pairs`` or ``single-words`` per language."""
    return {
        p.stem: _read_lines(p)
        for p in sorted((_leipzig_root(data) / kind).glob("*.txt"))
        if p.stem not in LEIPZIG_EXCLUDE
    }


_UD_LANG = {
    "English": "en",
    "Turkish": "tr",
    "German": "de",
    "Urdu": "ur",
    "Chinese": "zh",
    "Pashto": "ps",
    "French": "fr",
    "Persian": "fa",
}


def _ud_rows(tsv: Path, lang: str) -> list[tuple[str, str]]:
    """(group key, sentence) rows of one treebank's ``sentences.tsv``."""
    rows = []
    for n, row in enumerate(tsv.read_text(encoding="utf-8").splitlines()[1:]):
        parts = row.split("\t")
        if len(parts) < 4:
            continue
        text = clean_text(parts[3].replace("_", " ") if lang == "ur" else parts[3])
        if text:
            rows.append((parts[1] or f"{parts[0]}#{n // UD_CHUNK}", text))
    return rows


def read_ud_chunks(data: Path) -> list[Chunk]:
    """UD sentences grouped by document (when given) or in chunks of ``UD_CHUNK``.

    Long documents (GUM) are cut into parts of at most ``3 * UD_CHUNK``
    sentences; each part is its own body and split group.
    """
    root = ensure_extracted(data, "text-ud.tar.gz", "ud")
    chunks: list[Chunk] = []
    for tsv in sorted(root.glob("UD_*/sentences.tsv")):
        treebank = tsv.parent.name
        lang = _UD_LANG.get(treebank.removeprefix("UD_").split("-")[0])
        if lang is None:
            continue
        groups: dict[str, list[str]] = {}
        for key, text in _ud_rows(tsv, lang):
            groups.setdefault(key, []).append(text)
        for key, sents in groups.items():
            for i in range(0, len(sents), 3 * UD_CHUNK):
                part = tuple(sents[i : i + 3 * UD_CHUNK])
                if len(part) >= 3:
                    chunks.append(Chunk(f"ud:{treebank}:{key}:{i}", "ud", lang, part))
    return chunks
