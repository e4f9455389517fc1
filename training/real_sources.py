"""The real-page data sets: where pages and gold texts are, and how to read them.

``iter_refs(root)`` lists every usable page as a light ``PageRef`` (paths
only); ``load_page(ref)`` reads it into a ``Page``: decoded HTML, gold text
as labeled segments, and the ``source`` / split ``group`` of the page.

Gold segments are ``(text, label)`` pairs.  Gold main texts give ``body``
(and ``comment`` after Dragnet's ``!@#$%^&*()  COMMENTS`` line; some gold files
mistype it, ``!@ $%^&*()  COMMENTS`` or ``!@#$%^&*()  CORRECTED``, and
``COMMENTS_MARKER`` finds those too).  L3S-GN1
gives typed blocks of the whole annotated page: headline, full text and
supplemental -> ``body``, related content -> ``nav``, user comments ->
``comment``, not content -> ``chrome`` (left to the weak rules).

Split groups keep a site in one split: the site key is the registrable
name of the page's domain (``news.bbc.co.uk`` -> ``bbc``; below generic
hosts such as ``go.com`` or ``blogspot.com`` the label before them), so a
Big9 outlet, a Chaos or L3S site and a Dragnet site with the same name fall
in the same split.  Pages with no known domain are grouped by page id.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html

from training.render import decode_bytes, html_to_gold_text
from training.splits import TEST, split_of

__all__ = ["PageRef", "Page", "iter_refs", "load_page", "site_key", "CHROME"]

#: Gold label of L3S text that annotators left unselected ("not content").
CHROME = "chrome"
#: Dragnet's line between the article and the comments, as typed in its gold files:
#: ``!@#$%^&*()  COMMENTS`` in most, mistyped in about twenty (a missing or doubled
#: symbol, ``COMMNENTS``, ``CORRECTED``, no word at all); all of them have ``%^&``.
COMMENTS_MARKER = re.compile(r"^[!@#$%^&*() \t]*%\^&[!@#$%^&*() \t]*(?:[A-Z]+[ \t]*)?(?=\r?$)", re.M)
BIG9_OUTLETS = ("arstechnica", "bbc", "cnn", "forbes", "foxnews", "latimes", "nymag", "nypost", "yahoo")
_L3S_LABELS = {"1": "body", "2": "body", "3": "body", "4": "nav", "5": "comment"}
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"}
_GENERIC_HOSTS = {"go", "msn", "blogspot", "wordpress", "typepad", "posterous", "tumblr", "livejournal"}
_CANONICAL = re.compile(r"""<link[^>]+rel=["']?canonical[^>]*>|<meta[^>]+og:url[^>]*>""", re.I)
_HREF = re.compile(r"""(?:href|content)\s*=\s*["']?(https?://[^"'\s>]+)""", re.I)
_CLEANEVAL_URL = re.compile(r"""^\s*(?:URL:\s*(\S+)|<text id="([^"]+)")""")
_GOLD_MARKUP = re.compile(r"^\s*<[phl]>", re.M)
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
_LOREM = re.compile(r"lorem ipsum", re.I)


@dataclass(frozen=True)
class PageRef:
    """Where one page is: enough to load it in a worker process."""

    set_name: str
    page_id: str
    kind: str  # l3s | dragnet | cleaneval | plain | readability
    html_path: str
    gold_path: str
    url: str = ""


@dataclass
class Page:
    """A loaded page with its gold segments and corpus metadata."""

    ref: PageRef
    html: str
    gold: list[tuple[str, str]]
    source: str
    group: str
    split: str
    extra: dict[str, str] = field(default_factory=dict)


def _slug(name: str) -> str:
    return _SLUG.sub("-", name).strip("-")


def site_key(url_or_host: str) -> str:
    """Registrable name of a host: ``news.bbc.co.uk`` -> ``bbc``, ``abcnews.go.com`` -> ``abcnews``."""
    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    parts = [p for p in (host or "").lower().split(".") if p and p != "www"]
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        parts = parts[:-1]
    parts = parts[:-1] if len(parts) >= 2 else parts
    if len(parts) >= 2 and parts[-1] in _GENERIC_HOSTS:
        return parts[-2]
    return parts[-1] if parts else ""


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def _canonical_url(markup: str) -> str:
    for tag in _CANONICAL.findall(markup[:300_000]):
        m = _HREF.search(tag)
        if m:
            return m.group(1)
    return ""


def _group(url: str, set_name: str, page_id: str) -> str:
    key = site_key(url) if url else ""
    return f"site:{key}" if key else f"page:{set_name}/{page_id}"


# ---------------------------------------------------------------- listing


def _l3s_refs(root: Path) -> list[PageRef]:
    base = root / "l3s-gn1"
    urls: dict[str, str] = {}
    for line in (base / "url-mapping.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        urn, _, url = line.partition("\t")
        urls[urn.replace("<urn:uuid:", "").rstrip(">")] = url.strip()
    return [
        PageRef("l3s-gn1", p.stem, "l3s", str(p), str(base / "annotated" / p.name), urls.get(p.stem, ""))
        for p in sorted((base / "original").glob("*.html"))
        if (base / "annotated" / p.name).exists()
    ]


def _gold_dir_refs(base: Path, set_name: str, kind: str) -> list[PageRef]:
    refs = []
    for p in sorted((base / "input").glob("*.htm*")):
        gold = base / "GoldStandard" / f"{p.stem}.txt"
        if gold.exists():
            refs.append(PageRef(set_name, _slug(p.stem), kind, str(p), str(gold)))
    return refs


def _msv_refs(root: Path) -> list[PageRef]:
    base = root / "msv-big9-chaos" / "Extraction"
    refs = []
    for folder in sorted(base.iterdir()):
        set_name = "chaos" if folder.name.startswith("chaos") else "big9"
        prefix = "" if set_name == "chaos" else f"{folder.name}-"
        for p in sorted((folder / "html").glob("*.htm*")):
            gold = folder / "gold" / f"{p.stem}.txt"
            if gold.exists():
                refs.append(PageRef(set_name, _slug(prefix + p.stem), "plain", str(p), str(gold)))
    return refs


def _readability_refs(root: Path) -> list[PageRef]:
    base = root / "readability-testpages" / "test-pages"
    refs = []
    for d in sorted(base.iterdir()):
        src, gold = d / "source.html", d / "expected.html"
        if not (src.exists() and gold.exists()) or src.stat().st_size < 5000:
            continue  # the small synthetic test cases
        if _LOREM.search(gold.read_text(encoding="utf-8", errors="replace")):
            continue  # Lorem-ipsum synthetic cases
        refs.append(PageRef("readability", _slug(d.name), "readability", str(src), str(gold)))
    return refs


def iter_refs(root: Path) -> list[PageRef]:
    """Every page of every real-page set under ``root`` (the extracted archives)."""
    merged = root / "html-cleaning-merged"
    return [
        *_l3s_refs(root),
        *_gold_dir_refs(merged / "dragnet_data", "dragnet", "dragnet"),
        *_gold_dir_refs(merged / "cleaneval-dev", "cleaneval-dev", "cleaneval"),
        *_gold_dir_refs(merged / "cleaneval-final", "cleaneval-final", "cleaneval"),
        *_gold_dir_refs(merged / "CleanPortalEval-master", "cleanportaleval", "cleaneval"),
        *_msv_refs(root),
        *_readability_refs(root),
    ]


# ---------------------------------------------------------------- loading


def _read(path: str) -> str:
    return decode_bytes(Path(path).read_bytes())


def _l3s_segments(annotated: str) -> list[tuple[str, str]]:
    """Text nodes of the annotated page in order, each with its typed label."""
    root = lxml_html.document_fromstring(annotated.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    body = root.find("body")
    cache: dict[object, str] = {}

    def label_of(el: object) -> str:
        if el not in cache:
            cls = el.get("class", "") if hasattr(el, "get") else ""  # type: ignore[union-attr]
            m = re.search(r"x-nc-sel(\d)", cls or "")
            parent = el.getparent()  # type: ignore[attr-defined]
            cache[el] = (
                _L3S_LABELS.get(m.group(1), CHROME) if m else (label_of(parent) if parent is not None else CHROME)
            )
        return cache[el]

    segs: list[tuple[str, str]] = []
    for el in (body if body is not None else root).iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
            if el.tail and el.getparent() is not None:
                segs.append((el.tail, label_of(el.getparent())))
            continue
        if el.text:
            segs.append((el.text, label_of(el)))
        if el.tail and el.getparent() is not None:
            segs.append((el.tail, label_of(el.getparent())))
    return segs


def _cleaneval_gold(text: str) -> tuple[str, str]:
    """Gold text without the ``URL:`` line and ``<p>/<h>/<l>`` markers, and its URL."""
    lines = text.split("\n")
    url = ""
    if lines and lines[0].strip().startswith("URL:"):
        url = lines.pop(0).split(":", 1)[1].strip()
    return html.unescape(_GOLD_MARKUP.sub("", "\n".join(lines))), url


def _big9_outlet(markup: str) -> str:
    counts = Counter(m.group(1) for m in re.finditer(r"https?://[\w.-]*?\b(" + "|".join(BIG9_OUTLETS) + r")\.", markup))
    return counts.most_common(1)[0][0] if counts else "unknown"


def _readability_meta(path: Path) -> dict[str, str]:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in meta.items() if isinstance(v, str)}


def split_dragnet_gold(gold_raw: str) -> tuple[str, str, str]:
    """A Dragnet gold text as (article, marker line, comments); no marker: all article."""
    m = COMMENTS_MARKER.search(gold_raw)
    if not m:
        return gold_raw, "", ""
    return gold_raw[: m.start()], m.group(0), gold_raw[m.end() :]


def load_page(ref: PageRef) -> Page:
    """Read a page, its gold segments, source and split group."""
    markup = _read(ref.html_path)
    gold_raw = _read(ref.gold_path)
    url = ref.url
    if ref.kind == "l3s":
        gold = _l3s_segments(gold_raw)
        source = f"l3s-gn1:{_host(url)}"
    elif ref.kind == "dragnet":
        body, _, comments = split_dragnet_gold(gold_raw)
        gold = [(body, "body"), (comments, "comment")]
        url = _canonical_url(markup)
        source = "dragnet"
    elif ref.kind == "cleaneval":
        text, url = _cleaneval_gold(gold_raw)
        m = _CLEANEVAL_URL.match(markup)
        url = url or (m.group(1) or m.group(2) if m else "")
        if ref.set_name == "cleanportaleval":
            url = "http://" + ref.page_id.split("_")[0]
        gold = [(text, "body")]
        source = f"cleanportaleval:{_host(url)}" if ref.set_name == "cleanportaleval" else "cleaneval"
    elif ref.kind == "plain":
        gold = [(gold_raw, "body")]
        if ref.set_name == "big9":
            outlet = _big9_outlet(markup)
            url, source = f"http://{outlet}.com", f"big9:{outlet}"
        else:
            url = _canonical_url(markup)
            source = f"chaos:{_host(url)}" if url else "chaos"
    else:  # readability: the gold article lacks the headline and byline, kept in the metadata
        meta = _readability_meta(Path(ref.gold_path).with_name("expected-metadata.json"))
        gold = [
            (meta.get("title") or "", "body"),
            (meta.get("byline") or "", "body"),
            (html_to_gold_text(gold_raw), "body"),
        ]
        source = "readability"
    group = _group(url, ref.set_name, ref.page_id)
    split = TEST if ref.kind == "readability" else split_of(group)
    return Page(ref, markup, gold, source, group, split, {"url": url})
