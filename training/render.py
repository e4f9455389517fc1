"""Decode HTML pages leniently and render them to plain text like scrapers do.

Three renderers are used on purpose, because scrapers differ in where they break
lines and the model must not learn one of them:

* ``html-text``: ``html_text.extract_text(html, guess_layout=True)`` (puts the
  ``<title>`` first, one blank line between blocks);
* ``inscriptis``: ``inscriptis.get_text(html)`` (layout-preserving, indents,
  list bullets); its table padding is trimmed (trailing spaces dropped,
  indentation capped at ``MAX_INDENT``, inner space runs at 8) so that the
  corpus does not carry megabytes of blanks;
* ``text-nodes``: every text node on a line of its own, as BeautifulSoup's
  ``get_text("\\n", strip=True)`` writes it, and with it many a scraper: a link
  or a bold word inside a paragraph breaks the sentence over three lines.

Decoding order: byte-order mark, then strict UTF-8 (a valid UTF-8 byte string
is almost never meant as anything else), then the charset the page declares,
then cp1252 with replacement characters.  Line endings are normalised to
``\\n`` before anything is split, so no line text ever holds a ``\\r``.
"""

from __future__ import annotations

import codecs
import functools
import html
import re
from collections.abc import Callable

# The renderer of one more document per page (``training.real_pages``); the package names it,
# since a model's sampling decides how many of its documents train (``segclf.sampling``).
from segclf.sampling import TEXT_NODES

__all__ = ["RENDERERS", "TEXT_NODES", "decode_bytes", "render", "split_lines", "page_title", "html_to_gold_text"]

#: Renderers of every page, in both styles.
RENDERERS: tuple[str, ...] = ("html-text", "inscriptis")
#: Elements whose text no reader sees.
_INVISIBLE = ("script", "style", "noscript", "template")
#: Longest indentation kept in inscriptis output (deeper table cells are cut back to it).
MAX_INDENT = 32

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LONG_SPACES = re.compile(r"(?<=\S) {9,}")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
# Browsers read these labels as cp1252, which is a superset of latin-1's printable range.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "iso8859_1", "latin-1", "latin1", "us-ascii", "ascii", "x-user-defined"}


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:8192])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    name = "cp1252" if name in _AS_CP1252 else name
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes) -> str:
    """Decode page or gold bytes: BOM, strict UTF-8, declared charset, cp1252."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared and declared not in ("utf-8", "utf-16"):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    return data.decode("cp1252", errors="replace")


def _clean_markup(markup: str) -> str:
    """Remove what makes lxml refuse a string: XML declarations and control characters."""
    return _CONTROL.sub("", _XML_DECL.sub("", markup, count=1))


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def render(markup: str, renderer: str) -> str:
    """Visible text of a page (scripts and styles removed) in one renderer's layout."""
    import lxml.etree

    markup = _clean_markup(markup)
    if not markup.strip():
        return ""
    extract = _extractor(renderer)
    try:
        text = extract(markup)
    except (ValueError, TypeError, AttributeError, RecursionError, lxml.etree.ParserError):
        return ""
    text = normalise_newlines(text or "")
    return _tidy_padding(text) if renderer == "inscriptis" else text


def _extractor(renderer: str) -> Callable[[str], str]:
    """The function that renders a page in ``renderer``; ValueError for an unknown renderer."""
    # The renderers' libraries (the ``recipe`` extra) are imported here, not above, so that the
    # evaluation sets (``training.eval_sets``) read the renderer names without them.
    if renderer == "html-text":
        import html_text

        return functools.partial(html_text.extract_text, guess_layout=True)
    if renderer == "inscriptis":
        import inscriptis

        return inscriptis.get_text
    if renderer == TEXT_NODES:
        return _text_nodes
    raise ValueError(f"renderer must be one of {(*RENDERERS, TEXT_NODES)}, got {renderer!r}")


def _text_nodes(markup: str) -> str:
    """One line per visible text node, stripped (BeautifulSoup's ``get_text("\\n", strip=True)``)."""
    import lxml.html

    root = lxml.html.fromstring(markup)
    for element in list(root.iter(*_INVISIBLE)):
        element.drop_tree()
    return "\n".join(stripped for node in root.itertext() if (stripped := node.strip()))


def _tidy_padding(text: str) -> str:
    """Drop trailing padding and cap long space runs (inscriptis pads table cells to column width)."""
    out = []
    for line in text.split("\n"):
        line = line.rstrip()
        body = line.lstrip(" ")
        indent = min(len(line) - len(body), MAX_INDENT)
        out.append(" " * indent + _LONG_SPACES.sub(" " * 8, body))
    return "\n".join(out)


def split_lines(text: str) -> list[str]:
    """The lossless split of LABELS.md, after newline normalisation; trailing empty lines dropped."""
    lines = normalise_newlines(text).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def page_title(markup: str) -> str:
    """The text of the page's ``<title>``, whitespace collapsed ('' if none)."""
    m = _TITLE.search(markup)
    return " ".join(html.unescape(m.group(1)).split()) if m else ""


def html_to_gold_text(markup: str) -> str:
    """Render a gold article given as HTML (Readability's ``expected.html``)."""
    return render(markup, "html-text")
