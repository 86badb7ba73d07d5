"""Attribution proposals from the parse: cue tokens, their content frame, their source.

A cue is a token whose lemma, in a given *frame*, was learned from PolNeAR train to signal an
attribution (``extractor/data/cues.json``, built by ``scripts/build_cue_lexicon.py``). A frame
says where the content lies relative to the cue token:

- a dependency child of the cue (``ccomp``, ``xcomp``, ``dobj``, ``prep:of`` …): the child's subtree;
- ``rights``: all the cue's right-hand complements together (*called the plan "a disaster"*);
- ``head``: the clause the cue hangs from, less the cue's own subtree (*X, he said, Y*; *according to*);
- ``quote_before`` / ``quote_after``: a quotation adjacent to the cue (*"…," she said* / *He added: "…"*),
  the whole quote even when it runs over sentences and paragraphs;
- ``colon``: the rest of the paragraph after a short speaker label and a colon (*PENCE: …*).

Every candidate (token, frame) is scored by the learned precision of ``lemma|frame`` (backing off
to ``POS|frame``), adjusted by a logistic model over its parse context: sparse features (subject kind,
tense, what the content opens with …) and the pipeline's own contextual token vectors (``doc.tensor``)
at the cue, the words either side of it and the content's head, which carry what the cue's rare lemma
shares with common ones. The best frame per token above the threshold is proposed (its next one when a
better-scored cue took that content). Sources come from the parse (subject, agent, object of *according
to*, the label before a colon, the subject of the verb a participle or conjunct hangs from, the name just
before a main-clause cue the parser left without a subject) and are linked to speaker entities
(``speakers.py``).

Span conventions learned from train (``extractor/data/cue_spans.json``): the right-hand children a
cue span takes in, and the cue heads PolNeAR mostly gives no source. A cue the parse put inside another
cue's content (coordinated into it, or in a clause set off at its end) is an attribution of its own: that
content ends before it. Proposals whose contents are still alike (token Dice >= ``DUPLICATE_DICE``) are one
attribution: the better-scored is kept. A kept content may then run on to the end of its sentence, where
the content-end model learned from train says so (``content_ends.py``).
"""

from __future__ import annotations

import bisect
import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np

from extractor.analysis import has_quote_mark, noun_clauses
from extractor.data import load_json
from extractor.proposals import AttributionProposal, Loc, SpeakerEntity, SpeakerOption
from extractor.proposals.content_ends import CONTENT_ENDS_FILE, probability, runs_on, sentence_rest, trailing_cuts
from extractor.proposals.speakers import NAME_PARTICLES, SpeakerIndex, build_speakers
from extractor.proposals.word_classes import word_classes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from extractor.analysis import Analysis, Quote

CUES_FILE = "cues.json"
CUE_SPANS_FILE = "cue_spans.json"
MIN_EXTENSION_COUNT = 5
SOURCELESS_RATE = 0.65  # a cue kind PolNeAR train gave no source this often gets none
# a lower-scoring proposal whose content is this alike a kept one's is dropped (0.5: +0.008 content F1 on
# train and dev over 0.8; 0.35 with the lexicalised cue model: +0.004 content, +0.005 cue and source F1 on
# polnear-dev, neutral on 300 train articles; keeping the outer or the inner of nested pairs instead of the
# better-scored: worse; keeping both when one's cue lies in the other's content: content F1 -0.016 on dev)
DUPLICATE_DICE = 0.35
COMMON_LEMMA_COUNT = 20  # a lemma seen this often in a frame in train is scored without its WordNet class
CLASS_FEATURE_PREFIX = "wn"  # the name of every WordNet class feature starts so (and no other's does)
EXTEND_RATE = 0.5  # a right-hand child joins the cue span when train gold cues took its kind in this often
_DEPS = load_json("attribution_deps.json")
CHILD_FRAMES = frozenset(_DEPS["child_frames"])
HEAD_DEPS = frozenset(_DEPS["head_deps"])
SUBJECT_DEPS = ("nsubj", "csubj")
TIME_ENTS = frozenset(["DATE", "TIME"])  # entity types of a word next to a cue that is when, not who
CLIMB_DEPS = frozenset(["xcomp", "conj", "advcl", "pcomp", "acl", "ccomp"])
LEFT_CUE_DEPS = frozenset(["aux", "auxpass", "neg", "advmod"])
MAX_CUE_GAP = 1
EXTEND_PARAGRAPHS = True  # carry a quote over wholly quoted next paragraphs (PolNeAR train: 62 times in 117)
SOURCE_IN_CONTENT = 1.0  # a source is dropped when its Dice with the content exceeds this
MIN_CONTENT_WORDS = 1
SAY_LEMMA = "say"  # the reporting verb whose named subjects are the sources an article quotes (the "sayer" feature)
# clauses of their own, not complements: the ``rights`` frame stops before them (*described the showdown as
# ominous*, and said …)
CLAUSE_DEPS = frozenset(["conj", "advcl", "parataxis", "relcl", "acl"])
AROUND_STOP_DEPS = frozenset(["ccomp", "xcomp", "dobj", "cc", "dative", "oprd"])
SPEAKER_CONTINUES_CHARS = 600  # a *he said* this close after an attribution goes on with its speaker first
SHORT_SOURCE_WORDS = 6  # any words (the source) may stand between a quote and its cue up to this many
MAX_SOURCE_WORDS_AFTER_QUOTE = 30  # a quote this many words before its cue, a noun phrase between, is its content
MAX_LABEL_WORDS = 4
REPORTED_FRAMES = frozenset(["ccomp", "head"])  # a reported clause: it may run on over a quote after its cue
SPANNING_FRAMES = frozenset(["head", "around", "quote_before", "quote_after"])  # contents that may hold the source
_WORD = re.compile(r"\w+")
_RESUMES = re.compile(r",(?:\s+(?:but|and))?\s*$")
_SENTENCE_END = re.compile(r"[.!?]\s+$")
_OWN_SENTENCE_END = re.compile(r"\b[a-z]+[.!?]\s+[A-Z]")  # *… Chen said. The company*: not an abbreviation
CARRY_ON_POS = frozenset(["ADP", "CCONJ", "SCONJ"])  # a word after a quote that goes on with its sentence
_OWN_CUE_AFTER = re.compile(r"\s*[,a-z]")  # *"B" he added*: the next quote has a cue of its own


PUNCT_CUES = frozenset(":―—")
# *"…" ― Name*, *"…"* ¶ *- Name.*: a dash that signs a quote off with its speaker's name (any dash; ``DASH`` keys them)
SIGNOFF_DASHES = frozenset(["-", "--", "–", "—", "―"])
DASH = "—"
MAX_SIGNOFF_LINE_WORDS = 12  # the sign-off line: the name, then perhaps who they are (*, 34, of Phoenix*)
LEAD_IN_STOPS = frozenset(":;-—–―(")  # a lead-in ending so introduces the quote; it is not part of its content
# a cue inside the content of a candidate whose lemma prior reaches this is nested (``nesting_covers``): the
# cut on the full score when the feature was learned, kept apart from that cut (now 0.38), so that trying
# another cut does not move what counts as nested
NESTING_PRIOR = 0.32
Found = tuple[float, "Token", str, tuple[int, int]]  # a cue found: (probability, token, frame, content range)


def is_candidate(tok: Token) -> bool:
    """Tokens worth scoring as cues: words, a colon, a long dash, any dash right after a quote mark (*"…" - Name*)."""
    if tok.is_space:
        return False
    if tok.text in SIGNOFF_DASHES and tok.text not in PUNCT_CUES:
        before = next((t for t in reversed(tok.doc[max(tok.i - 3, 0) : tok.i]) if not t.is_space), None)
        return before is not None and before.is_quote
    return not tok.is_punct or tok.text in PUNCT_CUES


def _lemma(tok: Token) -> str:
    """The cue's lemma; every dash is one sign (``DASH``), whatever the tagger made of it."""
    return DASH if tok.text in SIGNOFF_DASHES else tok.lemma_.lower()


def frame_key(tok: Token, frame: str) -> str:
    return f"{_lemma(tok)}|{frame}"


def backoff_key(tok: Token, frame: str) -> str:
    """``*POS|frame``; a punctuation cue backs off as punctuation (the tagger calls a lone dash a verb)."""
    pos = "PUNCT" if tok.text in PUNCT_CUES or tok.text in SIGNOFF_DASHES else tok.pos_
    return f"*{pos}|{frame}"


def _words(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text, start, end))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace and separating punctuation (not quote marks)."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _subtree_range(tok: Token) -> tuple[int, int]:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)


def _frame_content(tok: Token, child: Token) -> tuple[int, int]:
    start, end = _subtree_range(child)
    if child.dep_ == "prep" and child.i + 1 <= child.right_edge.i:
        start = child.doc[child.i + 1].idx  # *accused her of* | being …: the preposition belongs to the cue
    if child.dep_ == "ccomp":
        start = _after_leading_adjunct(tok, child, start)
    if child.dep_ in ("ccomp", "advcl") and child.left_edge.dep_ == "mark" and child.left_edge.lower_ == "that":
        start = child.left_edge.nbor(1).idx if child.left_edge.i + 1 <= child.right_edge.i else start
    if child.dep_ in ("ccomp", "xcomp", "dobj"):
        end = _cut_own_clause(child, end)
        end = max(end, _shared_conjunct_end(tok, child))
    if child.dep_ == "dobj":
        end = min(end, _before_aside(child))
    return start, end


def _after_leading_adjunct(tok: Token, clause: Token, start: int) -> int:
    """*said on Friday he would …*, *said last week the deal …*: the parser hangs the cue's own time or place
    on the reported clause; the content starts at the clause's subject."""
    subj = next((c for c in clause.lefts if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    lead = [c for c in clause.lefts if subj is not None and c.i < subj.i]
    if not lead or lead[0].left_edge.i != tok.i + 1 or any(c.dep_ not in ("prep", "npadvmod") for c in lead):
        return start
    return subj.left_edge.idx


def _shared_conjunct_end(tok: Token, child: Token) -> int:
    """Where a second complement the parser hung on the cue instead of on the first one ends (*promised to
    meet and exceed the goals*): a conjunct of the cue right after ``child`` and *and*/*or*, of the child's
    part of speech, not of the cue's form (*said X and left*), with no subject of its own."""
    doc = child.doc
    for c in tok.rights:
        same_form = c.pos_ == child.pos_ and c.tag_ != tok.tag_
        if c.dep_ != "conj" or c.i <= child.right_edge.i or not same_form or _has_subject(c):
            continue
        between = doc[child.right_edge.i + 1 : c.left_edge.i]
        if len(between) and all(t.dep_ == "cc" or t.dep_ == "advmod" for t in between):
            return c.right_edge.idx + len(c.right_edge)
        break
    return 0


def _before_aside(obj: Token) -> int:
    """Where a noun's first aside clause begins: before its comma or dash."""
    asides = noun_clauses(obj, set_off=True)
    return obj.doc[asides[0].left_edge.i - 1].idx if asides else obj.right_edge.idx + len(obj.right_edge)


def _cut_own_clause(root: Token, end: int) -> int:
    """End the content before a coordinated clause with its own subject after a comma (*said the deal
    was dead, and the mayor replied …*): a new statement, often with its own cue."""
    doc = root.doc
    for c in root.children:
        if c.text == ";" and c.i > root.i:  # *was not intentional; they only learned …*
            return c.idx
        if _reporting_participle(c) and c.i > root.i and doc[c.left_edge.i - 1].text == ",":
            return doc[c.left_edge.i - 1].idx  # *said he doubted it, arguing that …*: a statement of its own
        if c.dep_ != "conj" or c.i < root.i or c.pos_ not in ("VERB", "AUX"):
            continue
        if not _has_active_subject_of_its_own(c):
            continue
        first = _with_coordinator(c, root.i)
        if first < c.left_edge.i and any(doc[k].text in ",;" for k in range(first, c.left_edge.i)):
            return doc[first].idx
    return end


def _with_coordinator(conjunct: Token, floor: int) -> int:
    """Index of a conjunct's first word, or of the *and* / *or* and punctuation just before it, going back no
    further than token ``floor``."""
    doc, first = conjunct.doc, conjunct.left_edge.i
    while first > floor and doc[first - 1].dep_ in ("cc", "punct"):
        first -= 1
    return first


def _reporting_participle(tok: Token) -> bool:
    """*arguing that …*, *adding: "…"*: a participle clause that reports a clause of its own (not *leaving
    1,200 containers stranded*, which goes on with the content)."""
    return tok.dep_ == "advcl" and tok.tag_ == "VBG" and any(c.dep_ == "ccomp" for c in tok.children)


def _head_content(tok: Token) -> tuple[int, int] | None:
    """The clause the cue hangs from, less the cue's subtree (and its source)."""
    head = tok.head
    if head == tok:
        head_toks = [t for t in tok.sent if not (tok.left_edge.i <= t.i <= tok.right_edge.i)]
    else:
        head_toks = [t for t in head.subtree if not (tok.left_edge.i <= t.i <= tok.right_edge.i)]
    head_toks = [t for t in head_toks if not t.is_space and (not t.is_punct or t.is_quote)]
    if not head_toks:
        return None
    return head_toks[0].idx, head_toks[-1].idx + len(head_toks[-1])


def _according_root_content(tok: Token) -> tuple[int, int] | None:
    """*According to X, the move reeks of fear.* parsed with *according* as the root (the clause taken for an
    appositive of X): the clause after the comma that closes *to X*."""
    doc, sent = tok.doc, tok.sent
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if obj is None:
        return None
    comma = next((t for t in doc[obj.i + 1 : sent.end] if t.text == ","), None)
    if comma is None:
        return None
    rest = [t for t in doc[comma.i + 1 : sent.end] if not t.is_space and (not t.is_punct or t.is_quote)]
    return (rest[0].idx, rest[-1].idx + len(rest[-1])) if len(rest) >= 3 else None  # a clause, not *, basically*


def _has_own_cue(text: str, q: Quote, doc: Doc) -> bool:
    """A quote that goes on into a cue of its own: it ends on a comma (*"B," he added*) or a lower-case word
    follows it (*"B" he added*), not a preposition or conjunction that carries its sentence on (*"… a tax
    increase" for the top bracket*)."""
    if _last_mark(text, q) == ",":
        return True
    if not _OWN_CUE_AFTER.match(text, q.end):
        return False
    span = doc.char_span(q.end, min(q.end + 40, len(text)), alignment_mode="expand")
    word = next((t for t in span if not t.is_space), None) if span is not None else None
    return word is None or word.pos_ not in CARRY_ON_POS


def _last_mark(text: str, q: Quote) -> str:
    """The quote's own last character (*"…,"* / *"…?"*), inside a nested quote's closing mark (*"It feels
    like, 'Meh, we can put this off,'" he said*)."""
    i = q.inner_end
    while i > q.inner_start and text[i - 1] in "'’":
        i -= 1
    return text[i - 1 : i]


def _noun_phrase_before(tok: Token, start: int) -> bool:
    """True when the words from ``start`` to the cue hold no clause of their own (no lower-case verb): a long
    source with its titles (*"…," Leonard E. Burman, director of the Tax Policy Center, said*)."""
    doc = tok.doc
    i = tok.i - 1
    while i >= 0 and doc[i].idx >= start:
        t = doc[i]
        if t.pos_ in ("VERB", "AUX") and not t.is_title and not (t.head == tok and t.dep_ in LEFT_CUE_DEPS):
            return False
        i -= 1
    return True


class QuoteIndex:
    """Quotes by position, for the quote-adjacency frames."""

    def __init__(self, analysis: Analysis) -> None:
        self.text = analysis.text
        self.doc = analysis.doc
        self.quotes = sorted(analysis.quotes, key=lambda q: q.start)
        self._starts = [q.start for q in self.quotes]

    def before(self, tok: Token) -> Quote | None:
        """A quote ending shortly before the cue on the same line, only a few words (the source) between."""
        best = None
        for q in self.quotes:
            if q.end > tok.idx:
                break
            best = q
        if best is None:
            return None
        between = self.text[best.end : tok.idx]
        # *"…," Chen said. The company said …*: the quote's own cue ended a sentence before this one (by a word in
        # lower case before the stop, or by the parse: *"…," reported Reuters. Another 19 percent said …*)
        if "\n" in between or has_quote_mark(between) or _OWN_SENTENCE_END.search(between):
            return None
        n = _words(self.text, best.end, tok.idx)
        if n > MAX_SOURCE_WORDS_AFTER_QUOTE or (n > SHORT_SOURCE_WORDS and not _noun_phrase_before(tok, best.end)):
            return None
        stop = any(c in between for c in ".!?")  # (the parse's sentence start is costly: only where a stop lies)
        if stop and best.end < tok.sent.start_char and _words(self.text, best.end, tok.sent.start_char):
            return None
        last = _last_mark(self.text, best)
        if not between.strip() or between.lstrip()[:1] in ",—–-" or last in ",?!—":
            return best
        return None

    def _next(self, pos: int) -> Quote | None:
        i = bisect.bisect_left(self._starts, pos)
        return self.quotes[i] if i < len(self.quotes) else None

    def _last(self, pos: int) -> Quote | None:
        """The last quote opening at or before ``pos``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.quotes[i] if i >= 0 else None

    def extend(self, end: int, sent_end: int) -> int:
        """Carry a quote's content on over the speaker's next quoted sentence (*"A," she said. "B."*, also
        where the parser ran the two sentences into one; not when that quote has a cue of its own: *"B," he
        added*) and over following paragraphs that are wholly quoted (news style: one speaker, no new cue)."""
        text = self.text
        q = self._next(max(end, sent_end))
        if (
            q is not None
            and not text[sent_end : q.start].strip()
            and "\n" not in text[end : q.start]
            and q.start >= end
            and not _has_own_cue(text, q, self.doc)
        ):
            end = q.inner_end
        else:
            q = self._next(end)
            # the parser ran the next quoted sentence into the cue's: the text before it still ends a sentence
            if (
                q is not None
                and "\n" not in text[end : q.start]
                and _SENTENCE_END.search(text, end, q.start)
                and not _has_own_cue(text, q, self.doc)
            ):
                end = q.inner_end
        while True:
            if not EXTEND_PARAGRAPHS:
                return end
            nl = text.find("\n", end)
            if nl < 0:
                return end
            q = self._next(nl)
            if q is None or text[nl : q.start].strip():
                return end
            line_end = text.find("\n", q.start)
            line_end = len(text) if line_end < 0 else line_end
            if text[q.end : line_end].strip():  # words after the quote: it has its own cue
                return end
            end = q.inner_end

    def after_indirect(self, tok: Token, rng: tuple[int, int]) -> int:
        """Where an unquoted content before its cue ends when the paragraph goes on, right after the cue's
        sentence, with a quote that has no cue of its own (*X, Schiff said. "Y."*): that quote's end (and the
        wholly quoted paragraphs after it), else the content's own end."""
        text, sent_end = self.text, tok.sent.end_char
        if rng[1] > tok.idx or rng[0] < tok.sent.start_char or has_quote_mark(text[rng[0] : tok.idx]):
            return rng[1]
        if _words(text, rng[1], tok.idx) > SHORT_SOURCE_WORDS:  # only the source between: *…, Schiff said.*
            return rng[1]
        q = self._next(sent_end)
        if q is None or text[sent_end : q.start].strip() or "\n" in text[tok.idx : q.start]:
            return rng[1]
        if _has_own_cue(text, q, self.doc):
            return rng[1]
        return self.extend(q.inner_end, q.end)

    def paragraph_after_colon(self, tok: Token, rng: tuple[int, int]) -> int:
        """Where a content that opens the paragraph after its cue's colon ends (*The governor added:* ¶ *A. B.
        C.*): that paragraph's end (PolNeAR train: the whole paragraph 10 times in 12), else the content's end."""
        text = self.text
        between = text[tok.idx + len(tok) : rng[0]]
        if between.strip() != ":" or "\n" not in between:
            return rng[1]
        end = text.find("\n", rng[0])
        return max(rng[1], len(text) if end < 0 else end)

    def opened_after(self, tok: Token, frames: list[tuple[str, tuple[int, int]]]) -> list[Quote]:
        """The quotes after cue ``tok``, in its paragraph, that a frame's content opens and ends a sentence or
        more before their end: the parse hung the quote's first sentences on the cue (*told his radio audience
        on Monday, "A. B."*; not a partial quote, *called them "deplorables"*, the content as it is)."""
        text, doc, out = self.text, tok.doc, []
        for _, (start, end) in frames:
            q = self._last(start)
            if q is None or q.start <= tok.idx or end > q.inner_end or text[q.start : start].strip(" \"“'‘"):
                continue
            if q in out or text.find("\n", tok.idx, q.start) >= 0:
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span) and span[-1].sent.end_char < q.inner_end - 1:
                out.append(q)  # the quote goes on past the sentence the content ends in
        return out

    def signed_off(self, tok: Token) -> Quote | None:
        """The quote dash ``tok`` signs off: closed just before it (on its line or the line before), the rest
        of the dash's line a name (*"…" ― Pamela Padilla*; *"…"* ¶ *- Bernie Sanders.*; *― Ana Ruiz, 34, a nurse*)."""
        text = self.text
        q = self._last(tok.idx)
        if q is None or q.end > tok.idx or text[q.end : tok.idx].strip() or text.count("\n", q.end, tok.idx) > 2:
            return None
        line_end = text.find("\n", tok.idx)
        line_end = len(text) if line_end < 0 else line_end
        if _words(text, tok.idx, line_end) > MAX_SIGNOFF_LINE_WORDS:
            return None
        name = _dash_source(tok, text)
        return q if name is not None and _is_name(text[name[0] : name[1]]) else None

    def resumed(self, tok: Token) -> Quote | None:
        """The quote a cue after a quote breaks off (*"A," she said, "and b."*; *he said, but "b."*): opening
        later in the cue's sentence and paragraph, after a comma (and *but* / *and*), going on in lower case."""
        q = self._next(tok.idx + len(tok))
        if q is None or q.start >= tok.sent.end_char or "\n" in self.text[tok.idx : q.start]:
            return None
        inner = self.text[q.inner_start : q.inner_start + 1]
        if not _RESUMES.search(self.text, tok.idx, q.start) or not inner.islower():
            return None
        return q

    def after(self, tok: Token) -> Quote | None:
        """A quote opening shortly after the cue on the same line (*said: "…"*, *told reporters, "…"*), or
        opening the next paragraph after a colon."""
        end = tok.idx + len(tok)
        for q in self.quotes:
            if q.start < end:
                continue
            between = self.text[end : q.start]
            if "\n" in between and between.strip() == ":":
                return q  # *He said:* ¶ *"…"*: the quote is the next paragraph
            if "\n" in between or _words(self.text, end, q.start) > 4:
                return None
            return q
        return None


def candidate_frames(tok: Token, quotes: QuoteIndex) -> list[tuple[str, tuple[int, int]]]:
    """Every (frame, content range) the parse offers for ``tok`` as a cue."""
    text = quotes.text
    out: list[tuple[str, tuple[int, int]]] = []
    if tok.text in SIGNOFF_DASHES:
        signed = quotes.signed_off(tok)
        if signed is not None:
            out.append(("signoff", (signed.inner_start, signed.inner_end)))
        if tok.text not in PUNCT_CUES:  # a hyphen after a quote is a cue only as a sign-off
            return _trimmed(text, out)
    if tok.text == ":":
        colon = _colon_content(tok, quotes)
        if colon:
            out.append(("colon", colon))
    adjacent: list[tuple[Quote, tuple[int, int]]] = []  # the quotes next to the cue, with their contents
    q = quotes.before(tok)
    if q is not None:
        end, sent_end = q.inner_end, tok.sent.end_char
        rest = quotes.resumed(tok)  # *"A," she said, "b."*: one quote, broken by its cue
        if rest is not None:
            end, sent_end = rest.inner_end, max(sent_end, rest.end)
        adjacent.append((q, (_lead_in_start(tok.doc, q, text), quotes.extend(end, sent_end))))
        out.append(("quote_before", adjacent[-1][1]))
    q = quotes.after(tok)
    if q is not None:
        adjacent.append((q, (q.inner_start, quotes.extend(q.inner_end, q.end))))
        out.append(("quote_after", adjacent[-1][1]))
    rights = _complements(tok)
    rights_end = rights[-1].right_edge.idx + len(rights[-1].right_edge) if rights else 0
    for child in tok.children:
        if child.dep_ not in CHILD_FRAMES:
            continue
        frame = f"prep:{child.lower_}" if child.dep_ == "prep" else child.dep_
        rng = _frame_content(tok, child)
        # *called for mass protests on Friday during the funerals*: a first prepositional object runs on over
        # the adjuncts after it (PolNeAR train takes them in 95 times in 159)
        if child.dep_ == "prep" and len(rights) > 1 and child == rights[0]:
            rng = (rng[0], rights_end)
        out.append((frame, rng))
    # *called the plan "a disaster"*, *accused the firm of fraud*: the objects together
    if len(rights) > 1 and rights[0].dep_ in ("dobj", "dative"):
        out.append(("rights", (rights[0].left_edge.idx, rights_end)))
    for clause in _prep_object_clauses(tok):  # *said in a statement that …*: the parser hangs the clause on the noun
        out.append(("prep_that", (clause.left_edge.nbor(1).idx, clause.right_edge.idx + len(clause.right_edge))))
    if tok.dep_ in HEAD_DEPS:
        rng = _according_root_content(tok) if tok.lower_ == "according" and tok.dep_ == "ROOT" else _head_content(tok)
        if rng:
            out.append(("head", rng))
    rng = _around_content(tok, quotes)
    if rng:
        out.append(("around", rng))
    # *"A. B," he added*: the parser takes the quote's last sentence for the cue's clause; what was said is the
    # whole quote, whatever frame found it. So too where the parse hangs a quote's first sentence on the cue,
    # further from it than the quote frames look (*told his radio audience on Monday, "A. B."*)
    opened = [(q, (q.inner_start, quotes.extend(q.inner_end, q.end))) for q in quotes.opened_after(tok, out)]
    out = [(f, _whole_quote(r, adjacent + opened)) for f, r in out]
    # *X, Schiff said. "Y."*: the reported clause runs on over the quote after it; *added:* ¶ *A. B.*: the paragraph
    out = [(f, (r[0], quotes.after_indirect(tok, r)) if f in REPORTED_FRAMES else r) for f, r in out]
    out = [(f, (r[0], quotes.paragraph_after_colon(tok, r))) for f, r in out]
    return _trimmed(text, out)


def _trimmed(text: str, frames: list[tuple[str, tuple[int, int]]]) -> list[tuple[str, tuple[int, int]]]:
    """The frames' contents trimmed (``_trim``), those of at least ``MIN_CONTENT_WORDS`` words."""
    return [(f, _trim(text, *r)) for f, r in frames if _words(text, *r) >= MIN_CONTENT_WORDS]


def _whole_quote(rng: tuple[int, int], adjacent: list[tuple[Quote, tuple[int, int]]]) -> tuple[int, int]:
    """The content of the adjacent quote that ``rng`` lies inside, else ``rng``."""
    for q, content in adjacent:
        if q.inner_start <= rng[0] and rng[1] <= q.inner_end:
            return content
    return rng


def _lead_in_start(doc: Doc, q: Quote, text: str) -> int:
    """Where a quote's content starts: at the start of its sentence when the quote opens mid-sentence and
    goes on with the sentence's own words (*Biden "has a lot of roles to play," said Doyle*: PolNeAR train
    takes the lead-in 136 times in 184 after a word or a comma), else inside the opening mark (after a colon
    or a dash the lead-in is the writer's: 20 times in 30)."""
    inner = doc.char_span(q.inner_start, q.inner_end, alignment_mode="expand")
    if inner is None or not len(inner):
        return q.inner_start
    sent_start = inner[0].sent.start_char
    lead = text[sent_start : q.start].rstrip()
    if not lead or "\n" in lead or has_quote_mark(lead) or lead[-1] in LEAD_IN_STOPS:
        return q.inner_start
    colon = lead.rfind(": ")  # *Here is one example: the agency "only requires …"*: the content starts after it
    return sent_start + colon + 2 if colon >= 0 else sent_start


def _complements(tok: Token) -> list[Token]:
    """The cue's right-hand complements and adjuncts that a ``rights`` frame takes together, up to a reported
    clause: in *told CBC News that no one was hurt* the clause is the content, the object its recipient
    (PolNeAR train: object + *that*-clause, content from the clause 240 times, from the object 65)."""
    out = []
    for c in tok.rights:
        if c.dep_ == "ccomp":
            break
        if c.dep_ in CHILD_FRAMES and c.dep_ not in CLAUSE_DEPS:
            out.append(c)
    return out


def _prep_object_clauses(tok: Token) -> list[Token]:
    """*that*-clauses the parser hung on the object of one of the cue's prepositions (*said in a statement that
    the plant would close*, *wrote in an email that …*) rather than on the cue."""
    return [
        clause
        for prep in tok.children
        if prep.dep_ == "prep"
        for obj in prep.children
        if obj.dep_ == "pobj"
        for clause in obj.children
        if clause.dep_ in ("acl", "ccomp", "relcl")  # *relcl*: a *that* marking it shows the parse slipped
        and clause.left_edge.dep_ == "mark"
        and clause.left_edge.lower_ == "that"
        and clause.left_edge.i < clause.right_edge.i
    ]


def _around_content(tok: Token, quotes: QuoteIndex) -> tuple[int, int] | None:
    """*X, the agency said in a report, Y*: a verb cue set off by commas inside the unquoted sentence it
    reports, the sentence going on after it. The content is the sentence, cue and source inside it (as
    PolNeAR annotates it); what follows the second comma must carry on the reported clause, not hang
    from the cue (*, adding that …*, *, wiping his face*)."""
    if tok.pos_ != "VERB":
        return None
    doc, sent = tok.doc, tok.sent
    lo = _cue_first(tok)
    for c in tok.lefts:
        if c.dep_ in ("nsubj", "nsubjpass"):
            lo = min(lo, c.left_edge.i)
    hi = tok.i
    for c in tok.rights:  # the cue's own adjuncts (*in a June report*) and inverted subject (*said Smith*)
        if c.is_punct or c.dep_ in CLAUSE_DEPS or c.dep_ in AROUND_STOP_DEPS or c.left_edge.i != hi + 1:
            break
        hi = c.right_edge.i
    if lo - 1 <= sent.start or hi + 2 >= sent.end or doc[lo - 1].text != "," or doc[hi + 1].text != ",":
        return None
    nxt = doc[hi + 2]
    if nxt.dep_ == "cc" and nxt.i + 1 < sent.end:  # *, and the fees fell*: the conjunct after *and*
        nxt = doc[nxt.i + 1]
    while nxt.head != tok and nxt.head != nxt:  # up to the cue's child it hangs from, if it hangs from the cue
        nxt = nxt.head
    if nxt.head == tok and not (nxt.dep_ == "ccomp" or (nxt.dep_ == "conj" and _has_subject(nxt))):
        return None
    first = next((t for t in sent if not (t.is_space or t.is_punct)), None)
    last = next((t for t in reversed(sent) if not (t.is_space or t.is_punct)), None)
    if first is None or last is None or first.i >= lo - 1 or last.i <= hi + 1:
        return None
    start, end = first.idx, last.idx + len(last)
    if has_quote_mark(quotes.text[start:end]):
        return None  # quotes have their own frames
    return start, end


def _has_subject(tok: Token) -> bool:
    """A subject of its own, active or passive."""
    return _has_active_subject_of_its_own(tok) or any(c.dep_ == "nsubjpass" for c in tok.children)


def _colon_content(tok: Token, quotes: QuoteIndex) -> tuple[int, int] | None:
    """``LABEL: content`` where the label is a short start of line: content runs to the paragraph end."""
    text = quotes.text
    line_start = text.rfind("\n", 0, tok.idx) + 1
    label = text[line_start : tok.idx]
    if not label.strip() or _words(text, line_start, tok.idx) > MAX_LABEL_WORDS or any(c in label for c in ".!?"):
        return None
    line_end = text.find("\n", tok.idx)
    return tok.idx + 1, line_end if line_end >= 0 else len(text)


def _colon_source(tok: Token, text: str) -> tuple[int, int] | None:
    line_start = text.rfind("\n", 0, tok.idx) + 1
    start, end = _trim(text, line_start, tok.idx)
    while start < end and text[start] in "\"“'‘":
        start += 1
    return (start, end) if start < end else None


def _dash_source(tok: Token, text: str) -> tuple[int, int] | None:
    """``"…" ― Name, age, town``: the name after the dash, up to a comma or the line end."""
    end = len(text)
    for stop in (",", "\n", "("):
        i = text.find(stop, tok.idx + 1)
        if 0 <= i < end:
            end = i
    start, end = _trim(text, tok.idx + 1, end)
    return (start, end) if start < end and _words(text, start, end) <= MAX_LABEL_WORDS else None


def _is_name(words: str) -> bool:
    """A short run of capitalised words (initials and particles allowed): *Julie A. Diaz Martinez*, *Sanders.*"""
    parts = [w for w in re.split(r"\s+", words.strip().rstrip(".")) if w]
    if not parts or len(parts) > MAX_LABEL_WORDS + 1 or not parts[0][:1].isupper() or not parts[-1][:1].isupper():
        return False
    return all(w[:1].isupper() or w.lower() in NAME_PARTICLES for w in parts)


def _np_range(tok: Token, text: str, after_cue: bool = False) -> tuple[int, int]:
    """A noun phrase's subtree within its line: appositives and restrictive relative clauses in, a clause set
    off by a comma (*Christie, who has campaigned …*, *Trump, speaking to veterans*) out, as PolNeAR marks,
    except a relative clause that ends the sentence after an inverted cue (*said Luis Rubio, who heads the
    center.*), which PolNeAR train takes into the source 85 times in 148."""
    start, end = _subtree_range(tok)
    first = tok.left_edge
    # the comma and mark closing a quote before it, not a mark opening a quoted name (*“Bud” Smith*)
    while first.i < tok.i and first.is_punct and (first.whitespace_ or first.nbor(1).is_punct):
        first = first.nbor(1)
    start = max(start, first.idx)
    if not (after_cue and _final_aside(tok)):
        end = min(end, _before_aside(tok))
    nl = text.rfind("\n", start, tok.idx)
    if nl >= 0:
        start = nl + 1
    nl = text.find("\n", tok.idx, end)
    if nl >= 0:
        end = nl
    return _trim(text, start, end)


def _final_aside(noun: Token) -> bool:
    """A non-restrictive relative clause on ``noun`` that runs to the end of its sentence."""
    c = next((c for c in noun_clauses(noun, set_off=True) if c.dep_ == "relcl"), None)
    if c is None:
        return False
    rest = noun.doc[c.right_edge.i + 1 : noun.sent.end]
    reports = any(g.dep_ == "ccomp" for g in c.children)  # *, who said that …*: a statement of its own
    return not reports and all(t.is_punct or t.is_space for t in rest)


def source_token(tok: Token, frame: str) -> Token | None:
    """The source's head token for cue ``tok``: subject, agent, object of *according to*, or inherited."""
    if tok.lower_ == "according":
        for child in tok.children:
            for obj in child.children if child.lower_ == "to" else ():
                if obj.dep_ == "pobj":
                    return obj
    if tok.lower_ == "to" and tok.head.lower_ == "according":
        for obj in tok.children:
            if obj.dep_ == "pobj":
                return obj
    if tok.pos_ in ("NOUN", "PROPN"):  # *Trump's claim that …*
        for child in tok.children:
            if child.dep_ == "poss":
                return child
    cur = tok
    for _ in range(4):
        for child in cur.children:
            if child.dep_ in SUBJECT_DEPS and not (frame == "nsubj" and cur == tok):
                return child
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
        if cur.dep_ in CLIMB_DEPS and cur.head != cur:
            if cur.dep_ == "ccomp" and frame != "head":
                return None
            cur = cur.head
            continue
        if cur.dep_ == "relcl":
            return cur.head
        break
    return None


def _controller(tok: Token) -> Token | None:
    """Who a participle or infinitive cue with no subject of its own speaks for, when PolNeAR names one (a
    VBG cue has a source 158 times in 162 in train): the subject of the clause it hangs from, reached also
    through a preposition (*after saying …, she was whisked off*, *by telling them …*) and as a passive
    subject; or the noun it modifies (*a super PAC backing Bush*, *polls showing …*)."""
    cur = tok
    for _ in range(4):
        if cur != tok:
            for child in cur.children:
                if child.dep_ in SUBJECT_DEPS or child.dep_ == "nsubjpass":
                    return child
        if cur.dep_ == "acl" and cur.tag_ == "VBG" and cur.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return cur.head
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head != cur.head:
            cur = cur.head.head
        elif cur.dep_ in ("advcl", "xcomp", "conj") and cur.head != cur:
            cur = cur.head
        else:
            break
    return None


FINITE_TAGS = frozenset(["VBD", "VBZ", "VBP"])
OWN_SUBJECT_DEPS = frozenset([*SUBJECT_DEPS, "nsubjpass", "csubjpass", "expl"])  # any subject, passive too


def _orphaned_subject(tok: Token) -> Token | None:
    """The noun phrase right before a finite main-clause cue the parser gave no subject (*In a statement to
    the Observer, her adviser, Jake Sullivan, said …*: the name hung on the preposition's object)."""
    if tok.dep_ != "ROOT" or tok.tag_ not in FINITE_TAGS or any(c.dep_ in OWN_SUBJECT_DEPS for c in tok.children):
        return None
    doc, i = tok.doc, _cue_first(tok) - 1
    comma = i >= tok.sent.start and doc[i].text == ","
    if comma:
        i -= 1
    if i < tok.sent.start:
        return None
    word = doc[i]
    if word.pos_ != "PROPN" and (comma or word.pos_ not in ("NOUN", "PRON")):
        return None
    if word.ent_type_ in TIME_ENTS or word.is_quote:
        return None
    head = word  # up its name and appositives, but not onto the preposition's object the parse hung them on
    while (
        head.dep_ in ("compound", "flat", "appos")
        and head.head.i < tok.i
        and head.head.pos_ in ("PROPN", "NOUN")
        and not (head.dep_ == "appos" and head.head.dep_ == "pobj")
    ):
        head = head.head
    return head


def _reporting_verb_subject(tok: Token) -> Token | None:
    """*Khalif said the rhetoric was patronizing, noting …*: a participle set off by a comma that the parser
    hung on the reported clause goes on the reporting verb's statement; its source is that verb's subject,
    not the reported clause's."""
    doc, clause = tok.doc, tok.head
    if not (tok.dep_ == "advcl" and tok.tag_ == "VBG" and clause.dep_ == "ccomp" and clause.head != clause):
        return None
    if tok.left_edge.i == 0 or doc[tok.left_edge.i - 1].text != ",":
        return None
    return source_token(clause.head, clause.dep_)


def _between_quote_and_cue(tok: Token, analysis: Analysis) -> tuple[int, int] | None:
    """The words between a quote and the cue after it (*"…," Mayor Ana Diaz said*, *"…," Ramos, 58, told
    AFP*), when they are a name or a noun phrase: no (lower-case) verb or conjunction among them."""
    doc = tok.doc
    i = last = _cue_first(tok) - 1  # *has not yet said*: the cue's own words
    while i >= 0 and not doc[i].is_quote and analysis.quote_at(doc[i].idx) is None:
        i -= 1
    words = list(doc[i + 1 : last + 1])
    while words and words[0].text == ",":
        words.pop(0)
    while words and words[-1].text == ",":
        words.pop()
    if not words or any(t.pos_ in ("VERB", "AUX", "CCONJ") and not t.is_title for t in words):
        return None  # a clause, not a name (a capitalised "verb" here is a name the tagger missed: *Tulsa*)
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in words):
        return None
    if i < 0 or not (doc[i].is_quote or doc[i].text == ","):
        return None
    return _trim(analysis.text, words[0].idx, words[-1].idx + len(words[-1]))


def _after_punct(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) less the punctuation it opens with (a quote's closing mark and comma), None when nothing
    else is left."""
    span = doc.char_span(start, end, alignment_mode="expand")
    first = next((t for t in span or () if not (t.is_punct or t.is_space)), None)
    return _trim(doc.text, first.idx, end) if first is not None and first.idx < end else None


def _inverted_subject(tok: Token) -> Token | None:
    """The noun phrase right after the cue of a quote before it (*"…," said Jane Doe, a lawyer.*): spaCy
    often takes a word of the quote as the subject there."""
    doc = tok.doc
    i = tok.i + 1
    while i < tok.sent.end and doc[i].dep_ in ("advmod", "neg") and doc[i].head == tok:
        i += 1
    if i >= tok.sent.end or doc[i].pos_ not in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"):
        return None
    if doc[i].ent_type_ in TIME_ENTS:  # *"…," Jordan said Monday*: a time, not a speaker
        return None
    head = doc[i]
    while head.head != head and head.head.i > tok.i and head.head.pos_ in ("PROPN", "NOUN", "PRON"):
        head = head.head
    return head if head.pos_ in ("PROPN", "NOUN", "PRON") else None


def prior(hit: list[int] | None, back: list[int] | None, table: dict[str, Any]) -> float:
    """Smoothed precision from a ``lemma|frame`` count pair, backing off to the ``POS|frame`` rate."""
    min_count = table.get("min_count", 3)
    if hit and hit[1] >= min_count:
        return hit[0] / (hit[1] + 1)
    if back:
        rate = back[0] / back[1]
        if hit:  # blend a few lemma observations with the back-off rate
            return (rate * 2 + hit[0]) / (2 + hit[1] + 1)
        return rate / (1 + 1 / max(back[1], 1)) * table.get("backoff_weight", 0.5)
    return 0.0


def context_features(
    tok: Token, frame: str, rng: tuple[int, int], analysis: Analysis, nested: bool = False
) -> list[str]:
    """What besides the lemma tells a cue: the subject's kind, tense, position, quotes, content size, and
    whether it stands inside another likely cue's content (``nested``, see ``nesting_covers``)."""
    subj = source_token(tok, frame) if frame != "colon" else None
    kind = "none" if subj is None else (subj.ent_type_ or ("PRON" if subj.pos_ == "PRON" else subj.tag_))
    size = _words(analysis.text, *rng)
    size_bin = "1-3" if size <= 3 else "4-8" if size <= 8 else "9-20" if size <= 20 else "21+"
    quote = analysis.quote_at(tok.idx)
    # a quote opened at the very start of a ``LABEL: …`` line is a transcript's line, not a quote around the cue
    in_quote = quote is not None and not (frame == "colon" and quote.start == analysis.text.rfind("\n", 0, tok.idx) + 1)
    quoted = has_quote_mark(analysis.text[max(rng[0] - 2, 0) : rng[1] + 2])
    return [
        f"frame={frame}",
        f"subj={kind}",
        f"subj={kind}|{frame}",
        f"tag={tok.tag_}",
        f"tag={tok.tag_}|{frame}",
        f"dep={tok.dep_}",
        f"dep={tok.dep_}|{frame}",
        f"size={size_bin}|{frame}",
        f"in_quote={in_quote}|{frame}",
        f"quoted={quoted}|{frame}",
        *_more_features(tok, frame, rng, analysis, subj, in_quote),
        *(nested_features(frame) if nested else ()),
    ]


def _more_features(
    tok: Token, frame: str, rng: tuple[int, int], analysis: Analysis, subj: Token | None, in_quote: bool
) -> list[str]:
    """Negation, modality, the subject pronoun, the verb the cue hangs from, the content's shape."""
    doc = tok.doc
    out = []
    if any(c.dep_ == "neg" for c in tok.children):
        out.append(f"neg|{frame}")
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in tok.children):
        out.append(f"modal|{frame}")
    if subj is not None and subj.pos_ == "PRON":
        out.append(f"subjw={subj.lower_}|{frame}")
    if tok.head != tok:
        out.append(f"headpos={tok.head.pos_}|{tok.dep_}")
    span = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    if span is not None and len(span):
        out.append(f"first={span[0].tag_}|{frame}")
        out.append(f"clause={any(t.pos_ in ('VERB', 'AUX') for t in span)}|{frame}")
    out.append(f"sent_first={tok.i == tok.sent.start}|{frame}")
    if subj is not None and subj.pos_ != "PRON":
        # a source the article quotes elsewhere (*Smith said* in another sentence) is likely speaking here too
        said = analysis.subjects_of(SAY_LEMMA)
        out.append(f"sayer={any(i != tok.i for i in said.get(subj.lower_, ()))}|{frame}")
    out.extend(_lexical_features(tok, frame, subj, span))
    return out


def _lexical_features(tok: Token, frame: str, subj: Token | None, span: Any) -> list[str]:
    """The cue's lemma in its context (its tag, its subject's kind, what it hangs from, how its content
    opens and what heads it), the subject's own lemma (*the poll shows*, *the report found*), the cue's
    children, what a ``rights`` frame's objects run on into, and whether the sentence quotes."""
    lemma = _lemma(tok)
    kind = "none" if subj is None else (subj.ent_type_ or ("PRON" if subj.pos_ == "PRON" else subj.pos_))
    out = [
        f"L={lemma}|tag={tok.tag_}",
        f"L={lemma}|subj={kind}",
        f"L={lemma}|{frame}|subj={kind}",
        f"L={lemma}|dep={tok.dep_}",
        f"sentq={has_quote_mark(tok.sent.text)}|{frame}",
    ]
    out.extend(f"child={c.dep_}|{frame}" for c in tok.children if not c.is_punct)
    if tok.head != tok:
        out.append(f"L={lemma}|head={tok.head.lemma_.lower()}")
    if subj is not None and subj.pos_ == "NOUN":
        out.append(f"subjL={subj.lemma_.lower()}")
    if span is not None and len(span):
        out.append(f"L={lemma}|first={span[0].lower_ if span[0].is_stop else span[0].pos_}|{frame}")
        head = span.root
        out.append(f"L={lemma}|chead={head.ent_type_ or head.pos_}")
        out.append(f"chead={head.ent_type_ or head.pos_}|{frame}")
        if head.pos_ == "NOUN":  # *released his returns*, *hired a banker* vs *unveiled a plan*
            out.append(f"cL={head.lemma_.lower()}")
    if frame == "rights":  # what the objects run on into: *as* / *of* / *to* complements, or *in* / *during* adjuncts
        rights = _complements(tok)
        out.extend(f"rights={c.dep_}|{c.lower_ if c.dep_ == 'prep' else ''}" for c in rights[1:])
    out.extend(_class_features(tok, frame, kind))
    return out


def _class_features(tok: Token, frame: str, kind: str) -> list[str]:
    """The cue's WordNet classes (plain, with its frame, with its subject's kind; its second sense's class),
    so that what train teaches about frequent cues carries over to a rare one of their class (*implored*
    like *urged*, *resented* like *feared*); ``for_lemma_count`` drops them for a common lemma. The
    classes of the subject noun and of the content's head were tried as well: better held out on train,
    worse on polnear-dev's cue F1 (-0.006), so left out."""
    classes = word_classes(tok)
    if not classes:
        return []
    first = f"{CLASS_FEATURE_PREFIX}={tok.pos_}.{classes[0]}"
    out = [f"{first}|{frame}", first, f"{first}|subj={kind}"]
    out += [f"{CLASS_FEATURE_PREFIX}_any={c}|{frame}" for c in ("communication", "cognition") if c in classes]
    if len(classes) > 1:
        out.append(f"{CLASS_FEATURE_PREFIX}2={tok.pos_}.{classes[1]}|{frame}")
    return out


def dense_features(tok: Token, rng: tuple[int, int]) -> np.ndarray | None:
    """The contextual vectors the pipeline's tok2vec gave the cue, the tokens before and after it and the
    content's head, end to end (None when the doc carries no vectors, e.g. a doc built without tok2vec)."""
    doc = tok.doc
    tensor = doc.tensor
    if tensor is None or tensor.ndim != 2 or tensor.shape[0] != len(doc):
        return None
    span = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    zero = np.zeros(tensor.shape[1], dtype=tensor.dtype)
    root = tensor[span.root.i] if span is not None and len(span) else zero
    before = tensor[tok.i - 1] if tok.i > 0 else zero
    after = tensor[tok.i + 1] if tok.i + 1 < len(doc) else zero
    return np.concatenate([tensor[tok.i], before, after, root])


_DENSE_ARRAYS: dict[int, tuple[list[float], np.ndarray]] = {}  # id of a table's weight list → (list, array)


def _dense_weights(weights: list[float]) -> np.ndarray:
    """A table's dense weights as an array, converted once per table (not once per candidate)."""
    cached = _DENSE_ARRAYS.get(id(weights))
    if cached is None or cached[0] is not weights:  # the list is kept, so its id is not reused
        cached = _DENSE_ARRAYS[id(weights)] = (weights, np.asarray(weights, dtype=np.float64))
    return cached[1]


def _dense_term(tok: Token, rng: tuple[int, int], model: dict[str, Any]) -> float:
    dense = model.get("dense")
    if not dense:
        return 0.0
    vec = dense_features(tok, rng)
    if vec is None or len(vec) != len(dense["weights"]):
        return 0.0
    return float(vec @ _dense_weights(dense["weights"])) + dense["bias"]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def combine(p0: float, feats: list[str], model: dict[str, Any], dense: float = 0.0) -> float:
    """Probability from the lemma prior's log-odds, the context weights and the dense term (logistic)."""
    w = model["weights"]
    z = model["scale"] * _logit(p0) + model["bias"] + sum(w.get(f, 0.0) for f in feats) + dense
    return 1 / (1 + math.exp(-z))


def lemma_prior(tok: Token, frame: str, table: dict[str, Any]) -> float:
    """The cue table's lemma prior alone for ``tok`` in ``frame`` (no context)."""
    hit = table["entries"].get(frame, {}).get(_lemma(tok))
    return prior(hit, table.get("backoff", {}).get(backoff_key(tok, frame)), table)


def score(
    tok: Token,
    frame: str,
    table: dict[str, Any],
    rng: tuple[int, int] | None = None,
    analysis: Any = None,
    nested: bool = False,
) -> float:
    """Probability that ``tok`` is a cue whose content is ``frame``'s (lemma prior, context model);
    ``nested``: the cue stands inside another likely cue's content (``nesting_covers``)."""
    hit = table["entries"].get(frame, {}).get(_lemma(tok))
    p0 = prior(hit, table.get("backoff", {}).get(backoff_key(tok, frame)), table)
    model = table.get("context")
    if not model or rng is None or analysis is None or p0 <= 0:
        return p0
    feats = for_lemma_count(context_features(tok, frame, rng, analysis, nested), hit)
    return combine(p0, feats, model, _dense_term(tok, rng, model))


def for_lemma_count(feats: list[str], hit: list[int] | None) -> list[str]:
    """The context features a cue is scored by, given its ``lemma|frame`` count pair: its WordNet class
    features only while the lemma is rare in that frame (seen fewer than ``COMMON_LEMMA_COUNT`` times in
    train), where its own rate says little. Kept for every lemma, they gained more held out on train but
    pushed a common verb over the cut on the project set (*marked the anniversary*)."""
    if hit is None or hit[1] < COMMON_LEMMA_COUNT:
        return feats
    return [f for f in feats if not f.startswith(CLASS_FEATURE_PREFIX)]


def _dice(text: str, a: tuple[int, int], b: tuple[int, int]) -> float:
    ta = {m.start() for m in _WORD.finditer(text, *a)}
    tb = {m.start() for m in _WORD.finditer(text, *b)}
    return 2 * len(ta & tb) / (len(ta) + len(tb)) if ta and tb else 0.0


def _cue_first(tok: Token) -> int:
    """Index of the cue's first word: its auxiliaries, negation and adverbs just before it, and an adverb of
    such an adverb (*is once again questioning*)."""
    doc, first = tok.doc, tok.i
    while (
        first > tok.sent.start
        and doc[first - 1].dep_ in LEFT_CUE_DEPS
        and (doc[first - 1].head == tok or first <= doc[first - 1].head.i <= tok.i)
    ):
        first -= 1
    return first


def _cue_range(tok: Token, frame: str, content: tuple[int, int] | None = None) -> tuple[int, int]:
    """The cue token with its auxiliaries, negation and adverbs just before it (*has not yet said*, *is once
    again questioning*: PolNeAR's cue spans take them in; +15 cues on polnear-dev), a
    particle (*pointed out*), *to* of *according to*, and the preposition of a ``prep:`` frame
    (*accused … of*)."""
    doc = tok.doc
    first = _cue_first(tok)
    last = tok.i
    for child in tok.children:
        if child.i == last + 1 and (child.dep_ == "prt" or (tok.lower_ == "according" and child.lower_ == "to")):
            last = child.i
        elif (
            frame.startswith("prep:")
            and child.dep_ == "prep"
            and child.lower_ == frame[5:]
            and 0 < child.i - tok.i <= MAX_CUE_GAP
        ):
            last = max(last, child.i)
    if content is not None:
        last = _extend_right(tok, last, content, load_json(CUE_SPANS_FILE)["extend"])
    return doc[first].idx, doc[last].idx + len(doc[last])


def extension_keys(child: Token) -> tuple[str, str]:
    """A right-hand cue child's kinds, specific then general: ``prep|in``, ``prep``. (Keying prepositions
    by their object too, *in a statement* vs *in May*: +15 cue spans on train, -2 on dev; left out.)"""
    return f"{child.dep_}|{child.lower_}", child.dep_


def sourceless_keys(tok: Token) -> tuple[str, ...]:
    """A cue head's kinds for the no-source table, specific first: ``expect|VBD|subj`` (whether the
    parse gives it a subject, its own or an active conjunct's head's: *Mr. Deese expected* vs *is expected
    to*), ``expect|subj``, ``expect|VBD``, ``expect``."""
    lemma = tok.lemma_.lower()
    subj = "subj" if _has_active_subject(tok) else "nosubj"
    return f"{lemma}|{tok.tag_}|{subj}", f"{lemma}|{subj}", f"{lemma}|{tok.tag_}", lemma


def _has_active_subject(tok: Token) -> bool:
    """A subject of its own, or, for an active conjunct, its head's (*Mr. McKinley is bearish … and expects
    them to …*: not the subjectless *is expected to* that makes *expect* mostly sourceless)."""
    if _has_active_subject_of_its_own(tok):
        return True
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    return tok.dep_ == "conj" and not passive and _has_active_subject_of_its_own(tok.head)


def _has_active_subject_of_its_own(tok: Token) -> bool:
    """An active subject (*nsubj*, *csubj*) among the token's own children."""
    return any(c.dep_ in SUBJECT_DEPS for c in tok.children)


def _sourceless(tok: Token) -> bool:
    """True when PolNeAR train mostly gives this cue no source (*seems to*, *is expected to*, *Asked about*)."""
    table = load_json(CUE_SPANS_FILE)["sourceless"]
    for key in sourceless_keys(tok):
        hit = table.get(key)
        if hit and hit[1] >= MIN_EXTENSION_COUNT:
            return hit[0] / hit[1] >= SOURCELESS_RATE
    return False


def _extends(child: Token, table: dict[str, list[int]]) -> bool:
    for key in extension_keys(child):
        hit = table.get(key)
        if hit and hit[1] >= MIN_EXTENSION_COUNT:
            return hit[0] / hit[1] >= EXTEND_RATE
    return False


def _extend_right(tok: Token, last: int, content: tuple[int, int], table: dict[str, list[int]]) -> int:
    """Take in the cue's adjacent right-hand children whose kind PolNeAR's cue spans usually cover
    (*said in a statement*, *pointed out*), stopping at punctuation, a gap, or the content."""
    for child in tok.rights:
        if child.i <= last:
            continue
        lo, hi = child.left_edge, child.right_edge
        if child.is_punct or lo.i != last + 1 or (lo.idx < content[1] and hi.idx + len(hi) > content[0]):
            break
        if not _extends(child, table):
            break
        last = hi.i
    return last


def propose_attributions(
    analysis: Analysis,
    cues: dict[str, Any] | None = None,
    threshold: float | None = None,
    ends: dict[str, Any] | None = None,
) -> tuple[list[AttributionProposal], list[SpeakerEntity]]:
    """Attribution proposals (document order) and the speaker entities their options point to.

    ``cues``: the cue table (default the shipped ``cues.json``); ``ends``: the content-end model
    (default the shipped ``content_ends.json``)."""
    speakers = build_speakers(analysis)
    kept, shared = chosen_contents(analysis, cues, threshold)
    model = load_json(CONTENT_ENDS_FILE) if ends is None else ends
    kept = _cut_trailing(kept, _run_on(kept, analysis, model), analysis, model.get("trim"))
    out: list[AttributionProposal] = []
    speaking: tuple[str, int, int] | None = None  # the last attribution's speaker, content end, cue start
    for p, tok, frame, rng in kept:
        recent = None
        # an attribution quoted inside this one's content (*"My adviser, Ana Diaz, will say …," he said*) is not
        # the speaker going on
        if speaking and rng[0] - speaking[1] <= SPEAKER_CONTINUES_CHARS and not rng[0] <= speaking[2] < rng[1]:
            recent = speaking[:2]
        prop = _proposal(analysis, speakers, p, tok, frame, rng, recent, shared.get(tok.i))
        out.append(prop)
        sid = prop.options[0].speaker_id if prop.options else None
        if speakers.goes_on(sid):
            speaking = (sid, rng[1], prop.cue.start if prop.cue else rng[0])
    return out, speakers.entities


def nesting_covers(
    doc: Doc, frames: dict[int, list[tuple[str, tuple[int, int]]]], table: dict[str, Any]
) -> list[tuple[int, int, int]]:
    """(cue token index, start, end) of every candidate content whose cue's lemma prior alone reaches
    ``NESTING_PRIOR``.

    A cue standing inside such a content is *nested* (*Trump said Clinton wants …*: *wants*). PolNeAR's
    annotators take nested cues far less often than their score without this says (polnear-train, cues
    scored 0.4 to 0.5: 27% of the nested ones are gold cues with that content, 55% of the others), so the
    context model learns a weight for it. The lemma prior, not the full score, decides what covers, so that
    no score depends on another's."""
    return [
        (i, rng[0], rng[1])
        for i, tok_frames in frames.items()
        for frame, rng in tok_frames
        if lemma_prior(doc[i], frame, table) >= NESTING_PRIOR
    ]


def is_nested(i: int, idx: int, covers: list[tuple[int, int, int]]) -> bool:
    """True when the cue token with index ``i`` at character ``idx`` lies inside a content another cue token
    covers (``nesting_covers``); by index and offset, so that the build can ask it of its stored instances."""
    return any(j != i and start <= idx < end for j, start, end in covers)


def nested_features(frame: str) -> tuple[str, str]:
    """The context features of a nested cue in ``frame``."""
    return f"nested|{frame}", "nested"


def chosen_contents(
    analysis: Analysis, cues: dict[str, Any] | None = None, threshold: float | None = None
) -> tuple[list[Found], dict[int, tuple[Token, str]]]:
    """The attributions the cue table chooses, in document order: (probability, cue token, frame, content
    range) each, the content still at its frame's edge; and per coordinated cue token, the (cue, frame)
    whose source it shares."""
    table = cues if cues is not None else load_json(CUES_FILE)
    cut = table.get("threshold", 0.4) if threshold is None else threshold
    text = analysis.text
    quotes = QuoteIndex(analysis)
    found: list[Found] = []  # each cue's best frame
    others: list[Found] = []  # its other frames above the cut
    frames = {tok.i: candidate_frames(tok, quotes) for tok in analysis.doc if is_candidate(tok)}
    covers = nesting_covers(analysis.doc, frames, table)
    for i, tok_frames in frames.items():
        tok = analysis.doc[i]
        nested = is_nested(tok.i, tok.idx, covers)
        scored = [(score(tok, frame, table, rng, analysis, nested), frame, rng) for frame, rng in tok_frames]
        scored = sorted((s for s in scored if s[0] >= cut), key=lambda s: -s[0])  # stable: the first best wins
        if scored:
            found.append((scored[0][0], tok, scored[0][1], scored[0][2]))
            others.extend((p, tok, frame, rng) for p, frame, rng in scored[1:])
    found, shared = _split_nested(found, text)
    kept: list[Found] = []
    taken: set[int] = set()
    # best first: a proposal whose content is much like a kept one's is the same attribution; a cue whose best
    # content went to a better-scored cue may still be the cue of its next (*"A," he said, adding: "B."*:
    # *adding* takes "B", *said* "A"; polnear-dev content F1 +0.001, polnear-train +0.0006)
    for item in sorted(found + others, key=lambda f: -f[0]):
        if item[1].i in taken:
            continue
        a = item[3]  # only contents that overlap can be alike: test that first (cheap), Dice after
        if not any(k[3][0] < a[1] and a[0] < k[3][1] and _dice(text, a, k[3]) >= DUPLICATE_DICE for k in kept):
            kept.append(item)
            taken.add(item[1].i)
    kept.sort(key=lambda f: (f[3][0], f[1].i))
    return kept, shared


def _run_on(kept: list[Found], analysis: Analysis, model: dict[str, Any]) -> list[Found]:
    """Contents the content-end model runs on to the end of their sentence, unless another chosen
    attribution's cue or content lies in the words it would take."""
    out: list[Found] = []
    for item in kept:
        p, tok, frame, rng = item
        rest = sentence_rest(analysis.doc, tok, frame, rng)
        if rest is not None and runs_on(rest[1], model):
            end = rest[0]
            if not any(o is not item and (rng[1] <= o[1].idx < end or rng[1] <= o[3][0] < end) for o in kept):
                rng = (rng[0], end)
        out.append((p, tok, frame, rng))
    return out


def _cut_trailing(
    before: list[Found], kept: list[Found], analysis: Analysis, model: dict[str, Any] | None
) -> list[Found]:
    """Contents ended before a trailing modifier where the learned trim model says so (the cut it is surest
    of); ``before``: the same contents at their frame's edge, before ``_run_on``, one for one."""
    if not model:
        return kept
    out: list[Found] = []
    for (_, _, _, edge), (p, tok, frame, rng) in zip(before, kept, strict=True):
        best: tuple[float, tuple[int, int]] | None = None
        for cut, feats in trailing_cut_ranges(analysis, tok, frame, rng, rng != edge):
            if _words(analysis.text, *cut) < MIN_CONTENT_WORDS:
                continue
            q = probability(feats, model)
            if q > model["cut"] and (best is None or q > best[0]):
                best = (q, cut)
        out.append((p, tok, frame, best[1] if best else rng))
    return out


def trailing_cut_ranges(
    analysis: Analysis, tok: Token, frame: str, rng: tuple[int, int], ran_on: bool
) -> list[tuple[tuple[int, int], list[str]]]:
    """The contents the trim model chooses among for content ``rng``: each cut ``trailing_cuts`` offers, as a
    trimmed range, with its features (the runtime and the build read the same)."""
    cuts = trailing_cuts(analysis.doc, tok, frame, rng, ran_on)
    return [(_trim(analysis.text, rng[0], end), feats) for end, feats in cuts]


def _split_nested(found: list[Found], text: str) -> tuple[list[Found], dict[int, tuple[Token, str]]]:
    """End a content before another cue's attribution that the parse put inside it, so that the two are not
    taken for one (the duplicate test would keep only the better-scored):

    - a cue coordinated into the content, a conjunct verb with no subject of its own and its own content
      after it (*said the deal was dead and warned of strikes*, *refused to release the report or explain
      why …*): it speaks for the first cue's subject;
    - a clause set off by a comma at the content's end that holds a cue of its own: a relative or adverbial
      clause or one with its own subject (*accepting his donations, which he said were …*, *…, though she
      noted …*, *…, citing …*).

    Returns the contents cut and, per coordinated cue token, the (cue, frame) whose source it shares."""
    shared: dict[int, tuple[Token, str]] = {}
    out: list[Found] = []
    starts = [f[1].idx for f in found]  # found is in document order: the cues inside a content by bisection
    for p, tok, frame, rng in found:
        if frame not in SPANNING_FRAMES and frame != "colon":
            inside = found[bisect.bisect_right(starts, rng[0]) : bisect.bisect_left(starts, rng[1])]
            for _, other, _, other_rng in inside:
                if other is tok or not rng[0] < other.idx < rng[1]:
                    continue
                coordinated = _coordinated_start(other, rng, other_rng)
                end = coordinated if coordinated is not None else _aside_start(other, rng)
                if end is None:
                    continue
                cut = _trim(text, rng[0], end)
                if cut[1] < rng[1] and _words(text, *cut) >= MIN_CONTENT_WORDS:
                    rng = cut
                    if coordinated is not None:
                        shared.setdefault(other.i, (tok, frame))
        out.append((p, tok, frame, rng))
    return out, shared


def _coordinated_start(cue: Token, rng: tuple[int, int], cue_content: tuple[int, int]) -> int | None:
    """Where a conjunct cue inside content ``rng`` begins, with its *and* / *or* and a comma before it."""
    if cue.dep_ != "conj" or cue.pos_ != "VERB" or _has_subject(cue) or cue_content[0] <= cue.idx:
        return None
    if not rng[0] <= cue.head.idx < rng[1]:
        return None
    doc = cue.doc
    content = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    if content is None:
        return None
    return doc[_with_coordinator(cue, content.start + 1)].idx  # not back to the content's first word


def _aside_start(cue: Token, rng: tuple[int, int]) -> int | None:
    """Where a clause set off by a comma that holds cue ``cue`` and runs to the end of content ``rng`` begins."""
    doc = cue.doc
    lo, hi = cue.left_edge, cue.right_edge
    if lo.i == 0 or doc[lo.i - 1].text != "," or doc[lo.i - 1].idx <= rng[0]:
        return None
    if hi.idx + len(hi) < rng[1] - 2:  # (up to a closing mark)
        return None
    if not (cue.dep_ in ("relcl", "advcl") or _has_subject(cue)):
        return None
    return doc[lo.i - 1].idx


def _proposal(
    analysis: Analysis,
    speakers: SpeakerIndex,
    p: float,
    tok: Token,
    frame: str,
    rng: tuple[int, int],
    speaking: tuple[str, int] | None = None,
    shared: tuple[Token, str] | None = None,
) -> AttributionProposal:
    """The proposal for cue ``tok`` with its content ``rng``: source, speaker options, kind, cue span.
    ``shared``: the (cue, frame) whose subject this cue shares (*X said … and warned …*)."""
    text = analysis.text
    if frame == "colon":
        src = _colon_source(tok, text)
    elif tok.text in PUNCT_CUES or frame == "signoff":
        src = _dash_source(tok, text)
    else:
        # the parse's subject is the context the cue was learned with; the source goes further
        sourceless = _sourceless(tok)
        subject_of, subject_frame = shared or (tok, frame)
        head = _reporting_verb_subject(subject_of) or source_token(subject_of, subject_frame)
        if head is None and not sourceless:
            head = _controller(subject_of)
        between = None
        if frame == "quote_before" and (head is None or analysis.quote_at(head.idx) is not None):
            # the parser took a word of the quote (or nothing) for the subject: the words between the quote
            # and the cue are the source (*"…," Tulsa police Chief Chuck Jordan said*), else the noun phrase
            # after the cue (*"…," said Jane Doe*)
            between = _between_quote_and_cue(tok, analysis)
            head = None if between else (_inverted_subject(tok) or head)
        if head is None and between is None and not sourceless:
            head = _orphaned_subject(subject_of)
        # a cue PolNeAR mostly leaves sourceless (*Asked about it, …*) still has the source its *by* names
        named = head is not None and head.dep_ == "pobj" and head.head.dep_ == "agent"
        if head is not None and (named or not sourceless):
            src = between or _np_range(head, text, head.i > tok.i)
        else:
            src = between
        if src:  # a source runs up to its cue or its content, not over them (a parse slip joined them)
            stop = min((x for x in (rng[0], tok.doc[_cue_first(tok)].idx) if x > src[0]), default=src[1])
            if stop < src[1]:
                src = _trim(text, src[0], stop)
        if src and rng[0] <= src[0] < rng[1] < src[1]:  # nor back over the quote before it (*"…," Sarandon, 69,*)
            src = _after_punct(tok.doc, rng[1], src[1])
        # a source inside its own content is a parse slip (head and quote frames span the source by design)
        if src and frame not in SPANNING_FRAMES and _dice(text, src, rng) > SOURCE_IN_CONTENT:
            src = None
    kind = "direct" if frame.startswith("quote") else "indirect"
    if kind == "indirect" and analysis.quote_at(rng[0]) is not None and analysis.quote_at(rng[1] - 1) is not None:
        kind = "direct"
    elif kind == "indirect" and has_quote_mark(text[rng[0] : rng[1]]):
        kind = "mixed"
    options = speakers.options(Loc(*src), speaking, Loc(*rng)) if src else [SpeakerOption(None, None)]
    # an ``around`` content holds the cue: the cue span may take in what follows it up to the content's end
    cue = _cue_range(tok, frame, (rng[1], rng[1]) if frame == "around" else rng)
    return AttributionProposal(content=Loc(*rng), cue=Loc(*cue), kind=kind, options=options, confidence=p)
