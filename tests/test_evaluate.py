"""Metrics of segclf.evaluate on tiny hand-made gold/prediction pairs whose answers are worked out by hand."""

from __future__ import annotations

import pytest

from segclf import Document, Line
from segclf.evaluate import (
    UNKNOWN,
    compare,
    evaluate,
    format_number,
    format_text,
    predict_gold,
)
from segclf.labeled import LabeledDocument


def gold_doc(
    doc_id: str, rows: list[tuple[str, str]], lang: str | None = "en", source: str | None = "s1"
) -> LabeledDocument:
    """A gold document from (label, text) rows."""
    return LabeledDocument(doc_id, [t for _, t in rows], [lab for lab, _ in rows], lang, source)


def predicted(labels: list[str], confidences: list[float] | None = None, lang: str | None = "en") -> Document:
    confidences = confidences or [0.9] * len(labels)
    return Document([Line("", lab, c, None) for lab, c in zip(labels, confidences, strict=True)], lang)


# One document: 6 lines, one gold blank. Texts have lengths 4, 2, 0, 3, 6, 10.
GOLD = gold_doc(
    "d1",
    [("body", "aaaa"), ("body", "bb"), ("blank", ""), ("nav", "ccc"), ("ad", "dddddd"), ("body", "e" * 10)],
)
PRED = ["body", "nav", "body", "nav", "body", "blank"]  # the blank line's "body" is not scored


def test_per_class_macro_micro_by_hand() -> None:
    ev = evaluate([GOLD], [PRED])
    # scored: gold body body nav ad body / predicted body nav nav body blank
    assert (ev.documents, ev.scored_lines, ev.blank_lines, ev.predicted_blank) == (1, 5, 1, 1)
    pc = ev.overall.per_class
    # body: TP 1 (line 1); predicted body twice (lines 1, 5); gold body 3 times
    assert pc["body"].precision == pytest.approx(1 / 2)
    assert pc["body"].recall == pytest.approx(1 / 3)
    assert pc["body"].f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert pc["body"].support == 3
    # nav: TP 1, predicted twice, gold once
    assert (pc["nav"].precision, pc["nav"].recall) == (pytest.approx(0.5), pytest.approx(1.0))
    assert pc["nav"].f1 == pytest.approx(2 / 3)
    # ad: never predicted: precision undefined, recall 0, F1 0
    assert (pc["ad"].precision, pc["ad"].recall, pc["ad"].f1, pc["ad"].support) == (None, 0.0, 0.0, 1)
    # no gold and no predicted comment/foreign: undefined, and left out of macro-F1
    assert (pc["comment"].precision, pc["comment"].recall, pc["comment"].f1, pc["comment"].support) == (
        None,
        None,
        None,
        0,
    )
    assert ev.overall.macro_classes == ("body", "nav", "ad")
    assert ev.overall.macro_f1 == pytest.approx((0.4 + 2 / 3 + 0.0) / 3)
    assert ev.overall.micro_f1 == pytest.approx(2 / 5)


def test_gold_blank_not_scored_and_predicted_blank_is_a_miss() -> None:
    ev = evaluate([GOLD], [PRED])
    cm = dict(zip(ev.confusion.gold_labels, ev.confusion.counts, strict=True))
    cols = ev.confusion.predicted_labels
    assert cols[-1] == "blank"
    assert cm["body"] == (1, 1, 0, 0, 0, 1)  # body→body, body→nav, body→blank
    assert cm["nav"] == (0, 1, 0, 0, 0, 0)
    assert cm["ad"] == (1, 0, 0, 0, 0, 0)
    assert sum(map(sum, ev.confusion.counts)) == ev.scored_lines == 5
    # every gold line predicted blank would score zero, not be dropped
    all_blank = evaluate([GOLD], [["blank"] * 6])
    assert all_blank.scored_lines == 5 and all_blank.overall.micro_f1 == 0.0
    assert all_blank.overall.per_class["body"].recall == 0.0


def test_body_f1_by_lines_and_by_characters() -> None:
    ev = evaluate([GOLD], [PRED])
    # lines: TP 1, FP 1 (ad→body), FN 2 (body→nav, body→blank)
    assert ev.overall.body_lines.precision == pytest.approx(1 / 2)
    assert ev.overall.body_lines.recall == pytest.approx(1 / 3)
    assert ev.overall.body_lines.f1 == pytest.approx(2 * 1 / (2 * 1 + 1 + 2))
    # characters: TP 4 ("aaaa"), FP 6 ("dddddd"), FN 2 + 10 ("bb", "e"*10)
    assert ev.overall.body_chars.precision == pytest.approx(4 / 10)
    assert ev.overall.body_chars.recall == pytest.approx(4 / 16)
    assert ev.overall.body_chars.f1 == pytest.approx(2 * 4 / (2 * 4 + 6 + 12))
    assert ev.overall.characters == 4 + 2 + 3 + 6 + 10


def test_top_confusions_with_examples() -> None:
    gold = gold_doc("x", [("nav", f"menu {i}") for i in range(8)] + [("ad", "Sponsored")])
    ev = evaluate([gold], [["body"] * 8 + ["nav"]], examples=5)
    first, second = ev.top_confusions
    assert (first.gold, first.predicted, first.count) == ("nav", "body", 8)
    assert [(e.doc, e.line, e.text) for e in first.examples] == [("x", i + 1, f"menu {i}") for i in range(5)]
    assert (second.gold, second.predicted, second.count) == ("ad", "nav", 1)
    assert second.examples[0].line == 9 and second.examples[0].confidence is None


def test_grouping_per_language_and_source() -> None:
    d1 = gold_doc("d1", [("body", "a"), ("nav", "b")], lang="en", source="s1")  # 2 right
    d2 = gold_doc("d2", [("body", "a"), ("ad", "b"), ("body", "c")], lang="de", source="s1")  # 1 of 3 right
    d3 = gold_doc("d3", [("body", "a"), ("blank", "")], lang=None, source=None)  # 1 of 1 right
    preds = [["body", "nav"], ["nav", "ad", "nav"], ["body", "blank"]]
    ev = evaluate([d1, d2, d3], preds)
    assert list(ev.by_lang) == sorted(["en", "de", UNKNOWN])
    assert list(ev.by_source) == sorted(["s1", UNKNOWN])
    assert (ev.by_lang["en"].documents, ev.by_lang["en"].lines, ev.by_lang["en"].micro_f1) == (1, 2, 1.0)
    assert ev.by_lang["de"].micro_f1 == pytest.approx(1 / 3)
    assert ev.by_lang["de"].per_class["body"].recall == 0.0
    assert ev.by_lang[UNKNOWN].lines == 1  # the blank line is not scored
    assert (ev.by_source["s1"].documents, ev.by_source["s1"].lines) == (2, 5)
    assert ev.by_source["s1"].micro_f1 == pytest.approx(3 / 5)
    # de: body F1 = 0 (no body predicted right); macro over body and ad = (0 + 1) / 2
    assert ev.by_lang["de"].macro_f1 == pytest.approx(0.5)
    assert ev.overall.micro_f1 == pytest.approx(4 / 6)


def test_reliability_bins_and_ece() -> None:
    gold = gold_doc("r", [("body", "a"), ("body", "b"), ("nav", "c"), ("nav", "d"), ("ad", "e"), ("ad", "f")])
    labels = ["body", "nav", "nav", "nav", "body", "ad"]  # right, wrong, right, right, wrong, right
    confs = [0.05, 0.15, 0.95, 1.0, 0.92, 0.1]  # 0.1 falls in the second bin, 1.0 in the last
    ev = evaluate([gold], [predicted(labels, confs)])
    bins = ev.calibration.bins
    assert len(bins) == 10 and [b.count for b in bins] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 3]
    assert (bins[0].mean_confidence, bins[0].accuracy) == (pytest.approx(0.05), 1.0)
    assert (bins[1].mean_confidence, bins[1].accuracy) == (pytest.approx(0.125), 0.5)
    assert bins[2].mean_confidence is None and bins[2].accuracy is None
    assert (bins[9].mean_confidence, bins[9].accuracy) == (pytest.approx(2.87 / 3), pytest.approx(2 / 3))
    expected = (1 * abs(1 - 0.05) + 2 * abs(0.5 - 0.125) + 3 * abs(2 / 3 - 2.87 / 3)) / 6
    assert ev.calibration.ece == pytest.approx(expected)


def test_language_accuracy_and_plain_label_lists() -> None:
    docs = [gold_doc("a", [("body", "x")], lang="en"), gold_doc("b", [("body", "x")], lang="de")]
    docs.append(gold_doc("c", [("body", "x")], lang=None))
    ev = evaluate(docs, [predicted(["body"], lang="en"), predicted(["body"], lang="fr"), predicted(["body"])])
    assert (ev.language.documents, ev.language.correct, ev.language.accuracy) == (2, 1, 0.5)
    assert ev.language.mistakes == (("b", "de", "fr"),)
    plain = evaluate(docs, [["body"], ["body"], ["body"]])
    assert plain.calibration is None and plain.language is None
    assert plain.to_dict()["calibration"] is None


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="one entry per gold document"):
        evaluate([GOLD], [])
    with pytest.raises(ValueError, match="'d1'.*5 lines"):
        evaluate([GOLD], [PRED[:5]])
    with pytest.raises(ValueError, match="unknown predicted label 'boilerplate'"):
        evaluate([GOLD], [["boilerplate"] * 6])


def test_empty_and_all_blank_documents() -> None:
    ev = evaluate([gold_doc("e", [("blank", ""), ("blank", " ")])], [["blank", "blank"]])
    assert ev.scored_lines == 0 and ev.overall.macro_f1 is None and ev.overall.micro_f1 is None
    assert ev.overall.body_chars.f1 is None and ev.calibration is None
    text = format_text(ev)
    assert "—" in text and "0 scored lines" in text


def test_to_dict_is_rounded_and_json_safe() -> None:
    import json

    summary = evaluate([GOLD], [predicted(PRED, [0.7, 0.81, 1.0, 0.6, 0.99, 1.0])]).to_dict()
    assert json.loads(json.dumps(summary)) == summary
    assert summary["overall"]["macro_f1"] == round((0.4 + 2 / 3) / 3, 4)
    assert summary["overall"]["per_class"]["ad"]["precision"] is None
    assert summary["top_confusions"][0]["examples"][0] == {"doc": "d1", "line": 2, "text": "bb", "confidence": 0.81}


def test_format_text_shows_the_summary_numbers() -> None:
    ev = evaluate([GOLD], [PRED])
    summary = ev.to_dict()
    text = format_text(ev, title="m")
    body_row = next(line.split() for line in text.splitlines() if line.startswith("body "))
    s = summary["overall"]["per_class"]["body"]
    assert body_row == ["body", format_number(s["precision"]), format_number(s["recall"]), format_number(s["f1"]), "3"]
    assert format_number(summary["overall"]["body_f1_chars"]) in text
    assert "classes with gold support" in text


def test_compare_gives_b_minus_a() -> None:
    a = evaluate([GOLD], [PRED])
    b = evaluate([GOLD], [["body", "body", "blank", "nav", "ad", "body"]])  # all right
    diff = compare(a, b)
    sa, sb = a.to_dict(), b.to_dict()
    assert diff["overall"]["micro_f1"] == round(sb["overall"]["micro_f1"] - sa["overall"]["micro_f1"], 4) == 0.6
    assert diff["overall"]["per_class"]["nav"]["f1"] == round(1 - sa["overall"]["per_class"]["nav"]["f1"], 4)
    assert diff["overall"]["per_class"]["ad"]["precision"] is None  # undefined for A
    assert "support" not in diff["overall"]["per_class"]["body"]
    assert diff["by_lang"]["en"]["body_f1_chars"] == round(1 - sa["by_lang"]["en"]["body_f1_chars"], 4)
    with pytest.raises(ValueError, match="same gold"):
        compare(a, evaluate([GOLD, GOLD], [PRED, PRED]))


def test_predict_gold_reports_progress_per_document() -> None:
    class FakeSegmenter:
        def segment_many(self, texts):  # noqa: ANN001, ANN202
            for text in texts:
                yield Document([Line(t, "body", 1.0, None) for t in text.split("\n")], "en")

    ticks: list[int] = []
    docs = predict_gold(FakeSegmenter(), [GOLD, GOLD], progress=ticks.append)  # type: ignore[arg-type]
    assert ticks == [1, 1] and [len(d) for d in docs] == [6, 6]
