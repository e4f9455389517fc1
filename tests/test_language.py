"""Line languages: the scripts that only one language writes decide a line's language."""

from __future__ import annotations

import numpy as np

import segclf
from segclf.chars import SCRIPTS
from segclf.features import view_table
from segclf.language import LineLanguages, exclusive_script_languages

LABELS = ("en", "ja", "ko", "zh")


def _guesses(texts: list[str], best: str) -> tuple[LineLanguages, np.ndarray, np.ndarray]:
    """Every line guessed ``best`` (0.7) then English (0.3), with the texts' script counts."""
    columns = np.tile([LABELS.index(best), LABELS.index("en")], (len(texts), 1)).astype(np.int32)
    probs = np.tile([0.7, 0.3], (len(texts), 1)).astype(np.float32)
    table = view_table(texts)
    return LineLanguages(columns, probs, LABELS), table.scripts, table.letters


def test_kana_makes_a_line_japanese_and_hangul_korean() -> None:
    texts = ["自分の考えをしっかりと持った女の子。", "きょうの日本昔話", "오늘의 주요 뉴스"]
    languages, scripts, letters = _guesses(texts, "zh")
    fixed = exclusive_script_languages(languages, scripts, letters)
    assert fixed.top == ["ja", "ja", "ko"]
    assert fixed.top_prob.tolist() == [1.0, 1.0, 1.0]
    assert [fixed.ranked(i) for i in range(3)] == [[("ja", 1.0)], [("ja", 1.0)], [("ko", 1.0)]]


def test_lines_without_a_decisive_script_keep_the_model_guesses() -> None:
    texts = [
        "这是一个中文句子，用来测试。",  # Han alone: Chinese or Japanese, the model decides
        "歌手",
        "Sony unveils the new プレイステーション controller at its Tokyo event today",  # mostly Latin
        "Breaking news from Seoul",
    ]
    languages, scripts, letters = _guesses(texts, "zh")
    fixed = exclusive_script_languages(languages, scripts, letters)
    assert fixed is languages  # nothing to correct: the same object, no copy
    assert fixed.top == ["zh"] * 4


def test_correction_leaves_the_input_untouched() -> None:
    languages, scripts, letters = _guesses(["きょうの日本昔話", "歌手"], "zh")
    before = languages.columns.copy(), languages.probs.copy()
    fixed = exclusive_script_languages(languages, scripts, letters)
    assert fixed.top == ["ja", "zh"]
    assert np.array_equal(languages.columns, before[0]) and np.array_equal(languages.probs, before[1])


def test_a_model_without_the_language_is_left_alone() -> None:
    languages, scripts, letters = _guesses(["きょうの日本昔話"], "zh")
    no_japanese = LineLanguages(languages.columns, languages.probs, ("en", "xx", "ko", "zh"))
    assert exclusive_script_languages(no_japanese, scripts, letters) is no_japanese


def test_scripts_columns_are_the_ones_the_rule_reads() -> None:
    table = view_table(["ひらがな カタカナ 漢字 한글"])
    counts = dict(zip(SCRIPTS, table.scripts[0].tolist()))
    assert (counts["HIRAGANA"], counts["KATAKANA"], counts["HAN"], counts["HANGUL"]) == (4, 4, 2, 2)


def test_japanese_lines_of_a_japanese_page_are_japanese(segmenter: segclf.Segmenter) -> None:
    """End to end: the shipped text model named these lines Chinese and the page flagged them foreign."""
    text = "\n".join(
        [
            "肉をくわえたイヌが、橋を渡っていました。ふと下を見ると、川の中にも肉をくわえたイヌがいます。",
            "イヌはそれを見て、思いました。あいつの肉の方が、大きそうだ。",
            "自分の考えをしっかりと持った女の子。",
            "きょうの日本昔話",
        ]
    )
    doc = segmenter.segment(text)
    assert doc.lang == "ja"
    assert [line.lang for line in doc.lines] == ["ja"] * 4
    assert "foreign" not in [line.label for line in doc.lines]


def test_kanji_lines_of_a_japanese_page_are_in_the_page_script(segmenter: segclf.Segmenter) -> None:
    """Kana and Han count as one script: a heading in kanji alone is not another script than its page."""
    from segclf.features import feature_names
    from segclf.model import prepare_documents

    text = "肉をくわえたイヌが、橋を渡っていました。ふと下を見ると、川の中にも肉をくわえたイヌがいます。\n日本経済新聞"
    model = segmenter.model
    prepared = prepare_documents([text], model.text_model, model.stopwords)[0]
    column = feature_names(model.text_model.function_labels).index("doc_script_share")
    assert prepared.features[:, column].tolist() == [1.0, 1.0]
