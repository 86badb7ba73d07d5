import pytest

from extractor.grounding import Grounder, ground, normalise

ARTICLE = (
    "White House spokesman John Kirby said the United States was “not in a position to doubt it.”\n"
    "Tehran   pledged retaliation — the deadliest attack since 1979 — and 284 people were wounded."
)


def check(span, article=ARTICLE):
    assert span is not None
    assert article[span.start : span.end] == span.text
    return span


def test_exact_match_returns_offsets():
    span = check(ground("John Kirby", ARTICLE))
    assert (span.start, span.match) == (ARTICLE.index("John Kirby"), "exact")


@pytest.mark.parametrize(
    "snippet, expected",
    [
        ('"not in a position to doubt it."', "“not in a position to doubt it.”"),
        ("tehran pledged retaliation", "Tehran   pledged retaliation"),
        ("retaliation - the deadliest attack", "retaliation — the deadliest attack"),
        ("JOHN   KIRBY said", "John Kirby said"),
    ],
)
def test_normalised_match_maps_back_to_original_text(snippet, expected):
    span = check(ground(snippet, ARTICLE))
    assert span.match == "normalised"
    assert span.text == expected


def test_fuzzy_match_above_threshold():
    span = check(ground("the deadliest atack since 1979", ARTICLE))
    assert span.match == "fuzzy"
    assert "deadliest" in span.text and "1979" in span.text


@pytest.mark.parametrize(
    "snippet", ["Ebrahim Raisi condemned the crime", "a completely invented sentence here", "", None]
)
def test_snippet_not_in_article_is_rejected(snippet):
    assert ground(snippet, ARTICLE) is None


def test_short_snippets_are_not_fuzzy_matched():
    assert ground("Kirbx", ARTICLE) is None


def test_closest_occurrence_to_hint_wins():
    text = "He said no. Later he said yes."
    g = Grounder(text)
    assert g.ground("said", near=0).start == 3
    assert g.ground("said", near=20).start == text.rindex("said")


def test_normalise_keeps_an_offset_for_every_character():
    n = normalise("A  “B”\n— c")
    assert n.text == 'a "b" - c'
    assert len(n.origin) == len(n.text)


def test_every_span_matches_even_with_unicode_case_changes():
    text = "İstanbul officials said 3 people died."
    check(ground("istanbul officials said", text), text)
