"""Offsets in other units: every span of a result re-expressed as UTF-16 code units or UTF-8 bytes.

Results count offsets in Python code points of ``text`` (``text[start:end] == span.text``). A
JavaScript or Java consumer indexes UTF-16 code units (an emoji counts 2); a consumer slicing the
raw UTF-8 bytes needs byte offsets (``"é"`` counts 2). ``convert`` rewrites a result's JSON dict
for one of those; nothing else in it changes except an added ``"offsets"`` key naming the unit.
"""

from __future__ import annotations

import copy
from itertools import accumulate
from typing import Any, Literal

Unit = Literal["codepoint", "utf16", "byte"]
UNITS: tuple[str, ...] = ("codepoint", "utf16", "byte")
_SKIP = ("rejected", "meta", "metadata")  # no spans there: model drafts, run facts, the caller's data


def _width(unit: str, ch: str) -> int:
    cp = ord(ch)
    if unit == "utf16":
        return 2 if cp > 0xFFFF else 1
    return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4


def offset_table(text: str, unit: str) -> list[int]:
    """``table[i]`` = the offset, in ``unit``, of code point ``i`` (``len(text) + 1`` entries)."""
    if unit not in UNITS:
        raise ValueError(f"unknown offset unit {unit!r}: use one of {', '.join(UNITS)}")
    if unit == "codepoint":
        return list(range(len(text) + 1))
    return [0, *accumulate(_width(unit, ch) for ch in text)]


def convert(result: dict[str, Any], unit: str) -> dict[str, Any]:
    """A copy of a result dict (``ArticleExtraction`` as JSON) with every span's start/end in ``unit``."""
    if unit not in UNITS:
        raise ValueError(f"unknown offset unit {unit!r}: use one of {', '.join(UNITS)}")
    if unit == "codepoint":
        return result
    out = copy.deepcopy(result)
    table = offset_table(out.get("text") or "", unit)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if {"start", "end", "text"} <= node.keys() and isinstance(node["start"], int):
                node["start"], node["end"] = table[node["start"]], table[node["end"]]
            for key, value in node.items():
                if key not in _SKIP:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for key, value in out.items():
        if key not in _SKIP and key != "text":
            walk(value)
    out["offsets"] = unit
    return out
