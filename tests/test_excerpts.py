"""The recipe's short training documents cut from training pages (``segclf.excerpts``)."""

from __future__ import annotations

from segclf.excerpts import MAX_EXCERPT_LINES, excerpt, excerpts, lead, leads
from segclf.labeled import LabeledDocument
from segclf.train import _fold_of


def _page(doc_id: str) -> LabeledDocument:
    lines = ["Menu", "", "A headline.", "", "The first paragraph ends here.", "Второй абзац.", "", "Leave a comment."]
    labels = ["nav", "blank", "body", "blank", "body", "foreign", "blank", "comment"]
    return LabeledDocument(doc_id, lines, labels, "en", "dragnet", {"style": "article"})


def test_an_excerpt_is_a_run_of_the_pages_lines_with_their_labels() -> None:
    for n in range(200):
        page = _page(f"dragnet/{n}")
        cut = excerpt(page)
        if cut is None:
            continue
        first, last = (int(k) - 1 for k in cut.id.rpartition("#lines")[2].split("-"))
        assert cut.lines == page.lines[first : last + 1]
        assert cut.labels == page.labels[first : last + 1]
        assert cut.lines[0].strip() and cut.lines[-1].strip()  # starts and ends on a line with text
        assert 1 <= sum(bool(t.strip()) for t in cut.lines) <= MAX_EXCERPT_LINES
        assert (cut.lang, cut.source, cut.extra["style"]) == ("en", "dragnet", "article")
        assert cut.extra["group"] == page.id


def test_excerpts_are_drawn_the_same_way_every_run_and_vary_by_page() -> None:
    pages = [_page(f"dragnet/{n}") for n in range(200)]
    first = [c.id for c in excerpts(pages, 1.0)]
    assert first == [c.id for c in excerpts(pages, 1.0)]
    assert len({c.id.rpartition("#")[2] for c in excerpts(pages, 1.0)}) > 5
    assert list(excerpts(pages, 0.0)) == []
    half = [c.id for c in excerpts(pages, 0.5)]
    assert 0 < len(half) < len(first) and set(half) <= set(first)


def test_no_excerpt_is_mostly_foreign() -> None:
    """Rule 2: the main language is that of most of the text, so a foreign-heavy cut would change its gold."""
    cuts = [excerpt(_page(f"dragnet/{n}")) for n in range(300)]
    for cut in filter(None, cuts):
        foreign = sum(len(t) for t, lab in zip(cut.lines, cut.labels) if lab == "foreign")
        assert 2 * foreign < sum(len(t.strip()) for t in cut.lines)
    assert None in cuts  # the page's lone Russian line was cut alone at least once, and refused
    only_foreign = LabeledDocument("x", ["Второй абзац."], ["foreign"], "en")
    assert excerpt(only_foreign) is None
    assert excerpt(LabeledDocument("blank", ["", " "], ["blank", "blank"], "en")) is None


def test_an_excerpt_shares_its_pages_cross_fitting_fold() -> None:
    for n in range(30):
        page = _page(f"dragnet/{n}")
        cut = excerpt(page)
        if cut is not None:
            assert _fold_of(cut, 3) == _fold_of(page, 3)
    # without a group a document's fold follows its id, spread over the folds
    assert len({_fold_of(LabeledDocument(f"d{n}", ["x"], ["body"]), 3) for n in range(30)}) == 3


def test_a_lead_is_the_pages_first_body_lines_alone() -> None:
    sizes = set()
    for n in range(100):
        page = _page(f"dragnet/{n}")
        cut = lead(page)
        assert cut is not None
        size = len(cut.lines)
        sizes.add(size)
        # the body lines in their order, the blank and foreign lines between them left out
        assert cut.lines == ["A headline.", "The first paragraph ends here."][:size]
        assert cut.labels == ["body"] * size
        assert cut.id == f"{page.id}#lead{size}" and cut.extra["group"] == page.id
    assert sizes == {1, 2}  # a page with two body lines gives leads of one and of two
    assert lead(LabeledDocument("menu", ["Menu", "Home"], ["nav", "nav"], "en")) is None


def test_leads_are_drawn_the_same_way_every_run() -> None:
    pages = [_page(f"dragnet/{n}") for n in range(200)]
    drawn_ids = [c.id for c in leads(pages, 0.3)]
    assert drawn_ids == [c.id for c in leads(pages, 0.3)]
    assert 30 < len(drawn_ids) < 90
    assert list(leads(pages, 0.0)) == []
