"""Parse one written figure ("nearly 100", "$4.2 billion", "8%", "two") with the project's one number grammar.

The grammar is ``extractor.proposals.figures`` (over the spaCy analysis, word lists in ``extractor/data``);
this module only applies it to a short snippet, such as a number a model quoted from the article, and
returns the first figure found: value, range, unit (canonical names from ``extractor/data/units.json``),
change, and its offsets into the snippet.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.analysis import analyse
from extractor.proposals import Change
from extractor.proposals.figures import _complete, _number_at, propose_figures

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class ParsedNumber:
    """One figure in a snippet: offsets into it (``snippet[start:end] == text``) and what code read from it."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    change: Change
    low: float | None = None
    high: float | None = None


@functools.lru_cache(maxsize=4096)
def parse_number(written: str) -> ParsedNumber | None:
    """The first figure in ``written`` ("nearly 100", "$4.2 billion", "8%"); None if it holds no number.

    A calendar year ("in 2020") is a figure with unit ``year``. A bare run of number words ("two", "a dozen")
    is too: the article-level proposer leaves those out for want of a counted noun, but a snippet quoted as a
    number has no context to judge that by, so the grammar's reading of the words is taken as it is.
    """
    if not written.strip():
        return None
    analysis = analyse(written)
    found = propose_figures(analysis, calendar_years=True)
    if found:
        f = found[0]
        start, end = f.span.start, f.span.end
        return ParsedNumber(start, end, written[start:end], f.value, f.unit, f.change, f.low, f.high)
    return _number_words(analysis.doc, written)


def _number_words(doc: Doc, written: str) -> ParsedNumber | None:
    """The first run of number words the grammar reads in ``doc``, ignoring the proposer's need for context."""
    for i in range(len(doc)):
        num = _number_at(doc, i)
        if num is None or not num.words:
            continue
        num = _complete(doc, num)
        if num is None or num.low == -1.0:  # -1.0 is the grammar's mark for a sports score
            continue
        start = doc[num.start].idx
        end = doc[num.end - 1].idx + len(doc[num.end - 1].text)
        return ParsedNumber(start, end, written[start:end], num.value, num.unit, num.change, num.low, num.high)
    return None
