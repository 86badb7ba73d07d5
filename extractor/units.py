"""One unit vocabulary for the extractor and the scorer (``extractor/data/units.json``).

``normalise_unit`` maps a written unit ("per cent", "US$", "km/h", "pounds-feet", "dollars a month")
to its canonical name ("percentage", "dollar", "kilometre per hour", "pound-foot", "dollar per month"),
or None when the table does not know it. Canonical names follow NewsQuant's gold (CQE's naming).
"""

from __future__ import annotations

import functools
import re

from extractor.data import load_json

_PER = re.compile(r"\s*(?:/|\bper\b|\ba\b|\ban\b|\beach\b)\s*")
_SPACE = re.compile(r"\s+")


def key(surface: str) -> str:
    """Lookup key of a written form: lower-cased, spaces removed."""
    return _SPACE.sub("", surface).lower()


@functools.cache
def tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, float]]:
    """(surface key → canonical, case-sensitive form → canonical, currency prefix → canonical, scale → factor)."""
    data = load_json("units.json")
    surface: dict[str, str] = {}
    for canonical, forms in data["units"].items():
        surface[key(canonical)] = canonical
        for form in forms:
            surface[key(form)] = canonical
    return surface, dict(data["case_sensitive"]), dict(data["prefixes"]), dict(data["scales"])


@functools.cache
def canonical_names() -> frozenset[str]:
    return frozenset(load_json("units.json")["units"])


def lookup(surface: str) -> str | None:
    """The canonical unit for one written form, exactly as the table has it (no composition)."""
    surface_map, case_map, _, _ = tables()
    s = surface.strip()
    if s in case_map:
        return case_map[s]
    return surface_map.get(key(s))


def normalise_unit(surface: str | None) -> str | None:
    """Canonical name of a written unit, composing "X per Y"; None if unknown or empty."""
    if surface is None or not surface.strip():
        return None
    s = surface.strip()
    found = lookup(s)
    if found:
        return found
    low = s.lower()
    if low.endswith("s") and len(low) > 3 and (found := lookup(low[:-1])):
        return found
    parts = [p for p in _PER.split(low) if p]
    if len(parts) == 2 and _PER.search(low):
        a, b = normalise_unit(parts[0]), normalise_unit(parts[1])
        if a and b:
            return f"{a} per {b}"
    return None


def unit_key(unit: str | None) -> str | None:
    """What two units are compared by: the canonical name, else the lower-cased words (scorer's helper)."""
    if unit is None or not unit.strip() or unit.strip() == "-":
        return None
    return normalise_unit(unit) or _SPACE.sub(" ", unit.strip().lower())
