"""Pieces the full strategy uses: a chunk of the article, span shifting, figure building."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.figures import ParsedNumber, parse_number
from extractor.schema import Figure, Span


@dataclass(frozen=True)
class Chunk:
    """A paragraph-aligned slice of the article: ``article[offset:offset+len(text)] == text``."""

    text: str
    offset: int


def shift(span: Span, offset: int) -> Span:
    """The same span with offsets moved from chunk to article coordinates."""
    if offset == 0:
        return span
    return Span(start=span.start + offset, end=span.end + offset, text=span.text, match=span.match)


def shift_opt(span: Span | None, offset: int) -> Span | None:
    return None if span is None else shift(span, offset)


def figure_from_span(
    span: Span,
    counts: str | None,
    *,
    model_value: float | None = None,
    model_unit: str | None = None,
    time: str | None = None,
) -> Figure | None:
    """Build a figure whose value, unit and change come from parsing the grounded text."""
    parsed = parse_number(span.text)
    if parsed is None:
        return None
    exact = Span(start=span.start + parsed.start, end=span.start + parsed.end, text=parsed.text, match=span.match)
    return figure_from_parsed(parsed, exact, counts, model_value=model_value, model_unit=model_unit, time=time)


def figure_from_parsed(
    parsed: ParsedNumber,
    span: Span,
    counts: str | None,
    *,
    model_value: float | None = None,
    model_unit: str | None = None,
    time: str | None = None,
) -> Figure:
    disagrees = model_value is not None and abs(model_value - parsed.value) > 1e-6 * max(1.0, abs(parsed.value))
    return Figure(
        span=span,
        value=parsed.value,
        unit=parsed.unit or model_unit,
        change=parsed.change,
        low=parsed.low,
        high=parsed.high,
        counts=counts,
        time=time,
        model_value=model_value if disagrees else None,
    )
