"""Where a chosen attribution content ends: at its frame's edge, or at the end of its sentence.

A content frame (``attributions.candidate_frames``) ends where the parse's constituent ends. PolNeAR's
annotators often run the content on to the end of the sentence: over a relative clause or a second
conjunct the parse hung elsewhere (*backed the levy, which funds the port*; *urged cutting fares and
adding buses*), over an adjunct set off by a comma. As often they stop at the frame's edge (*praised
the plan in a speech*). Which one, is learned from PolNeAR train (``scripts/build_cue_lexicon.py``
writes ``extractor/data/content_ends.json``): a logistic model over what the rest of the sentence is
(how it opens, what it hangs from, how long it is, whether it has a verb or a quote mark), fitted on
the training contents where one end matches the gold content and the other does not.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CONTENT_ENDS_FILE = "content_ends.json"
_QUOTE_MARKS = frozenset("\"“”'‘’")


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
    n = sum(1 for t in rest if not t.is_punct)
    size = "1-3" if n <= 3 else "4-8" if n <= 8 else "9+"
    lead = rest[0].text if rest[0].is_punct else "-"
    verb = any(t.pos_ in ("VERB", "AUX") for t in rest)
    feats = {
        "frame": frame,
        "lead": lead,
        "dep": top.dep_,
        "att": hangs,
        "nb": size,
        "verb": verb,
        "q": any(t.text in _QUOTE_MARKS for t in rest),
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


def runs_on(feats: list[str], model: dict[str, Any]) -> bool:
    """Whether the learned model says the content runs on to the end of its sentence."""
    w = model["weights"]
    z = model["bias"] + sum(w.get(f, 0.0) for f in feats)
    return 1 / (1 + math.exp(-z)) > model["cut"]
