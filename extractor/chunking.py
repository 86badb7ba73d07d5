"""Split long articles on paragraph boundaries into chunks that fit the model's context.

Each chunk but the first repeats the previous chunk's last paragraph, so an item that straddles
a boundary is seen whole once (``Items.dedupe`` drops the copies found twice).
"""

from __future__ import annotations

import re

from extractor.strategies.common import Chunk

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def paragraphs(text: str) -> list[Chunk]:
    """Non-empty paragraphs (blank-line or line separated) with their offsets."""
    return [Chunk(m.group(0), m.start()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


def _pieces(text: str, max_chars: int) -> list[Chunk]:
    out: list[Chunk] = []
    for para in paragraphs(text):
        if len(para.text) <= max_chars:
            out.append(para)
            continue
        for s in _sentences(para):
            for i in range(0, len(s.text), max_chars):
                out.append(Chunk(s.text[i : i + max_chars], s.offset + i))
    return out


def _sentences(para: Chunk) -> list[Chunk]:
    """A long paragraph cut after sentence-final punctuation (only to fit a model's context)."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(para.text):
        out.append(Chunk(para.text[start : m.start()], para.offset + start))
        start = m.end()
    out.append(Chunk(para.text[start:], para.offset + start))
    return [c for c in out if c.text]


def chunk_text(text: str, max_chars: int) -> list[Chunk]:
    """Pack paragraphs into chunks of at most ``max_chars`` characters (one chunk if it fits)."""
    if len(text) <= max_chars:
        return [Chunk(text, 0)]
    pieces = _pieces(text, max_chars)
    chunks: list[Chunk] = []
    start_i = 0
    while start_i < len(pieces):
        end_i = start_i
        while end_i + 1 < len(pieces) and _length(text, pieces, start_i, end_i + 1) <= max_chars:
            end_i += 1
        first, last = pieces[start_i], pieces[end_i]
        chunks.append(Chunk(text[first.offset : last.offset + len(last.text)], first.offset))
        if end_i + 1 >= len(pieces):
            break
        overlap_ok = end_i > start_i and _length(text, pieces, end_i, end_i + 1) <= max_chars
        start_i = end_i if overlap_ok else end_i + 1
    return chunks


def _length(text: str, pieces: list[Chunk], i: int, j: int) -> int:
    return pieces[j].offset + len(pieces[j].text) - pieces[i].offset
