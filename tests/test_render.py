"""Rendering real pages like scrapers do (``training.render``) and the documents of a page (``training.real_pages``)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("html_text")
pytest.importorskip("inscriptis")

from training.real_pages import page_documents  # noqa: E402
from training.real_sources import PageRef  # noqa: E402
from training.render import RENDERERS, TEXT_NODES, render  # noqa: E402

ARTICLE = (
    "The harbour council voted on Tuesday to keep the old ferry running for another ten years. "
    "Residents had argued that the crossing is part of the town's history and its daily life. "
    "The transport authority said it would respect the result and look for new funding."
)
PAGE = f"""<html><head><title>Ferry stays</title><script>var tracker = 1;</script>
<style>p {{ color: red }}</style></head><body>
<ul class="menu"><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul>
<h1>Ferry stays</h1>
<p>{ARTICLE.replace("ten years", '<a href="/x">ten years</a>')}</p>
<noscript>Please enable JavaScript</noscript>
<footer>&copy; 2025 The Harbour Times</footer>
</body></html>"""


def test_text_nodes_puts_every_text_node_on_a_line_of_its_own() -> None:
    lines = render(PAGE, TEXT_NODES).split("\n")
    assert lines[:4] == ["Ferry stays", "Home", "News", "Ferry stays"]
    # The link inside the paragraph breaks its sentence over three lines, as get_text("\n") does.
    assert "ten years" in lines
    assert any(line.endswith("another") for line in lines)
    assert lines[-1] == "© 2025 The Harbour Times"
    assert all(line == line.strip() and line for line in lines)


def test_text_nodes_leaves_out_what_no_reader_sees() -> None:
    text = render(PAGE, TEXT_NODES)
    for hidden in ("tracker", "color: red", "enable JavaScript"):
        assert hidden not in text


@pytest.mark.parametrize("markup", ["", "   ", "<!-- a comment only -->", "<html><body>\x00</body></html>"])
def test_text_nodes_of_an_empty_page_is_empty(markup: str) -> None:
    assert render(markup, TEXT_NODES) == ""


def test_an_unknown_renderer_is_refused() -> None:
    with pytest.raises(ValueError, match="renderer must be one of"):
        render(PAGE, "lynx")


def _page(tmp_path: Path, page_id: str) -> PageRef:
    html, gold = tmp_path / f"{page_id}.html", tmp_path / f"{page_id}.txt"
    html.write_text(PAGE, encoding="utf-8")
    gold.write_text(f"Ferry stays\n{ARTICLE}\n", encoding="utf-8")
    return PageRef("chaos", page_id, "plain", str(html), str(gold))


def test_a_page_gives_one_text_nodes_document_besides_the_two_renderers(tmp_path: Path) -> None:
    styles: Counter[str] = Counter()
    for k in range(12):
        docs, stats = page_documents(_page(tmp_path, f"page{k}"))
        by_renderer = Counter(d["renderer"] for d in docs)
        assert by_renderer[TEXT_NODES] == 1, stats
        assert all(by_renderer[r] >= 1 for r in RENDERERS)  # both still give their article extract
        assert sum(d["style"] == "full" and d["renderer"] in RENDERERS for d in docs) == 1
        (nodes,) = (d for d in docs if d["renderer"] == TEXT_NODES)
        styles[nodes["style"]] += 1
        assert nodes["id"] == f"chaos/page{k}/{TEXT_NODES}/{nodes['style']}"
        labels = {line["text"]: line["label"] for line in nodes["lines"]}
        assert labels["ten years"] == "body"  # a piece of a sentence is still the article
        if nodes["style"] == "full":
            assert labels["Home"] == "nav"
    assert set(styles) == {"article", "full"}  # the style is drawn per page
