"""Pieces both strategies share: a chunk of the article, a partial result, figure building."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from extractor.figures import ParsedNumber, parse_number
from extractor.schema import Attribution, Claim, Figure, Flag, Rejected, Span, Usage

T = TypeVar("T")


@dataclass(frozen=True)
class Chunk:
    """A paragraph-aligned slice of the article: ``article[offset:offset+len(text)] == text``."""

    text: str
    offset: int


@dataclass
class Partial:
    """What one chunk produced, offsets already relative to the whole article."""

    attributions: list[Attribution] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)

    def add(self, part: Partial) -> None:
        """Append another chunk's items and usage."""
        self.attributions += part.attributions
        self.figures += part.figures
        self.claims += part.claims
        self.rejected += part.rejected
        self.flags += part.flags
        self.usage += part.usage

    def dedupe(self) -> Partial:
        """Drop items found twice (same span) when chunks overlap; keeps the first."""
        self.attributions = _unique(self.attributions, lambda a: (a.content.start, a.content.end))
        self.figures = _unique(self.figures, lambda f: (f.span.start, f.span.end))
        self.claims = _unique(self.claims, lambda c: (c.evidence.start, c.evidence.end))
        return self


def _unique(items: list[T], key: Callable[[T], tuple[int, int]]) -> list[T]:
    seen: set[tuple[int, int]] = set()
    out: list[T] = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


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
