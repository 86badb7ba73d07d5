"""Speaker entities: who the article's sources are, across the whole article.

An entity is a named person or organisation (spaCy's PERSON / ORG / NORP / GPE entities) whose
canonical name is its fullest mention (*Hillary Clinton* for a later *Clinton*); its role is the
title words written before a mention (*White House spokesman*). A source mention is resolved to
an entity when it names one, or through a pronoun (*he* → the last person mentioned before it, as
far back as the article goes), or a definite description (*the spokesman* → the last person given
that role; *the company* → the last organisation). Unnamed sources (*officials*, *a source close
to …*) stay unnamed: their option has no entity.

Word lists: ``titles.txt``, ``unnamed_sources.txt``, ``organisation_nouns.txt`` in ``extractor/data``.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from extractor.data import load_words
from extractor.proposals import Loc, SpeakerEntity, SpeakerKind, SpeakerOption

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from extractor.analysis import Analysis

PERSON_PRONOUNS = frozenset("he she him her i we".split())
GROUP_PRONOUNS = frozenset("it they them".split())
ENTITY_LABELS = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "organisation"}
MAX_OPTIONS = 3


def _clean_name(span: Span) -> str:
    toks = [t for t in span if t.dep_ != "case" and t.text not in ("'s", "’s", "'", "’")]
    while toks and toks[0].lower_ in ("the", "a", "an"):
        toks = toks[1:]
    return " ".join(t.text for t in toks).strip()


class SpeakerIndex:
    """Entities of one article, and the resolution of a source mention to them."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.titles = load_words("titles.txt")
        self.unnamed = load_words("unnamed_sources.txt")
        self.org_nouns = load_words("organisation_nouns.txt")
        self.entities: list[SpeakerEntity] = []
        self._by_name: dict[str, SpeakerEntity] = {}
        self._by_part: dict[str, SpeakerEntity] = {}  # last name / first name → latest entity
        self._mentions: list[tuple[int, int, SpeakerEntity]] = []  # (start, end, entity) in text order
        self._ent_at: dict[int, SpeakerEntity] = {}  # token index → entity
        for ent in analysis.doc.ents:
            kind = ENTITY_LABELS.get(ent.label_)
            if kind is None:
                continue
            name = _clean_name(ent)
            if not name or not any(c.isalpha() for c in name):
                continue
            entity = self._entity_for(name, kind)
            self._add_mention(entity, ent)
        self._starts = [m[0] for m in self._mentions]

    def _entity_for(self, name: str, kind: str) -> SpeakerEntity:
        key = name.lower()
        if key in self._by_name:
            return self._by_name[key]
        parts = key.split()
        if kind == "person" and len(parts) == 1 and key in self._by_part:
            return self._by_part[key]
        if kind == "person" and len(parts) > 1:
            # a fuller name for an entity first seen by its last name only keeps the entity
            prior = self._by_part.get(parts[-1])
            if prior is not None and len(prior.name.split()) == 1:
                prior.name = name
                self._by_name[key] = prior
                return prior
        entity = SpeakerEntity(id=f"s{len(self.entities) + 1}", name=name, kind=kind)  # type: ignore[arg-type]
        self.entities.append(entity)
        self._by_name[key] = entity
        if kind == "person":
            self._by_part[parts[-1]] = entity
            if len(parts) > 1:
                self._by_part.setdefault(parts[0], entity)
        return entity

    def _add_mention(self, entity: SpeakerEntity, ent: Span) -> None:
        loc = Loc(ent.start_char, ent.end_char)
        entity.mentions.append(loc)
        self._mentions.append((loc.start, loc.end, entity))
        for t in ent:
            self._ent_at[t.i] = entity
        role = self._role_before(ent)
        if role and (entity.role is None or len(role) > len(entity.role)):
            entity.role = role

    def _role_before(self, ent: Span) -> str | None:
        """Title words written right before a name: *White House spokesman* John Kirby."""
        doc = ent.doc
        i = ent.start
        start = i
        while start > ent.sent.start and (
            doc[start - 1].lower_ in self.titles or doc[start - 1].ent_type_ in ("ORG", "GPE", "NORP")
        ):
            start -= 1
        if start == i or not any(doc[j].lower_ in self.titles for j in range(start, i)):
            return None
        return doc[start:i].text

    # --- resolution ---------------------------------------------------------------------------

    def _previous(self, before: int, kinds: tuple[SpeakerKind, ...]) -> list[SpeakerEntity]:
        """Entities of ``kinds`` by last mention before char ``before``, most recent first."""
        out: list[SpeakerEntity] = []
        j = bisect.bisect_left(self._starts, before) - 1
        while j >= 0 and len(out) < MAX_OPTIONS:
            entity = self._mentions[j][2]
            if entity.kind in kinds and all(e.id != entity.id for e in out):
                out.append(entity)
            j -= 1
        return out

    def _head(self, loc: Loc) -> Token | None:
        span = self.analysis.doc.char_span(loc.start, loc.end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def options(self, mention: Loc) -> list[SpeakerOption]:
        """Speaker candidates for a source mention, best first (an unnamed source: no entity)."""
        doc = self.analysis.doc
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span):
            return [SpeakerOption(None, mention)]
        named = [self._ent_at[t.i] for t in span if t.i in self._ent_at]
        root = span.root
        if root.i in self._ent_at:
            named.insert(0, self._ent_at[root.i])
        # the head noun is a name: that entity (an organisation inside "a source at X" is not the speaker)
        if named and (root.i in self._ent_at or root.pos_ == "PROPN" or root.lower_ in self.titles):
            ordered = _unique(named)
            return [SpeakerOption(e.id, mention) for e in ordered[:MAX_OPTIONS]]
        low = root.lower_
        if low in PERSON_PRONOUNS and root.pos_ == "PRON":
            cands = self._previous(mention.start, ("person",))
        elif low in GROUP_PRONOUNS and root.pos_ == "PRON":
            cands = self._previous(mention.start, ("organisation", "group"))
        elif low in self.unnamed or root.tag_ in ("NNS",) and low not in self.titles:
            return [SpeakerOption(None, mention)]
        elif low in self.titles and any(t.lower_ == "the" for t in root.lefts):
            cands = [e for e in self._previous(mention.start, ("person",)) if e.role and low in e.role.lower()]
            cands += self._previous(mention.start, ("person",))
        elif low in self.org_nouns and any(t.lower_ == "the" for t in root.lefts):
            cands = self._previous(mention.start, ("organisation",))
        elif named:
            cands = named
        else:
            return [SpeakerOption(None, mention)]
        ordered = _unique(cands)[:MAX_OPTIONS]
        return [SpeakerOption(e.id, mention) for e in ordered] or [SpeakerOption(None, mention)]

    def name_of(self, speaker_id: str | None) -> str | None:
        for e in self.entities:
            if e.id == speaker_id:
                return e.name
        return None


def _unique(entities: list[SpeakerEntity]) -> list[SpeakerEntity]:
    seen: set[str] = set()
    out = []
    for e in entities:
        if e.id not in seen:
            seen.add(e.id)
            out.append(e)
    return out


def build_speakers(analysis: Analysis) -> SpeakerIndex:
    """The article's speaker index (entities with canonical names, roles and mentions)."""
    return SpeakerIndex(analysis)
