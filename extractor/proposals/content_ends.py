"""Where a chosen attribution content ends: at its frame's edge, or at the end of its sentence.

A content frame (``attributions.candidate_frames``) ends where the parse's constituent ends. PolNeAR's
annotators often run the content on to the end of the sentence: over a relative clause or a second
conjunct the parse hung elsewhere (*backed the levy, which funds the port*; *urged cutting fares and
adding buses*), over an adjunct set off by a comma. As often they stop at the frame's edge (*praised
the plan in a speech*). Which one, is learned from PolNeAR train (``scripts/build_cue_lexicon.py``
writes ``extractor/data/content_ends.json``): a logistic model over what the rest of the sentence is
(how it opens, what it hangs from, how long it is, whether it has a verb or a quote mark), fitted on
the training contents where one end matches the gold content and the other does not.

Then the other way: a content may end before a modifier that trails it (*invoked the record of Ana Diaz or
Omar Khan* | *, who is now his chief of staff*; *promised to act* | *, sending him to Philadelphia*), where
a second logistic model, learned the same way (``trim`` in the same file), says the annotators stop before
it: what the modifier is (its relation, the word that opens it, what it hangs from, the entity it names,
whether a comma sets it off), how long it and the rest are, and the cue's lemma with the relation.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CONTENT_ENDS_FILE = "content_ends.json"
_QUOTE_MARKS = frozenset("\"“”'‘’")
# the modifiers a content may end before (not a complement: *result in* | *a homicide* would leave *in* hanging)
TRAILING_DEPS = frozenset(["prep", "advcl", "relcl", "acl", "npadvmod", "advmod", "appos", "conj", "parataxis"])


def sentence_rest(doc: Doc, cue: Token, frame: str, rng: tuple[int, int]) -> tuple[int, list[str]] | None:
    """The end of content ``rng``'s sentence (less its closing punctuation) and the features of the words
    between, or None when there are none or they hold the cue itself."""
    span = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    last = span[-1]
    sent = last.sent
    rest = list(doc[last.i + 1 : sent.end])
    while rest and (rest[-1].is_punct or rest[-1].is_space):
        rest.pop()
    if not rest or any(t.i == cue.i for t in rest):
        return None
    word = next((t for t in rest if not t.is_punct), rest[0])
    top = word  # the word's constituent: climb while the head is still in the rest of the sentence
    while top.head.i != top.i and last.i < top.head.i < sent.end:
        top = top.head
    if span.start <= top.head.i < span.end:
        hangs = "in"  # from a word of the content
    elif top.head.i == cue.i:
        hangs = "cue"
    else:
        hangs = "out"
    size = _size(sum(1 for t in rest if not t.is_punct))
    lead = rest[0].text if rest[0].is_punct else "-"
    verb = any(t.pos_ in ("VERB", "AUX") for t in rest)
    feats = {
        "frame": frame,
        "lead": lead,
        "dep": top.dep_,
        "att": hangs,
        "nb": size,
        "verb": verb,
        "q": any(_is_quote_mark(t) for t in rest),
        "wpos": word.pos_,
        "cuedep": cue.dep_,
    }
    out = [f"{k}={v}" for k, v in feats.items()]
    out += [
        f"att|lead|dep={hangs}|{lead}|{top.dep_}",
        f"att|dep={hangs}|{top.dep_}",
        f"frame|att={frame}|{hangs}",
        f"att|nb={hangs}|{size}",
        f"att|verb={hangs}|{verb}",
        f"dep|nb={top.dep_}|{size}",
    ]
    return rest[-1].idx + len(rest[-1]), out


def probability(feats: list[str], model: dict[str, Any]) -> float:
    """A logistic model's probability for a row of features (``bias``, ``weights``)."""
    w = model["weights"]
    z = model["bias"] + sum(w.get(f, 0.0) for f in feats)
    return 1 / (1 + math.exp(-z))


def runs_on(feats: list[str], model: dict[str, Any]) -> bool:
    """Whether the learned model says the content runs on to the end of its sentence."""
    return probability(feats, model) > model["cut"]


def _size(n: int) -> str:
    return "1-3" if n <= 3 else "4-8" if n <= 8 else "9+"


def trailing_cuts(doc: Doc, cue: Token, frame: str, rng: tuple[int, int], ran_on: bool) -> list[tuple[int, list[str]]]:
    """Where content ``rng`` could end before a modifier that trails it (a right-hand dependent of one of its
    words, of a kind in ``TRAILING_DEPS``, whose subtree runs to the content's last word), each with the
    features of that cut: (the offset the content would end at, before the comma, dash or *and* that joins
    the modifier on; features). ``ran_on``: whether the content was run on to the end of its sentence."""
    span = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    if span is None or len(span) < 2:
        return []
    last = span[-1]
    while last.i > span.start and (last.is_punct or last.is_space):
        last = doc[last.i - 1]
    out = []
    for t in span:
        lo = t.left_edge
        if t.dep_ not in TRAILING_DEPS or t.i <= t.head.i or lo.i <= span.start or t.right_edge.i < last.i:
            continue
        cut_off, kept = doc[lo.i : last.i + 1], doc[span.start : lo.i]
        set_off = doc[lo.i - 1].text in ",;—–-"
        first = lo.i  # back over what joins it on, not over a closing quote mark
        while first - 1 > span.start and _joins(doc[first - 1]):
            first -= 1
        if t.head.i == cue.i:
            hangs = "cue"
        elif not span.start <= t.head.i < span.end:
            hangs = "out"
        elif t.head.head.i in (cue.i, t.head.i):
            hangs = "root"  # from the content's own head
        else:
            hangs = "in"
        # the word that opens it when it says what it is: *during*, *with*, *while*, *especially*
        word = "-"
        if t.dep_ in ("prep", "mark", "advmod", "cc"):
            word = t.lower_
        elif lo.dep_ in ("mark", "advmod"):
            word = lo.lower_
        obj = next((c for c in t.children if c.dep_ == "pobj"), None)
        names = (obj.ent_type_ or obj.pos_) if obj is not None else "-"
        n_cut = _size(sum(1 for x in cut_off if not x.is_punct))
        verb = any(x.pos_ in ("VERB", "AUX") for x in cut_off)
        feats = {
            "dep": t.dep_,
            "pw": word,
            "h": hangs,
            "comma": set_off,
            "nc": n_cut,
            "nk": _size(sum(1 for x in kept if not x.is_punct)),
            "verb": verb,
            "qc": any(_is_quote_mark(x) for x in cut_off),
            "qk": any(_is_quote_mark(x) for x in kept),
            "frame": frame,
            "pos": t.pos_,
            "hpos": t.head.pos_,
            "ran": ran_on,
            "ent": lo.ent_type_ or "-",
            "pent": names,
            "first": lo.lower_ if lo.is_stop else lo.pos_,
        }
        row = [f"{k}={v}" for k, v in feats.items()]
        row += [
            f"dep|comma={t.dep_}|{set_off}",
            f"dep|h={t.dep_}|{hangs}",
            f"pw|h={word}|{hangs}",
            f"frame|dep={frame}|{t.dep_}",
            f"dep|nc={t.dep_}|{n_cut}",
            f"dep|verb={t.dep_}|{verb}",
            f"pw|comma={word}|{set_off}",
            f"dep|ent={t.dep_}|{lo.ent_type_}",
            f"L|dep={cue.lemma_.lower()}|{t.dep_}",
            f"pw|pent={word}|{names}",
        ]
        out.append((doc[first].idx, row))
    return out


def _is_quote_mark(tok: Token) -> bool:
    """A quotation mark, not the apostrophe of a possessive (*the victims’ families*, tagged ``POS``)."""
    return tok.text in _QUOTE_MARKS and tok.tag_ != "POS"


def _joins(tok: Token) -> bool:
    """A token that joins a trailing modifier on: *and*, a comma or dash, a space (not a quote mark)."""
    return tok.dep_ == "cc" or tok.is_space or (tok.is_punct and tok.text not in _QUOTE_MARKS)
