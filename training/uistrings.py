"""Website interface strings by function and language: the chrome of composed pages.

Sources (``ui-strings.tar.gz``): ``_lexicon_po.json`` (WordPress core, the
wpcom themes and Mailchimp for WordPress, msgid -> locale -> translations),
giscus (comment widget, JSON) and klaro (cookie notice, YAML), plus segclf's
own hand-made ``training/lexicon/markers.json`` (advertising, share, related,
footer markers that none of the sources has).

Only *front-end* strings are used, from a curated list of keys, each with a
*role* (what the string does on a page, which fixes its label) and the kinds of
values its placeholders take.  Cleaning: the msgctxt prefix (``ctx\\x04``) is
dropped, HTML entities are decoded and tags removed (the inner text of
screen-reader spans stays, as it does in scraped text), and placeholders
(``%s``, ``%1$s``, ``%d``, ``%``, ``{{count}}``, ``{purposes}``) are kept
as slots for :func:`fill`.  A translation is dropped when it is the English
msgid left untranslated (two words or more) or is not written in the
language's script.

Chrome strings are split like documents so that test documents can show
chrome the model never saw: :func:`chrome_pool` hashes each key into a
``train`` pool (75%) and a ``test`` pool (25%); the few strings of the seed
documents' comment form and the core ad marker are in ``CORE_KEYS``, shared
by both pools, because without them training would never see the most common
chrome there is.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from training.langs import SCRIPT_OF_LANG, locale_to_iso, main_script, sr_to_latin
from training.splits import split_of
from training.text_sources import clean_text, ensure_extracted

__all__ = [
    "UIString",
    "UILexicon",
    "load_lexicon",
    "fill",
    "hashed_pool",
    "assign_pools",
    "CORE_KEYS",
    "role_label",
    "clean_ui",
    "accept_translation",
    "strip_placeholders",
    "MARKERS_PATH",
]

MARKERS_PATH = Path(__file__).parent / "lexicon" / "markers.json"

# (key, role, placeholder kinds) for the WordPress / wpcom / Mailchimp .po strings.
# Kinds: name, headline, num, date, time, star, site, cat, wp, theme, tags.
PO_STRINGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # --- nav: header, menus, search
    ("Skip to content", "nav.skip", ()),
    ("Menu", "nav.menu", ()),
    ("Primary Menu", "nav.menu", ()),
    ("Main Menu", "nav.menu", ()),
    ("Main menu", "nav.menu", ()),
    ("Open menu", "nav.menu", ()),
    ("Close Menu", "nav.menu", ()),
    ("Home", "nav.item", ()),
    ("nav menu home label\x04Home", "nav.item", ()),
    ("About", "nav.item", ()),
    ("Contact Us", "nav.item", ()),
    ("Log in", "nav.item", ()),
    ("Register", "nav.item", ()),
    ("Featured", "nav.item", ()),
    ("Videos", "nav.item", ()),
    ("Search", "nav.search", ()),
    ("submit button\x04Search", "nav.search", ()),
    ("Search for:", "nav.search", ()),
    ("label\x04Search for:", "nav.search", ()),
    ("placeholder\x04Search &hellip;", "nav.search", ()),
    # --- nav: widgets and archive lists
    ("Recent Posts", "nav.widget", ()),
    ("Recent Comments", "nav.widget", ()),
    ("Archives", "nav.widget", ()),
    ("Categories", "nav.widget", ()),
    ("Tags", "nav.widget", ()),
    ("Most Used Categories", "nav.widget", ()),
    ("%1$s on %2$s", "nav.recent_comment", ("name", "headline")),
    # --- nav: post meta, read-more and post navigation
    ("Continue reading", "nav.readmore", ()),
    ("Continue reading %s", "nav.readmore", ("headline",)),
    ("Read more", "nav.readmore", ()),
    ("Read More", "nav.readmore", ()),
    ("Post navigation", "nav.postnav", ()),
    ("Posts navigation", "nav.postnav", ()),
    ("Previous Post", "nav.postnav", ()),
    ("Next Post", "nav.postnav", ()),
    ("Previous post:", "nav.postnav", ()),
    ("Next post:", "nav.postnav", ()),
    ("Older posts", "nav.postnav", ()),
    ("Newer posts", "nav.postnav", ()),
    ("Tags:", "nav.tags", ()),
    ("Used before tag names.\x04Tags", "nav.tags", ()),
    ("Tagged", "nav.tags", ()),
    ("Posted in", "nav.cats", ()),
    ("Used before category names.\x04Categories", "nav.cats", ()),
    ("Posted in %1$s", "nav.cats_line", ("cat",)),
    ("Category: %s", "nav.cats_line", ("cat",)),
    ("View all posts by %s", "nav.author", ("name",)),
    ("All posts by %s", "nav.author", ("name",)),
    ("Uncategorized", "nav.category", ()),
    # --- nav: footer
    ("Proudly powered by %s", "nav.footer", ("wp",)),
    ("Powered by WordPress", "nav.footer", ()),
    ("Theme: %1$s by %2$s.", "nav.footer", ("theme", "author")),
    ("Privacy Policy", "nav.footer", ()),
    # --- body: bylines and datelines
    ("By %s", "body.byline", ("name",)),
    ("post author\x04by %s", "body.byline", ("name",)),
    ("Posted by", "body.byline_prefix", ()),
    ("post date\x04Posted on %s", "body.dateline", ("date",)),
    ("Used before publish date.\x04Posted on", "body.dateline_prefix", ()),
    # --- comment: header, count, form
    ("Leave a Reply", "comment.title", ()),
    ("Leave a reply", "comment.title", ()),
    ("Leave a comment", "comment.title", ()),
    ("Leave a Comment", "comment.title", ()),
    ("Leave a Reply to %s", "comment.title", ("name",)),
    ("Your email address will not be published.", "comment.note", ()),
    ("Required fields are marked %s", "comment.required", ("star",)),
    ("Comment", "comment.field", ()),
    ("Name", "comment.field", ()),
    ("Email", "comment.field", ()),
    ("Website", "comment.field", ()),
    ("Post Comment", "comment.submit", ()),
    ("Save my name, email, and website in this browser for the next time I comment.", "comment.consent", ()),
    ("Cancel reply", "comment.misc", ()),
    ("Click here to cancel reply.", "comment.misc", ()),
    ("Reply", "comment.reply", ()),
    ("Log in to Reply", "comment.reply", ()),
    ("Reply to %s", "comment.reply", ("name",)),
    ('You must be <a href="%s">logged in</a> to post a comment.', "comment.login", ("",)),
    ("Log in to leave a Comment", "comment.login", ()),
    ("Your comment is awaiting moderation.", "comment.misc", ()),
    ("Comments are closed.", "comment.closed", ()),
    ("% Comments", "comment.count", ("num",)),
    ("1 Comment", "comment.count1", ()),
    ("No comments", "comment.count0", ()),
    ("One comment so far", "comment.count1", ()),
    ("Comments", "comment.header", ()),
    ("comments title\x04One thought on &ldquo;%2$s&rdquo;", "comment.count1", ("", "headline")),
    ("comments title\x04%1$s thought on &ldquo;%2$s&rdquo;", "comment.count", ("num", "headline")),
    ("Comment navigation", "comment.nav", ()),
    ("Older Comments", "comment.nav", ()),
    ("Newer Comments", "comment.nav", ()),
    ("%1$s at %2$s", "comment.date", ("date", "time")),
    ('%s <span class="says">says:</span>', "comment.says", ("name",)),
    ("Pingback:", "comment.pingback", ()),
    ("In reply to %s.", "comment.inreply", ("name",)),
    # --- ad: newsletter and subscription
    ("Subscribe", "ad.button", ()),
    ("SUBSCRIBE", "ad.button", ()),
    ("Sign up", "ad.button", ()),
    ("Newsletter", "ad.title", ()),
    ("Email Address", "ad.field", ()),
    ("First Name", "ad.field", ()),
    ("Subscribe to our newsletter to get the latest stories in your inbox.", "ad.text", ()),
    ("Subscribe for more posts like this", "ad.text", ()),
    ("Enter your email and hit the subscribe button to receive our latest stories in your inbox.", "ad.text", ()),
    ("Our newsletter rocks! Sign up here to receive every post in your inbox.", "ad.text", ()),
    ("More subscribers, better newsletters.", "ad.text", ()),
    ("Learn how to best grow your lists & write better emails by subscribing to our monthly tips.", "ad.text", ()),
    ("Successfully subscribed", "ad.status", ()),
    ("Already subscribed", "ad.status", ()),
)

# giscus comment widget keys (plural objects use their "other" form).
GISCUS_STRINGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("comments", "comment.count", ("num",)),
    ("reactions", "comment.count", ("num",)),
    ("writeAComment", "comment.title", ()),
    ("signInToComment", "comment.login", ()),
    ("signInWithGitHub", "comment.login", ()),
    ("reply", "comment.reply", ()),
    ("writeAReply", "comment.misc", ()),
    ("loadMore", "comment.nav", ()),
    ("oldest", "comment.nav", ()),
    ("newest", "comment.nav", ()),
    ("thisCommentWasDeleted", "comment.misc", ()),
    ("loadingComments", "comment.misc", ()),
    ("edited", "comment.misc", ()),
    ("comment", "comment.submit", ()),
)

# klaro cookie-notice keys: all nav (LABELS.md: cookie and privacy notices).
KLARO_STRINGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("consentNotice.title", "nav.cookie_title", ()),
    ("consentModal.title", "nav.cookie_title", ()),
    ("consentNotice.description", "nav.cookie_text", ("purposes",)),
    ("consentModal.description", "nav.cookie_text", ()),
    ("consentNotice.changeDescription", "nav.cookie_text", ()),
    ("privacyPolicy.text", "nav.cookie_text", ("privacy",)),
    ("consentNotice.learnMore", "nav.cookie_btn", ()),
    ("acceptAll", "nav.cookie_btn", ()),
    ("acceptSelected", "nav.cookie_btn", ()),
    ("decline", "nav.cookie_btn", ()),
    ("ok", "nav.cookie_btn", ()),
    ("save", "nav.cookie_btn", ()),
    ("close", "nav.cookie_btn", ()),
    ("purposes.advertising.title", "nav.cookie_item", ()),
    ("purposes.marketing.title", "nav.cookie_item", ()),
    ("purposes.functional.title", "nav.cookie_item", ()),
    ("purposes.performance.title", "nav.cookie_item", ()),
    ("poweredBy", "nav.cookie_misc", ()),
    ("consentNotice.imprint.name", "nav.footer", ()),
)

#: Chrome keys shared by the train and test pools (see module docstring).
CORE_KEYS: frozenset[str] = frozenset(
    {
        "po:Leave a Reply",
        "po:Your email address will not be published.",
        "po:Required fields are marked %s",
        "po:Post Comment",
        "po:Comment",
        "po:Name",
        "po:Email",
        "po:Website",
        "po:Save my name, email, and website in this browser for the next time I comment.",
        "po:Leave a comment",
        "marker:Advertisement",
        "marker:Subscribe to our newsletter",
    }
)


def role_label(role: str) -> str:
    """The label a role's lines carry (the part before the dot)."""
    return role.split(".", 1)[0]


@dataclass
class UIString:
    """One interface string: its key, role, placeholder kinds and texts per language."""

    key: str
    role: str
    kinds: tuple[str, ...]
    texts: dict[str, list[str]] = field(default_factory=dict)


_TAG = re.compile(r"<[^>]*>")
_CTX = re.compile(r"^[^\x04]*\x04")
# %s, %1$s, %d; a bare % (``% Comments``, ``%条评论``); {{count}}, {purposes}
_PLACEHOLDER = re.compile(r"%(?:(\d+)\$)?[sd]|%(?=\s|$|[^\x00-\x7f])|\{\{?\s*(\w+)\s*\}?\}")


def clean_ui(text: str) -> str:
    """Strip msgctxt, HTML tags and entities; collapse white space; keep placeholders."""
    text = _CTX.sub("", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return clean_text(text)


def strip_placeholders(text: str) -> str:
    return clean_text(_PLACEHOLDER.sub(" ", text))


def hashed_pool(key: str) -> str:
    """``test`` for about 25% of keys (by a stable hash), else ``train``."""
    return "test" if split_of("chrome:" + key, dev=0.0, test=0.25) == "test" else "train"


def assign_pools(entries: list[UIString]) -> dict[str, str]:
    """Chrome pool of every key: ``train``, ``test`` or ``both``.

    Within each role the keys are ordered by a stable hash and about a quarter
    of them (at least one when the role has two or more keys) go to ``test``;
    ``CORE_KEYS`` and the keys of single-key roles are ``both``.
    """
    pools: dict[str, str] = {}
    by_role: dict[str, list[str]] = {}
    for e in entries:
        by_role.setdefault(e.role, []).append(e.key)
    for keys in by_role.values():
        free = [k for k in keys if k not in CORE_KEYS]
        ranked = sorted(free, key=lambda k: hashlib.sha1(("chrome:" + k).encode("utf-8")).hexdigest())
        n_test = max(1, round(0.25 * len(ranked))) if len(ranked) >= 2 else 0
        for i, k in enumerate(ranked):
            pools[k] = "test" if i < n_test else ("train" if len(ranked) >= 2 else "both")
        for k in keys:
            pools.setdefault(k, "both")
    return pools


def fill(template: str, kinds: tuple[str, ...], values: dict[str, str]) -> str:
    """Replace placeholders by values of their kind (``values[kind]``).

    Positional ``%N$s`` takes the N-th kind, bare ``%s``/``%d``/``%`` the next
    one in order, named ``{{count}}``/``{purposes}`` the kind of that name
    (``count`` is ``num``).  A kind of ``""`` is a placeholder to drop.
    """
    counter = iter(range(len(kinds) + 8))

    def sub(m: re.Match[str]) -> str:
        if m.group(2):
            name = {"count": "num", "privacyPolicy": "privacy"}.get(m.group(2), m.group(2))
            return values.get(name, "")
        idx = int(m.group(1)) - 1 if m.group(1) else next(counter)
        kind = kinds[idx] if idx < len(kinds) else ""
        return values.get(kind, "") if kind else ""

    return clean_text(_PLACEHOLDER.sub(sub, template))


_BRANDS = re.compile(
    r"\b(?:Facebook|Twitter|WhatsApp|WordPress|GitHub|Instagram|YouTube|Telegram|"
    r"Mailchimp|giscus|Klaro|Markdown|cookies?|Cookie|email|e-mail)\b",
    re.IGNORECASE,
)


def _script_ok(lang: str, text: str) -> bool:
    """Whether ``text`` (placeholders and brand names removed) is written in ``lang``'s script."""
    bare = _BRANDS.sub(" ", strip_placeholders(text))
    script = main_script(bare)
    if not script:
        return False
    want = SCRIPT_OF_LANG.get(lang.split("-")[0], "Latn")
    if lang == "sr":
        return script in ("Cyrl", "Latn")
    if lang == "ja":
        return script in ("Jpan", "Hani")
    return script == want


def accept_translation(lang: str, text: str, english: str) -> bool:
    """Keep a translation unless empty, untranslated English or in the wrong script."""
    if not strip_placeholders(text):
        return False
    if lang != "en" and text.casefold() == english.casefold() and len(strip_placeholders(text).split()) >= 2:
        return False
    return _script_ok(lang, text)


_HANT_LOCALES = frozenset({"zh_TW", "zh_HK", "zh-TW", "zh-HK"})


def _add(entry: UIString, lang: str | None, texts: list[str], english: str, locale: str = "") -> None:
    if lang is None:
        return
    if locale in _HANT_LOCALES:  # traditional Chinese chrome goes with zho-TW bodies
        lang = "zh-Hant"
    for raw in texts:
        text = clean_ui(raw)
        if accept_translation(lang, text, english):
            bucket = entry.texts.setdefault(lang, [])
            if text not in bucket:
                bucket.append(text)


def _flatten(obj: object, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = f"{prefix}.{k}" if prefix else str(k)
            if isinstance(v, dict) and set(v) >= {"other"}:
                out[key] = str(v.get("other") or "")
            else:
                out.update(_flatten(v, key))
    elif isinstance(obj, str):
        out[prefix] = obj
    return out


class UILexicon:
    """All curated interface strings and hand-made markers, indexed by role and language.

    ``pool[key]`` is the chrome pool of each key (:func:`assign_pools`).  A page
    asks for the candidates of a role in its language and pools; for a test
    page (no ``train`` pool) texts that a train-pool key has in that language
    are left out, so test chrome is unseen as text too, not only as key.
    """

    def __init__(self, entries: list[UIString]) -> None:
        self.entries = entries
        self.pool = assign_pools(entries)
        self.by_role: dict[str, list[UIString]] = {}
        for e in entries:
            self.by_role.setdefault(e.role, []).append(e)
        #: every text of every language (casefolded), to reject a "foreign" line that L also uses
        self.all_texts: dict[str, set[str]] = {}
        #: texts of train-pool keys per language
        self.train_texts: dict[str, set[str]] = {}
        #: number of entries with a text in each language
        self.counts: dict[str, int] = {}
        for e in entries:
            for lang, texts in e.texts.items():
                self.all_texts.setdefault(lang, set()).update(t.casefold() for t in texts)
                if self.pool[e.key] == "train":
                    self.train_texts.setdefault(lang, set()).update(t.casefold() for t in texts)
                self.counts[lang] = self.counts.get(lang, 0) + 1
        self._cache: dict[tuple[str, str, tuple[str, ...]], list[tuple[UIString, list[str]]]] = {}

    def candidates(self, role: str, lang: str, pools: tuple[str, ...]) -> list[tuple[UIString, list[str]]]:
        """(entry, texts in ``lang``) of ``role`` for entries whose pool is one of ``pools``."""
        key = (role, lang, pools)
        got = self._cache.get(key)
        if got is None:
            seen = self.train_texts.get(lang, set()) if "train" not in pools else set()
            got = []
            for e in self.by_role.get(role, ()):
                if lang not in e.texts or self.pool[e.key] not in pools:
                    continue
                texts = [t for t in e.texts[lang] if self.pool[e.key] == "both" or t.casefold() not in seen]
                if texts:
                    got.append((e, texts))
            self._cache[key] = got
        return got

    def languages(self) -> set[str]:
        return {lang for e in self.entries for lang in e.texts}


def _load_po(root: Path) -> list[UIString]:
    lexicon = json.loads((root / "_lexicon_po.json").read_text(encoding="utf-8"))
    entries = []
    for key, role, kinds in PO_STRINGS:
        item = lexicon.get(key)
        if item is None:
            continue
        english = clean_ui(key)
        entry = UIString("po:" + key, role, kinds, {"en": [english]})
        for locale, texts in sorted(item["tr"].items()):
            _add(entry, locale_to_iso(locale), texts, english, locale)
        entries.append(entry)
    return entries


def _load_giscus(root: Path) -> list[UIString]:
    base = root / "giscus-comments"
    per_locale = {
        p.name: _flatten(json.loads((p / "common.json").read_text(encoding="utf-8")))
        for p in sorted(base.iterdir())
        if (p / "common.json").exists()
    }
    english_all = per_locale.get("en", {})
    entries = []
    for key, role, kinds in GISCUS_STRINGS:
        english = clean_ui(english_all.get(key, key))
        entry = UIString("giscus:" + key, role, kinds, {})
        for locale, strings in per_locale.items():
            if key in strings:
                _add(entry, locale_to_iso(locale), [strings[key]], english if locale != "en" else "", locale)
        entries.append(entry)
    return entries


def _load_klaro(root: Path) -> list[UIString]:
    import yaml  # the recipe extra: the markers and their roles load without it

    base = root / "klaro-cookie-notice"
    per_locale: dict[str, dict[str, str]] = {}
    for p in sorted(base.glob("*.y*ml")):
        if p.name.startswith("en.ref"):
            continue
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError:  # hu.yml has an unquoted ": " in a value; skip the file
            continue
        per_locale[p.name.split(".")[0]] = _flatten(data)
    english_all = per_locale.get("en", {})
    entries = []
    for key, role, kinds in KLARO_STRINGS:
        english = clean_ui(english_all.get(key, key))
        entry = UIString("klaro:" + key, role, kinds, {})
        for locale, strings in per_locale.items():
            if strings.get(key):
                _add(entry, locale_to_iso(locale), [strings[key]], english if locale != "en" else "")
        entries.append(entry)
    return entries


#: Roles of the hand-made markers (label -> English phrase in markers.json).
MARKER_ROLES: dict[str, str] = {
    "Advertisement": "ad.marker",
    "Sponsored": "ad.marker",
    "Promoted content": "ad.marker",
    "Subscribe to our newsletter": "ad.title",
    "Sign up for our newsletter to get the latest news delivered to your inbox.": "ad.text",
    "Download our app": "ad.app",
    "Support our journalism": "ad.donate",
    "Donate": "ad.menu",
    "Get the app": "ad.menu",
    "Around the web": "ad.widget",
    "Share": "nav.share",
    "Share on Facebook": "nav.share",
    "Tweet": "nav.share",
    "Related articles": "nav.related",
    "You may also like": "nav.related",
    "Most read": "nav.related",
    "Read more": "nav.readmore_prefix",
    "Read also": "nav.readmore_prefix",
    "Tags": "nav.tags",
    "Follow us": "nav.follow",
    "All rights reserved": "nav.copyright",
    "Cookie policy": "nav.footer",
    "We use cookies to improve your experience on our website.": "nav.cookie_text",
    "Accept": "nav.cookie_btn",
    "Story continues below": "nav.inline",
    "Source link": "nav.source",
    "Back to top": "nav.footer",
    "Print": "nav.share",
    "News": "nav.section",
    "World": "nav.section",
    "Politics": "nav.section",
    "Business": "nav.section",
    "Sport": "nav.section",
    "Culture": "nav.section",
    "Opinion": "nav.section",
    "Health": "nav.section",
    "Technology": "nav.section",
    "Latest news": "nav.section",
    "Comments": "comment.header",
    "Reply": "comment.reply",
    "Post comment": "comment.submit",
    "Write a comment": "comment.title",
}


def _load_markers(path: Path = MARKERS_PATH) -> list[UIString]:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = []
    for label, phrases in data.items():
        for english, texts in phrases.items():
            role = MARKER_ROLES.get(english, f"{label}.marker")
            if role_label(role) != label:
                raise ValueError(f"markers.json: {english!r} is under {label!r} but its role is {role!r}")
            entry = UIString("marker:" + english, role, (), {})
            for lang, text in sorted(texts.items()):
                _add(entry, lang, [text], english if lang != "en" else "")
            entries.append(entry)
    return entries


def _latinise_serbian(entries: list[UIString]) -> None:
    """Give Serbian both scripts: Latin copies of Cyrillic texts are stored as ``sr-Latn``."""
    for e in entries:
        texts = e.texts.get("sr", [])
        latin = [t for t in texts if main_script(t) == "Latn"]
        latin += [sr_to_latin(t) for t in texts if main_script(t) == "Cyrl"]
        cyr = [t for t in texts if main_script(t) == "Cyrl"]
        if cyr:
            e.texts["sr"] = cyr
        else:
            e.texts.pop("sr", None)
        if latin:
            e.texts["sr-Latn"] = list(dict.fromkeys(latin))


def load_lexicon(data: Path) -> UILexicon:
    """Extract (if needed) and load all curated chrome strings and the markers."""
    root = ensure_extracted(
        data, "ui-strings.tar.gz", "ui-strings", members=("_lexicon_po.json", "giscus-comments", "klaro-cookie-notice")
    )
    entries = _load_po(root) + _load_giscus(root) + _load_klaro(root) + _load_markers()
    _latinise_serbian(entries)
    return UILexicon(entries)
