"""A test outlet of our own: "The Quayside Courier", whose chrome the shipped model gets wrong.

Its pages carry reader-funding appeals written like article prose (``ad``),
"Also on the Courier" teasers (``nav``), and a comment section whose reader
comments read like article sentences (``comment``). The article text comes from
NTREX-128 English news (CC BY-SA 4.0), read from ``../shared/data`` at test time;
nothing of it is committed.
"""

from __future__ import annotations

import random
import tarfile
from collections import OrderedDict
from pathlib import Path

from segclf.labeled import LabeledDocument

NTREX = "text-ntrex-128-train.tar.gz"
MENU = ["The Quayside Courier", "Harbour", "Fells & Moorland", "The Big Read", "Members", "Search the Courier"]
SECTIONS = ["Harbour", "Fells & Moorland", "Coast", "The Big Read"]
NAMES = ["Martha Keel", "Dougie R.", "Annwen Price", "Tom from Whitby", "Priya S.", "Old Salt", "J. Fairweather"]
PROMOS = [
    "Enjoying this story? Members read our weekend edition first, and it costs less than a coffee a month.",
    "The Courier is funded by its readers, not by billionaires: join them today and keep local reporting alive.",
    "Every story you read here was paid for by a member of the Courier. Could you be the next one?",
]
FOOTER = [
    "Written and edited on the north coast since 1894.",
    "Courier Media Cooperative Ltd, registered society 3141.",
    "Contact the newsroom",
    "Complaints and corrections",
]


def _ntrex_articles(shared: Path) -> list[list[str]]:
    """English NTREX articles as lists of sentences."""
    with tarfile.open(shared / "data" / NTREX) as tar:
        members = {m.name.rsplit("/", 1)[-1]: m for m in tar.getmembers()}
        ids = tar.extractfile(members["DOCUMENT_IDS.tsv"]).read().decode("utf-8").splitlines()
        text = tar.extractfile(members["newstest2019-ref.eng-US.txt"]).read().decode("utf-8").splitlines()
    articles: OrderedDict[str, list[str]] = OrderedDict()
    for doc_id, sentence in zip(ids, text):
        articles.setdefault(doc_id.strip(), []).append(sentence.strip())
    return [sents for sents in articles.values() if len(sents) >= 6]


def quayside_documents(shared: Path, n: int, seed: int = 0) -> list[LabeledDocument]:
    """``n`` labeled pages of the outlet (deterministic)."""
    articles = _ntrex_articles(shared)
    rng = random.Random(seed)
    docs = []
    for k in range(n):
        sents = articles[k % len(articles)]
        others = articles[(k + 7) % len(articles)]
        rows: list[tuple[str, str]] = [(item, "nav") for item in MENU]
        rows += [
            (f"{rng.choice(SECTIONS)} › News", "nav"),
            ("", "blank"),
            (sents[0], "body"),
            (
                f"Words by {rng.choice(NAMES[:3])} · {rng.randint(1, 28)} March 2024 · {rng.randint(3, 9)} min read",
                "body",
            ),
            ("", "blank"),
        ]
        for i, sentence in enumerate(sents[1:], start=1):
            rows += [(sentence, "body"), ("", "blank")]
            if i == 3:
                rows += [(rng.choice(PROMOS), "ad"), ("", "blank")]
            if i == 5:
                rows += [(f"Also on the Courier: {others[0]}", "nav"), ("", "blank")]
        rows += [("Support the Courier", "ad"), (rng.choice(PROMOS), "ad"), ("", "blank")]
        count = rng.randint(2, 4)
        rows += [(f"Conversation ({count})", "comment")]
        for _ in range(count):
            rows += [
                (f"{rng.choice(NAMES)} · {rng.randint(1, 23)} hours ago", "comment"),
                (rng.choice(others[1:]), "comment"),
                ("Reply · Report", "comment"),
            ]
        rows += [("Add your voice", "comment"), ("", "blank")]
        rows += [(line, "nav") for line in FOOTER]
        docs.append(
            LabeledDocument(f"quayside-{k:03d}", [r[0] for r in rows], [r[1] for r in rows], "en", "quayside-courier")
        )
    return docs
