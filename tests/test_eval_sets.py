"""The held-out sets models are measured and chosen on (``training.eval_sets``, ``eval/heldout.py``)."""

from __future__ import annotations

import json
from pathlib import Path

from eval.heldout import choice_criterion
from training.eval_sets import CHOICE_SETS, set_documents

from .tiny_corpus import write_tiny_corpus


def test_a_set_holds_the_records_of_its_split_only(tmp_path: Path) -> None:
    corpus = write_tiny_corpus(tmp_path / "corpus")
    records = [json.loads(line) for line in (corpus / "composed.jsonl").read_text(encoding="utf-8").splitlines()]
    dev = set_documents("composed", corpus, "dev")
    assert sorted(d.id for d in dev) == sorted(r["id"] for r in records if r["split"] == "dev")
    assert len(set_documents("composed", corpus, "train")) == 5 * len(dev)
    assert set_documents("composed", corpus, "test") == []


def test_the_unpunctuated_set_is_the_composed_set_rewritten(tmp_path: Path) -> None:
    corpus = write_tiny_corpus(tmp_path / "corpus")
    path = corpus / "composed.jsonl"  # composed pages, as training.build marks them
    records = [json.loads(line) | {"style": "composed"} for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    plain, rewritten = set_documents("composed", corpus, "dev"), set_documents("composed-unpunctuated", corpus, "dev")
    assert [d.id for d in plain] == [d.id for d in rewritten]
    assert [d.labels for d in plain] == [d.labels for d in rewritten]
    assert [d.lines for d in plain] != [d.lines for d in rewritten]


def test_the_choice_criterion_leaves_foreign_out_on_real_pages_only() -> None:
    results = {
        "real-article": {"macro_f1": 0.5, "macro_f1_without_foreign": 0.8},
        "real-full": {"macro_f1": 0.5, "macro_f1_without_foreign": 0.9},
        "composed": {"macro_f1": 0.95, "macro_f1_without_foreign": 0.0},
        "composed-unpunctuated": {"macro_f1": 0.85, "macro_f1_without_foreign": 0.0},
    }
    assert set(results) == set(CHOICE_SETS)
    assert abs(choice_criterion(results) - (0.8 + 0.9 + 0.95 + 0.85) / 4) < 1e-12


def test_the_excerpt_sets_hold_one_short_run_of_each_page(tmp_path: Path) -> None:
    corpus = write_tiny_corpus(tmp_path / "corpus")
    pages = {d.id: d for d in set_documents("composed", corpus, "dev")}
    cuts = set_documents("composed-excerpts", corpus, "dev")
    assert cuts and len(cuts) <= len(pages)
    for cut in cuts:
        page = pages[cut.extra["group"]]
        assert 1 <= sum(bool(t.strip()) for t in cut.lines) <= 4 < sum(bool(t.strip()) for t in page.lines)
        assert "\n".join(cut.lines) in page.text
    assert [d.id for d in cuts] == [d.id for d in set_documents("composed-excerpts", corpus, "dev")]


def test_the_real_sets_keep_to_the_two_renderers_and_text_nodes_has_sets_of_its_own(tmp_path: Path) -> None:
    corpus = write_tiny_corpus(tmp_path / "corpus")
    page = json.loads((corpus / "composed.jsonl").read_text(encoding="utf-8").splitlines()[0])
    with (corpus / "real.jsonl").open("w", encoding="utf-8") as fh:
        for renderer in ("html-text", "inscriptis", "text-nodes"):
            for style in ("article", "full"):
                record = page | {"id": f"p/{renderer}/{style}", "split": "dev", "style": style, "renderer": renderer}
                fh.write(json.dumps(record | {"source": "chaos"}, ensure_ascii=False) + "\n")
    article = [d.id for d in set_documents("real-article", corpus, "dev")]
    assert article == ["p/html-text/article", "p/inscriptis/article"]
    assert [d.id for d in set_documents("real-full-text-nodes", corpus, "dev")] == ["p/text-nodes/full"]
    excerpts = set_documents("real-excerpts", corpus, "dev")
    assert excerpts and all("text-nodes" not in d.id for d in excerpts)


def test_a_pages_renderings_styles_and_excerpts_are_one_sampling_unit() -> None:
    from eval.heldout import sampling_unit

    page = "dragnet/T71"
    ids = [f"{page}/html-text/article", f"{page}/inscriptis/full", f"{page}/text-nodes/full#lines3-5"]
    assert {sampling_unit(i) for i in ids} == {page}
    assert sampling_unit("composed/af/2") == "composed/af/2" != sampling_unit("composed/af/9")
    assert sampling_unit("composed/af/2#lines10-10") == "composed/af/2"
    assert sampling_unit("001") == "001"  # a seed document


def test_the_markdown_gives_the_intervals_of_the_sets_that_have_them() -> None:
    from eval.heldout import markdown

    row = {"documents": 2, "scored_lines": 9, "languages": 1, "macro_f1": 0.8, "macro_f1_without_foreign": 0.8}
    row |= {"body_f1_lines": 0.9, "body_f1_chars": 0.95, "f1": {"body": 0.9}}
    with_interval = row | {"units": 1, "intervals": {"macro_f1": [0.7, 0.85], "body_f1_lines": [0.8, 0.97]}}
    text = markdown({"a": with_interval, "b": row}, "m")
    assert "| a | 1 | 0.800 | 0.700 to 0.850 | 0.900 | 0.800 to 0.970 |" in text
    assert "| b | 1 |" not in text
    assert "bootstrap" not in markdown({"b": row}, "m")
