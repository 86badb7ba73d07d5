"""The items one article yields before they are wrapped into an ``ArticleExtraction``.

Both paths fill one ``Items``: the guided path in one go (``assemble.py``), the full path chunk by
chunk (``strategies/full.py``, merged with ``add`` and ``dedupe``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import Field

from extractor.schema import ItemLists, Usage

T = TypeVar("T")


class Items(ItemLists):
    """An article's items on their way to the result, with what the model calls cost."""

    usage: Usage = Field(default_factory=Usage)

    def add(self, part: Items) -> None:
        """Append another chunk's items and usage."""
        self.attributions += part.attributions
        self.figures += part.figures
        self.claims += part.claims
        self.rejected += part.rejected
        self.flags += part.flags
        self.usage += part.usage

    def dedupe(self) -> Items:
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
