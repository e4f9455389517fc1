"""The parts of a composed news page: body, chrome blocks and foreign lines.

A :class:`Page` holds what one document needs (its language, split, random
generator, the chrome lexicon and the language's text material) and builds
*blocks*: lists of ``(text, label)`` lines that belong together (a menu, a
paragraph, a comment form).  ``training.compose`` decides which blocks a page
gets and joins them with blank lines.

Labels follow LABELS.md by construction: every chrome string comes with a role
(``comment.title``, ``nav.section``, ``ad.marker``...) whose prefix is its
label; a string from another language's lexicon or article is ``foreign``
unless it has no language of its own.  Lines without language (names, dates in
digits, numbers, URLs, e-mail addresses, ``©`` lines, emoji rows, social-network
names, language-switcher entries) are generated separately and always carry
the label of the block they sit in: they are the hard negatives of ``foreign``.

Foreign candidates are checked against the page language: a text that the
page language also uses (``Iklan`` is Indonesian and Malay), or a one-word
line in the page's own script (``Name`` under English, ``Video`` under
German) is never used as a foreign line.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from training.langs import AUTONYMS, LANG_NAMES, LATIN_LOANWORD_LANGS, SCRIPT_OF_LANG, main_script, names_for
from training.uistrings import UILexicon, UIString, fill, role_label

__all__ = ["Body", "Material", "Page", "Line", "Block", "LOANWORDS_NAV", "ENGLISH_MENU", "variant_of"]

Line = tuple[str, str]
Block = list[Line]

BODY, NAV, AD, COMMENT, FOREIGN = "body", "nav", "ad", "comment", "foreign"

#: English words that Latin-script languages use as menu items (not foreign there).
LOANWORDS_NAV = ("Home", "Blog", "Video", "Login", "Podcast", "Live", "Online")
LOANWORDS_AD = ("Newsletter", "Shop")
#: English menu words: foreign on pages in a non-Latin script (LABELS.md).
ENGLISH_MENU = (
    "MENU",
    "HOME",
    "Latest",
    "Search",
    "Login",
    "Video",
    "Blog",
    "Sign in",
    "LIVE",
    "Most popular",
    "Top stories",
    "Contact us",
    "Read more",
    "Subscribe",
    "Share",
    "NEWS",
)
#: English frames with names and dates: foreign under any other language.
ENGLISH_FRAMES = (
    "Posted on {date} by {name}",
    "Leave a Reply to {name}",
    "Posted in {cat}",
    "Comments are closed.",
    "Share this:",
    "Like this:",
    "Continue reading",
    "Leave a comment",
    "Written by {name}",
    "Posted by {name} on {date}",
    "Click to share on Facebook",
    "{name} on {date} said:",
    "Read more",
    "This entry was posted in {cat}.",
)
SOCIAL = (
    "Facebook",
    "Twitter",
    "Instagram",
    "YouTube",
    "WhatsApp",
    "Telegram",
    "LinkedIn",
    "TikTok",
    "Pinterest",
    "VK",
    "X",
)
SITES = (
    "NovaPress",
    "Meridian24",
    "Kuriero",
    "Zetamedia",
    "Infonet360",
    "Altair",
    "Vertex.tv",
    "PressOne",
    "Orbis",
    "Kronos24",
    "Polarix",
    "Tempora",
)
THEMES = (
    ("Gazette", "Automattic"),
    ("Twenty Twenty", "WordPress.org"),
    ("Newspaper", "tagDiv"),
    ("ColorMag", "ThemeGrill"),
    ("Astra", "Brainstorm Force"),
)
EMOJI_ROWS = ("👍 ❤️ 😂 😮 😢 😡", "👍 12  👎 3", "★★★★☆", "❤️ 24", "🔥🔥🔥", "👏👏", "😂😂😂", "👍 5")
DATE_FORMATS = (
    "{d:02d}.{m:02d}.{y}",
    "{d:02d}/{m:02d}/{y}",
    "{y}-{m:02d}-{d:02d}",
    "{d}.{m}.{y}",
    "{m}/{d}/{y}",
    "{y}/{m:02d}/{d:02d}",
)

_WORD = re.compile(r"\w+", re.UNICODE)
_NO_SPACE_SCRIPTS = frozenset({"Hani", "Jpan", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})
_CASED_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek", "Armn"})


@dataclass(frozen=True)
class Body:
    """The article of a composed page."""

    group: str  # split group, e.g. "ntrex:bbc.381790"
    source: str  # ntrex | leipzig | ud
    variant: str  # NTREX file code or the source name, e.g. "zho-TW", "leipzig"
    lang: str
    headline: str
    sentences: tuple[str, ...]
    script: str  # main script of the text, e.g. "Latn" for Serbian Latin


@dataclass
class Material:
    """Text of one language usable around a body: headlines, short sentences, words.

    ``headlines`` and ``sentences`` are keyed by side (``train`` holds train and
    dev groups, ``test`` the test groups) so a page only quotes its own side,
    and also by ``side:variant`` for languages written two ways (Serbian
    ``Cyrl``/``Latn``, Chinese ``Hans``/``Hant``) so a page mostly quotes its
    own variant.
    """

    headlines: dict[str, list[str]] = field(default_factory=lambda: {"train": [], "test": []})
    sentences: dict[str, list[str]] = field(default_factory=lambda: {"train": [], "test": []})
    words: list[str] = field(default_factory=list)


def words_of(text: str) -> int:
    """Number of words (for scripts without spaces: letters / 2)."""
    if main_script(text) in _NO_SPACE_SCRIPTS:
        return sum(ch.isalpha() for ch in text) // 2
    return len(_WORD.findall(text))


class Page:
    """One document being composed: language, split, randomness and builders."""

    def __init__(
        self,
        *,
        lang: str,
        chrome_lang: str,
        split: str,
        rng: random.Random,
        lex: UILexicon,
        material: dict[str, Material],
        pools: tuple[str, ...],
        fallback: tuple[str, ...],
        script: str,
        close: tuple[str, ...] = (),
    ) -> None:
        self.lang = lang
        self.chrome_lang = chrome_lang
        self.split = split
        self.side = "test" if split == "test" else "train"
        self.rng = rng
        self.lex = lex
        self.material = material
        self.pools = pools
        self.fallback = fallback
        self.script = script
        self.close = close
        self.variant = variant_of(lang, script, chrome_lang)
        self.site = rng.choice(SITES)
        self.names = names_for(lang)
        self.date = self._date()
        self.used_keys: list[str] = []
        self.fallback_keys: list[str] = []
        own = set(lex.all_texts.get(chrome_lang, set())) | set(lex.all_texts.get(lang, set()))
        if lang == "sr":
            own |= lex.all_texts.get("sr-Latn", set())
        self.own_texts = own

    # ------------------------------------------------------------------ values
    def _date(self) -> str:
        y, m, d = self.rng.randint(2014, 2025), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.rng.choice(DATE_FORMATS).format(y=y, m=m, d=d)

    def time(self) -> str:
        return f"{self.rng.randint(0, 23):02d}:{self.rng.randint(0, 59):02d}"

    def name(self) -> str:
        return self.rng.choice(self.names)

    def _pool(self, table: dict[str, list[str]], lang: str) -> list[str]:
        """This page's side of a material table; its own script variant 85% of the time."""
        if lang == self.lang and self.variant and self.rng.random() < 0.85:
            own = table.get(f"{self.side}:{self.variant}")
            if own:
                return own
        return table.get(self.side, [])

    def headline(self, lang: str | None = None) -> str:
        """Another article's headline in ``lang`` (the page language by default)."""
        lang = lang or self.lang
        mat = self.material.get(lang)
        pool = self._pool(mat.headlines, lang) if mat else []
        return self.rng.choice(pool) if pool else ""

    def sentence(self, lang: str | None = None, max_len: int = 200) -> str:
        """A short sentence of ``lang`` from this page's side (comments, quotes)."""
        lang = lang or self.lang
        mat = self.material.get(lang)
        if not mat:
            return ""
        pool = self._pool(mat.sentences, lang)
        for _ in range(8):
            if not pool:
                return ""
            s = self.rng.choice(pool)
            if 15 <= len(s) <= max_len:
                return s
        return ""

    def values(self, lang: str) -> dict[str, str]:
        """Fillers for placeholders of a string in ``lang``."""
        theme, author = self.rng.choice(THEMES)
        section = self.marker_text("nav.section", lang) or ""
        purposes = [self._text_of_role("nav.cookie_item", lang) or "" for _ in range(2)]
        return {
            "name": self.name(),
            "headline": self.headline(lang) or self.headline(),
            "num": str(self.rng.randint(2, 48)),
            "date": self.date,
            "time": self.time(),
            "star": "*",
            "site": self.site,
            "cat": section,
            "wp": "WordPress",
            "theme": theme,
            "author": author,
            "purposes": ", ".join(p for p in dict.fromkeys(purposes) if p),
            "privacy": self._text_of_role("nav.footer", lang) or "",
        }

    # ------------------------------------------------------------- lexicon
    def _candidates(self, role: str, lang: str) -> list[tuple[UIString, list[str]]]:
        cands = self.lex.candidates(role, lang, self.pools)
        if not cands and self.fallback:
            cands = self.lex.candidates(role, lang, self.fallback)
            if cands:
                self.fallback_keys.append(role)
        return cands

    def _text_of_role(self, role: str, lang: str) -> str | None:
        """A raw text of ``role`` for filling a placeholder (any pool: fillers are not measured chrome)."""
        cands = self.lex.candidates(role, lang, ("train", "test", "both"))
        if not cands:
            return None
        return self.rng.choice(self.rng.choice(cands)[1])

    def ui(self, role: str, lang: str | None = None) -> str | None:
        """A filled chrome string of ``role`` in ``lang`` (the page's chrome language by default)."""
        lang = lang or self.chrome_lang
        cands = self._candidates(role, lang)
        if not cands:
            return None
        e, texts = self.rng.choice(cands)
        self.used_keys.append(e.key)
        text = fill(self.rng.choice(texts), e.kinds, self.values(lang))
        return text or None

    def marker_text(self, role: str, lang: str) -> str | None:
        """A raw text of ``role`` without bookkeeping (section names as fillers)."""
        return self._text_of_role(role, lang)

    def has_role(self, role: str, lang: str | None = None) -> bool:
        return bool(self._candidates(role, lang or self.chrome_lang))

    # ------------------------------------------------------------- foreign
    def foreign_ok(self, text: str, src: str = "", sentence: bool = False) -> bool:
        """Whether ``text`` (of language ``src``) can be a foreign line on this page.

        Never a text the page language uses itself.  In the page's own script a
        line needs enough words to show its language: an interface string two
        (three from a close language, ``NEIGHBOURS``), a sentence three (six
        from a close language: a short Malay sentence can be Indonesian too).
        """
        if not text or text.casefold() in self.own_texts:
            return False
        script = main_script(text)
        if not script:
            return False
        same_script = script == self.script or (script in ("Hani", "Jpan") and self.script in ("Hani", "Jpan"))
        need = (6 if src in self.close else 3) if sentence else (3 if src in self.close else 2)
        if same_script and words_of(text) < need:
            return False
        if self.lang in LATIN_LOANWORD_LANGS and text.strip(" :*").title() in LOANWORDS_NAV + LOANWORDS_AD:
            return False
        return True

    def foreign_ui(self, role: str, lang: str) -> str | None:
        """A chrome string of another language usable as a foreign line, or None."""
        for _ in range(4):
            text = self.ui(role, lang)
            if text and self.foreign_ok(text, lang):
                return text
        return None

    # ------------------------------------------------------------- body
    def body_blocks(self, body: Body) -> list[Block]:
        """Headline, optional byline and the paragraphs of the article."""
        blocks: list[Block] = []
        head = body.headline
        if self.rng.random() < 0.12:  # the scraper's title line, then the H1
            suffix = f" - {self.site}" if self.rng.random() < 0.5 else ""
            blocks.append([(head + suffix, BODY)])
        blocks.append([(head, BODY)])
        if self.rng.random() < 0.4:
            blocks.append(self.byline())
        blocks.extend([(p, BODY)] for p in self.paragraphs(body))
        return blocks

    def paragraphs(self, body: Body) -> list[str]:
        """Sentences grouped into 1-3-sentence paragraphs (at most 15)."""
        joiner = "" if body.script in ("Hani", "Jpan") else " "
        sents = list(body.sentences)
        paras: list[str] = []
        i = 0
        while i < len(sents):
            n = self.rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0]
            if len(sents) - i > 3 * (15 - len(paras)):
                n = 3
            paras.append(joiner.join(sents[i : i + n]))
            i += n
        return paras

    def byline(self) -> Block:
        """A byline / dateline: in the page language where the lexicon allows, else neutral."""
        r = self.rng.random()
        sep = self.rng.choice((" · ", " | ", " - ", ", "))
        if r < 0.3 and (text := self.ui("body.byline")):
            return [(text + (sep + self.date if self.rng.random() < 0.5 else ""), BODY)]
        if r < 0.5 and (text := self.ui("body.dateline")):
            return [(text, BODY)]
        if r < 0.6 and (prefix := self.ui("body.byline_prefix")):
            return [(f"{prefix} {self.name()}", BODY)]
        if r < 0.8:
            return [(self.name(), BODY), (f"{self.date} {self.time()}", BODY)]
        return [(self.date, BODY)]

    # ------------------------------------------------------------- inline inserts
    def ad_marker(self) -> Block:
        text = self.ui("ad.marker")
        if not text:
            return []
        form = self.rng.choice(("- {} -", "{}", "— {} —", "{}", "[ {} ]"))
        text = form.format(text)
        if self.rng.random() < 0.2:
            text = text.upper()
        block = [(text, AD)]
        if self.rng.random() < 0.25 and (more := self.ui("nav.inline")):
            block.append((more, NAV))
        return block

    def teaser(self) -> Block:
        """``READ MORE: <other headline>`` between paragraphs (nav)."""
        prefix = self.ui("nav.readmore_prefix")
        head = self.headline()
        if not prefix or not head:
            return []
        if self.rng.random() < 0.4:
            prefix = prefix.upper()
        if self.rng.random() < 0.7:
            return [(f"{prefix}: {head}", NAV)]
        return [(prefix, NAV), (head, NAV)]

    # ------------------------------------------------------------- header chrome
    def menu(self) -> Block:
        """Menu items: sections, site pages, loanwords; one per line or joined."""
        items: list[tuple[str, str]] = []
        for _ in range(self.rng.randint(3, 8)):
            role = self.rng.choice(("nav.section", "nav.section", "nav.section", "nav.item", "nav.item"))
            text = self.ui(role)
            if text and text not in [t for t, _ in items]:
                items.append((text, NAV))
        # a Donate or Get the app item is ad even in a menu (LABELS.md)
        if self.rng.random() < 0.15 and (t := self.ui("ad.menu")):
            items.insert(self.rng.randint(0, len(items)), (t, AD))
        if self.lang in LATIN_LOANWORD_LANGS and self.rng.random() < 0.35:
            items.insert(self.rng.randint(0, len(items)), (self.rng.choice(LOANWORDS_NAV), NAV))
            if self.rng.random() < 0.3:
                items.append((self.rng.choice(LOANWORDS_AD), AD))
        if not items:
            return []
        if self.rng.random() < 0.2 and (m := self.ui("nav.menu")):
            items.insert(0, (m, NAV))
        if self.rng.random() < 0.5:
            return items
        sep = self.rng.choice(("  ", " | ", " · ", " • ", "\u00a0 ", " / "))
        return [(sep.join(t for t, _ in items), NAV)]

    def language_switcher(self) -> Block:
        """Language names written as their speakers write them (nav, never foreign)."""
        langs = [self.lang] + self.rng.sample([c for c in AUTONYMS if c != self.lang], self.rng.randint(1, 4))
        langs = [c for c in langs if c in AUTONYMS]
        self.rng.shuffle(langs)
        style = self.rng.random()
        if style < 0.4:
            names = [AUTONYMS[c][0] for c in langs]
        elif style < 0.7:
            names = [self.rng.choice(AUTONYMS[c]) for c in langs]
        elif self.script == "Latn":  # English names (seed 004: "persian contact English"), Latin pages only
            names = [LANG_NAMES[c].split(" ")[0] for c in langs]
            if self.rng.random() < 0.5:
                names = [n.lower() for n in names]
        else:
            names = [AUTONYMS[c][-1] for c in langs]
        if self.rng.random() < 0.35:
            return [(n, NAV) for n in names]
        return [(self.rng.choice((" | ", " ", " / ", "\u00a0 ")).join(names), NAV)]

    def breadcrumbs(self, headline: str) -> Block:
        home = self.ui("nav.item") or self.site
        section = self.ui("nav.section")
        parts = [home] + ([section] if section else [])
        if self.rng.random() < 0.4:
            parts.append(headline[:60])
        return [(self.rng.choice((" › ", " > ", " » ", " / ")).join(parts), NAV)]

    def header(self, headline: str, density: float) -> list[Block]:
        """Top-of-page chrome: skip link, site name, date, menu, switcher, search."""
        blocks: list[Block] = []
        r = self.rng.random
        if r() < 0.3 * density and (t := self.ui("nav.skip")):
            blocks.append([(t, NAV)])
        if r() < 0.35 * density:
            blocks.append([(self.rng.choice((self.site, self.site.upper(), f"{self.site.lower()}.com")), NAV)])
        if r() < 0.15 * density:
            blocks.append([(f"{self.date}", NAV)])
        if r() < 0.7 * density:
            blocks.append(self.menu())
        if r() < 0.15 * density:
            blocks.append(self.language_switcher())
        if r() < 0.2 * density:
            blocks.append([(t, NAV)] if (t := self.ui("nav.search")) else [])
        if r() < 0.2 * density:
            blocks.append([(self.rng.choice((" ", " | ", "  ")).join(self.rng.sample(SOCIAL, 4)), NAV)])
        if r() < 0.25 * density:
            blocks.append(self.breadcrumbs(headline))
        return [b for b in blocks if b]

    # ------------------------------------------------------------- after the article
    def tags(self, body: Body) -> Block:
        prefix = self.ui("nav.tags")
        words = self.tag_words(body)
        if not prefix or not words:
            return []
        if self.rng.random() < 0.6:
            sep = self.rng.choice((", ", " ", " | ", " · "))
            return [(f"{prefix.rstrip(':')}: {sep.join(words)}", NAV)]
        return [(prefix, NAV)] + [(w, NAV) for w in words]

    def tag_words(self, body: Body) -> list[str]:
        """Tags: names in the article (capitalised words), section names, Leipzig words."""
        cands: list[str] = []
        if body.script in _CASED_SCRIPTS:
            for s in body.sentences[:8]:
                words = _WORD.findall(s)[1:]  # not the sentence's first word
                cands += [w for w in words if len(w) > 3 and w[0].isupper() and not w.isupper()]
        mat = self.material.get(self.lang)
        if mat and mat.words:
            long_words = [w for w in mat.words if len(w) >= 5]
            cands += self.rng.sample(long_words, min(3, len(long_words)))
        cands += [t for t in (self.ui("nav.section") for _ in range(2)) if t]
        cands = list(dict.fromkeys(cands))
        return self.rng.sample(cands, min(len(cands), self.rng.randint(2, 5))) if cands else []

    def share_bar(self) -> Block:
        lines: Block = []
        if t := self.ui("nav.share"):
            lines.append((t, NAV))
        r = self.rng.random()
        if r < 0.4:
            lines.append((self.rng.choice((" ", " | ", "  ")).join(self.rng.sample(SOCIAL, 3)), NAV))
        elif r < 0.7:
            lines += [(s, NAV) for s in self.rng.sample(SOCIAL, 3)]
        if self.rng.random() < 0.3:
            lines.append((str(self.rng.randint(2, 999)), NAV))  # share count
        if self.rng.random() < 0.3 and (t := self.ui("nav.share")):
            lines.append((t, NAV))
        return lines

    def related(self, n: int) -> Block:
        title = self.ui("nav.related")
        heads = [h for h in (self.headline() for _ in range(n)) if h]
        if not title or not heads:
            return []
        block: Block = [(title, NAV)]
        for h in dict.fromkeys(heads):
            block.append((h, NAV))
            if self.rng.random() < 0.2:
                block.append((self._date(), NAV))
        return block

    def post_navigation(self) -> Block:
        block: Block = []
        if self.rng.random() < 0.4 and (t := self.ui("nav.postnav")):
            block.append((t, NAV))
        for _ in range(2):
            if t := self.ui("nav.postnav"):
                block.append((t, NAV))
            if h := self.headline():
                block.append((h, NAV))
        return block

    def author_box(self) -> Block:
        name = self.name()
        line = self.ui("nav.author")
        return [(name, NAV)] + ([(line, NAV)] if line else [])

    def sponsored_widget(self) -> Block:
        title = self.ui(self.rng.choice(("ad.widget", "ad.marker")))
        texts = [h for h in (self.headline() for _ in range(self.rng.randint(2, 3))) if h]
        if not title or not texts:
            return []
        return [(title, AD)] + [(t, AD) for t in texts]

    def _strings_in(self, lang: str | None) -> Callable[[str], str | None]:
        """The interface string of a role: in ``lang`` (a foreign block) or the page's language."""
        return (lambda role: self.foreign_ui(role, lang)) if lang else self.ui

    def _some_roles(self, roles: Sequence[tuple[str, float]], label: str, lang: str | None) -> Block:
        """A block with each role's string kept with its probability, in order."""
        get = self._strings_in(lang)
        return [(t, label) for role, p in roles if self.rng.random() < p and (t := get(role))]

    def newsletter(self, lang: str | None = None, label: str = AD) -> Block:
        """Newsletter / app / donation box; with ``lang`` and ``label=foreign`` a foreign one."""
        roles = (
            ("ad.title", 0.8),
            ("ad.text", 0.7),
            ("ad.field", 0.5),
            ("ad.button", 0.7),
            ("ad.app", 0.15),
            ("ad.donate", 0.15),
        )
        return self._some_roles(roles, label, lang)

    # ------------------------------------------------------------- comments
    def comment_header(self, n_comments: int) -> Block:
        block: Block = []
        roles = ("comment.count", "comment.count1", "comment.header") if n_comments else ("comment.count0",)
        role = self.rng.choice(roles)
        if t := self.ui(role):
            block.append((t, COMMENT))
        if self.rng.random() < 0.15:
            block.append((str(self.rng.randint(1, 60)), COMMENT))
        return block

    def reader_comments(self, n: int, foreign_lang: str | None = None) -> list[Block]:
        """Reader comments: name, date, text, reply link; one may be in another language."""
        blocks: list[Block] = []
        foreign_at = self.rng.randrange(n) if foreign_lang else -1
        for i in range(n):
            block: Block = []
            name = self.name()
            says = self.ui("comment.says") if self.rng.random() < 0.3 else None
            block.append((says or name, COMMENT))
            r = self.rng.random()
            if r < 0.35 and (t := self.ui("comment.date")):
                block.append((t, COMMENT))
            elif r < 0.8:
                block.append((self._date() + (f" {self.time()}" if self.rng.random() < 0.5 else ""), COMMENT))
            text = self.sentence(foreign_lang) if i == foreign_at and foreign_lang else ""
            if text and self.foreign_ok(text, foreign_lang or "", sentence=True):
                block.append((text, FOREIGN))
            elif own := self.sentence():
                block.append((own, COMMENT))
                if self.rng.random() < 0.25 and (more := self.sentence()):
                    block.append((more, COMMENT))
            if self.rng.random() < 0.1:
                block.append((self.rng.choice(EMOJI_ROWS), COMMENT))
            if self.rng.random() < 0.45 and (t := self.ui("comment.reply")):
                block.append((t, COMMENT))
            blocks.append(block)
        return blocks

    def comment_form(self, lang: str | None = None) -> Block:
        """The comment form; with ``lang`` a foreign one (every line with language is foreign)."""
        label = FOREIGN if lang else COMMENT
        get = self._strings_in(lang)
        block: Block = []
        if self.rng.random() < 0.1 and (t := get("comment.closed")):
            return [(t, label)]
        if self.rng.random() < 0.12 and (t := get("comment.login")):
            return [(t, label)]
        if t := get("comment.title"):
            block.append((t, label))
        note, req = get("comment.note"), get("comment.required")
        if note and req and self.rng.random() < 0.6:
            block.append((f"{note} {req}", label))
        else:
            block += [(t, label) for t in (note, req) if t]
        fields = [t for t in (get("comment.field") for _ in range(4)) if t]
        for f in dict.fromkeys(fields):
            block.append((f + self.rng.choice(("", " *", "*", ":")), label))
        if self.rng.random() < 0.6 and (t := get("comment.consent")):
            block.append((t, label))
        if t := get("comment.submit"):
            block.append((t, label))
        return block

    # ------------------------------------------------------------- footer
    def footer(self, density: float) -> list[Block]:
        blocks: list[Block] = []
        r = self.rng.random
        if r() < 0.35 * density and (t := self.ui("nav.widget")):
            items = [h for h in (self.headline() for _ in range(self.rng.randint(2, 5))) if h]
            blocks.append([(t, NAV)] + [(h, NAV) for h in items])
        if r() < 0.15 * density and (t := self.ui("nav.recent_comment")):
            blocks.append([(t, NAV)])
        if r() < 0.3 * density:
            blocks.append(self.cookie_notice())
        if r() < 0.2 * density:
            blocks.append(
                [
                    (
                        f"{self.site.lower()}@{self.rng.choice(('gmail.com', 'mail.com'))}"
                        if r() < 0.3
                        else f"redaktion@{self.site.lower()}.com",
                        NAV,
                    )
                ]
            )
        if r() < 0.15 * density:
            blocks.append(
                [
                    (
                        f"https://www.{self.site.lower()}.com/{self.rng.randint(2015, 2025)}/"
                        f"{self.rng.randint(1, 12):02d}/{self.rng.randint(1000, 99999)}",
                        NAV,
                    )
                ]
            )
        if r() < 0.5 * density:
            blocks.append(self.copyright())
        if r() < 0.2 * density and (t := self.ui(self.rng.choice(("nav.footer", "nav.footer", "nav.copyright")))):
            blocks.append([(t, NAV)])
        if r() < 0.15 * density and (t := self.ui("nav.follow")):
            blocks.append([(t, NAV), (" ".join(self.rng.sample(SOCIAL, 4)), NAV)])
        return [b for b in blocks if b]

    def copyright(self) -> Block:
        year = self.rng.randint(2015, 2025)
        rights = self.ui("nav.copyright")
        r = self.rng.random()
        if r < 0.3:
            return [(f"© {year} {self.site}", NAV)]
        if r < 0.4:
            return [(f"© {year}", NAV)]
        if rights:
            return [(f"© {year} {self.site}. {rights}.", NAV)]
        return [(f"Copyright © {year} {self.site}", NAV)]

    def cookie_notice(self, lang: str | None = None) -> Block:
        roles = (("nav.cookie_title", 0.5), ("nav.cookie_text", 0.9), ("nav.cookie_btn", 0.7), ("nav.cookie_btn", 0.4))
        return self._some_roles(roles, FOREIGN if lang else NAV, lang)

    # ------------------------------------------------------------- foreign events
    def english_menu(self) -> Block:
        """English menu words on a non-Latin page: foreign (LABELS.md)."""
        words = self.rng.sample(ENGLISH_MENU, self.rng.randint(1, 3))
        if self.rng.random() < 0.5:
            return [(w, FOREIGN) for w in words]
        return [(" | ".join(words), FOREIGN)]

    def english_frame(self) -> Block:
        """A whole-line English frame with names/dates (``Posted on ... by Admin``): foreign."""
        section = self.marker_text("nav.section", self.chrome_lang) or self.site
        frame = self.rng.choice(ENGLISH_FRAMES)
        text = frame.format(date=self.date, name=self.name(), cat=section, time=self.time())
        return [(text, FOREIGN)] if self.foreign_ok(text, "en") else []

    def foreign_quote(self, lang: str) -> Block:
        text = self.sentence(lang, max_len=400)
        return [(text, FOREIGN)] if text and self.foreign_ok(text, lang, sentence=True) else []


def variant_of(lang: str, script: str, chrome_lang: str) -> str:
    """Script variant of a page in a language written two ways ('' for the others)."""
    if lang == "sr":
        return "Latn" if script == "Latn" else "Cyrl"
    if lang == "zh":
        return "Hant" if chrome_lang == "zh-Hant" else "Hans"
    return ""


def label_of_role(role: str) -> str:
    """Label of a chrome role (re-exported for callers that build their own lines)."""
    return role_label(role)


def page_script(lang: str, body_script: str) -> str:
    """The script of the page: the body's, or the language's usual one."""
    return body_script or SCRIPT_OF_LANG.get(lang, "Latn")
