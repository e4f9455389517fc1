"""The annotation guide's own examples, each placed in a page where sites put it: what the model says.

    python eval/conventions.py [--model MODEL] [--out eval/results]

LABELS.md names lines whose label is a convention (``Tweet`` is ``nav``, a
``Subscribe`` menu item is ``ad``, ``Contributing: ...`` is ``body``). This
check puts each of them, one at a time, into the example page
(``examples/article.txt``) at the place such a line has on a news site (in the
menu, under the byline, between paragraphs, after the last paragraph, in the
comment form, in the footer) and prints the label the model gives it.

It is a diagnostic of the guide's conventions, in English and in one page:
not a benchmark (``eval/heldout.py`` is) and not something to tune a model on.
Writes ``<out>/conventions.json`` and ``<out>/conventions.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from segclf import Segmenter  # noqa: E402

HOST = REPO / "examples" / "article.txt"


@dataclass(frozen=True)
class Place:
    """Where a line goes: just after the host line starting with ``after``, as its own paragraph or not."""

    after: str
    paragraph: bool  # surrounded by blank lines (a block of its own) or inside a block (a menu, a form)


PLACES: dict[str, Place] = {
    "menu": Place("News", paragraph=False),
    "head": Place("By Tom Fisher", paragraph=True),
    "inline": Place("The ferry, which", paragraph=True),
    "end": Place("The transport authority", paragraph=True),
    "form": Place("Post Comment", paragraph=False),
    "footer": Place("نشانی ایمیل", paragraph=True),
}

#: (label LABELS.md gives, place, line): the guide's examples, its placeholders filled in.
CASES: tuple[tuple[str, str, str], ...] = (
    ("nav", "end", "Source link"),
    ("nav", "end", "Read more"),
    ("nav", "inline", "READ MORE: Fishermen protest against new quotas"),
    ("nav", "inline", "Story continues below"),
    ("nav", "end", "Share on Facebook"),
    ("nav", "end", "Tweet"),
    ("nav", "end", "You may also like"),
    ("nav", "end", "Recent comments"),
    ("nav", "footer", "Advertise with us"),
    ("nav", "footer", "Media kit"),
    ("nav", "footer", "Ad Choices"),
    ("nav", "footer", "© Reuters"),
    ("nav", "menu", "persian contact English"),
    ("ad", "inline", "- Advertisement -"),
    ("ad", "inline", "Sponsored"),
    ("ad", "end", "Promoted content"),
    ("ad", "end", "You may like"),
    ("ad", "end", "Around the web"),
    ("ad", "end", "Subscribe to our newsletter"),
    ("ad", "menu", "Subscribe"),
    ("ad", "menu", "Newsletters"),
    ("ad", "menu", "Donate"),
    ("ad", "menu", "Get the app"),
    ("comment", "form", "Leave a comment"),
    ("comment", "form", "12 comments"),
    ("comment", "form", "Log in to reply"),
    ("comment", "form", "Name *"),
    ("comment", "form", "Email *"),
    ("comment", "form", "Website"),
    ("comment", "form", "Comment"),
    ("comment", "form", "Save my name, email, and website in this browser for the next time I comment."),
    ("body", "head", "Updated 18 September 2025, 10:42 am"),
    ("body", "head", "5 min read"),
    ("body", "inline", "Image source: AP"),
    ("body", "end", "Contributing: Anna Lee"),
    ("body", "end", "(Reporting by Tom Fisher; Editing by Jane Doe)"),
    ("body", "end", "Originally published on harbourtimes.com"),
)


def place_line(host: Sequence[str], place: Place, line: str) -> tuple[list[str], int]:
    """The host's lines with ``line`` inserted at ``place``, and the index of the inserted line."""
    anchor = next((i for i, text in enumerate(host) if text.startswith(place.after)), None)
    if anchor is None:
        raise ValueError(f"the host page has no line starting with {place.after!r}")
    inserted = ["", line] if place.paragraph else [line]
    at = anchor + 1
    return [*host[:at], *inserted, *host[at:]], at + len(inserted) - 1


def check(segmenter: Segmenter, host: Sequence[str]) -> list[dict[str, object]]:
    """One row per case: the expected label and the model's label, confidence and language."""
    rows = []
    for expected, where, line in CASES:
        lines, at = place_line(host, PLACES[where], line)
        got = segmenter.segment("\n".join(lines))[at]
        if got.text != line:  # the index arithmetic is wrong: a row would describe another line
            raise AssertionError(f"line {at} is {got.text!r}, not the placed {line!r}")
        rows.append(
            {
                "line": line,
                "place": where,
                "expected": expected,
                "label": got.label,
                "confidence": round(got.confidence, 4),
                "lang": got.lang,
                "right": got.label == expected,
            }
        )
    return rows


def markdown(rows: Sequence[dict[str, object]], model: str) -> str:
    right = Counter(str(r["expected"]) for r in rows if r["right"])
    total = Counter(str(r["expected"]) for r in rows)
    by_label = ", ".join(f"{label} {right[label]}/{n}" for label, n in total.items())
    out = [
        f"Model: `{model}`. Produced by `python eval/conventions.py`: each line of LABELS.md's",
        "conventions placed alone in `examples/article.txt` (a diagnostic, not a benchmark).",
        "",
        f"**{sum(right.values())} of {len(rows)} right** ({by_label}).",
        "",
        "| line | place | LABELS.md | model | confidence |",
        "| --- | --- | --- | --- | ---: |",
    ]
    for r in rows:
        mark = "" if r["right"] else " ✗"
        out.append(f"| `{r['line']}` | {r['place']} | {r['expected']} | {r['label']}{mark} | {r['confidence']:.2f} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="a model file (default: the shipped model)")
    parser.add_argument("--out", type=Path, default=REPO / "eval" / "results")
    args = parser.parse_args(argv)
    host = HOST.read_text(encoding="utf-8").split("\n")
    rows = check(Segmenter(args.model), host)
    model = args.model or "models/default.segclf"
    text = markdown(rows, model)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "conventions.md").write_text(text, encoding="utf-8")
    (args.out / "conventions.json").write_text(
        json.dumps({"model": model, "rows": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
