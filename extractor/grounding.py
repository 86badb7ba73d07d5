"""Snippet → offsets. The model quotes; code finds the quote in the article.

Three passes, cheapest first: exact, normalised (whitespace, quotes, dashes, case), then
fuzzy (rapidfuzz) above a threshold. A snippet found by none of them is not in the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from extractor.data import load_json
from extractor.schema import MatchKind, Span

DEFAULT_FUZZY_THRESHOLD = 90.0
MIN_FUZZY_LENGTH = 8


@dataclass(frozen=True)
class Normalised:
    """A normalised copy of a text with, for each of its characters, the source offset."""

    text: str
    origin: list[int]


def normalise(text: str, char_map: dict[str, str] | None = None) -> Normalised:
    """Lower-case, straighten quotes and dashes (``char_map``), collapse whitespace; keep an offset map."""
    char_map = char_map if char_map is not None else load_json("grounding_chars.json")["chars"]
    chars: list[str] = []
    origin: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and chars:
                chars.append(" ")
                origin.append(i)
            in_space = True
            continue
        in_space = False
        for out in char_map.get(ch, ch).lower():
            chars.append(out)
            origin.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return Normalised("".join(chars), origin)


class Grounder:
    """Finds snippets in one article. Build once per article: normalisation is cached."""

    def __init__(self, article: str, *, fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD) -> None:
        self.article = article
        self.fuzzy_threshold = fuzzy_threshold
        self._norm = normalise(article)

    def span(self, start: int, end: int, match: MatchKind = "exact") -> Span:
        return Span(start=start, end=end, text=self.article[start:end], match=match)

    def ground(self, snippet: str | None, *, near: int = 0) -> Span | None:
        """Return the span of ``snippet`` in the article (closest to ``near``), or None."""
        if snippet is None:
            return None
        stripped = snippet.strip()
        if not stripped:
            return None
        exact = _closest(_find_all(self.article, stripped), near)
        if exact is not None:
            return self.span(exact, exact + len(stripped), "exact")
        needle = normalise(stripped).text
        if not needle:
            return None
        hits = _find_all(self._norm.text, needle)
        if hits:
            i = _closest(hits, near, origin=self._norm.origin)
            assert i is not None
            return self._from_norm(i, i + len(needle), "normalised")
        return self._fuzzy(needle)

    def _fuzzy(self, needle: str) -> Span | None:
        if len(needle) < MIN_FUZZY_LENGTH or len(needle) > len(self._norm.text):
            return None
        al = fuzz.partial_ratio_alignment(needle, self._norm.text, score_cutoff=self.fuzzy_threshold)
        if al is None or al.dest_end <= al.dest_start:
            return None
        start, end = _snap_to_words(self._norm.text, al.dest_start, al.dest_end)
        return self._from_norm(start, end, "fuzzy")

    def _from_norm(self, start: int, end: int, match: MatchKind) -> Span:
        origin = self._norm.origin
        return self.span(origin[start], origin[end - 1] + 1, match)


def _find_all(haystack: str, needle: str) -> list[int]:
    hits, i = [], haystack.find(needle)
    while i != -1:
        hits.append(i)
        i = haystack.find(needle, i + 1)
    return hits


def _closest(hits: list[int], near: int, origin: list[int] | None = None) -> int | None:
    if not hits:
        return None
    return min(hits, key=lambda h: abs((origin[h] if origin else h) - near))


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy hit to whole words so spans never cut a word in half."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end


def ground(
    snippet: str, article: str, *, near: int = 0, fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD
) -> Span | None:
    """One-off grounding of ``snippet`` in ``article``; prefer ``Grounder`` for many snippets."""
    return Grounder(article, fuzzy_threshold=fuzzy_threshold).ground(snippet, near=near)
