"""Turn what a user hands us (str or bytes, text or HTML) into article text, or say why not.

Bad input gets a specific error (empty, binary, not UTF-8, too large) or a flag on the result
(HTML stripped, possible prompt injection, probably not English). Nothing here calls a model.

Offsets refer to the text the user gave. A str is used exactly as given; bytes are decoded as
UTF-8 and nothing else (a byte-order mark, CRLF, tabs, every other whitespace stay where they are),
so ``text[start:end] == span.text`` holds on the caller's own string, and on the file's bytes
decoded as UTF-8 (read with ``newline=""``: Python's default text mode turns CRLF into LF). The
one transformation is HTML: its visible text is extracted, the result is flagged ``html_stripped``,
and offsets refer to that visible text (returned as ``text``), not to the markup.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from extractor.data import load_words
from extractor.errors import ArticleTooLargeError, BinaryInputError, EmptyArticleError, EncodingError
from extractor.schema import Flag, Span

DEFAULT_MAX_CHARS = 2_000_000
BOM = "\ufeff"


@dataclass
class PreparedText:
    """Article text ready for extraction, plus the flags that describe what was done to it."""

    text: str
    flags: list[Flag] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 text (a byte-order mark is kept: it is a character of the file), refusing binary data."""
    head = data[:8192]
    if b"\x00" in head or (head and sum(b < 9 or 13 < b < 32 for b in head) / len(head) > 0.05):
        raise BinaryInputError("input looks like binary data, not text: pass a UTF-8 text or HTML file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise EncodingError(
            f"input is not valid UTF-8 (byte {e.start}): convert it first, e.g. `iconv -f latin1 -t utf-8`",
            original=e,
        ) from e


@functools.cache
def _html_hint() -> re.Pattern[str]:
    """An opening tag of a block or head element (``html_block_tags.txt`` and a few head tags)."""
    tags = sorted(load_words("html_block_tags.txt") | {"html", "body", "head", "meta", "span", "a", "script", "style"})
    return re.compile(rf"<\s*(?:{'|'.join(map(re.escape, tags))})\b", re.I)


@functools.cache
def _injection() -> re.Pattern[str]:
    """Phrases that try to instruct a model (``injection_patterns.txt``: one regex a line), as one pattern."""
    return re.compile("|".join(sorted(load_words("injection_patterns.txt"))), re.I)


def looks_like_html(text: str) -> bool:
    return len(_html_hint().findall(text[:20000])) >= 2


def strip_html(html: str) -> str:
    """Visible text of an HTML page, one block element a paragraph; scripts and styles dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for tag in soup.find_all(sorted(load_words("html_block_tags.txt"))):
        tag.insert_before("\n")
        tag.append("\n")
    text = soup.get_text()
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def injection_flags(text: str) -> list[Flag]:
    flags = []
    for m in _injection().finditer(text):
        span = Span(start=m.start(), end=m.end(), text=m.group(0))
        flags.append(
            Flag(
                code="possible_prompt_injection",
                message="the article contains text addressed to a language model; treated as article text",
                span=span,
            )
        )
    return flags


def english_flag(text: str, english: frozenset[str] | None = None) -> Flag | None:
    """A ``non_english`` flag when under 8% of the words are common English ones (``english``)."""
    english = english if english is not None else load_words("english_common_words.txt")
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 20:
        return None
    share = sum(w in english for w in words) / len(words)
    if share >= 0.08:
        return None
    return Flag(
        code="non_english",
        message=f"the text does not look like English ({share:.0%} common English words); prompts and "
        "rules are written for English, expect lower quality",
    )


def prepare(raw: str | bytes, *, max_chars: int = DEFAULT_MAX_CHARS) -> PreparedText:
    """Validate and clean one article; raise an ``InputError`` subclass when it cannot be used."""
    text = decode(raw) if isinstance(raw, bytes) else raw
    if "\x00" in text:
        raise BinaryInputError("input contains NUL characters: it looks like binary data, not text")
    flags: list[Flag] = []
    if looks_like_html(text):
        text = strip_html(text)
        flags.append(Flag(code="html_stripped", message="input was HTML; offsets refer to its visible text"))
    if not text.replace(BOM, "").strip():
        raise EmptyArticleError("the article is empty (no text once whitespace and markup are removed)")
    if len(text) > max_chars:
        raise ArticleTooLargeError(
            f"the article has {len(text):,} characters, over the limit of {max_chars:,}; split it or raise "
            "EXTRACTOR_MAX_CHARS"
        )
    flags += injection_flags(text)
    lang = english_flag(text)
    if lang:
        flags.append(lang)
    return PreparedText(text=text, flags=flags)
