"""Numbers are parsed by code, never trusted to the model: value, unit hint and change.

``find_numbers`` finds every figure mention in a text with its offsets; ``parse_number``
parses one written form ("nearly 100", "$4.2 billion", "8%", "two"). Units are canonical names from
``extractor.units`` ("dollar", "percentage"). The article-level proposer, which reads the spaCy analysis
(ranges, dates, identifiers, counted nouns), is ``extractor.proposals.figures.propose_figures``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.schema import Change
from extractor.units import normalise_unit

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SHORT_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
_MODIFIERS: dict[str, Change] = {
    "nearly": "~", "almost": "~", "about": "~", "around": "~", "approximately": "~", "roughly": "~",
    "some": "~", "close to": "~", "an estimated": "~", "estimated": "~", "circa": "~",
    "more than": ">", "over": ">", "at least": ">", "above": ">", "upwards of": ">", "in excess of": ">",
    "less than": "<", "under": "<", "fewer than": "<", "below": "<", "up to": "<", "at most": "<",
}  # fmt: skip
_CURRENCY_SYMBOLS = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_UNIT_WORDS = {
    "people": "people", "persons": "people", "person": "people", "casualties": "people", "dead": "people",
    "killed": "people", "wounded": "people", "injured": "people", "victims": "people", "children": "people",
    "civilians": "people", "residents": "people", "soldiers": "people", "voters": "people", "adults": "people",
    "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "yen": "JPY",
    "yuan": "CNY", "rupees": "INR", "years": "year", "year": "year", "months": "month", "month": "month",
    "weeks": "week", "week": "week", "days": "day", "day": "day", "hours": "hour", "hour": "hour",
    "minutes": "minute", "minute": "minute", "seconds": "second", "km": "km", "kilometres": "km",
    "kilometers": "km", "miles": "mile", "mile": "mile", "kg": "kg", "kilograms": "kg", "tonnes": "tonne",
    "tons": "tonne", "metres": "metre", "meters": "metre", "feet": "foot", "foot": "foot", "yards": "yard",
    "mph": "mile per hour", "degrees": "degree", "points": "point",
}  # fmt: skip
_STOP = {
    "of", "the", "a", "an", "and", "or", "in", "on", "at", "to", "for", "by", "from", "with", "as", "that",
    "which", "who", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its", "their",
    "his", "her", "this", "these", "those", "than", "more", "less", "per", "but", "not", "after", "before",
}  # fmt: skip
_UP = r"(?:rose|rise|rises|risen|rising|increased|increase|increases|grew|grow|grown|gained|jumped|climbed|soared|up)"
_DOWN = (
    r"(?:fell|fall|falls|fallen|falling|dropped|drop|declined|decline|decreased|decrease|down|lost|slid|"
    r"plunged|shrank|cut)"
)

_WORD = "|".join(sorted(list(_SMALL) + ["hundred", "dozen", *_SCALES], key=len, reverse=True))
_WORDNUM = rf"(?:(?:a|an)\s+)?(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_MOD = "|".join(sorted((re.escape(m).replace(r"\ ", r"\s+") for m in _MODIFIERS), key=len, reverse=True))
_PATTERN = re.compile(
    rf"(?<![\w.$€£¥])(?:(?P<mod>{_MOD})\s+)?"
    r"(?P<cur>US\$|\$|€|£|¥)?\s?"
    rf"(?P<num>{_DIGITS}|\b{_WORDNUM}\b)"
    rf"(?:\s?(?P<scale>(?:thousand|million|billion|trillion)\b|(?:bn|mn|mln|tn|k|m|b)(?![\w])))?"
    r"(?:\s?(?P<pct>%|percent\b|per\s+cent\b|percentage\s+points?\b))?"
    r"(?![\w])",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"[\s-]+([A-Za-z][A-Za-z-]*)")


@dataclass(frozen=True)
class ParsedNumber:
    """One figure mention: offsets into the searched text, and what code read from it."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    change: Change
    core_end: int = -1


def words_to_number(words: str) -> float | None:
    """'twenty-five' → 25, 'three million' → 3e6, 'a dozen' → 12; None if not a number."""
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t and t != "and"]
    if not tokens:
        return None
    total, current, seen = 0.0, 0.0, False
    for i, tok in enumerate(tokens):
        if tok in ("a", "an") and i == 0:
            current, seen = 1.0, False
        elif tok in _SMALL:
            current += _SMALL[tok]
            seen = True
        elif tok == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif tok == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif tok in _SCALES:
            total += (current or 1.0) * _SCALES[tok]
            current, seen = 0.0, True
        else:
            return None
    return total + current if seen or current else None


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    """The unit named by the word after a number, and where that word ends (``end`` if none)."""
    m = _NEXT_WORD.match(text, end)
    if not m:
        return None, end
    word = m.group(1).lower()
    if word in _UNIT_WORDS:
        return _UNIT_WORDS[word], m.end()
    return None, end


def _noun_after(text: str, end: int) -> str | None:
    m = _NEXT_WORD.match(text, end)
    if not m:
        return None
    word = m.group(1)
    if not word.islower() or word in _STOP or len(word) < 3:
        return None
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _change_before(text: str, start: int) -> Change | None:
    before = text[max(0, start - 30) : start].lower()
    if re.search(rf"\b{_UP}(?:\s+by)?\s*$", before):
        return "up"
    if re.search(rf"\b{_DOWN}(?:\s+by)?\s*$", before):
        return "down"
    return None


def _parse_match(text: str, m: re.Match[str]) -> ParsedNumber | None:
    raw = m.group("num")
    if raw[0].isdigit() or raw[0] == ".":
        value = float(raw.replace(",", ""))
        is_digits = True
    else:
        parsed = words_to_number(raw)
        if parsed is None:
            return None
        value, is_digits = parsed, False
    scale = (m.group("scale") or "").lower()
    if scale in _SCALES:
        value *= _SCALES[scale]
    elif scale:
        if not (is_digits or m.group("cur")):
            return None
        value *= _SHORT_SCALES[scale]
    unit: str | None = None
    end = m.end()
    cur = m.group("cur")
    if m.group("pct"):
        unit = "percentage point" if "point" in m.group("pct").lower() else "percent"
    elif cur:
        unit = _CURRENCY_SYMBOLS[cur.lower()]
    else:
        unit, end = _unit_after(text, m.end())
        if unit is None and is_digits and not scale and "," not in raw and "." not in raw and 1800 <= value <= 2100:
            unit = "year"
        elif unit is None:
            unit = _noun_after(text, m.end())
    unit = normalise_unit(unit) or unit
    mod = m.group("mod")
    change: Change = _MODIFIERS[re.sub(r"\s+", " ", mod.lower())] if mod else "="
    if change == "=":
        change = _change_before(text, m.start()) or "="
    return ParsedNumber(m.start(), end, text[m.start() : end], value, unit, change, m.end())


def find_numbers(text: str) -> list[ParsedNumber]:
    """Every number mention in ``text`` that parses, in order, with offsets into ``text``."""
    found = []
    for m in _PATTERN.finditer(text):
        if not m.group("num").strip():
            continue
        parsed = _parse_match(text, m)
        if parsed is not None:
            found.append(parsed)
    return found


def parse_number(written: str) -> ParsedNumber | None:
    """Parse one written figure ("nearly 100", "$4.2 billion", "8%"); None if it holds no number."""
    found = find_numbers(written)
    return found[0] if found else None
