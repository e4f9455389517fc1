"""How training pages and calibration pages are drawn from the corpus (``segclf.sampling``)."""

from __future__ import annotations

import argparse
from collections import Counter

import pytest

from segclf.excerpts import EXCERPT_SHARE
from segclf.labeled import LabeledDocument
from segclf.sampling import TEXT_NODES, Sampling, balanced, calibration_sample, seed_list, seeds_of_model
from segclf.train import TrainSettings


def _doc(doc_id: str, source: str, style: str, lang: str = "en") -> LabeledDocument:
    return LabeledDocument(doc_id, ["A line."], ["body"], lang, source, {"style": style})


def _corpus() -> list[LabeledDocument]:
    real = [_doc(f"dragnet/{n}", "dragnet", "article") for n in range(30)]
    real += [_doc(f"dragnet/{n}/full", "dragnet", "full") for n in range(4)]
    composed = [
        _doc(f"ntrex/{lang}/{n}", "composed:ntrex", "composed", lang) for lang in ("de", "fa") for n in range(9)
    ]
    return real + composed


def test_no_outlet_style_or_language_holds_more_than_its_cap() -> None:
    sample = balanced(_corpus(), per_group=10, per_language=3, seed=1)
    groups = Counter((d.source, d.extra["style"], d.lang if d.extra["style"] == "composed" else None) for d in sample)
    assert groups == {
        ("dragnet", "article", None): 10,
        ("dragnet", "full", None): 4,  # fewer than the cap: all of them
        ("composed:ntrex", "composed", "de"): 3,
        ("composed:ntrex", "composed", "fa"): 3,
    }


def test_a_seed_draws_the_same_sample_in_every_run_and_another_seed_another() -> None:
    ids = lambda seed: [d.id for d in balanced(_corpus(), 10, 3, seed)]  # noqa: E731
    assert ids(1) == ids(1) != ids(2)
    dev = _corpus()
    assert [d.id for d in calibration_sample(dev, 1, 5)] == [d.id for d in calibration_sample(dev, 1, 5)]
    assert len(calibration_sample(dev, 1, 500)) == len(dev)


def _rendered(renderer: str, n: int) -> list[LabeledDocument]:
    extra = {"style": "full", "renderer": renderer}
    ids = (f"cleaneval/{k}/{renderer}/full" for k in range(n))
    return [LabeledDocument(doc_id, ["A line."], ["body"], "en", "cleaneval", extra) for doc_id in ids]


def test_text_nodes_documents_train_and_calibrate_only_in_their_share() -> None:
    docs = _rendered("html-text", 200) + _rendered(TEXT_NODES, 200)
    for share, low, high in ((0.0, 0, 0), (0.25, 30, 70), (1.0, 200, 200)):
        sampling = Sampling(text_nodes_share=share, calibration_docs=1000)
        kept = sampling.kept(docs)
        assert sum(d.extra["renderer"] == "html-text" for d in kept) == 200  # the other renderers' all stay
        assert low <= sum(d.extra["renderer"] == TEXT_NODES for d in kept) <= high
        assert sorted(d.id for d in sampling.pages(docs, seed=3)) == sorted(d.id for d in kept)
        assert sorted(d.id for d in sampling.calibration(docs, seed=3)) == sorted(d.id for d in kept)
    # the same documents in every run, and a larger share keeps those of a smaller one
    quarter = {d.id for d in Sampling(text_nodes_share=0.25).kept(docs)}
    assert quarter == {d.id for d in Sampling(text_nodes_share=0.25).kept(docs)}
    assert quarter < {d.id for d in Sampling(text_nodes_share=0.5).kept(docs)}


def test_a_models_sampling_is_read_from_its_metadata() -> None:
    sampling = Sampling(
        per_group=7, per_language=2, excerpt_share=0.5, lead_share=0.1, calibration_docs=40, text_nodes_share=0.6
    )
    assert Sampling.of_model(sampling.record()) == sampling
    # up to v20 a model recorded only its excerpt share; before v19 it cut no excerpts; and
    # a sampling recorded before the corpus had text-nodes documents (v21) trained on none
    assert Sampling().text_nodes_share > 0
    assert Sampling.of_model({"excerpt_share": EXCERPT_SHARE}) == Sampling(text_nodes_share=0.0)
    assert Sampling.of_model({}) == Sampling(excerpt_share=0.0, text_nodes_share=0.0)
    assert Sampling.of_model({"sampling": {"per_group": 9}}) == Sampling(per_group=9, text_nodes_share=0.0)


def test_a_models_settings_and_seeds_are_read_from_its_metadata() -> None:
    settings = TrainSettings(seed=4, hidden=(64,), max_rows=1000, extra={"note": "x"})
    meta = {"settings": settings.record() | {"hidden": [64]}}  # as the manifest's JSON holds them
    assert TrainSettings.of_model(meta) == settings
    assert seeds_of_model(meta) == [4]
    assert seeds_of_model({"averaged_from": [{"file": "a", "seed": 1}, {"file": "b", "seed": 2}]}) == [1, 2]
    assert seeds_of_model({}) == [0]


def test_a_model_that_records_no_hidden_language_pages_was_trained_without_them() -> None:
    legacy = {k: v for k, v in TrainSettings(hide_language_pages=True).record().items() if k != "hide_language_pages"}
    assert not TrainSettings.of_model({"settings": legacy}).hide_language_pages
    assert not TrainSettings.of_model({}).hide_language_pages
    recorded = TrainSettings(hide_language_pages=True).record()
    assert TrainSettings.of_model({"settings": recorded}).hide_language_pages


@pytest.mark.parametrize("text", ["1,x", "2,2", ",", ""])
def test_bad_seed_lists_are_refused(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        seed_list(text)
    assert seed_list("1, 2,0") == [1, 2, 0]


def test_short_documents_are_the_excerpts_then_the_leads() -> None:
    pages = [
        LabeledDocument(f"p/{n}", ["Menu", "A headline.", "A lede."], ["nav", "body", "body"], "en") for n in range(60)
    ]
    cuts = Sampling(excerpt_share=0.5, lead_share=0.5).short_documents(pages)
    variants = [c.extra["variant"] for c in cuts]
    assert variants == sorted(variants, key=["excerpt", "lead"].index) and set(variants) == {"excerpt", "lead"}
    assert Sampling(excerpt_share=0.0, lead_share=0.0).short_documents(pages) == []
