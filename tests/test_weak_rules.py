"""The recipe's weak rules: reader-comment threads that a page's gold text took in as body."""

from __future__ import annotations

import pytest

from training.weak_rules import article_start, frame_article, head_end, is_comment_attribution, swallowed_comments

ARTICLE = [
    "Just Keep Going",
    "by randfish on May 23, 2011",
    " ".join(["In 1997 I was just graduating from high school and started to design websites."] * 4),
    " ".join(["From 2001 to 2003 we took out nearly $150,000 in loans, mostly from credit cards."] * 4),
    " ".join(["These past few weeks, the software business had its first ever big month of revenue."] * 4),
]


@pytest.mark.parametrize(
    "line",
    [
        "by Andrew on May 23, 2011 at 12:12 am. Reply #",
        "Natalia July 31, 2012 at 8:28 pm",
        "by BW Smith on Aug 9, 2012 10:21 AM EDT up reply actions",
        "8 Djalma Britto | 11/8/2012 2:02:18 PM",
    ],
)
def test_attributions_with_a_date_and_a_time_or_a_reply_link(line: str) -> None:
    assert is_comment_attribution(line)


@pytest.mark.parametrize(
    "line",
    [
        "Posted on May 23, 2011",  # a dateline without a time
        "Updated 10:15 am",  # a time without a date
        "Reply",
        "On May 3 the council met at 10:30 and voted, after a debate that lasted well into the night, to close it",
    ],
)
def test_datelines_times_and_long_sentences_are_not_attributions(line: str) -> None:
    assert not is_comment_attribution(line)


def _thread(attribution_first: bool) -> tuple[list[str], list[str]]:
    lines, labels = list(ARTICLE), ["body"] * len(ARTICLE)
    for name, time, text in [
        ("Andrew", "12:12 am", "Thanks for sharing your story."),
        ("Al Sefati", "12:47 am", "I admire you that you did not give up."),
        ("Ryan Evans", "2:51 am", "Why do you think the consultancy did not work?"),
    ]:
        pair = [f"by {name} on May 23, 2011 at {time}. Reply #", text]
        lines += pair if attribution_first else pair[::-1]
        labels += ["body", "body"]
    return lines, labels


def test_a_thread_after_the_article_becomes_comment() -> None:
    lines, labels = _thread(attribution_first=True)
    out = swallowed_comments(lines, labels)
    assert out[: len(ARTICLE)] == ["body"] * len(ARTICLE)
    assert out[len(ARTICLE) :] == ["comment"] * 6


def test_a_thread_starts_at_its_comment_header() -> None:
    lines, labels = _thread(attribution_first=False)
    n = len(ARTICLE)
    lines.insert(n, "38 comments")
    labels.insert(n, "comment")
    out = swallowed_comments(lines, labels)
    assert out[:n] == ["body"] * n
    assert out[n:] == ["comment"] * 7


def test_no_thread_without_an_article_above_it_or_without_text_between_marks() -> None:
    lines, labels = _thread(attribution_first=True)
    n = len(ARTICLE)
    short = lines[:2] + lines[n:], labels[:2] + labels[n:]  # only a headline and a byline above
    assert swallowed_comments(*short) == short[1]
    marks_only = lines[:n] + [lines[n], lines[n + 2], lines[n + 4]], ["body"] * (n + 3)
    assert swallowed_comments(*marks_only) == marks_only[1]


LONG_HEADLINE = "Report: the governor's failed understanding of technology revealed evidence of the affair to his wife"
PAPER = [
    "Sports",
    LONG_HEADLINE,
    "written by Christy Riggins",
    "on April 7, 2017 at 6:49 pm CDT",
    "An investigation into alleged corruption surrounding the governor has found new evidence, a report says.",
    "According to the report released on Friday, his wife was able to observe what went on for months.",
]


def test_the_head_ends_at_the_first_paragraph_not_at_a_long_headline() -> None:
    assert head_end(PAPER, [1, 4, 5]) == 4
    assert article_start(PAPER, [1, 4, 5]) == 1  # what comment-thread detection reads
    assert head_end(PAPER[:2], [1]) == 1  # no paragraph: the long line itself
    assert head_end(["Weather", "Rain"], [1]) == 1  # no long line: the first body line


def test_a_byline_under_a_long_headline_is_body() -> None:
    labels = ["nav", "body", "nav", "nav", "body", "body"]
    assert frame_article(PAPER, labels) == ["nav", "body", "body", "body", "body", "body"]
