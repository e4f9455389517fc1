"""Weak rules that give a function label to site-chrome lines.

Alignment with gold text only says "this line is not the article".  Such a
line is ``nav`` by default; the table below turns it into ``ad`` or
``comment`` when its wording says so, following LABELS.md (e.g.
``Advertise with us``, ``Ad Choices``, ``(c)`` lines, ``Read more`` and
``Recent comments`` stay ``nav``).  Patterns are English, case-insensitive,
searched in the stripped line.  The first matching rule wins, so the ``nav``
exceptions come first.

A rule's ``scope`` says where it may fire:

* ``short``: only on lines of at most ``SHORT_WORDS`` words (a menu line that
  happens to contain "Subscribe" among twenty items stays ``nav``);
* ``any``: on lines of any length;
* ``zone``: only in the comment zone, i.e. from a little before the first
  body line to the end of the document (a "Comments" menu item at the top of
  the page is ``nav``).

``frame_body`` recovers article furniture that gold texts often leave out
but LABELS.md counts as ``body``: bylines, datelines, ``Updated ...`` and
reading-time lines just before/after the headline, and reporter sign-offs
(``Reporting by ...``, ``Contributing: ...``) just after the last paragraph.

After the rules, ``fill_comment_gaps`` labels as ``comment`` runs of
``nav`` lines sandwiched between two ``comment`` lines after the article
(names, dates and texts of readers' comments around ``Reply`` links, the
fields of a comment form).

``swallowed_comments`` goes the other way, for gold texts without a comment
part that took a comment thread in as article: after the article, per-comment
marks (``Reply`` links, or short attributions with a date and a time, see
``is_comment_attribution``) between runs of body lines turn the body lines of
the thread into ``comment``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from typing import NamedTuple

from segclf.labels import AD, BLANK, BODY, COMMENT, NAV, is_blank
from training.align import tokenize

__all__ = [
    "Rule",
    "RULES",
    "chrome_rule",
    "chrome_label",
    "fill_comment_gaps",
    "frame_article",
    "frame_body",
    "COMMENT_ACTION",
    "is_comment_attribution",
    "swallowed_comments",
    "article_start",
    "head_end",
    "SHORT_WORDS",
]

#: Longest line (in words) that a ``short`` rule may label.
SHORT_WORDS = 10
#: How many lines before the first body line the comment zone starts.
ZONE_LEAD = 5
#: Longest run of non-blank ``nav`` lines turned into ``comment`` between two comment lines ...
SHORT_COMMENT_GAP = 3
#: ... or, when one end is a per-comment action ("Reply"), between that and another comment line.
MAX_COMMENT_GAP = 12


class Rule(NamedTuple):
    """One row of the table: a label, where it may fire, why, and its patterns (any may match)."""

    label: str
    scope: str  # "short" | "any" | "zone"
    note: str
    patterns: tuple[str, ...]

    @property
    def pattern(self) -> str:
        return "|".join(self.patterns)


RULES: tuple[Rule, ...] = (
    # --- nav exceptions (LABELS.md conventions), checked first ---------------------------------
    Rule(
        NAV,
        "any",
        "business of advertising",
        (r"^advertis(e|ing)\b(?! ?-)(?!ment)", r"\badvertise (with|on) us\b", r"\bmedia ?kit\b"),
    ),
    Rule(
        NAV,
        "any",
        "ad policy links",
        (r"\bad ?choices\b", r"\babout (our )?ads\b", r"\badvertising (policy|terms|guidelines)\b"),
    ),
    Rule(NAV, "any", "copyright footers", (r"^(©|\(c\)|copyright\b)", r"\ball rights reserved\b")),
    Rule(NAV, "short", "comments on other articles", (r"\b(recent|latest|top|most) (comments|commented|discussed)\b",)),
    Rule(
        NAV,
        "short",
        "read-more links",
        (r"^(read|see|view) more\b(?!.*comment)", r"^continue reading\b", r"^story continues below$"),
    ),
    Rule(NAV, "short", "site's own related posts", (r"^you (may|might) also like\b", r"^related\b")),
    Rule(
        NAV, "short", "login/register links", (r"^(?!.*\b(comment|reply)\b)(?=.*\b(sign|log) ?in\b)(?=.*\bsign ?up\b)",)
    ),
    Rule(
        NAV,
        "short",
        "legal links",
        (
            r"\bsubscriber (agreement|services|terms)\b",
            r"\bprivacy (policy|notice)\b",
            r"\bterms (of|and) (use|service|conditions)\b",
        ),
    ),
    # --- ad: markers and sponsored widgets ------------------------------------------------------
    Rule(AD, "short", "ad marker", (r"^[\W_]*(advertisement|advertisment|advert|ads?|anzeige)[\W_]*$",)),
    Rule(
        AD,
        "short",
        "ad marker with scroll hint",
        (r"^[\W_]*advertisement\b.*\b(continue|below|scroll)", r"\b(continues?|article) below (this )?advertisement\b"),
    ),
    Rule(
        AD,
        "short",
        "sponsored content",
        (r"\bsponsored\b", r"\bpromoted\b", r"\bpaid (content|post|partner)\b", r"\bpartner content\b"),
    ),
    Rule(
        AD,
        "any",
        "ad networks",
        (r"\btaboola\b", r"\boutbrain\b", r"\bzergnet\b", r"\brevcontent\b", r"\bcontent\.ad\b"),
    ),
    Rule(
        AD,
        "short",
        "sponsored-link widgets",
        (r"^you may like\b", r"\baround the web\b", r"^(more )?from (around )?the web\b"),
    ),
    Rule(AD, "short", "widget credits", (r"^(ads|sponsored links?|featured partners?) by\b", r"\brecommended by\b")),
    # --- comment feed and login-to-comment before the generic "subscribe"/"sign up" ad rules ------
    Rule(
        COMMENT,
        "zone",
        "comment feed, login to comment",
        (
            r"\bsubscribe to (the |this )?(comments?|thread|discussion|comment (feed|thread)|replies)\b",
            r"\b(log ?in|sign ?in|sign ?up|register)\b.*\bto (comment|reply|post a comment)\b",
        ),
    ),
    # --- ad: the site promoting itself -----------------------------------------------------------
    Rule(AD, "short", "subscribe prompts", (r"\bsubscri(be|ption|ber)s?\b",)),
    Rule(
        AD,
        "short",
        "newsletter sign-up",
        (r"\bnewsletters?\b", r"\be-?mail alerts?\b", r"\bsign ?up\b", r"\bjoin our mailing list\b"),
    ),
    Rule(
        AD,
        "any",
        "newsletter copy",
        (r"\bdelivered (directly |straight |right )?to your inbox\b", r"\bin your inbox\b"),
    ),
    Rule(
        AD,
        "short",
        "donation appeals",
        (
            r"^donate\b",
            r"\bdonate (now|today|here|to)\b",
            r"\bmake a (donation|gift)\b",
            r"\bsupport (our|independent|quality) journalism\b",
            r"\bbecome a (member|patron)\b",
        ),
    ),
    Rule(AD, "any", "app prompts", (r"\b(get|download) (the|our) (free )?app\b", r"\bapp store\b", r"\bgoogle play\b")),
    Rule(
        AD,
        "any",
        "paywall meter",
        (r"\b(free )?articles? (left|remaining)\b", r"\byou('ve| have) reached your\b.*\blimit\b"),
    ),
    Rule(
        AD,
        "any",
        "paywall offers",
        (r"\bfree trial\b", r"\bunlimited (digital )?access\b", r"\bdigital access\b", r"\bspecial offer\b"),
    ),
    Rule(AD, "short", "push prompts", (r"\bturn on (desktop |push )?notifications\b", r"\benable notifications\b")),
    Rule(AD, "short", "a bare price", (r"^\W*(from |only |now |was |sale:? )?[$£€]\s?\d[\d,]*(\.\d\d)?\W*$",)),
    Rule(
        AD,
        "short",
        "product boxes",
        (
            r"\b(buy|shop|order) now\b",
            r"\badd to (cart|basket)\b",
            r"\bfree shipping\b",
            r"\bcheck price\b",
            r"\bview deal\b",
            r"\b\d+% off\b",
        ),
    ),
    # --- comment section (only in the comment zone) ---------------------------------------------
    Rule(
        COMMENT,
        "zone",
        "comment form header",
        (
            r"\bleave a (reply|comment)\b",
            r"\bpost (a |your )?(comment|reply)\b",
            r"\badd (a |your |new )?comment\b",
            r"\b(enter|write|type) (your|a) comment\b",
        ),
    ),
    Rule(
        COMMENT,
        "zone",
        "comment form notice",
        (r"\byour email (address )?will not be published\b", r"\brequired fields are marked\b"),
    ),
    Rule(
        COMMENT,
        "zone",
        "comment form",
        (r"\bsave my name, email\b", r"\bnotify me of (new|follow-up)\b", r"\bcancel reply\b", r"\bsubmit comment\b"),
    ),
    Rule(
        COMMENT,
        "zone",
        "form fields",
        (r"^(name|e-?mail|website|url|comment|your (name|email|comment))\s*(\*|\(required\))\s*$",),
    ),
    Rule(
        COMMENT,
        "zone",
        "bare section words",
        (r"^(website|comments?|discussion|responses|reader comments|user comments|your comments?)\s*:?$",),
    ),
    Rule(
        COMMENT,
        "zone",
        "comment count",
        (r"^\(?(\d+|no|one)\)? (comments?|responses?|replies|reactions)\b", r"^comments? \(\d+\)$"),
    ),
    Rule(
        COMMENT,
        "zone",
        "comment navigation",
        (r"\b(see|view|show|load|read) (all |more )?(\d+ )?comments\b", r"\bbe the first to comment\b"),
    ),
    Rule(
        COMMENT,
        "zone",
        "comment actions",
        (r"^reply\b", r"\breply to this\b", r"\breport (abuse|comment)\b", r"\bflag (as inappropriate|comment)\b"),
    ),
    Rule(
        COMMENT,
        "zone",
        "login to comment",
        (
            r"\b(log|sign) ?in to (comment|reply|post)\b",
            r"\bmust be logged in to\b",
            r"\bcomments are (closed|moderated)\b",
        ),
    ),
    Rule(
        COMMENT,
        "zone",
        "discussion header",
        (r"\bjoin the (discussion|conversation)\b", r"\bcomment(ing)? (policy|guidelines)\b", r"\bhave your say\b"),
    ),
    Rule(
        COMMENT,
        "zone",
        "comment widgets",
        (
            r"\bdisqus\b",
            r"\bfacebook comments\b",
            r"\bsort by (oldest|newest|best|top)\b",
            r"\b(newest|oldest) first\b",
        ),
    ),
    Rule(
        COMMENT,
        "zone",
        "comment authors, pingbacks",
        (r"^[\w .'-]{1,40} (says|said|wrote):?\s*$", r"\b(trackbacks?|pingbacks?)\b"),
    ),
)

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
#: Head-of-article furniture (byline, dateline, reading time): ``body`` near the headline.
HEAD_FRAME = re.compile(
    r"^(by|posted by|written by|words by|story by|reported by|author:?)\s+\w"
    r"|^(updated|published|posted|last (updated|modified)|first published|modified|date:?)\b"
    rf"|\b{_MONTH}\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}\b"
    r"|^\W*\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d+\s*(min|minute)s?\s+read\b|\breading time\b",
    re.I,
)
#: Sign-offs after the last paragraph: ``body``.
TAIL_FRAME = re.compile(
    r"^\W*(contributing|reporting by|additional reporting|editing by|writing by|compiled by|source:"
    r"|reach the reporter|editor:|\(?with reporting by|this (story|article) (was|has been) (updated|corrected))",
    re.I,
)
#: Per-comment action links: several of them interleaved with text mark a comment thread.
COMMENT_ACTION = re.compile(
    r"^\W*(reply|report( abuse)?|permalink|flag|quote|like|recommend)\W*$|\breply to this\b|\b(says|wrote):?\s*$",
    re.I,
)
#: A reader comment's attribution: a name with a date and a clock time, or with a reply link
#: ("by Andrew on May 23, 2011 at 12:12 am. Reply #", "Natalia July 31, 2012 at 8:28 pm").
_CLOCK = r"\b\d{1,2}:\d\d(:\d\d)?\s*([ap]\.?m\b|[ap]\b)?"
_DATE_WORDS = rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\b|\b\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b"
COMMENT_ATTRIBUTION = re.compile(rf"(?=.*({_DATE_WORDS}))(?=.*({_CLOCK}|\breply\b))", re.I)
#: Attribution lines are short.
ATTRIBUTION_WORDS = 20
#: Frame lines are short.
FRAME_WORDS = 16

_COMPILED = tuple((rule, re.compile(rule.pattern, re.I)) for rule in RULES)


def chrome_rule(text: str, in_zone: bool) -> Rule | None:
    """The first rule of the table that matches a non-article line, if any."""
    stripped = text.strip()
    n_words = len(stripped.split())
    for rule, rx in _COMPILED:
        if rule.scope == "short" and n_words > SHORT_WORDS:
            continue
        if rule.scope == "zone" and (not in_zone or n_words > 2 * SHORT_WORDS):
            continue
        if rx.search(stripped):
            return rule
    return None


def chrome_label(text: str, in_zone: bool) -> str:
    """Function label of a non-article line: the first matching rule's label, else ``nav``."""
    rule = chrome_rule(text, in_zone)
    return rule.label if rule else NAV


def frame_body(text: str, where: str) -> bool:
    """True when a chrome line next to the article is article furniture (``where``: head|tail)."""
    stripped = text.strip()
    if len(stripped.split()) > FRAME_WORDS:
        return False
    return bool((HEAD_FRAME if where == "head" else TAIL_FRAME).search(stripped))


def zone_start(labels: Sequence[str | None]) -> int:
    """First line of the comment zone: a few lines before the first body line."""
    for n, label in enumerate(labels):
        if label == BODY:
            return max(0, n - ZONE_LEAD)
    return len(labels)


def fill_comment_gaps(lines: Sequence[str], labels: list[str], start: int, protected: Set[int]) -> list[str]:
    """Relabel ``nav`` runs between two ``comment`` lines (after ``start``) as ``comment``.

    A run is filled when it is short (at most ``SHORT_COMMENT_GAP`` non-blank lines), or when it is
    at most ``MAX_COMMENT_GAP`` lines and one of its ends is a per-comment action ("Reply",
    "... says:"), i.e. the run is a reader's name, date and text.  Lines in ``protected`` (those
    a ``nav`` rule labeled, e.g. "Advertise | AdChoices") are never filled.
    """
    out = list(labels)
    last_comment = -1
    for n in range(start, len(lines)):
        if out[n] == COMMENT:
            gap = [k for k in range(last_comment + 1, n) if not is_blank(lines[k])]
            action = bool(COMMENT_ACTION.search(lines[n].strip())) or (
                last_comment >= 0 and bool(COMMENT_ACTION.search(lines[last_comment].strip()))
            )
            fits = len(gap) <= SHORT_COMMENT_GAP or (action and len(gap) <= MAX_COMMENT_GAP)
            if last_comment >= 0 and fits and all(out[k] == NAV and k not in protected for k in gap):
                for k in gap:
                    out[k] = COMMENT
            last_comment = n
        elif out[n] == BODY:
            last_comment = -1
    return out


def is_comment_attribution(text: str) -> bool:
    """A short line naming a comment's date and time, or its date and a reply link."""
    return len(text.split()) <= ATTRIBUTION_WORDS and bool(COMMENT_ATTRIBUTION.search(text))


#: A comment thread swallowed by the gold: this many per-comment marks between body runs ...
_MIN_THREAD_MARKS = 3
#: ... below a comment header that follows at least this many article tokens.
_MIN_ARTICLE_TOKENS = 100
#: The article starts at its first body line of at least this many tokens.
LONG_LINE = 12


#: A paragraph ends like a sentence; a headline of twelve words or more does not.
_SENTENCE_END = re.compile(r"[.!?…:;。！？」』»”\"')\]]\s*$")


def article_start(lines: Sequence[str], body: Sequence[int]) -> int:
    """Index of the article's first long body line (its first paragraph); ``body`` is non-empty."""
    return next((n for n in body if len(tokenize(lines[n])) >= LONG_LINE), body[0])


def head_end(lines: Sequence[str], body: Sequence[int]) -> int:
    """Where the article's head (headline, byline, dateline) ends; ``body`` is non-empty.

    The first long body line that ends like a sentence, so that a long headline is not
    taken for the first paragraph and the byline under it stays in the head; failing
    that, ``article_start``.
    """
    long_lines = [n for n in body if len(tokenize(lines[n])) >= LONG_LINE]
    return next((n for n in long_lines if _SENTENCE_END.search(lines[n])), article_start(lines, body))


def _thread_start(lines: Sequence[str], labels: Sequence[str]) -> int | None:
    """Index of the line above a comment thread that the gold counted as body, if any.

    A thread shows itself by per-comment marks between runs of body lines: action links
    ("Reply") that the gold left out, or attributions with a date and a time that it took in.
    The thread starts at the first comment header above the first mark, or at that mark.
    """
    body = [n for n, lab in enumerate(labels) if lab == BODY]
    first_long = article_start(lines, body)
    marks = [
        n
        for n in range(first_long + 1, len(lines))
        if (labels[n] != BODY and COMMENT_ACTION.search(lines[n].strip())) or is_comment_attribution(lines[n])
    ]
    if len(marks) < _MIN_THREAD_MARKS:
        return None
    headers = [n for n in range(first_long, marks[0]) if labels[n] == COMMENT]
    head = headers[0] if headers else marks[0] - 1
    body_before = sum(len(tokenize(lines[n])) for n in body if n <= head)
    runs_between = sum(
        1 for a, b in zip(marks, marks[1:], strict=False) if any(labels[k] == BODY for k in range(a + 1, b))
    )
    if body_before < _MIN_ARTICLE_TOKENS or runs_between < _MIN_THREAD_MARKS - 1:
        return None
    return head


#: Byline/dateline search: from this many lines before the first body line to the article's first paragraph.
HEAD_LEAD = 4
#: Sign-offs are searched in this many non-blank lines after the last body line.
TAIL_LINES = 4


def frame_article(lines: Sequence[str], labels: list[str]) -> list[str]:
    """Bylines/datelines around the headline and sign-offs after the article become ``body``."""
    body = [n for n, lab in enumerate(labels) if lab == BODY]
    if not body:
        return labels
    out = list(labels)
    for n in range(max(0, body[0] - HEAD_LEAD), head_end(lines, body)):
        if out[n] == NAV and frame_body(lines[n], "head"):
            out[n] = BODY
    tail = [n for n in range(body[-1] + 1, len(lines)) if out[n] != BLANK][:TAIL_LINES]
    for n in tail:
        if out[n] == NAV and frame_body(lines[n], "tail"):
            out[n] = BODY
    return out


def swallowed_comments(lines: Sequence[str], labels: list[str]) -> list[str]:
    """Body lines of a comment thread that the gold text took in (no comment gold) become ``comment``."""
    if BODY not in labels:
        return labels
    head = _thread_start(lines, labels)
    if head is None:
        return labels
    return [COMMENT if n > head and lab == BODY else lab for n, lab in enumerate(labels)]
