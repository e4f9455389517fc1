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

After the rules, ``fill_comment_gaps`` labels as ``comment`` short runs of
``nav`` lines sandwiched between two ``comment`` lines after the article
(names, dates and texts of readers' comments around ``Reply`` links, the
fields of a comment form).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from segclf.labels import AD, BODY, COMMENT, NAV, is_blank

__all__ = ["Rule", "RULES", "chrome_label", "fill_comment_gaps", "SHORT_WORDS"]

#: Longest line (in words) that a ``short`` rule may label.
SHORT_WORDS = 10
#: How many lines before the first body line the comment zone starts.
ZONE_LEAD = 5
#: Longest run of non-blank ``nav`` lines turned into ``comment`` between two comment lines.
MAX_COMMENT_GAP = 12


class Rule(NamedTuple):
    label: str
    scope: str  # "short" | "any" | "zone"
    pattern: str
    note: str


RULES: tuple[Rule, ...] = (
    # --- nav exceptions (LABELS.md conventions), checked first -----------------
    Rule(NAV, "any", r"^advertis(e|ing)\b(?! ?-)(?!ment)|\badvertise (with|on) us\b|\bmedia ?kit\b", "business of advertising"),
    Rule(NAV, "any", r"\bad ?choices\b|\babout (our )?ads\b|\badvertising (policy|terms|guidelines)\b", "ad policy links"),
    Rule(NAV, "any", r"^(©|\(c\)|copyright\b)|\ball rights reserved\b", "copyright footers"),
    Rule(NAV, "short", r"\b(recent|latest|top|most) (comments|commented|discussed)\b", "comments on other articles"),
    Rule(NAV, "short", r"^(read|see|view) more\b(?!.*comment)|^continue reading\b|^story continues below$", "read-more links"),
    Rule(NAV, "short", r"^you may also like\b|^you might also like\b|^related\b", "site's own related posts"),
    Rule(NAV, "short", r"\bprivacy (policy|notice)\b|\bterms (of|and) (use|service|conditions)\b", "legal links"),
    # --- ad: markers and sponsored widgets -------------------------------------
    Rule(AD, "short", r"^[\W_]*(advertisement|advertisment|advert|ads?|anzeige)[\W_]*$", "ad marker"),
    Rule(AD, "short", r"^[\W_]*advertisement\b.*\b(continue|below|scroll)", "ad marker with scroll hint"),
    Rule(AD, "short", r"\bsponsored\b|\bpromoted\b|\bpaid (content|post|partner)\b|\bpartner content\b", "sponsored content"),
    Rule(AD, "any", r"\btaboola\b|\boutbrain\b|\bzergnet\b|\brevcontent\b|\bcontent\.ad\b|\bgemini ad\b", "ad networks"),
    Rule(AD, "short", r"^you may like\b|\baround the web\b|^from the web\b|^more from (the|around the) web\b", "sponsored-link widgets"),
    Rule(AD, "short", r"^(ads|sponsored links?|featured partners?) by\b|\brecommended by\b", "widget credits"),
    # --- ad: the site promoting itself --------------------------------------------
    Rule(COMMENT, "zone", r"\bsubscribe to (the )?(comments|this (thread|discussion)|comment feed|replies)\b", "comment feed"),
    Rule(AD, "short", r"\bsubscri(be|ption|ber)s?\b", "subscribe prompts"),
    Rule(AD, "short", r"\bnewsletters?\b|\be-?mail alerts?\b|\bsign ?up\b|\bjoin our mailing list\b", "newsletter sign-up"),
    Rule(AD, "any", r"\bdelivered (directly |straight |right )?to your inbox\b|\bin your inbox\b", "newsletter copy"),
    Rule(AD, "short", r"\bdonat(e|ion)s?\b|\bsupport (our|independent|quality) journalism\b|\bbecome a (member|patron)\b", "donation appeals"),
    Rule(AD, "short", r"\bget (the|our) (free )?app\b|\bdownload (the|our) (free )?app\b|\bapp store\b|\bgoogle play\b", "app prompts"),
    Rule(AD, "any", r"\b(free )?articles? (left|remaining)\b|\byou('ve| have) reached your\b.*\blimit\b", "paywall meter"),
    Rule(AD, "any", r"\bfree trial\b|\bunlimited (digital )?access\b|\bdigital access\b|\bspecial offer\b", "paywall offers"),
    Rule(AD, "short", r"\bturn on (desktop |push )?notifications\b|\benable notifications\b", "push prompts"),
    Rule(AD, "short", r"^\W*(from |only |now |was |sale:? )?[$£€]\s?\d[\d,]*(\.\d\d)?\W*$", "a bare price"),
    Rule(AD, "short", r"\b(buy|shop|order) now\b|\badd to (cart|basket)\b|\bfree shipping\b|\bcheck price\b|\bview deal\b|\b\d+% off\b", "product boxes"),
    # --- comment section (only after the article starts) ---------------------------
    Rule(COMMENT, "zone", r"\bleave a (reply|comment)\b|\bpost (a |your )?(comment|reply)\b|\badd (a |your |new )?comment\b", "comment form header"),
    Rule(COMMENT, "zone", r"\byour email (address )?will not be published\b|\brequired fields are marked\b", "comment form notice"),
    Rule(COMMENT, "zone", r"\bsave my name, email\b|\bnotify me of (new|follow-up)\b|\bcancel reply\b|\bsubmit comment\b", "comment form"),
    Rule(COMMENT, "zone", r"^(name|e-?mail|website|url|comment|your (name|email|comment))\s*(\*|\(required\))\s*$", "form fields"),
    Rule(COMMENT, "zone", r"^(website|comment|comments|discussion|responses|reader comments|user comments|your comments?)\s*:?$", "bare section words"),
    Rule(COMMENT, "zone", r"^\(?(\d+|no|one)\)? (comments?|responses?|replies|reactions)\b|^comments? \(\d+\)$", "comment count"),
    Rule(COMMENT, "zone", r"\b(see|view|show|load|read) (all |more )?(\d+ )?comments\b|\bbe the first to comment\b", "comment navigation"),
    Rule(COMMENT, "zone", r"^reply\b|\breply to this\b|\breport (abuse|comment)\b|\bflag (as inappropriate|comment)\b", "comment actions"),
    Rule(COMMENT, "zone", r"\b(log|sign) ?in to (comment|reply|post)\b|\bmust be logged in to\b|\bcomments are (closed|moderated)\b", "login to comment"),
    Rule(COMMENT, "zone", r"\bjoin the (discussion|conversation)\b|\bcomment(ing)? (policy|guidelines)\b|\bhave your say\b", "discussion header"),
    Rule(COMMENT, "zone", r"\bdisqus\b|\bfacebook comments\b|\bsort by (oldest|newest|best|top)\b|\b(newest|oldest) first\b", "comment widgets"),
    Rule(COMMENT, "zone", r"^[\w .'-]{1,40} (says|said|wrote):?\s*$|\b(trackbacks?|pingbacks?)\b", "comment authors, pingbacks"),
)

_COMPILED = tuple((rule, re.compile(rule.pattern, re.I)) for rule in RULES)


def chrome_label(text: str, in_zone: bool) -> str:
    """Function label of a non-article line: the first matching rule's label, else ``nav``."""
    stripped = text.strip()
    n_words = len(stripped.split())
    for rule, rx in _COMPILED:
        if rule.scope == "short" and n_words > SHORT_WORDS:
            continue
        if rule.scope == "zone" and (not in_zone or n_words > 2 * SHORT_WORDS):
            continue
        if rx.search(stripped):
            return rule.label
    return NAV


def zone_start(labels: Sequence[str | None]) -> int:
    """First line of the comment zone: a few lines before the first body line."""
    for n, label in enumerate(labels):
        if label == BODY:
            return max(0, n - ZONE_LEAD)
    return len(labels)


def fill_comment_gaps(lines: Sequence[str], labels: list[str], start: int) -> list[str]:
    """Relabel short ``nav`` runs between two ``comment`` lines (after ``start``) as ``comment``."""
    out = list(labels)
    last_comment = -1
    for n in range(start, len(lines)):
        if out[n] == COMMENT:
            gap = [k for k in range(last_comment + 1, n) if not is_blank(lines[k])]
            if last_comment >= 0 and len(gap) <= MAX_COMMENT_GAP and all(out[k] == NAV for k in gap):
                for k in gap:
                    out[k] = COMMENT
            last_comment = n
        elif out[n] == BODY:
            last_comment = -1
    return out
