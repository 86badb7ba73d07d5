"""Property: the rules path never raises and every span is exact, on any text a user may hand us.

Generated articles mix words, names, attribution cues, numbers in every format, quotes of every
kind, CRLF and other whitespace, emoji (with skin tones and joiners), combining marks and arbitrary
unicode. For each: ``text[start:end] == span.text`` on the returned text, and on the input itself
when no transformation (HTML stripping) was flagged.
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extractor import Extractor, Settings  # noqa: E402

WORDS = ["the", "port", "workers", "strike", "Minister", "Tomas Brandt", "Mara Ilieva", "Dr. Ng", "O'Neil",
         "said", "told reporters", "according to", "claimed", "says", "he", "she", "they", "police", "Zoë",
         "Ñandú", "São Paulo", "Łódź", "東京", "Москва", "القاهرة", "schools", "million", "per cent", "km"]  # fmt: skip
NUMBERS = ["40", "2.5", "1,000", "$2.5 million", "€3bn", "12%", "-7", "3/4", "1e6", "٣", "½", "2024", "10,5",
           "four", "a dozen", "0.0001", "99.9 percent", "#1", "No. 3", "5-6", "１２"]  # fmt: skip
QUOTES = ['"', "'", "“", "”", "‘", "’", "«", "»", "„", "‚", "‹", "›", "`", "´", "「", "」", "''", "``"]
SPACES = [" ", " ", " ", "\r\n", "\n", "\r", "\t", "\u00a0", "\u2028", "\u2029", "\u3000", "\r\n\r\n", "\x0b"]
MARKS = [".", ",", ";", ":", "!", "?", "…", "—", "–", "-", "(", ")", "[", "]"]
ODD = ["😀", "👍🏽", "👨‍👩‍👧", "🇫🇷", "e\u0301", "n\u0303", "\u0301", "a\u20dd", "\ufeff", "\u200b", "\u200d",
       "ﬁ", "ß", "İ"]  # fmt: skip

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NUMBERS),
    st.sampled_from(QUOTES),
    st.sampled_from(SPACES),
    st.sampled_from(MARKS),
    st.sampled_from(ODD),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=4),
)
articles = st.lists(token, min_size=1, max_size=80).map("".join)


@pytest.fixture(scope="module")
def rules() -> Extractor:
    with Extractor(Settings(backend="baseline")) as ex:
        yield ex


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=articles)
def test_rules_path_never_raises_and_every_span_is_exact(rules, text):
    assume(text.replace("\ufeff", "").strip())
    result = rules.extract(text)
    transformed = any(f.code == "html_stripped" for f in result.flags)
    if not transformed:
        assert result.text == text
    for span in result.spans():
        assert 0 <= span.start <= span.end <= len(result.text)
        assert result.text[span.start : span.end] == span.text
        if not transformed:
            assert text[span.start : span.end] == span.text
