"""The output text built from cached fragments (``segclf.io``), checked against the plain ``json.dumps`` it replaces.

``labels_json`` and ``jsonl_rows`` must write exactly what ``json.dumps`` of the
dicts writes; ``labeled_record_line`` keeps a JSONL record's own text and adds
the labels before its closing brace. No model is needed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from segclf import LABELS, Document, Line
from segclf.columns import LabelColumns
from segclf.io import (
    InputDoc,
    _confidence_json,
    _confidence_text,
    confidence_keys,
    iter_inputs,
    jsonl_rows,
    labeled_record_line,
    labels_json,
    labels_record,
    tsv_rows,
)

# Confidences where rounding to 4 decimals is delicate: exact ties (half to even), values just
# around a tie, 0 and 1, and the non-finite values json.dumps writes as NaN / Infinity.
EDGE_CONFIDENCES = [
    0.0,
    -0.0,
    1.0,
    0.5,
    0.03125,
    0.09375,
    0.00005,
    0.99995,
    0.12345,
    0.123450000001,
    1e-9,
    -1e-9,
    0.1 + 0.2,
    1e20,
    float("nan"),
    float("inf"),
    float("-inf"),
]
LANGS = st.sampled_from([None, "en", "zh", "pt", 'we"ird', "é", "\\"])
CONFIDENCES = st.one_of(st.sampled_from(EDGE_CONFIDENCES), st.floats(0, 1), st.floats(allow_nan=True))
TEXTS = st.one_of(st.text(max_size=30), st.sampled_from(['"quoted"', "back\\slash", "\x00\x1f", "\u2028", "\ud800"]))
LINES = st.builds(Line, TEXTS, st.sampled_from(LABELS), CONFIDENCES, LANGS)
DOCUMENTS = st.builds(Document, st.lists(LINES, max_size=12), LANGS)


def reference_jsonl_rows(doc: Document, doc_id: str) -> str:
    """``jsonl_rows`` as it was written before the fragments: a dict per row through ``json.dumps``."""
    return "".join(
        json.dumps(
            {
                "doc": doc_id,
                "line": n,
                "label": ln.label,
                "confidence": round(ln.confidence, 4),
                "lang": ln.lang,
                "text": ln.text,
            },
            ensure_ascii=False,
        )
        + "\n"
        for n, ln in enumerate(doc, start=1)
    )


def single_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """``object_pairs_hook`` that refuses a JSON object with a key written twice."""
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys in {keys}"
    return dict(pairs)


def read_records(path: Path) -> list[InputDoc]:
    docs = list(iter_inputs([path], field="text"))
    assert all(doc.ok for doc in docs), [doc.error for doc in docs]
    return docs


def labeled(text: str) -> Document:
    """A stand-in for the model's result: one labeled line per line of ``text``."""
    lines = text.split("\n")
    return Document([Line(t, LABELS[i % len(LABELS)], 1 / (i + 3), "en" if t else None) for i, t in enumerate(lines)])


# --- labels_json and jsonl_rows: the same text as json.dumps ----------------------------


@given(DOCUMENTS)
def test_labels_json_writes_what_json_dumps_writes(doc):
    assert labels_json(doc) == json.dumps(labels_record(doc), ensure_ascii=False)


@given(st.sampled_from(EDGE_CONFIDENCES) | st.floats(allow_nan=True, allow_infinity=True))
def test_confidence_text_is_json_dumps_of_the_rounded_value(confidence):
    doc = Document([Line("x", "body", confidence, None)], lang=None)
    line = json.dumps({"label": "body", "confidence": round(confidence, 4), "lang": None})
    assert labels_json(doc) == f'{{"lang": null, "lines": [{line}]}}'


def test_labels_json_of_an_empty_document():
    assert labels_json(Document([], lang="en")) == '{"lang": "en", "lines": []}'


@given(DOCUMENTS, st.sampled_from(["a.txt", 'dir/we"ird\\name.txt', "tab\there", "c.jsonl:7"]))
def test_jsonl_rows_are_byte_identical_to_json_dumps_of_each_row(doc, doc_id):
    assert jsonl_rows(doc, doc_id) == reference_jsonl_rows(doc, doc_id)


# --- labeled_record_line: the record's own text, labels spliced in -----------------------


def test_labeled_record_keeps_the_record_text_exactly(tmp_path):
    records = [
        '{"z": 1.0, "text": "caf\\u00e9\\nsecond line", "a": {"nested": [1, 2.50, {"k": null}]}, "big": 1e400}',
        '{"text":"compact","n":-0.0,"s":"\\"q\\" \\/ \\ud83d\\ude00"}',
        '{ "id" : 3 , "text" : "spaces inside" }',
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(records) + "\n", encoding="utf-8")
    for doc, raw in zip(read_records(corpus), records, strict=True):
        result = labeled(doc.text)
        line = labeled_record_line(doc, result)
        assert line.endswith("}\n") and line.count("\n") == 1
        assert line.startswith(raw[:-1] + ', "segclf": ')
        out = json.loads(line, object_pairs_hook=single_keys)
        assert out.pop("segclf") == labels_record(result)
        assert out == json.loads(raw)


def test_labeled_record_drops_white_space_and_crlf_around_the_record(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b'{"text": "one"}   \r\n  \t{"text": "two"}\t \n{"text": "three"}\r\r\n')
    docs = read_records(corpus)
    assert [doc.raw for doc in docs] == ['{"text": "one"}', '{"text": "two"}', '{"text": "three"}']
    for doc in docs:
        line = labeled_record_line(doc, labeled(doc.text))
        assert line == f'{doc.raw[:-1]}, "segclf": {labels_json(labeled(doc.text))}}}\n'
        assert json.loads(line)["text"] == doc.text


def test_a_record_with_segclf_already_gets_it_replaced_not_doubled(tmp_path):
    corpus = tmp_path / "c.jsonl"
    old = {"lang": "xx", "lines": []}
    corpus.write_text(json.dumps({"id": 1, "segclf": old, "text": "a\nb"}) + "\n", encoding="utf-8")
    (doc,) = read_records(corpus)
    result = labeled(doc.text)
    out = json.loads(labeled_record_line(doc, result), object_pairs_hook=single_keys)
    assert out == {"id": 1, "segclf": labels_record(result), "text": "a\nb"}
    assert list(out) == ["id", "segclf", "text"]  # replaced where it was, like {**record, "segclf": ...}


def test_a_record_without_its_text_is_encoded_again():
    doc = InputDoc(id="x", text="a", record={"text": "a", "n": 1})
    result = labeled("a")
    assert labeled_record_line(doc, result) == json.dumps({"text": "a", "n": 1, "segclf": labels_record(result)}) + "\n"


# --- confidences rounded all at once, and the TSV rows -------------------------------------


def near_ties() -> list[float]:
    """Values at, just below and just above x.xxxx5 for every 4-decimal step, and the floats beside 0 and 1."""
    ties = (np.arange(10_000) + 0.5) / 10_000
    return np.concatenate([ties, np.nextafter(ties, 0), np.nextafter(ties, 1), [0.0, 5e-324, 1.0, 1 - 2**-53]]).tolist()


def test_confidence_keys_round_as_format_does_even_beside_ties():
    values = near_ties()
    keys = confidence_keys(values)
    assert [_confidence_text(k) for k in keys] == [f"{c:.4f}" for c in values]
    assert [_confidence_json(k) for k in keys] == [json.dumps(round(c, 4)) for c in values]
    assert confidence_keys([0.0, 0.25, 0.123456, 0.99999, 1.0]) == [0, 2500, 1235, 10000, 10000]  # numpy rounded


@given(st.lists(CONFIDENCES, max_size=20))
def test_confidence_keys_of_any_float(values):
    keys = confidence_keys(values)
    assert [_confidence_text(k) for k in keys] == [f"{c:.4f}" for c in values]
    assert [_confidence_json(k) for k in keys] == [json.dumps(round(c, 4)) for c in values]


@given(DOCUMENTS, st.sampled_from([None, "a.txt", "{b}.txt"]))
def test_tsv_rows_equal_one_format_per_line(doc, doc_id):
    head = f"# doc: {doc_id}\n" if doc_id is not None else ""
    rows = "".join(f"{ln.label}\t{ln.confidence:.4f}\t{ln.lang or ''}\t{ln.text}\n" for ln in doc)
    assert tsv_rows(doc, doc_id) == head + rows


@given(DOCUMENTS)
def test_columns_and_documents_write_the_same(doc):
    cols = LabelColumns.of(doc)
    assert labels_json(cols) == labels_json(doc) and jsonl_rows(cols, "{x}") == jsonl_rows(doc, "{x}")
    arrays = LabelColumns(cols.texts, cols.labels, np.array(cols.confidences, dtype=np.float64), cols.langs, cols.lang)
    assert labels_json(arrays) == labels_json(doc) and tsv_rows(arrays) == tsv_rows(doc)
