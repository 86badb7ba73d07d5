"""Claim proposals: the sentences a fact-checker would pick, ranked, with the main-claim candidates.

A claim is a check-worthy assertion about the world in one sentence. Code reads each sentence of
the analysis and drops what is not one: questions, imperatives, fragments and headings, boilerplate
(captions, newsletter and quiz text: ``claims_boilerplate.txt``), and reported acts with no content
(*X condemned the attack*, *TV showed crowds*: ``claims_action_verbs.txt``). What remains gets

- ``checkworthy``: how much there is to check (numbers, named things, a source, a research finding)
  less what makes it opinion or intent (judgement words, a first-person vow in a quote);
- ``main_score``: how likely it is the article's main claim: the lead and the sentences after it
  (skipping hooks addressed to the reader, captions and a summary line the body repeats in full),
  research-finding frames (*a new study shows*), the sentence after a *Conclusion* heading, and the
  overlap with the title when one is given;
- ``text``: the sentence stand-alone, the attribution frame removed (*X said that C* → *C*) and a
  he/she subject replaced by the speaker's name when the attribution names one;
- ``attribution``: the attribution proposal whose content the sentence carries (its speaker is the
  claimer); a finding framed by an unnamed study or team points to the article's principal named
  source instead, the person the article quotes for that finding;
- ``claimer_speaker``: for such a finding, the organisation the sentence itself credits with the research
  (*University X scientists*, *a new report from the WHO*) when it names one, over the principal person;
  for an unattributed sentence, else the named speaker that is its subject (*Kingston University has
  launched …*); for a main claim with none of these, the journal the study appeared in (*published in …*).

Sentences are spaCy's, repaired for news text that was re-joined from tokens: a boundary is added
where a period is glued to the next sentence (*right.A shift*) or a summary line runs into the body
with no period, and removed where a sentence would start in lower case after no final punctuation.
Everything is one pass over the tokens: linear in the article.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extractor.data import load_json, load_words
from extractor.proposals import AttributionProposal, ClaimKind, ClaimProposal, FigureProposal, Loc, SpeakerEntity

if TYPE_CHECKING:
    from spacy.tokens import Token

    from extractor.analysis import Analysis

MIN_WORDS = 6
CLAIM_THRESHOLD = 0.45
DEFAULT_CAP = 10
LEAD_WINDOW = 8  # candidates beyond the first eight get only the finding / conclusion bonuses
POSITION_PRIOR = (1.0, 0.75, 0.6, 0.5, 0.4, 0.32, 0.26, 0.2)
NAMED_ENTS = frozenset(["PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"])
CONTENT_POS = frozenset(["NOUN", "PROPN", "VERB", "ADJ"])
NUMBER_ENTS = frozenset(["CARDINAL", "PERCENT", "MONEY", "QUANTITY", "DATE", "TIME"])
SUBJECT_DEPS = frozenset(["nsubj", "nsubjpass", "csubj", "expl"])
CONTEXT_VERBS = frozenset(["come", "occur", "happen", "arrive", "take"])
FORECAST_VERBS = frozenset(["expect", "anticipate", "forecast", "predict"])
MENTAL_VERBS = frozenset(["know", "feel", "think", "realise", "realize", "believe", "remember"])
FIRST_PERSON = frozenset(["i", "we"])
INDIRECT_QUESTION_WORDS = frozenset(["whether", "if"])  # *if* only after a verb of asking
ASKING_VERBS = frozenset(["ask", "wonder", "question", "inquire", "query"])
SECOND_PERSON = frozenset(["you", "your", "yours", "yourself"])
FINAL_PUNCT = '.?!:;"”’)]'
_GLUED = re.compile(r"(?<=[a-z0-9)\]%][.?!])[\"”’]?(?=[\"“‘]?[A-Z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_OUTSIDE_EXPERT = re.compile(r"\b(?:not|n[’']t)\s+(?:been\s+)?(?:involved|part\s+of|affiliated)", re.IGNORECASE)
_CAPTION = re.compile(r"\b(?:photo|image|picture|pictured|illustration|shown|seen)\b", re.IGNORECASE)


@functools.cache
def _words(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in load_words(name))


@functools.cache
def _boilerplate() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in sorted(load_words("claims_boilerplate.txt"))), re.IGNORECASE)


@functools.cache
def _heading() -> re.Pattern[str]:
    words = sorted(load_words("claims_headings.txt"), key=len, reverse=True)
    return re.compile(r"^\W*(?:" + "|".join(re.escape(w) for w in words) + r")\b[\s:.,]*", re.IGNORECASE)


@functools.cache
def _heading_end() -> re.Pattern[str]:
    """A heading word closing the text before a sentence (*… ventilation. Conclusion* | *The study …*)."""
    words = sorted(load_words("claims_headings.txt"), key=len, reverse=True)
    alts = "|".join(re.escape(w[0].upper() + w[1:]) for w in words)
    return re.compile(r"(?:^|[.!?\]]\s*|\s)(?:" + alts + r")\s*:?\s*$")


@dataclass
class Unit:
    """One repaired sentence: its range, tokens and what code read from them."""

    start: int
    end: int
    tokens: list[Token] = field(default_factory=list)
    index: int = 0
    words: int = 0
    attribution: int | None = None
    in_quote: bool = False
    features: dict[str, float] = field(default_factory=dict)


# --- sentences ---------------------------------------------------------------------------------


def _dek_breaks(analysis: Analysis) -> list[int]:
    """Starts of sentences that follow a line with no final period (a summary line or a heading):
    a capitalised function word or verb right after a lower-case word, outside any name."""
    out = []
    doc = analysis.doc
    for t in doc[1:]:
        p = doc[t.i - 1]
        if not (t.is_title and t.text != "I" and p.is_alpha and p.is_lower and t.ent_iob_ == "O"):
            continue
        if p.pos_ == "ADP" or t.pos_ not in ("DET", "SCONJ", "ADV", "PRON", "VERB", "AUX"):
            continue
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if t.pos_ == "DET" and (nxt is None or nxt.pos_ == "PROPN"):
            continue  # "in The Lancet"
        out.append(t.idx)
    return out


def sentence_units(analysis: Analysis) -> list[tuple[int, int]]:
    """(start, end) of each sentence, spaCy's repaired for glued and unpunctuated boundaries."""
    text = analysis.text
    bounds = {s.start_char for s in analysis.doc.sents}
    bounds |= {m.end() for m in _GLUED.finditer(text)}
    bounds |= set(_dek_breaks(analysis))
    bounds |= {s for s, _ in analysis.paragraphs}
    ordered = sorted(b for b in bounds if 0 <= b < len(text))
    units: list[list[int]] = []
    for i, b in enumerate(ordered):
        e = ordered[i + 1] if i + 1 < len(ordered) else len(text)
        seg = text[b:e]
        if not seg.strip():
            continue
        s = b + len(seg) - len(seg.lstrip())
        e2 = b + len(seg.rstrip())
        if units:
            prev_text = text[units[-1][0] : units[-1][1]]
            first = text[s]
            joined = not prev_text.endswith(tuple(FINAL_PUNCT)) and (first.islower() or first in ",;")
            if joined and not _paragraph_start(analysis, s):
                units[-1][1] = e2
                continue
        units.append([s, e2])
    return [(s, e) for s, e in units]


def _paragraph_start(analysis: Analysis, char: int) -> bool:
    return any(s == char for s, _ in analysis.paragraphs)


# --- features ----------------------------------------------------------------------------------


def _unit_tokens(analysis: Analysis, units: list[tuple[int, int]]) -> list[list[Token]]:
    doc = analysis.doc
    starts = [t.idx for t in doc]
    out = []
    for s, e in units:
        i, j = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        out.append([doc[k] for k in range(i, j)])
    return out


def _roots(tokens: list[Token]) -> list[Token]:
    """Tokens whose head lies outside the unit (or that head themselves): the unit's roots."""
    lo, hi = tokens[0].i, tokens[-1].i
    return [t for t in tokens if t.head.i == t.i or not lo <= t.head.i <= hi]


def _main_verb(tokens: list[Token]) -> Token | None:
    roots = [t for t in _roots(tokens) if t.pos_ in ("VERB", "AUX")]
    return roots[0] if roots else None


def _has_clause(verb: Token) -> bool:
    """Whether a verb (or a verb conjoined to it) takes a clause: the content of a report."""
    for v in (verb, *[c for c in verb.children if c.dep_ == "conj"]):
        if any(c.dep_ in ("ccomp", "xcomp", "parataxis") for c in v.children):
            return True
        if any(c.dep_ == "prep" and any(g.dep_ == "pcomp" and g.pos_ == "VERB" for g in c.children)
               for c in v.children) and v.lemma_.lower() not in _words("claims_action_verbs.txt"):  # fmt: skip
            return True
    return False


def _finding_frame(tokens: list[Token]) -> bool:
    """A research subject with a finding verb (*a new study shows*, *researchers found*), or
    *according to a (new) study / report*."""
    research, finding = _words("claims_research_nouns.txt"), _words("claims_finding_verbs.txt")
    for t in tokens:
        lemma = t.lemma_.lower()
        if t.pos_ == "VERB" and lemma in finding | {"say"}:
            head = t.head if t.dep_ == "conj" else t
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if any(s.lemma_.lower() in research or s.text.lower() in research for s in subj):
                return True
            if lemma in finding and any(s.lower_ == "they" or s.lower_ == "we" for s in subj):
                return True
        if t.lower_ == "according":
            obj = [g for c in t.children for g in c.subtree if g.pos_ in ("NOUN", "PROPN")]
            if any(g.lemma_.lower() in research for g in obj):
                return True
    return False


def _features(analysis: Analysis, unit: Unit, figures: list[FigureProposal]) -> dict[str, float]:
    text = analysis.text
    toks = unit.tokens
    body = text[unit.start : unit.end]
    words = [t for t in toks if t.is_alpha]
    lowers = [t.lower_ for t in toks]
    stripped = body.rstrip("\"”’') ]")
    f: dict[str, float] = {}
    f["question"] = float(stripped.endswith("?"))
    f["boilerplate"] = float(bool(_boilerplate().search(body)))
    f["short"] = float(len(words) < MIN_WORDS)
    verb = _main_verb(toks)
    if f["short"] and len(words) >= MIN_WORDS - 2 and any(t.like_num for t in toks):
        f["short"] = 0.0
    f["no_verb"] = float(verb is None and not any(t.pos_ in ("VERB", "AUX") for t in toks))
    first = next((t for t in toks if t.is_alpha), None)
    f["imperative"] = float(
        verb is not None
        and first is verb
        and verb.tag_ == "VB"
        and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    )
    f["number"] = float(
        any(unit.start <= fp.span.start < unit.end for fp in figures)
        or any(t.ent_type_ in NUMBER_ENTS and (t.like_num or t.is_digit) for t in toks)
    )
    f["entity"] = float(any(t.ent_type_ in NAMED_ENTS for t in toks))
    f["finding"] = float(_finding_frame(toks))
    f["report"] = float(unit.attribution is not None)
    f["quote"] = float(unit.in_quote)
    f["you"] = float(any(lw in SECOND_PERSON for lw in lowers) and not unit.in_quote)
    subj = [c for c in verb.children if c.dep_ in SUBJECT_DEPS] if verb is not None else []
    f["first_person"] = float(
        any(s.lower_ in FIRST_PERSON for s in subj)
        or any(t.lower_ in FIRST_PERSON and t.dep_ in SUBJECT_DEPS and analysis.quote_at(t.idx) for t in toks)
    )
    f["modal_intent"] = float(
        verb is not None
        and any(c.lower_ in ("will", "wo", "cannot", "ca", "can") and c.dep_ == "aux" for c in verb.children)
    )
    f["opinion"] = float(sum(lw in _words("claims_opinion_words.txt") for lw in lowers))
    action = verb is not None and verb.lemma_.lower() in _words("claims_action_verbs.txt")
    f["act_only"] = float(action and not _has_clause(verb) and not f["number"] and not f["finding"])
    before = text[max(0, unit.start - 40) : unit.start]
    f["heading"] = float(
        (bool(_heading().match(body)) and len(words) > MIN_WORDS) or bool(_heading_end().search(before))
    )
    # context, not claim: *the attack comes amid …*; a forecast by a faceless group: *analysts expect …*
    f["context"] = float(verb is not None and verb.lemma_.lower() in CONTEXT_VERBS
                         and any(c.lower_ == "amid" for c in verb.children))  # fmt: skip
    groups = _words("claims_group_sources.txt")
    f["forecast"] = float(verb is not None and verb.lemma_.lower() in FORECAST_VERBS
                          and any(s.lower_ in groups for s in subj))  # fmt: skip
    f["i_felt"] = float(any(t.lemma_.lower() in MENTAL_VERBS and any(c.lower_ in FIRST_PERSON and c.dep_ == "nsubj"
                                                                     for c in t.children) for t in toks))  # fmt: skip
    f["words"] = float(len(words))
    return f


def _checkworthy(f: dict[str, float]) -> float:
    if f["question"] or f["boilerplate"] or f["short"] or f["no_verb"] or f["imperative"] or f["act_only"]:
        return 0.0
    score = 0.45 + 0.2 * f["number"] + 0.1 * f["entity"] + 0.1 * f["report"] + 0.15 * f["finding"]
    score -= 0.12 * min(f["opinion"], 2.0) + 0.15 * f["you"]
    if f["first_person"] and (not f["number"] or f["i_felt"]) and not f["finding"]:
        score -= 0.3
    score -= 0.15 * f["context"] + 0.35 * f["forecast"]
    if f["quote"] and f["modal_intent"] and not f["number"]:
        score -= 0.1
    return round(max(0.0, min(1.0, score)), 4)


# --- attribution links, stand-alone text ---------------------------------------------------------


def _asks(analysis: Analysis, a: AttributionProposal) -> bool:
    """True when the attribution reports a question (*asked whether …*, *wondered if …*), not an assertion
    (*said if the deal fails, prices will rise* is a statement)."""
    first = _WORD.search(analysis.text, a.content.start, a.content.end)
    if first is None or first.group().lower() not in INDIRECT_QUESTION_WORDS:
        return False
    cue = analysis.doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand") if a.cue else None
    return first.group().lower() == "whether" or (cue is not None and cue.root.lemma_.lower() in ASKING_VERBS)


def _link(unit: Unit, attributions: list[AttributionProposal], questions: set[int]) -> int | None:
    """The attribution whose content covers most of the sentence (its cue in or next to it); not one of
    ``questions``, those that report a question (*Asked whether …, the mayor said …*: the claim is what was
    said)."""
    best, best_cover = None, 0.0
    length = max(1, unit.end - unit.start)
    for i, a in enumerate(attributions):
        if i in questions:
            continue
        lo, hi = max(unit.start, a.content.start), min(unit.end, a.content.end)
        if hi <= lo:
            continue
        cover = (hi - lo) / length
        cue_inside = a.cue is not None and unit.start <= a.cue.start < unit.end
        if not cue_inside and cover < 0.6:
            continue
        if cover > best_cover:
            best, best_cover = i, cover
    return best if best_cover >= 0.3 else None


def _speaker_name(a: AttributionProposal, speakers: dict[str, SpeakerEntity], text: str) -> str | None:
    if not a.options:
        return None
    opt = a.options[0]
    if opt.speaker_id and opt.speaker_id in speakers and speakers[opt.speaker_id].named:
        return speakers[opt.speaker_id].name
    return text[opt.mention.start : opt.mention.end] if opt.mention else None


def standalone(analysis: Analysis, unit: Unit, a: AttributionProposal | None, speaker: str | None) -> str:
    """The sentence without its attribution frame, a he/she subject replaced by the speaker."""
    text = analysis.text
    start, end = unit.start, unit.end
    # an infinitive content (*urged residents | to stay home*) is a request or a plan, not a statement of its own:
    # the sentence keeps its frame
    infinitive = a is not None and text[a.content.start : a.content.start + 3].lower() == "to "
    if a is not None and a.kind != "direct" and a.cue is not None and unit.start <= a.cue.start < unit.end:
        lo, hi = max(unit.start, a.content.start), min(unit.end, a.content.end)
        if hi - lo >= 0.3 * (unit.end - unit.start) and not infinitive:
            start, end = lo, hi
    elif a is not None and a.kind == "direct":
        lo, hi = max(unit.start, a.content.start), min(unit.end, a.content.end)
        if a.cue is not None and lo < a.cue.start < hi:  # a quote broken by its cue: the claim ends with the quote
            close = max(text.rfind(q, lo, a.cue.start) for q in '"”')
            hi = close + 1 if close > lo else hi
        if hi > lo:
            start, end = lo, hi
    out = text[start:end].strip().strip('"“”‘’').strip()
    out = re.sub(r"^(?:that|and|but)\s+", "", out, flags=re.IGNORECASE)
    out = _heading().sub("", out) if len(out.split()) > MIN_WORDS else out
    if speaker:
        out = re.sub(r"^(?:He|She|he|she)\b", speaker, out)
    out = out.rstrip(" ,;:")
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    if out and out[-1] not in ".?!":
        out += "."
    return out


def _principal_speaker(
    attributions: list[AttributionProposal], speakers: dict[str, SpeakerEntity], text: str = ""
) -> int | None:
    """The first attribution of the article's principal named person: one introduced in a research role
    (*lead author*, *study leader*, *researcher*: the role or the words around a mention) first, then
    the most quoted (a bare surname the article quotes counts for the person), the first quoted last."""
    counts: dict[str, list[int]] = {}
    # named in full, or introduced with a role (*Luthey-Schulten, a chemistry professor*): not a bare surname
    persons = {sid: s for sid, s in speakers.items() if s.kind == "person" and (len(s.name.split()) > 1 or s.role)}
    surname = {s.name.split()[-1].lower(): sid for sid, s in persons.items()}
    for i, a in enumerate(attributions):
        if not a.options or a.options[0].speaker_id not in speakers:
            continue
        ent = speakers[a.options[0].speaker_id]
        if not ent.named:
            continue
        sid = ent.id if ent.id in persons else surname.get(ent.name.lower()) if " " not in ent.name else None
        if sid is not None:
            counts.setdefault(sid, []).append(i)
    if not counts:
        return None

    def weight(sid: str) -> tuple[bool, int, int]:
        own = [i for i in counts[sid] if attributions[i].options[0].speaker_id == sid]
        return (_research_role(persons[sid], text), len(counts[sid]), -(own or counts[sid])[0])

    best = max(counts, key=weight)
    own = [i for i in counts[best] if attributions[i].options[0].speaker_id == best]
    return (own or counts[best])[0]


def _around(text: str, start: int, end: int) -> str:
    """The words right around a mention, within its sentence: a few before, an appositive's worth after."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 30]
    return before.rsplit(". ", 1)[-1] + text[start:end] + after.split(". ", 1)[0]


def _research_role(s: SpeakerEntity, text: str) -> bool:
    """A person the article introduces as a study's author, researcher or leader (role, or the words
    right around a mention: *lead researcher Dr. Ada Moe*, *Ada Moe, senior author of the study*)."""
    roles = _words("claims_research_nouns.txt") | _words("claims_research_roles.txt")
    near = " ".join([s.role or ""] + [_around(text, m.start, m.end) for m in s.mentions[:3]])
    if _OUTSIDE_EXPERT.search(near):  # *a researcher who was not involved in the study*: comments on it
        return False
    return any(w.lower() in roles or w.lower().rstrip("s") in roles for w in _WORD.findall(near))


def _unnamed_research_source(a: AttributionProposal | None, analysis: Analysis,
                             speakers: dict[str, SpeakerEntity]) -> bool:  # fmt: skip
    """No source, or one that names no one in particular: *a new study*, *researchers*, *experts*, or no
    name at all (a pronoun, *that*, a common noun phrase read as the source)."""
    if a is None or not a.options:
        return True
    opt = a.options[0]
    if opt.speaker_id is not None and opt.speaker_id in speakers and speakers[opt.speaker_id].kind == "person":
        return False
    if opt.mention is None:
        return True
    words = {w.lower() for w in _WORD.findall(analysis.text[opt.mention.start : opt.mention.end])}
    nouns = _words("claims_research_nouns.txt") | _words("claims_group_sources.txt")
    if any(w in nouns or w.rstrip("s") in nouns for w in words):
        return True
    span = analysis.doc.char_span(opt.mention.start, opt.mention.end, alignment_mode="expand")
    return span is not None and not any(t.ent_type_ in NAMED_ENTS or t.pos_ == "PROPN" for t in span)


def _research_org(analysis: Analysis, unit: Unit, speakers: dict[str, SpeakerEntity]) -> str | None:
    """The organisation the sentence credits with the research, as a speaker id: one named with a research
    noun (*University X scientists*, *a new NASA study*) or after one (*a new report from the WHO*,
    *researchers at University X*)."""
    research = _words("claims_research_nouns.txt")
    doc = analysis.doc

    def is_research(t: Token) -> bool:
        return t.lemma_.lower() in research or t.lower_ in research

    for ent in doc.ents:
        if ent.label_ != "ORG" or not unit.start <= ent.start_char < unit.end:
            continue
        after = doc[ent.end] if ent.end < len(doc) else None
        credited = after is not None and is_research(after)
        prep = doc[ent.start - 1] if ent.start > 0 else None
        if prep is not None and prep.lower_ in ("from", "at", "by") and is_research(prep.head):
            credited = True
        if not credited:
            continue
        for sid, sp in speakers.items():
            if sp.kind in ("organisation", "group") and any(
                ent.start_char <= m.start < ent.end_char for m in sp.mentions
            ):
                return sid
    return None


def _subject_speaker(unit: Unit, speakers: dict[str, SpeakerEntity]) -> str | None:
    """The named speaker an unattributed sentence is about as its actor (*Kingston University has launched
    a project …*): the subject of its main verb, when that subject's head word is a speaker's mention (not
    a name inside it: *half of U.S. adults*)."""
    verb = _main_verb(unit.tokens) if unit.tokens else None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb else None
    if subj is None:
        return None
    for sid, sp in speakers.items():
        if sp.named and any(m.start <= subj.idx < m.end for m in sp.mentions):
            return sid
    return None


_VENUE_CUE = frozenset(["published", "presented", "posted", "appears", "appeared", "reported"])


def _venue(analysis: Analysis, speakers: dict[str, SpeakerEntity]) -> str | None:
    """The journal the article's study appeared in, as a speaker id: the first named organisation or work
    right after *published / presented / posted in (the) …*."""
    doc = analysis.doc
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "WORK_OF_ART"):
            continue
        before = [t.lower_ for t in doc[max(0, ent.start - 4) : ent.start]]
        if not before or not any(w in _VENUE_CUE for w in before) or not {"in", "to"} & set(before[-2:]):
            continue
        for sid, sp in speakers.items():
            if sp.kind in ("organisation", "group") and any(
                ent.start_char <= m.start < ent.end_char for m in sp.mentions
            ):
                return sid
    return None


# --- main claim ----------------------------------------------------------------------------------


def _bag(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 3}


def main_features(units: list[Unit], analysis: Analysis, title: str | None) -> list[dict[str, float]]:
    """What the main-claim score reads, for each candidate unit (those with a check-worthiness), in text order.

    Position among the candidates (a summary line the body restates in full steps back, its restatement
    takes its place), the research-finding frame, a study-report lead (*a study published in …*), an
    attribution, a number, a quote, a line after a heading, centrality (how much of the sentence's content
    the rest of the article repeats, relative to the article's most central sentence), overlap with the
    title, and what speaks against: a hook to the reader, a caption, a short line, judgement words."""
    cands = [u for u in units if u.features.get("cw", 0.0) > 0.0]
    text = analysis.text
    bags = [_bag(text[u.start : u.end]) for u in cands]
    demoted: set[int] = set()
    promoted: dict[int, int] = {}
    for i in range(min(len(cands), LEAD_WINDOW)):
        for j in range(i + 1, min(len(cands), LEAD_WINDOW + 2)):
            a, b = bags[i], bags[j]
            if not a or not b or len(a & b) / min(len(a), len(b)) < 0.8:
                continue
            if cands[j].features["words"] > cands[i].features["words"] + 2:
                demoted.add(i)
                promoted[j] = i
            else:
                demoted.add(j)
    title_bag = _bag(title) if title else set()
    caption_end = _caption_end(units, cands, text)
    central = _centrality(units, cands)
    top_central = max(central, default=0.0) or 1.0
    after_heading = -10
    out = []
    for k, u in enumerate(cands):
        f = u.features
        rank = promoted.get(k, k)
        heading = bool(f["heading"])
        if heading:
            after_heading = k
        out.append({
            "prior": POSITION_PRIOR[rank] if rank < LEAD_WINDOW else 0.1,
            "first": float(rank == 0),
            "finding_early": f["finding"] * float(rank < 4),
            "finding": f["finding"],
            "study_lead": float(_study_lead(u.tokens)),
            "report": f["report"],
            "number": f["number"],
            "quote": f["quote"],
            "you": f["you"],
            "demoted": float(k in demoted),
            "caption": float(k < caption_end),
            "short": float(f["words"] < 10),
            "opinion": min(f["opinion"], 2.0),
            "heading": float(heading),
            "after_heading": float(not heading and 0 < k - after_heading <= 2),
            "dek": float(_dek_label(text[u.start : u.end])),
            "central": central[k] / top_central,
            "title": len(title_bag & bags[k]) / len(title_bag) if title_bag else 0.0,
        })  # fmt: skip
    return out


@functools.cache
def _main_weights() -> dict[str, float]:
    return {k: float(v) for k, v in load_json("claims_main_weights.json")["weights"].items()}


def main_score(feats: dict[str, float], weights: dict[str, float] | None = None) -> float:
    w = _main_weights() if weights is None else weights
    return round(sum(w.get(k, 0.0) * v for k, v in feats.items()), 4)


def _main_scores(units: list[Unit], analysis: Analysis, title: str | None) -> None:
    """Set ``features['main']`` on every candidate unit (those with a check-worthiness)."""
    cands = [u for u in units if u.features.get("cw", 0.0) > 0.0]
    for u, feats in zip(cands, main_features(units, analysis, title), strict=True):
        u.features["main"] = main_score(feats)


def _study_lead(tokens: list[Token]) -> bool:
    """A sentence that reports a study as news: a research noun and where it was published
    (*a study published in the journal …*, *researchers report in …*)."""
    body = " ".join(t.text for t in tokens)
    research = _words("claims_research_nouns.txt")
    return any(t.lemma_.lower() in research for t in tokens) and bool(_study_lead_pattern().search(body))


@functools.cache
def _study_lead_pattern() -> re.Pattern[str]:
    """'<published|reported…> … in <the journal…>' (``claims_study_lead.txt``: one regex a line, joined by |)."""
    return re.compile("|".join(sorted(load_words("claims_study_lead.txt"))), re.IGNORECASE)


def _dek_label(body: str) -> bool:
    """A summary line under a short label (*In brief: …*, *Key points: …*): a teaser the body restates."""
    m = re.match(r"^\W*([A-Z][\w ]{0,20}?):\s", body)
    return bool(m) and len(m.group(1).split()) <= 3 and not any(ch.isdigit() for ch in m.group(1))


def _centrality(units: list[Unit], cands: list[Unit]) -> list[float]:
    """For each candidate: the mean, over its distinct content lemmas, of log(1 + the number of other
    sentences that use the lemma), damped for very short sentences."""
    import math

    def lemmas(u: Unit) -> set[str]:
        return {t.lemma_.lower() for t in u.tokens if t.pos_ in CONTENT_POS and t.is_alpha and not t.is_stop
                and len(t.text) > 2}  # fmt: skip

    sets = [lemmas(u) for u in units]
    df: dict[str, int] = {}
    for s in sets:
        for w in s:
            df[w] = df.get(w, 0) + 1
    by_start = {u.start: s for u, s in zip(units, sets, strict=True)}
    out = []
    for u in cands:
        mine = by_start.get(u.start, set())
        total = sum(math.log1p(df[w] - 1) for w in mine)
        out.append(total / (len(mine) + 3))
    return out


def _caption_end(units: list[Unit], cands: list[Unit], text: str) -> int:
    """Sentences before a photo credit line near the top are its caption: the number of candidates
    that come before the credit."""
    for k, u in enumerate(units[: LEAD_WINDOW + 2]):
        m = re.search(r"\bcredit\b", text[u.start : u.end], re.IGNORECASE)
        if m:
            # the caption's own words, not a credit label's (*Image Credit: …* under a study title is no caption)
            before = " ".join([*(text[v.start : v.end] for v in units[:k]), text[u.start : u.start + m.start()]])
            before = re.sub(r"\b(?:image|photo|picture)\s*$", "", before, flags=re.IGNORECASE)
            return sum(1 for c in cands if c.start < u.start) if _CAPTION.search(before) else 0
    return 0


# --- entry points --------------------------------------------------------------------------------


def _kind(f: dict[str, float], unit: Unit, analysis: Analysis) -> ClaimKind:
    if f["quote"]:
        return "quote"
    if f["number"]:
        return "statistic"
    if any(t.lower_ in ("will", "would") and t.dep_ == "aux" for t in unit.tokens):
        return "prediction"
    if f["opinion"]:
        return "opinion"
    return "fact"


def _units(analysis: Analysis, attributions: list[AttributionProposal], figures: list[FigureProposal]) -> list[Unit]:
    """Every repaired sentence with its attribution link, features and check-worthiness (``cw``)."""
    spans = sentence_units(analysis)
    toks = _unit_tokens(analysis, spans)
    questions = {i for i, a in enumerate(attributions) if _asks(analysis, a)}
    units = []
    for k, ((s, e), ts) in enumerate(zip(spans, toks, strict=True)):
        if not ts:
            continue
        u = Unit(s, e, ts, index=k)
        q = analysis.quote_at(s + (1 if analysis.text[s] in '"“' else 0))
        u.in_quote = q is not None and q.inner_start <= s + 1 and q.inner_end >= e - 2
        u.attribution = _link(u, attributions, questions)
        u.features = _features(analysis, u, figures)
        u.features["cw"] = _checkworthy(u.features)
        units.append(u)
    return units


def main_feature_table(
    analysis: Analysis,
    attributions: list[AttributionProposal] | None = None,
    figures: list[FigureProposal] | None = None,
    title: str | None = None,
) -> list[tuple[Loc, dict[str, float]]]:
    """Each main-claim candidate's evidence and the features ``main_score`` weighs (for fitting the weights)."""
    units = _units(analysis, attributions or [], figures or [])
    cands = [u for u in units if u.features["cw"] > 0.0]
    return [(Loc(u.start, u.end), f) for u, f in zip(cands, main_features(units, analysis, title), strict=True)]


def propose_claims(
    analysis: Analysis,
    attributions: list[AttributionProposal] | None = None,
    figures: list[FigureProposal] | None = None,
    *,
    speakers: list[SpeakerEntity] | None = None,
    title: str | None = None,
) -> list[ClaimProposal]:
    """Every assertion of the article (a sentence that is not a question, fragment, boilerplate or bare
    act) with its check-worthiness and main score, most check-worthy first. ``select_claims`` keeps the
    claims (check-worthiness over ``CLAIM_THRESHOLD``); the main claim may be any of them."""
    attributions = attributions or []
    figures = figures or []
    by_id = {s.id: s for s in speakers or []}
    units = _units(analysis, attributions, figures)
    _main_scores(units, analysis, title)
    principal = _principal_speaker(attributions, by_id, analysis.text)
    cands = [u for u in units if u.features["cw"] > 0.0]
    top = max(cands, key=lambda u: (u.features["main"], -u.start), default=None)
    out = []
    for u in units:
        f = u.features
        if f["cw"] <= 0.0:
            continue
        a = attributions[u.attribution] if u.attribution is not None else None
        speaker = _speaker_name(a, by_id, analysis.text) if a is not None else None
        link, direct = u.attribution, None
        credited = f["finding"] or u is top
        if credited and _unnamed_research_source(a, analysis, by_id):
            direct = _research_org(analysis, u, by_id)
            if direct is None and a is None:
                direct = _subject_speaker(u, by_id)
            if (
                direct is None
                and principal is not None
                and _research_role(by_id[attributions[principal].options[0].speaker_id or ""], analysis.text)
            ):
                link = principal  # the study's lead researcher, not just the most quoted person
            elif direct is None and u is top:
                direct = _venue(analysis, by_id)
        out.append(
            ClaimProposal(
                evidence=Loc(u.start, u.end),
                text=standalone(analysis, u, a, speaker),
                kind=_kind(f, u, analysis),
                checkworthy=f["cw"],
                main_score=f["main"],
                attribution=link,
                claimer_speaker=direct,
            )
        )
    out.sort(key=lambda c: (-c.checkworthy, c.evidence.start))
    return out


def main_candidates(proposals: list[ClaimProposal], k: int = 3) -> list[ClaimProposal]:
    """The top ``k`` proposals by main score (ties: earlier first), for a chooser to pick among."""
    return sorted(proposals, key=lambda c: (-c.main_score, c.evidence.start))[:k]


def select_claims(
    proposals: list[ClaimProposal], cap: int | None = DEFAULT_CAP, threshold: float = CLAIM_THRESHOLD
) -> list[ClaimProposal]:
    """The ``cap`` most check-worthy proposals at or over ``threshold`` (all of them when ``cap`` is None),
    most check-worthy first.

    The top main candidate is always kept (it replaces the least check-worthy one when the cap is full).
    """
    ranked = sorted(
        (c for c in proposals if c.checkworthy >= threshold), key=lambda c: (-c.checkworthy, c.evidence.start)
    )
    chosen = ranked if cap is None else ranked[:cap]
    top = main_candidates(proposals, 1)
    if top and top[0] not in chosen and cap:
        chosen = chosen[:-1] + top
    return chosen
