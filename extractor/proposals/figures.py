"""Figures from the analysis: every quantity in the text with value, range, unit, change and counts options.

Token by token over the spaCy ``Doc`` (no second scan of the raw text): a number is a numeric token (which
may carry a currency mark before and a scale or unit after it: ``$3bn``, ``RM79``, ``256GB``), a run of
number words ("twenty-eight thousand", "one and a half"), or a vague amount ("dozens of", "tens of
thousands"). What is not a quantity is left out: dates, years used as dates, clock times, ordinals,
identifiers ("iPhone 11", "flight 370", "S&P 500"), sports scores. NewsQuant's conventions are followed:
a range ("200 to 250", "between 3 and 4 percent", "15-22 mph") is one figure with ``low``/``high``; units
are canonical names from ``extractor/data/units.json``; a counted noun is the unit when no measure is
written ("284 people" → people, "four different bosses" → different boss).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.data import load_json, load_words
from extractor.proposals import Change, FigureProposal, Loc
from extractor.units import canonical_names, lookup, tables

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Doc, Token

    from extractor.analysis import Analysis

_NUM = re.compile(
    r"^(?P<pre>[^\d.]*?)(?P<sign>[-−+])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<suf>[^\d].*)?$"
)
_TIME_SUFFIX = re.compile(r"^(?:[ap]\.?m\.?|:\d.*|h\d\d)$", re.IGNORECASE)
_ORDINAL_SUFFIX = re.compile(r"^(?:st|nd|rd|th|s|'s|’s)$", re.IGNORECASE)
_SPAN_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "millisecond"}
_AGE_UNITS = {"year of age", "month of age", "week of age", "day of age"}
_DASHES = {"-", "–", "—", "to"}
_PER_WORDS = {"a", "an", "per", "each", "/"}
_SKIP_POS = {"DET", "PRON", "ADP", "CCONJ", "SCONJ", "PART", "AUX", "PUNCT", "SYM", "SPACE", "INTJ"}
_RELATIVE = {"which", "that", "who", "whom", "whose"}


@dataclass
class _Num:
    """A number found at tokens ``[start, end)``: value (and bounds), unit, and what it read around it."""

    start: int
    end: int
    value: float
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    change: Change = "="
    scaled: bool = False
    currency_prefix: bool = False
    words: bool = False
    sign: str = ""


@functools.cache
def _words() -> dict[str, dict]:
    return load_json("figures_words.json")


@functools.cache
def _modifiers() -> list[tuple[list[str], Change]]:
    table = {k: v for k, v in load_json("figures_modifiers.json").items() if not k.startswith("_")}
    return sorted(((k.split(), v) for k, v in table.items()), key=lambda kv: -len(kv[0]))


def propose_figures(analysis: Analysis, *, calendar_years: bool = False) -> list[FigureProposal]:
    """Every quantity in ``analysis`` as a ``FigureProposal``, in text order.

    ``calendar_years``: a calendar year ("in 2020", "the 1979 revolution") is a figure with unit ``year``;
    NewsQuant and the project's guidelines (evals/GUIDELINES.md) leave years used as dates out (the default)."""
    doc = analysis.doc
    out: list[FigureProposal] = []
    nums: list[_Num] = []
    i, n = 0, len(doc)
    while i < n:
        num = _number_at(doc, i)
        if num is None:
            i += 1
            continue
        num = _complete(doc, num)
        if num is not None and calendar_years and _calendar_year(doc, num):
            num.unit, num.change = "year", "="
        elif num is not None and not _is_quantity(doc, num):
            num = None
        if num is not None:
            span = Loc(doc[num.start].idx, doc[num.end - 1].idx + len(doc[num.end - 1].text))
            out.append(
                FigureProposal(
                    span=span,
                    value=num.value,
                    unit=num.unit,
                    change=num.change,
                    low=num.low,
                    high=num.high,
                )
            )
            nums.append(num)
            if out[:-1] and num.start > 0 and doc[num.start - 1].text in ("(", "/", "or"):
                near = out[-2].span.end >= doc[num.start - 1].idx - 3
                if num.change == "=" and doc[num.start - 1].text != "or":
                    out[-1].change = out[-2].change if near else "="
            i = num.end
        else:
            i += 1
    by_sentence: dict[int, list[range]] = {}  # the other figures that matter are those of the same sentence
    for num in nums:
        by_sentence.setdefault(analysis.sentence_index(doc[num.start].idx), []).append(range(num.start, num.end))
    for k, (prop, num) in enumerate(zip(out, nums, strict=True)):
        figure_spans = by_sentence[analysis.sentence_index(doc[num.start].idx)]
        linked = k and num.start > 0 and doc[num.start - 1].text in ("(", "/", "or")
        if linked and out[k - 1].span.end >= doc[num.start - 1].idx - 3:  # "$3bn ($2.4bn)", "162 points, or 2.1%"
            prop.counts_options = list(out[k - 1].counts_options)  # the same thing in other terms
            continue
        prop.counts_options = _counts_options(doc, num, figure_spans)
    return out


# --- reading one number ---------------------------------------------------------------------------------------


def _number_at(doc: Doc, i: int) -> _Num | None:
    """The bare number starting at token ``i`` (digits, number words or a vague amount), or None."""
    tok = doc[i]
    if any(c.isdigit() for c in tok.text):
        return _digits_at(doc, i)
    low = tok.lower_
    words = _words()
    if low.endswith("fold") and low[:-4].rstrip("-") in words["numbers"]:
        return _Num(i, i + 1, float(words["numbers"][low[:-4].rstrip("-")]), unit="count", words=True)
    if low in words["vague"] and tok.pos_ in ("NOUN", "NUM"):
        return _vague_at(doc, i)
    if low in ("a", "one") and i + 1 < len(doc) and doc[i + 1].lower_ in words["fractions"]:
        return _fraction_at(doc, i)
    scale_word = i + 1 < len(doc) and doc[i + 1].lower_ in ("dozen", "hundred", "thousand", "million", "billion")
    if low in words["numbers"] or (low in ("a", "an") and scale_word):
        return _words_at(doc, i)
    return None


_LESS = {"less", "lower", "fewer", "smaller", "cheaper", "down"}
_MORE = {"more", "higher", "larger", "bigger", "up"}


def _fraction_at(doc: Doc, i: int) -> _Num | None:
    """ "a third less than planned", "by almost a fifth", "a quarter of the vote": a share written in words.
    Not "a third term" or "a fourth time" (an ordinal before a noun)."""
    word = doc[i + 1].lower_
    if word.endswith("s") or word in ("half", "fourth", "tenth"):
        return None
    nxt = doc[i + 2] if i + 2 < len(doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and nxt.lower_ not in _LESS | _MORE:
        return None
    num = _Num(i, i + 2, _words()["fractions"][word], words=True, unit="fraction")
    if nxt is not None and nxt.lower_ in _LESS:
        num.change = "down"
    elif nxt is not None and nxt.lower_ in _MORE and (i + 3 >= len(doc) or doc[i + 3].lower_ == "than"):
        num.change = "up"
    return num


def _digits_at(doc: Doc, i: int) -> _Num | None:
    tok = doc[i]
    m = _NUM.match(tok.text)
    if m is None:
        return None
    _, _, prefixes, scales = tables()
    pre, suf = m.group("pre"), m.group("suf") or ""
    num = _Num(i, i + 1, float(m.group("num").replace(",", "")))
    change: Change = "="
    if pre and pre[0] in "~≈":
        change, pre = "~", pre[1:]
    low_pre = pre.lower()
    if low_pre in ("minus-", "minus"):
        num.value = -abs(num.value)
        pre = ""
    elif low_pre == "to-":
        pass
    elif pre:
        if low_pre not in prefixes or pre.isalpha() and not 2 <= len(pre) <= 3:
            return None
        num.unit, num.currency_prefix = prefixes[low_pre], True
    if m.group("sign") in ("-", "−"):
        num.value = -abs(num.value)
    if i > 0 and doc[i - 1].lower_ == "minus":
        num.value, num.start = -abs(num.value), i - 1
    if suf:
        if _TIME_SUFFIX.match(suf) or _ORDINAL_SUFFIX.match(suf):
            return None
        if suf.startswith("/"):
            return _slash(doc, num, suf[1:])
        scale_part, rest = _split_scale(suf, scales)
        if scale_part:
            num.value *= scales[scale_part.lower()]
            num.scaled = True
        if rest:
            unit = _unit_from(doc, rest, i + 1)
            if unit is None:
                return None
            num.unit, used = unit
            num.end = i + 1 + used
    num.change = change
    num.sign = m.group("sign") or ""
    return num


def _split_scale(suf: str, scales: dict[str, float]) -> tuple[str, str]:
    """Split a glued suffix into a scale word and the rest: "bn" → ("bn", ""), "mil" → ("mil", "")."""
    low = suf.lower()
    for cut in range(len(suf), 0, -1):
        head = low[:cut]
        if head in scales and head not in ("hundred",) and (cut == len(suf) or not suf[cut].isalpha()):
            return suf[:cut], suf[cut:]
    return "", suf


def _slash(doc: Doc, num: _Num, rest: str) -> _Num | None:
    """``1/2`` is a fraction; ``7/$9`` a range."""
    m = _NUM.match(rest)
    if m is None or m.group("suf"):
        return None
    other = float(m.group("num").replace(",", ""))
    if m.group("pre") and not num.unit:
        num.unit = tables()[2].get(m.group("pre").lower())
    if not m.group("pre") and other and num.value < other <= 16 and float(num.value).is_integer():
        num.value = num.value / other
        return num
    num.low, num.high, num.value = num.value, other, num.value
    return num


def _words_at(doc: Doc, i: int) -> _Num | None:
    """A run of number words: "twenty-eight thousand six hundred forty-two", "a dozen", "one and a half"."""
    words = _words()
    table, fractions = words["numbers"], words["fractions"]
    total, current, j, seen = 0.0, 0.0, i, False
    if doc[i].lower_ in ("a", "an"):
        current, j = 1.0, i + 1
    end = j
    while j < len(doc):
        w = doc[j].lower_
        if w in table:
            v = table[w]
            if v >= 1000:
                total += (current or 1.0) * v
                current = 0.0
            elif v in (100, 12):
                current = (current or 1.0) * v
            else:
                current += v
            seen, end = True, j + 1
            j += 1
        elif w in ("-", "and") and j + 1 < len(doc) and doc[j + 1].lower_ in table and seen:
            j += 1
        elif (
            w == "and"
            and seen
            and j + 2 < len(doc)
            and doc[j + 1].lower_ in ("a", "an")
            and doc[j + 2].lower_ in fractions
        ):
            current += fractions[doc[j + 2].lower_]
            end = j = j + 3
        elif w in fractions and seen and (current + total) < 20 and doc[j - 1].lower_ in table and w.endswith("s"):
            current = current * fractions[w]
            end = j = j + 1
            break
        else:
            break
    if not seen:
        return None
    if doc[i].lower_ in ("dozen", "hundred", "thousand", "million", "billion", "trillion"):
        return None
    if doc[i].lower_ == "one" and doc[i].pos_ not in ("NUM",):
        return None
    return _Num(i, end, total + current, words=True)


def _vague_at(doc: Doc, i: int) -> _Num | None:
    """ "dozens of", "tens of thousands of", "millions of": an amount with bounds and no exact value."""
    vague = _words()["vague"]
    low, high = vague[doc[i].lower_]
    end = i + 1
    if doc[i].lower_ == "tens" or doc[i].lower_ == "hundreds":
        if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].lower_ in vague:
            base = vague[doc[end + 1].lower_][0] / 2
            low, high = low * base / (20 if doc[i].lower_ == "tens" else 200) * 10, high * base
            end += 2
        elif doc[i].lower_ == "tens":
            return None
    if end < len(doc) and doc[end].lower_ == "of":
        return _Num(i, end, float(low), low=float(low), high=float(high), words=True)
    return None


# --- around the number: scale, currency, range, unit, change ---------------------------------------------------


def _complete(doc: Doc, num: _Num) -> _Num | None:
    """Read scale words, currency marks, a range partner, the unit and the change around ``num``."""
    _, _, prefixes, scales = tables()
    # scale words after: "3.5 million", "4 hundred million"
    while num.end < len(doc) and doc[num.end].lower_ in scales and not num.words and doc[num.end].lower_ not in ("k",):
        w = doc[num.end].lower_
        if w in ("m", "b") and doc[num.end].text not in ("m", "b", "M", "B"):
            break
        if w in ("b",) and not num.currency_prefix:
            break
        num.value *= scales[w]
        num.scaled = True
        num.end += 1
    # currency mark before: "$ 3", "US $ 473", "USD 10", "HK $"
    if num.unit is None and num.start > 0:
        prev = doc[num.start - 1]
        if prev.lower_ in prefixes and (not prev.text.isalpha() or prev.text.isupper() and len(prev.text) == 3):
            num.unit, num.currency_prefix = prefixes[prev.lower_], True
            num.start -= 1
            if (
                prev.text == "$"
                and num.start > 0
                and doc[num.start - 1].text.isupper()
                and doc[num.start - 1].lower_ + "$" in prefixes
            ) and doc[num.start - 1].whitespace_ in ("", " "):
                num.unit = prefixes[doc[num.start - 1].lower_ + "$"]
                num.start -= 1
    elif num.start > 0 and doc[num.start - 1].text in ("$",):
        num.start -= 1
    if num.unit is None:
        _unit_after(doc, num, nouns=False)
    if num.low is None:
        _range(doc, num)
    if num.unit is None:
        _unit_after(doc, num)
    elif num.unit is not None:
        _per(doc, num)
    _change(doc, num)
    return num


def _range(doc: Doc, num: _Num) -> None:
    """ "A to B", "A-B", "between A and B", "from A to B", "A or B": one figure with low/high."""
    e = num.end
    if e + 1 >= len(doc):
        return
    link = doc[e].lower_
    start_prev = doc[num.start - 1].lower_ if num.start > 0 else ""
    glued_to = doc[e].text.lower().startswith("to-") and any(c.isdigit() for c in doc[e].text)
    if glued_to:
        j = e
    elif link in _DASHES or (link == "and" and start_prev == "between") or link == "or":
        j = e + 1
    else:
        return
    after_change = num.start > 0 and (start_prev == "by" or _lemma_change(doc[num.start - 1]) is not None)
    if link == "to" and after_change and num.unit is not None:
        return
    if link == "or" and not (num.words and j < len(doc) and doc[j].lower_ in _words()["numbers"]):
        if num.unit is None and j < len(doc) and doc[j].text in tables()[2] and not doc[j].text.isalpha():
            num.unit = tables()[2][doc[j].text]
        return
    pre_unit = None
    _, _, prefixes, _ = tables()
    if j < len(doc) and doc[j].lower_ in prefixes and not doc[j].text.isalpha():
        pre_unit = prefixes[doc[j].lower_]
        if link == "or" and not num.currency_prefix:
            return
        j += 1
    other = _number_at(doc, j)
    if other is None or other.low is not None:
        return
    if link in ("-", "–") and doc[e].whitespace_ == "" and doc[num.end - 1].whitespace_ == "":
        # "3-1": a score, unless a unit follows
        probe = _Num(other.start, other.end, other.value)
        _unit_after(doc, probe)
        if probe.unit is None and other.unit is None and num.unit is None and num.value < 100 and other.value < 100:
            num.low = -1.0  # marks a score: dropped by _is_quantity
            return
    if other.unit is None and j < len(doc) and doc[j].pos_ != "NUM" and pre_unit is None and link == "or":
        return
    sub = _complete_simple(doc, other)
    num.low, num.high = num.value, sub.value
    num.end = sub.end
    num.unit = num.unit or pre_unit or sub.unit


def _complete_simple(doc: Doc, other: _Num) -> _Num:
    _, _, _, scales = tables()
    while other.end < len(doc) and doc[other.end].lower_ in scales and doc[other.end].lower_ not in ("k", "m", "b"):
        other.value *= scales[doc[other.end].lower_]
        other.end += 1
    if other.unit is None:
        _unit_after(doc, other)
    return other


def _unit_from(doc: Doc, glued: str, nxt: int) -> tuple[str, int] | None:
    """The unit written as ``glued`` (a suffix of the number token) plus up to 3 following tokens."""
    best: tuple[str, int] | None = None
    text = glued
    for k in range(0, 4):
        if k:
            if nxt + k - 1 >= len(doc):
                break
            t = doc[nxt + k - 1]
            text = text + doc[nxt + k - 2].whitespace_ if k > 1 else text
            text += t.text
        unit = lookup(text) if text else None
        if unit:
            best = (unit, k)
    return best


def _unit_after(doc: Doc, num: _Num, nouns: bool = True) -> None:
    """Unit words after the number ("per cent", "miles per hour", "year-old"), else the counted noun."""
    e = num.end
    if e < len(doc) and doc[e].text in ("(",):
        return
    best: tuple[str, int] | None = None
    text = ""
    for k in range(1, 5):
        if e + k - 1 >= len(doc):
            break
        t = doc[e + k - 1]
        if t.is_sent_start and k > 0:
            break
        text = text + (doc[e + k - 2].whitespace_ if k > 1 else "") + t.text
        unit = lookup(text) or (lookup(text[:-1]) if text.endswith(".") and len(text) > 1 else None)
        if unit and not (k == 1 and t.text.lower() in ("a", "an", "in")):
            best = (unit, k)
    if best:
        unit, k = best
        if unit == "pound sterling" and e + k < len(doc) and doc[e + k].lower_ == "of" and not num.currency_prefix:
            unit = "pound-mass"
        if unit == "degree" and e + k < len(doc) and (lookup(doc[e + k].text) in ("celsius", "fahrenheit")):
            unit, k = lookup(doc[e + k].text) or unit, k + 1
        if num.currency_prefix and unit in ("cent",) or unit == "dollar" and num.unit and num.currency_prefix:
            pass
        if num.unit is None or not num.currency_prefix or unit.endswith(num.unit):
            num.unit = unit
            num.end = e + k
        if unit in ("year",) and num.end < len(doc) and doc[num.end].lower_ == "old":
            num.unit, num.end = "year of age", num.end + 1
        _per(doc, num)
        return
    if num.unit is None and nouns:
        noun = _counted_noun(doc, num)
        if noun is not None:
            num.unit = noun
            _per(doc, num)


def _per(doc: Doc, num: _Num) -> None:
    """ "$3,500 a month", "63 cents per share", "tests per day": the unit becomes "X per Y"."""
    e = num.end
    if e + 1 >= len(doc) or doc[e].lower_ not in _PER_WORDS or num.unit is None:
        return
    nxt = doc[e + 1]
    if nxt.pos_ not in ("NOUN", "PROPN") or nxt.is_sent_start:
        return
    unit = lookup(nxt.text)
    if e + 2 < len(doc) and doc[e + 2].lower_ in ("earlier", "ago", "later", "before", "after", "on"):
        return
    if doc[e].lower_ != "per" and unit not in _SPAN_UNITS and nxt.lemma_.lower() not in ("barrel", "share", "ounce"):
        return
    num.unit = f"{num.unit} per {unit or nxt.lemma_.lower()}"
    num.end = e + 2


def _counted_noun(doc: Doc, num: _Num) -> str | None:
    """The noun the number counts, with its modifiers: "four different bosses" → "different boss"."""
    last = doc[num.end - 1]
    head: Token | None = None
    if num.end < len(doc) and doc[num.end].lower_ == "of" and (num.low is not None or num.words):
        # "dozens of people", "one of the students"
        pobj = [c for c in doc[num.end].children if c.dep_ == "pobj"]
        head = pobj[0] if pobj else None
    elif last.dep_ in ("nummod", "quantmod", "compound", "amod") and last.head.i >= num.end:
        head = last.head
        if any(doc[k].is_punct and doc[k].text not in ("-",) for k in range(num.end, head.i)):
            head = None
    elif last.head.i < num.start and last.head.pos_ == "NOUN" and last.dep_ in ("nummod",):
        head = None
    if head is None or head.pos_ not in ("NOUN", "PROPN") or head.i - num.end > 4:
        return None
    if head.pos_ == "PROPN" and not head.text.isupper() and head.tag_ != "NNPS":
        return None
    if lookup(head.text) in _SPAN_UNITS:
        return lookup(head.text)
    nxt = doc[num.end] if num.end < len(doc) else None
    if nxt is not None and nxt.i < head.i and nxt.dep_ == "compound" and nxt.pos_ == "NOUN":
        return nxt.lemma_.lower()
    mods = [
        t
        for t in head.lefts
        if t.dep_ in ("amod", "compound", "nmod") and t.i not in range(num.start, num.end) and t.pos_ != "NUM"
    ]
    mods = [t for t in mods if t.i > num.start or t.i < num.start] if mods else []
    parts = []
    for t in mods:
        sub = [x for x in t.subtree if not x.is_punct or x.text == "-"]
        if any(x.i in range(num.start, num.end) for x in sub) or t.tag_ in ("VBG",) and t.i > num.start:
            continue
        if t.pos_ in ("VERB",) or t.tag_ in ("VBN", "VBG") or any(c.isdigit() for c in t.text) or t.lower_ == "total":
            continue
        if t.pos_ == "ADJ" and len(sub) == 1:
            parts.append(t.lemma_.lower())
            continue
        parts.append("".join(x.text_with_ws if x.text != "-" else "-" for x in sub).replace(" - ", "-").strip())
    lemma = head.lemma_ if head.pos_ == "NOUN" else head.text
    if head.lower_ in ("people",):
        lemma = "people"
    return " ".join(
        [p.lower() if p.islower() or p[:1].isupper() and p.lower() in doc.vocab.strings else p for p in parts] + [lemma]
    ).strip()


def _measure(unit: str | None) -> bool:
    """A unit from the table (a measure or currency), as opposed to a counted noun."""
    return unit is not None and unit.split(" per ")[0] in canonical_names()


def _lemma_change(tok: Token) -> Change | None:
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX", "NOUN") and lemma in load_words("figures_up_verbs.txt") and tok.pos_ == "VERB":
        return "up"
    if tok.pos_ == "VERB" and lemma in load_words("figures_down_verbs.txt"):
        return "down"
    return None


def _change(doc: Doc, num: _Num) -> None:
    """Modifier words just before the number ("more than", "about", "up") or a verb of change governing it."""
    if num.change != "=":
        return
    for words, change in _modifiers():
        k = len(words)
        if num.start - k < 0:
            continue
        if [t.lower_ for t in doc[num.start - k : num.start]] == words:
            if change in ("up", "down") and doc[num.start - 1].pos_ not in ("ADV", "ADP", "PART"):
                continue
            num.change = change
            break
    if num.change in ("up", "down", "="):
        if num.change == "=" and num.sign == "-" and (num.unit in ("percentage", "point") or num.currency_prefix):
            num.change = "down"
        elif num.change == "=" and num.sign == "+":
            num.change = "up"
        if num.change != "=":
            return
    # a verb of change governing the number directly: "rose 8%", "fell by 3 percent", "lost 162 points"
    if num.low is not None:
        return  # a range of change ("expected to increase between 5% and 6%") is annotated "=" in NewsQuant
    tok = next((doc[k] for k in range(num.start, num.end) if any(c.isdigit() for c in doc[k].text)), doc[num.end - 1])
    for _ in range(3):
        head = tok.head
        if head == tok:
            return
        if (
            tok.dep_ in ("dobj", "npadvmod", "attr", "obj", "advmod", "nsubj")
            or tok.dep_ == "pobj"
            and head.lower_ == "by"
        ):
            target = head.head if tok.dep_ == "pobj" else head
            change = _lemma_change(target)
            if target.lemma_.lower() == "average" and target.pos_ == "VERB":
                change = "~"
            if change and (num.unit is None or _measure(num.unit)):
                num.change = change
            return
        if tok.dep_ in ("pobj",):
            return
        if tok.dep_ not in ("nummod", "quantmod", "nmod", "appos", "prep"):
            return
        tok = head


# --- what is not a quantity -----------------------------------------------------------------------------------


def _is_quantity(doc: Doc, num: _Num) -> bool:
    """False for dates, years, times, ordinals, identifiers and scores."""
    if num.low == -1.0 and num.high is None:
        return False
    first, last = doc[num.start], doc[num.end - 1]
    core = next(
        (doc[k] for k in range(num.start, num.end) if any(c.isdigit() for c in doc[k].text) or doc[k].like_num), first
    )
    ent = core.ent_type_
    unit = num.unit
    if (core.ent_type_ == "ORDINAL" or core.lower_ in ("first", "second", "third")) and unit != "fraction":
        return False
    span_unit = unit is not None and unit in _SPAN_UNITS | _AGE_UNITS
    measured = unit is not None and (num.currency_prefix or _measure(unit))
    if ent in ("DATE", "TIME") and not span_unit and not measured and _date_like(doc, core):
        return False
    if num.words and unit is None and not (num.end < len(doc) and doc[num.end].lower_ == "of"):
        return False
    if num.words and num.end + 1 < len(doc) and doc[num.end].text == "-" and not _measure(unit):
        return False
    if num.low is not None and unit is None and all(_year_like(v) for v in (num.low, num.high)):
        return False
    if (
        core.i + 1 < len(doc)
        and doc[core.i + 1].text == ":"
        and core.i + 2 < len(doc)
        and doc[core.i + 2].text[:1].isdigit()
    ):
        return False
    if unit is None and not num.scaled and not num.currency_prefix and num.low is None:
        if core.text.isdigit() and len(core.text) == 4 and 1800 <= num.value <= 2100:
            return False
        if num.end < len(doc) and doc[num.end].lower_ in ("a.m.", "p.m.", "am", "pm", "a.m", "p.m"):
            return False
    # identifiers: "iPhone 11", "S&P 500", "flight 370", "COVID-19"
    if num.start > 0 and not num.currency_prefix:
        prev = doc[num.start - 1]
        if prev.lower_ in load_words("figures_identifier_words.txt") and not (unit and unit != prev.lemma_.lower()):
            return False
        if prev.pos_ == "PROPN" and prev.ent_type_ not in ("MONEY",) and not _measure(unit) and not num.scaled:
            return False
        if prev.text in ("#", "No", "No."):
            return False
        if (
            (
                prev.text[:1].isupper()
                and prev.is_alpha
                and not prev.is_sent_start
                and not _measure(unit)
                and not num.scaled
            )
            and prev.ent_type_ not in ("MONEY", "PERCENT", "QUANTITY")
            and prev.pos_ in ("PROPN", "NOUN")
        ):
            return False
    dash_before = num.start >= 2 and doc[num.start - 1].text in ("-", "–") and doc[num.start - 2].text[-1:].isdigit()
    if dash_before and doc[num.start - 2].whitespace_ == "" and doc[num.start - 1].whitespace_ == "":
        return False  # the second half of a score "3-1"
    if last.i + 1 < len(doc) and doc[last.i + 1].text in ("-", "–") and last.whitespace_ == "" and num.low is None:
        nxt = doc[last.i + 2] if last.i + 2 < len(doc) else None
        if nxt is not None and nxt.text[:1].isdigit():
            return False
    return True


def _calendar_year(doc: Doc, num: _Num) -> bool:
    """A plain four-digit calendar year: "in 2020", "since the 1979 revolution", "in March 2023"."""
    tok = doc[num.start]
    return (
        num.end - num.start == 1
        and num.unit is None
        and num.low is None
        and tok.text.isdigit()
        and len(tok.text) == 4
        and _year_like(num.value)
        and num.value >= 1800
    )


def _year_like(v: float | None) -> bool:
    return v is not None and float(v).is_integer() and 1000 <= v <= 2100


def _date_like(doc: Doc, core: Token) -> bool:
    """A number in a DATE/TIME entity that reads as a date or clock time: a year, or beside a month or day name."""
    if core.text.isdigit() and len(core.text) == 4 and _year_like(float(core.text)):
        return True
    ent = next((e for e in doc.ents if e.start <= core.i < e.end), None)
    if ent is None:
        return True
    return any(t.pos_ == "PROPN" or ":" in t.text or t.lower_ in ("a.m.", "p.m.", "am", "pm") for t in ent) or any(
        t.lower_ in ("ago", "last", "next", "this", "since", "early", "late", "mid") for t in ent
    )


# --- what the figure counts -----------------------------------------------------------------------------------

_MOD_DEPS = {"nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "nounmod", "advmod", "det"}
_NOMINAL = {"NOUN", "PROPN", "NUM", "SYM", "ADJ", "X"}
_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
_DROP_CHILD_DEPS = {"relcl", "punct", "cc", "advcl", "appos"}
_NUMBERED_DEPS = {"conj", "appos", "prep"}
_CORE_DEPS = {"dobj", "obj", "attr", "oprd", "dative", "conj", "nsubj", "nsubjpass", "acomp"}
_OWN_PREPS = {"of", "in", "off"}
_OF_PREPS = {"of", "with", "for"}
_TIME_NOUNS = _SPAN_UNITS | {"quarter", "period", "season"}
_CURRENCY_SUFFIXES = {"US", "U.S.", "USD", "CAD", "AUD", "NZD", "HKD", "SGD"}
_ATTRIBUTE_PREPS = {"by", "at", "with"}
_CONTENT_SKIP = {"total", "%"}


def _counts_options(doc: Doc, num: _Num, figure_spans: Sequence[range] = ()) -> list[str]:
    """Candidates for what the figure refers to (NewsQuant's "concept"), best first.

    The rule, from the parse: ``top`` is the head of the quantity's noun phrase (the unit or counted noun, or
    the noun the figure modifies). Its *owner* is the noun phrase the quantity belongs to: the noun it modifies
    ("a $150,000 contract with X" → contract X), the noun whose ``of`` it fills ("a fine of $3m" → fine), or what a
    share is of ("60% of its revenue" → revenue). Its *subject* is the nominal subject of the nearest clause
    governing it (pronouns resolved upward, relative pronouns to their antecedent), unless the quantity is inside
    that subject. Candidates: owner + subject, owner, subject; the content words of each (no determiners,
    prepositions, pronouns or stop words), the figure's own tokens and those of the sentence's other figures
    (``figure_spans``) left out, unless the phrase's head is one ("2.7% of 60-year-olds").
    """
    skip = set(range(num.start, num.end))
    if (
        num.end < len(doc)
        and doc[num.end].text in _CURRENCY_SUFFIXES
        and (num.currency_prefix or lookup(num.unit or ""))
    ):
        skip.add(num.end)  # "$500 US bail": the currency's country, not part of what is counted

    def others(heads: list[Token]) -> set[int]:
        spans = [r for r in figure_spans if r.start != num.start and not any(h.i in r for h in heads)]
        return {k for r in spans for k in r if not _hyphenated(doc, doc[k])}

    anchor = _anchor(doc, num)
    if num.end - num.start == 1 and anchor.lower_ in _words()["numbers"] and anchor.dep_ not in _MOD_DEPS:
        return []  # a number word standing alone for what it counts: "one of the students", "get their hands on one"
    top = anchor
    while top.dep_ == "conj" and top.head.pos_ == "NUM" and top.head.i < top.i:
        top = top.head  # "several hundred or even 1,000 megawatts": the figure shares its first conjunct's noun
    for _ in range(6):
        h = top.head
        if h is top or top.dep_ not in _MOD_DEPS or h.i < top.i or h.pos_ not in _NOMINAL or h.i - top.i > 8:
            break
        top = h
    if top.dep_ == "pobj" and top.head.lower_ == "of" and top.head.head.lower_ in _CONTENT_SKIP:
        top = top.head.head  # "paid a total of $200 for flights": the figure stands where "total" does
    if num.unit in _SPAN_UNITS and (
        top.dep_ == "npadvmod"
        and top.i < top.head.i
        or top.dep_ == "pobj"
        and top.head.lower_ in ("after", "before", "within")
    ):
        return []  # a time adverbial: "Nine days later, ...", "after 55 minutes"
    owner: Token | None = None
    owner_skip: set[int] = set()
    adjunct = False  # the owner sits in a prepositional adjunct: the clause's subject is not joined to it
    counted = False
    if top.i >= num.end:
        if num.unit and not _measure(num.unit) and _is_counted(top, num):
            skip.update(range(num.end, top.i + 1))
            counted = True
        elif top.pos_ in ("NOUN", "PROPN"):
            owner = top
    if owner is None:
        prep = next((c for c in top.children if c.dep_ == "prep" and c.lower_ in _OWN_PREPS), None)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        head = top.head
        if counted and (prep is None or prep.lower_ != "of"):
            pobj = None
        if prep is not None and prep.lower_ == "in" and num.unit in _SPAN_UNITS:
            pobj = None
        if pobj is not None and pobj.i in skip:
            pobj = None  # "a total of $200": the figure itself
        if pobj is not None and (top.i < num.end or top.i in skip) and not _is_counted(pobj, num):
            owner = pobj  # "60% of its revenue", "$1 billion in gains", "$550 off a laptop"
            adjunct = top.dep_ not in _CORE_DEPS and not _attribute_prep(top)
        elif top.dep_ == "pobj" and head.lower_ in _OF_PREPS and head.head.pos_ in ("NOUN", "PROPN"):
            owner = head.head  # "a fine of $3m", "SF90 with 938 horsepower"
            owner_skip = {t.i for t in head.subtree}
            adjunct = owner.dep_ not in _CORE_DEPS and not _attribute_prep(owner)
        elif top.dep_ == "appos" and head.pos_ in ("NOUN", "PROPN"):
            owner = head
            owner_skip = {t.i for t in top.subtree}
        elif top.dep_ == "pobj" and head.lower_ == "for" and head.head.pos_ == "VERB":
            owner = next((c for c in head.head.children if c.dep_ == "dobj"), None)  # "buy a laptop for $30"
        elif top.dep_ == "pobj" and head.lower_ in ("to", "from", "by", "with") and _changed_object(head) is not None:
            owner = _changed_object(head)  # "cut the rate to 2%", "unveiled the X5 with 600 hp"
        elif top.dep_ == "dobj":
            for_ = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "for"), None)
            owner = next((c for c in for_.children if c.dep_ == "pobj"), None) if for_ is not None else None
    if owner is not None and (
        _numeric(owner)
        and not (owner.pos_ == "PROPN" and any(c.isalpha() for c in owner.text))
        or owner.i in skip
        or any(owner.i in r for r in figure_spans)
        or lookup(owner.text)
        and owner.i <= num.end
        or owner.lemma_.lower() in (num.unit or "").split()
        or owner.lemma_.lower() in _SPAN_UNITS
    ):
        owner, adjunct = None, False
    owner_words = ""
    if owner is not None:
        owner_words = _phrase(doc, [owner], skip | owner_skip | others([owner]), conjuncts=False)
    subj = None
    counted_rest = counted and owner is None and top.dep_ == "pobj" and top.head.lower_ in ("to", "from")
    if owner is not None or not counted or _object(top) or top.dep_ == "attr" or counted_rest:
        subj = _subject(doc, owner if owner is not None else top, num)
    subj_words = ""
    if subj is not None:
        heads = [c for c in subj.head.children if c.dep_ == subj.dep_] if subj.dep_ in _SUBJ_DEPS else [subj]
        subj_words = _phrase(doc, heads, skip | others(heads))
    options: list[str] = []
    joined = ", ".join(w for w in (owner_words, subj_words) if w)
    for words in (owner_words, joined, subj_words) if adjunct else (joined, owner_words, subj_words):
        if words and words not in options:
            options.append(words)
    if not options:  # a listing: "FTSE -0.6% CAC -1.7%": the name just before the figure
        k = num.start
        while (
            k > 0
            and doc[k - 1].pos_ == "PROPN"
            and doc[k - 1].text[:1].isupper()
            and not any(doc[k - 1].i in r for r in figure_spans)
        ):
            k -= 1
        if k < num.start:
            options.append(doc[k : num.start].text)
    return options


def _changed_object(prep: Token) -> Token | None:
    """The noun object of the verb that ``prep`` ("to", "from", "by", "with") attaches to (or through "down")."""
    verb = prep.head.head if prep.head.pos_ == "ADV" and prep.head.dep_ in ("advmod", "prt") else prep.head
    if verb.pos_ != "VERB":
        return None
    return next((c for c in verb.children if c.dep_ in ("dobj", "obj") and c.pos_ in ("NOUN", "PROPN")), None)


def _attribute_prep(tok: Token) -> bool:
    """``tok`` fills a preposition that gives the subject an attribute, not a setting: "rise *by* an average of 5%",
    "borrow *at* a rate of 2%", "a hurricane *with* winds of 74 mph" (unlike "*in* a survey of 600 firms")."""
    return tok.dep_ == "pobj" and tok.head.lower_ in _ATTRIBUTE_PREPS


def _anchor(doc: Doc, num: _Num) -> Token:
    """The token of the figure's span whose head lies outside it (the span's syntactic top)."""
    for k in range(num.start, num.end):
        h = doc[k].head
        if h.i < num.start or h.i >= num.end or h is doc[k]:
            return doc[k]
    return doc[num.end - 1]


def _object(tok: Token) -> bool:
    """``tok`` is the direct object of a verb (or of a verb complement of it)."""
    return tok.dep_ in ("dobj", "obj") or tok.dep_ == "conj" and tok.head.dep_ in ("dobj", "obj")


def _numeric(tok: Token) -> bool:
    return any(c.isdigit() for c in tok.text) or tok.text in tables()[2] and not tok.is_alpha


def _is_counted(tok: Token, num: _Num) -> bool:
    """``tok`` is the counted noun that became the figure's unit ("284 people" → people)."""
    unit = (num.unit or "").split(" per ")[0]
    last = unit.split()[-1] if unit else ""
    return bool(last) and (tok.lemma_.lower() == last or tok.lower_ == last or tok.text == last)


def _subject(doc: Doc, start: Token, num: _Num) -> Token | None:
    """The nominal subject of the nearest clause governing ``start``, climbing past pronouns."""
    tok = start
    inside = set(range(num.start, num.end)) | {start.i}
    for _ in range(12):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            subjs = [c for c in tok.children if c.dep_ in _SUBJ_DEPS]
            subj = subjs[-1] if subjs else None
            if subj is not None:
                span = {t.i for c in subjs for t in c.subtree}
                if span & inside:
                    return None
                if subj.lower_ in _RELATIVE and tok.dep_ == "relcl":
                    if not _numeric(tok.head) and tok.head.pos_ in ("NOUN", "PROPN"):
                        return tok.head
                    inside.add(tok.head.i)
                if subj.pos_ == "PRON" or subj.lower_ == "there" or subj.dep_ == "expl":
                    if subj.lower_ in ("there", "it", "this", "that") and tok.dep_ == "ROOT":
                        return None
                    if tok.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "relcl"):
                        return None
                else:
                    return subj
            elif tok.dep_ == "relcl" and tok.head.pos_ in ("NOUN", "PROPN"):
                return None
            elif tok.dep_ == "ROOT":  # a subject the parser missed: "Duly has 900 doctors" (Duly as advmod)
                lead = next(
                    (
                        c
                        for c in tok.lefts
                        if (c.pos_ == "PROPN" or c.is_title and c.pos_ == "ADV")
                        and c.dep_ in ("advmod", "npadvmod", "dep")
                        or c.dep_ == "compound"
                        and c.pos_ == "NOUN"
                        and tok.pos_ == "VERB"  # "The stock trades"
                    ),
                    None,
                )
                if lead is not None:
                    return lead
        if tok.head == tok:
            return None
        tok = tok.head
    return None


def _hyphenated(doc: Doc, t: Token) -> bool:
    """``t`` is inside a hyphenated word ("loan-to-value", "to-be-determined"): kept whole, stop words too."""
    before = t.i > 0 and doc[t.i - 1].text == "-" and doc[t.i - 1].whitespace_ == ""
    after = t.i + 1 < len(doc) and doc[t.i + 1].text == "-" and t.whitespace_ == ""
    return (before or after) and (t.is_alpha or t.like_num)


def _phrase(doc: Doc, heads: list[Token], skip: set[int], *, conjuncts: bool = True) -> str:
    """The content words of the phrase under ``heads`` (relative clauses, appositions and the figure left out;
    with ``conjuncts`` false, the heads' own conjuncts too: "a 25% premium and the rest" → premium)."""
    keep: list[Token] = []
    stack = list(heads)
    while stack:
        t = stack.pop()
        if t.i in skip:
            continue
        keep.append(t)
        for c in t.children:
            if c.dep_ in _DROP_CHILD_DEPS and not (c.dep_ == "punct" and c.text in ("-",)):
                continue
            if not conjuncts and t in heads and c.dep_ in ("conj", "cc"):
                continue
            if c.dep_ in _NUMBERED_DEPS and any(
                (_numeric(x) or x.like_num) and x.pos_ in ("NUM", "SYM") for x in c.subtree
            ):
                continue  # another figure's phrase: "a fine of $3m or 10 percent of turnover"
            if c.dep_ == "prep" and any(x.dep_ == "pobj" and x.lemma_.lower() in _TIME_NOUNS for x in c.children):
                continue  # a time setting: "revenue in the quarter"
            stack.append(c)
    keep = [
        t
        for t in keep
        if not (
            t.pos_ in _SKIP_POS
            and not (t.dep_ == "predet" and t.lower_ in _words()["fractions"])
            or (t.is_stop and t.pos_ not in ("PROPN", "VERB") and not t.like_num)
            or t.is_punct
            or t.lower_ in _CONTENT_SKIP
        )
        or t.text == "-"
        or _hyphenated(doc, t)
    ]
    idx = sorted(t.i for t in keep)
    out = ""
    for n, k in enumerate(idx):
        t = doc[k]
        if t.text == "-" and not (n and idx[n - 1] == k - 1 and n + 1 < len(idx) and idx[n + 1] == k + 1):
            continue
        if out and not (idx[n - 1] == k - 1 and doc[k - 1].whitespace_ == ""):
            out += " "
        out += t.text
    return out.strip()
