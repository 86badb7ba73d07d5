"""Speaker entities: who the article's sources are, across the whole article.

An entity is a named person or organisation (spaCy's PERSON / ORG / NORP / GPE entities) whose
canonical name is its fullest mention (*Hillary Clinton* for a later *Clinton*); its role is the
title words written before a mention (*White House spokesman*). A source mention is resolved to
an entity when it names one, or through a pronoun (*he* → the last person mentioned before it, as
far back as the article goes), or a definite description (*the spokesman* → the last person given
that role; *the company* → the last organisation). Unnamed sources (*officials*, *a spokesperson
for the minister*) are not given a name: each becomes an entity of kind ``unnamed`` called by its
description, so that every attribution links to a speaker and *the spokesperson* later in the
article goes back to that source, not to the last person named. Pronouns that resolve to no one
have no entity.

A person's gender, which a *he* / *she* must agree with, comes from ``genders.py``.

Word lists: ``titles.txt``, ``unnamed_sources.txt``, ``organisation_nouns.txt``, ``organisation_name_ends.txt``,
``partitive_nouns.txt``, ``relation_nouns.txt``, ``title_equivalents.json`` in ``extractor/data``; a noun's
WordNet class (``word_classes.py``) tells a person noun (*nurse*) beside a name the recogniser took for a body.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from extractor.analysis import hyphen_joined, noun_clauses
from extractor.data import load_json, load_words
from extractor.proposals import Loc, SpeakerEntity, SpeakerKind, SpeakerOption
from extractor.proposals.genders import (
    HONORIFIC_GENDER,
    PRONOUN_GENDER,
    census_genders,
    first_name_gender,
    first_name_genders,
    person_genders,
)
from extractor.proposals.word_classes import word_classes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from extractor.analysis import Analysis

# possessives too: *his claims*, *their view*
PERSON_PRONOUNS = frozenset(["he", "she", "him", "her", "his", "i", "we", "me", "us", "my", "our"])
FIRST_PERSON = frozenset(["i", "we", "me", "us", "my", "our"])
GROUP_PRONOUNS = frozenset(["it", "they", "them", "its", "their"])
PLURAL_PRONOUNS = frozenset(["they", "them", "their"])
OWNER_PRONOUNS = frozenset(["his", "her"])  # a person's pronoun before a body (*his office*): that person's
ENTITY_LABELS = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "organisation"}
MAX_OPTIONS = 3
NAME_JOINERS = frozenset(["of", "and", "&", "for", "the", "de", "du", "la"])  # lower-case words inside a name
GROUP_PREFIX = 6  # group words compare by their first letters: *Democrat* / *Democratic*
MAX_LOOKBACK = 4
MAX_LOOKBACK_FOR_GENDER = 10  # people looked back over for one of a pronoun's gender when the last 4 are all not
MAX_ANTECEDENT_STEPS = 3  # nouns tried for a relative pronoun: the one its clause modifies and two it hangs from
PERSON_RELATIVES = frozenset(["who", "whom"])
AGE_DESCRIPTION = re.compile(r"the\s+(?:\w+-)?\w+[- ]year[- ]old\b", re.IGNORECASE)
CODE_NAME = re.compile(r"\b[A-Za-z]+-\d+\b")  # *COVID-19*, *F-35*: tagged PERSON at times
MAX_AGE = 120  # *Name, 45,*: a number below this set off by commas after a name is the person's age
POSSESSIVES = frozenset(["'s", "’s", "'", "’"])
NAME_PARTICLES = load_words("name_particles.txt")  # *de* Villa, *van der* Berg: part of the surname
# tags no word of a person's name has (a verb, determiner, conjunction, preposition, adverb; not MD: *Will* Doyle)
NOT_NAME_TAGS = frozenset(["VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "DT", "PDT", "CC", "IN", "RB", "WDT", "WP"])


def _name_tokens(span: Span) -> list[Token]:
    """A name's tokens less its possessive marks (*Nordline Rail's* → *Nordline Rail*)."""
    return [t for t in span if t.dep_ != "case" and t.text not in POSSESSIVES]


def _clean_name(span: Span) -> str:
    toks = _name_tokens(span)
    while toks and toks[-1].pos_ in ("VERB", "AUX"):  # a headline's verb glued to the name (*Obama Says*)
        toks = toks[:-1]
    while toks and toks[-1].is_quote:  # *Marcia "*Cia" Price: the recogniser stopped at a nickname's quote
        toks = toks[:-1]
    abbreviated = load_words("title_abbreviations.txt")  # *Insp.* Maria Santos: a title the recogniser took in
    while toks and (toks[0].lower_ in ("the", "a", "an") or toks[0].text in abbreviated):
        toks = toks[1:]
    toks = toks[_titles_taken_in(span) :] if span.label_ == "PERSON" else toks
    # a headline's or a sentence's first word the recogniser took into a person's name (*Asserting Clinton*)
    person = span.label_ == "PERSON"
    while person and len(toks) > 1 and toks[0].tag_ in NOT_NAME_TAGS and toks[0].lower_ not in NAME_PARTICLES:
        toks = toks[1:]
    if not toks:
        return ""
    kept = {t.i for t in toks}
    # the words as written, so that *Holtz-Eakin* and *Ki-moon* stay one word (the tokenizer splits at hyphens);
    # a dropped possessive keeps its space (*Ontario Nurses' Association*, not *NursesAssociation*)
    words = "".join(t.text_with_ws if t.i in kept else t.whitespace_ for t in span.doc[toks[0].i : toks[-1].i + 1])
    return " ".join(words.split())


def _titles_taken_in(ent: Span) -> int:
    """How many title words a person's name starts with that the recogniser took in (*Coroner* Dirk Huyer,
    *Bishop* Desmond Tutu): capitalised words of ``titles.txt`` followed by at least two words of the name (not
    *Dean* Baquet nor *Dean* Van Horn, a first name: the words are counted with a surname's particles as one)."""
    titles = load_words("titles.txt")
    parts = len(_name_parts(ent.text))
    n = 0
    while parts - n > 2 and ent[n].is_title and ent[n].lower_ in titles:
        n += 1
    return n


class SpeakerIndex:
    """Entities of one article, and the resolution of a source mention to them."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.titles = load_words("titles.txt")
        self.unnamed = load_words("unnamed_sources.txt")
        self.org_nouns = load_words("organisation_nouns.txt")
        self.place_bodies = load_words("place_body_nouns.txt")  # *the government*: may be a place's
        self._org_ends = self.org_nouns | load_words("organisation_name_ends.txt")  # words that end a body's name
        self.partitives = load_words("partitive_nouns.txt")
        self.relations = load_words("relation_nouns.txt")
        self._equivalents: dict[str, list[str]] = load_json("title_equivalents.json")
        self.entities: list[SpeakerEntity] = []
        self._by_name: dict[str, SpeakerEntity] = {}
        self._by_part: dict[str, SpeakerEntity] = {}  # last name / first name → latest entity
        self._mentions: list[tuple[int, int, SpeakerEntity]] = []  # (start, end, entity) in text order
        self._ent_at: dict[int, SpeakerEntity] = {}  # token index → entity
        self._places: set[str] = set()  # ids of entities the recogniser tags as places (GPE) only
        self._role_words: dict[str, set[str]] = {}  # entity id → the words of every role it was given
        self._role_heads: dict[str, set[str]] = {}  # entity id → the head title of each role (*chairman*, *judge*)
        self._role_groups: dict[str, set[str]] = {}  # entity id → the groups (NORP) its roles name
        self._names = first_name_genders()
        self._titled: dict[str, str] = {}  # person id → the gender of the first honorific written before it
        self._bearers: dict[str, list[SpeakerEntity]] = {}  # last name → the people named in full who bear it
        self._unnamed: dict[str, SpeakerEntity] = {}  # an unnamed source's description → its entity
        self._unnamed_heads: list[tuple[int, str, SpeakerEntity]] = []  # (start, head noun, entity) of each
        self._one_person: set[str] = set()  # ids of unnamed sources that are one person introduced as new
        self._by_id: dict[str, SpeakerEntity] = {}
        named = [(ent, _clean_name(ent)) for ent in analysis.doc.ents]  # each name as written, once
        # names tagged PERSON that an organisation word describes (*Nordline Rail's*): organisations throughout
        bodies = {ent.start for ent, _ in named if ent.label_ == "PERSON" and self._described_as_organisation(ent)}
        people = [(ent, name) for ent, name in named if ent.start not in bodies]
        surnames = _surnames(people)
        self._short_names = _organisation_short_names(named, surnames, bodies)
        labels: dict[str, set[str]] = {}  # entity id → the labels of its mentions
        for ent, name in named:
            kind = ENTITY_LABELS.get(ent.label_)
            if kind is None:
                continue
            if kind == "person" and ent.start in bodies:
                kind = "organisation"  # *rail operator Nordline*, *the law firm Mayer Brown*: tagged PERSON
            elif kind == "organisation" and self._described_as_person(ent):
                kind = "person"  # *Marie-Ève Tremblay, who runs a restaurant*: tagged ORG
            if not _name_like(name, kind):
                continue
            # *Ford says …* tagged ORG (*Cuban said* NORP) where Doug Ford (Mark Cuban) is named: the person; not a
            # plural group (*Republicans*, when a name ending in it was taken for a person's)
            if name.lower() in surnames and (kind == "organisation" or (kind == "group" and ent.root.tag_ != "NNPS")):
                kind = "person"
            elif ent.label_ in ("PERSON", "ORG") and name.lower() in self._short_names:
                name, kind = self._short_names[name.lower()], "organisation"  # *Loblaw said*: Loblaw Companies
            honorific = HONORIFIC_GENDER.get(ent.doc[ent.start - 1].lower_) if ent.start > 0 else None
            entity = self._entity_for(name, kind, honorific)
            if honorific and kind == "person":
                self._titled.setdefault(entity.id, honorific)
            self._add_mention(entity, ent)
            labels.setdefault(entity.id, set()).add(ent.label_)
        self._places = {eid for eid, seen in labels.items() if seen == {"GPE"}}
        self._subject_at: set[int] = {  # mention starts that are a clause subject (salient for pronouns)
            ent.start_char for ent in analysis.doc.ents if ent.root.dep_ in ("nsubj", "nsubjpass")
        }
        # mentions that only qualify a noun (*the Clinton campaign*): no new person the story turns to
        self._modifier_at: set[int] = {
            ent.start_char for ent in analysis.doc.ents if ent.root.dep_ == "compound" and ent.root.head.pos_ == "NOUN"
        }
        self._surname_mentions(analysis.doc)
        self._mentions.sort(key=lambda m: m[0])
        self._starts = [m[0] for m in self._mentions]
        # each person's gender from what the article shows and from the first name, weighed together
        self.gender: dict[str, str] = person_genders(analysis, self._ent_at, self._names)

    def _surname_mentions(self, doc: Doc) -> None:
        """A last name alone that the recogniser did not tag (*Jolly, who was elected in 2014, doesn't see …*),
        of one person named in full before it: a mention of that person, so that a later *he* finds them as
        recent. (Not a name two people bear, *Rachel Berg* and *Milton Berg*; not a mention that votes on
        the person's gender.)"""
        for tok in doc:
            if tok.i in self._ent_at or tok.pos_ != "PROPN" or not tok.is_title:
                continue
            if any(0 <= j < len(doc) and doc[j].pos_ == "PROPN" for j in (tok.i - 1, tok.i + 1)):
                continue  # part of a longer name
            bearers = self._bearers.get(tok.lower_, [])
            if len(bearers) != 1 or bearers[0].mentions[0].start >= tok.idx:
                continue
            loc = Loc(tok.idx, tok.idx + len(tok))
            bisect.insort(bearers[0].mentions, loc, key=lambda m: m.start)
            self._mentions.append((loc.start, loc.end, bearers[0]))  # sorted with the others once all are in
            if tok.dep_ in ("nsubj", "nsubjpass"):
                self._subject_at.add(loc.start)

    def _described_as_organisation(self, ent: Span) -> bool:
        """True when an organisation noun ends the name (*the Clinton Foundation*) or is the word right before
        it and the parser hangs it on the name (*rail operator Nordline*, *the law firm Mayer Brown*). Not
        when the name only stands beside the noun: the parser gives *the company Tom Reyes founded* that
        shape too."""
        words = _name_tokens(ent)
        last = words[-1] if words else ent[-1]
        if len(words) > 1 and (last.is_title or last.is_upper) and last.lower_ in self._org_ends:
            return True  # *Peterson Foundation*, *Dish Network*, *Nordline Rail's*: an organisation word ends the name
        if ent.start == 0:
            return False
        noun = ent.doc[ent.start - 1]
        if noun.pos_ != "NOUN" or not (noun.is_lower or noun.is_sent_start) or noun.lower_ not in self.org_nouns:
            return False
        return noun.dep_ == "compound" and ent.start <= noun.head.i < ent.end

    def _described_as_person(self, ent: Span) -> bool:
        """True when a name tagged as an organisation is written like a person's: a first and last name (two
        or three capitalised words, none a word that names or ends a body's name: *Harmony Enterprises*) that
        *who* or an appositive title describes (*Marie-Ève Tremblay, who runs a restaurant*; *Ian Moe, president
        of the union*), or an appositive person noun after a first name (*Jean-François Dubé, a nurse at …*);
        or, tagged an organisation or a place, that is given an age (*Olusegun Adeyemi, 33,*)."""
        words = [t for t in ent if not (t.is_punct and t.text == "-")]
        if ent.label_ not in ("ORG", "GPE") or not 2 <= len(words) <= 3 or any(not t.is_title for t in words):
            return False
        if any(t.lower_ in self._org_ends for t in ent):
            return False
        if _aged(ent):  # *Gurpreet Dhillon, 45, said*: only people are given an age
            return True
        if ent.label_ != "ORG":
            return False
        for child in ent.root.rights:
            if child.dep_ == "relcl" and child.left_edge.lower_ in ("who", "whose"):
                return True
            if child.dep_ == "appos" and (child.lower_ in self.titles or self._first_name_and_person(words, child)):
                return True
        return False

    def _first_name_and_person(self, words: list[Token], noun: Token) -> bool:
        """*Jean-François Dubé, a nurse at …*: a name that opens with a first name (the census list, either sex),
        set beside a noun WordNet first takes for a person."""
        return words[0].lower_ in census_genders() and word_classes(noun)[:1] == ("person",)

    def _described_after(self, root: Token, span: Span) -> bool:
        """An untagged head that names itself, the tagged names all after it, in what describes it (not before
        it, in the name or its title): a name of more than one word (*Nkechi Obi*) or the last name of someone
        named before (*Simmons, an Obama supporter*), not a capitalised word alone (*Attorneys for Clinton*,
        *The super PAC, Priorities USA*)."""
        return (
            (root.lower_ in self._by_part or _proper_compound(root))
            and all(t.i > root.i for t in span if t.i in self._ent_at)
            and _in_running_text(root)
        )

    def _entity_for(self, name: str, kind: str, honorific: str | None = None) -> SpeakerEntity:
        """The entity ``name`` refers to, made when new. A last name alone is the latest person who bears it,
        of the honorific's gender when one is written before it (*Mr. Obama* after *Michelle Obama*)."""
        key = name.lower()
        parts = [p.lower() for p in _name_parts(name)]
        if kind == "person" and len(parts) == 1 and honorific and key in self._bearers:
            known = [e for e in reversed(self._bearers[key]) if self._known_gender(e) == honorific]
            if known:
                return known[0]
        if key in self._by_name:
            known = self._by_name[key]
            if _uncased(known.name) and not _uncased(name):  # *DONALD TRUMP:* in a heading, then *Donald Trump*
                known.name = name
            if kind == "person" and known.kind == "organisation" and len(parts) > 1:
                # the same full name tagged a person elsewhere (*Ava DuVernay’s ‘13th’* was tagged ORG): a person
                known.kind = "person"
                self._register_person(known, parts)
            return known
        if kind == "person" and key in self._by_part and (len(parts) == 1 or key.split()[0] in NAME_PARTICLES):
            return self._bearer(key)  # a surname alone (*Lynch*, *De Villa* at the start of a sentence)
        if kind == "person" and len(parts) > 1:
            # a fuller name for an entity first seen by its last name only keeps the entity, and so does the same
            # first and last name with or without a middle one (*Loretta E. Lynch*, *Loretta Lynch*: the fuller)
            prior = self._by_part.get(parts[-1])
            if prior is None or len(_name_parts(prior.name)) > 1:
                bearers = self._bearers.get(parts[-1], [])
                prior = next((e for e in reversed(bearers) if e.name.lower().split()[0] == parts[0]), None)
            if prior is not None:
                if len(parts) > len(_name_parts(prior.name)) and not (_uncased(name) and not _uncased(prior.name)):
                    prior.name = name
                self._by_name[key] = prior
                return prior
        entity = self._new_entity(name, kind)  # type: ignore[arg-type]
        self._by_name[key] = entity
        if kind == "person":
            self._register_person(entity, parts)
        return entity

    def _bearer(self, surname: str) -> SpeakerEntity:
        """Who a surname alone means when several people named so far bear it: the one named most often so
        far, the first named of them on a tie (*Cruz* is Ted Cruz all through an article about him, not his
        wife Heidi Cruz, named once in passing; *Clinton* in an article about Hillary Clinton that names
        "former President Bill Clinton" once)."""
        latest = self._by_part[surname]
        if latest.kind != "person" or _name_parts(latest.name)[-1].lower() != surname:
            return latest  # a first name, or a particle's last word (*Villa* of *de Villa*)
        bearers = [e for e in self.entities if e.kind == "person" and _name_parts(e.name)[-1].lower() == surname]
        return max(bearers, key=lambda e: len(e.mentions)) if len(bearers) > 1 else latest

    def _new_entity(self, name: str, kind: SpeakerKind) -> SpeakerEntity:
        entity = SpeakerEntity(id=f"s{len(self.entities) + 1}", name=name, kind=kind)
        self.entities.append(entity)
        self._by_id[entity.id] = entity
        return entity

    def _register_person(self, person: SpeakerEntity, parts: list[str]) -> None:
        """Index a person by last name (the latest bearer) and, named in full, by first name and as a bearer."""
        self._by_part[parts[-1]] = person
        if " " in parts[-1]:  # *de Villa*: also by its last word, where nobody else bears it
            self._by_part.setdefault(parts[-1].split()[-1], person)
        if len(parts) > 1:
            self._by_part.setdefault(parts[0], person)
            self._bearers.setdefault(parts[-1], []).append(person)

    def _known_gender(self, person: SpeakerEntity) -> str | None:
        """A person's gender as known while the index is built: an honorific seen before, or the first name."""
        return self._titled.get(person.id) or first_name_gender(person.name, self._names)

    def _add_mention(self, entity: SpeakerEntity, ent: Span, late: bool = False) -> None:
        """A named mention of ``entity``: its role and its tokens; in the mention index once (a last name alone
        may be there already, from ``_surname_mentions``). ``late``: found while resolving sources, after the
        index was built, so it goes in in text order."""
        loc = Loc(ent.start_char, ent.end_char)
        if loc not in entity.mentions:
            entity.mentions.append(loc)
            if late:
                self._insert_mention(loc.start, loc.end, entity)
            else:
                self._mentions.append((loc.start, loc.end, entity))
        for t in ent:
            self._ent_at[t.i] = entity
        found = self._role_before(ent) or self._role_apposed(ent)
        if found is None:
            return
        role, head = found
        if entity.role is None or len(role) > len(entity.role):
            entity.role = role
        words = {w.lower() for w in role.split()}
        words |= {e for w in words for e in self._equivalents.get(w, [])}  # *Sen.* → *senator*, *Justice* → *judge*
        self._role_words.setdefault(entity.id, set()).update(words)
        # a description names the role by its head (*the minister*), not by a word that qualifies it (*the
        # campaign* is not *the state's campaign chairman*)
        heads = {head.lower_, *self._equivalents.get(head.lower_, [])}
        self._role_heads.setdefault(entity.id, set()).update(heads)
        # the group a role names (*Republican* nominee), to tell *the Democratic nominee* from that person
        groups = {t.lower_[:GROUP_PREFIX] for t in ent.sent if t.ent_type_ == "NORP" and t.lower_ in words}
        self._role_groups.setdefault(entity.id, set()).update(groups)

    def _role_before(self, ent: Span) -> tuple[str, Token] | None:
        """Title words written right before a name: *White House spokesman* John Kirby (also those the
        recogniser took into the name: *Chief Coroner* Dirk Huyer), with the words that qualify them
        (*Health* Minister Christian Dubé, Senate *Majority* Leader Mitch McConnell)."""
        doc = ent.doc
        i = ent.start + (_titles_taken_in(ent) if ent.label_ == "PERSON" else 0)
        start = i
        while start > ent.sent.start and (
            doc[start - 1].lower_ in self.titles
            or doc[start - 1].ent_type_ in ("ORG", "GPE", "NORP")
            or _qualifies(doc[start - 1], start, i)
        ):
            start -= 1
        heads = [doc[j] for j in range(start, i) if doc[j].lower_ in self.titles]
        return (doc[start:i].text, heads[-1]) if heads else None

    def _role_apposed(self, ent: Span) -> tuple[str, Token] | None:
        """A title in an appositive: *Maria Lopez, the mayor of Springfield,* → *the mayor of Springfield*; or the
        name apposed to a title before it: *The minister responsible for housing, Jean Roy,* → *The minister
        responsible for housing*."""
        for child in ent.root.children:
            if child.dep_ == "appos" and child.i > ent.root.i and child.lower_ in self.titles:
                toks = [t for t in child.subtree if not t.is_punct or t.i < child.right_edge.i]
                return (ent.doc[toks[0].i : toks[-1].i + 1].text, child) if toks else None
        head = ent.root.head
        if ent.root.dep_ == "appos" and head.i < ent.start and head.lower_ in self.titles:
            toks = _less_trailing_punct([t for t in ent.doc[head.left_edge.i : ent.start] if not t.is_space])
            return (ent.doc[toks[0].i : toks[-1].i + 1].text, head) if toks else None
        return None

    def _named_body(self, root: Token) -> SpeakerEntity | None:
        """The organisation a source names with an organisation noun and the name before it (*the Obama
        administration*, *Clinton's campaign*): the noun and the words before it, as one organisation."""
        doc = root.doc
        words = doc[root.left_edge.i : root.i + 1]
        if not any(t.i in self._ent_at for t in words):
            return None
        # the last name before the noun, the noun and the nouns joined to it (*city* council), not adjectives
        # (*new*, *former*) nor what qualifies the name (*B.C. Premier* John Horgan's office)
        first = max(t.i for t in words if t.i in self._ent_at)
        while first - 1 >= words.start and self._ent_at.get(first - 1) is self._ent_at[first]:
            first -= 1
        kept = [t for t in words if t.i >= first and (t.i in self._ent_at or t == root or t.dep_ == "compound")]
        name = " ".join(part for t in kept if (part := _clean_name(doc[t.i : t.i + 1])))
        if not name or not name[0].isupper():
            return None
        entity = self._entity_for(name, "organisation")
        self._add_body_mention(entity, Loc(words.start_char, words.end_char), root)
        return entity

    def _add_body_mention(self, entity: SpeakerEntity, loc: Loc, root: Token | None = None) -> None:
        """A body's mention found while resolving a source, in the mention index; with its head noun ``root``,
        also one a later bare description with that noun (*the campaign*) goes back to."""
        if loc in entity.mentions:
            return
        self._insert_mention(loc.start, loc.end, entity)
        if root is None:
            entity.mentions.append(loc)
        else:
            self._add_unnamed_mention(entity, loc, root)

    def _owned_body(
        self, owner: Token, root: Token, mention: Loc, speaking: tuple[str, int] | None, said: Loc | None
    ) -> SpeakerEntity | None:
        """The body a *his* / *her* owns (*his office*, *her campaign*): the person the pronoun resolves to, as a
        *he* / *she* would, and the noun, one organisation (*Rob Fleming office*); None when no one is found."""
        people = self._previous(owner.idx, ("person",), PRONOUN_GENDER.get(owner.lower_), speaking, said)
        if not people:
            return None
        entity = self._entity_for(f"{people[0].name} {root.lower_}", "organisation")
        self._add_body_mention(entity, mention, root)  # so that *the campaign* later goes back to it
        return entity

    def _proper_entity(self, root: Token) -> SpeakerEntity | None:
        """A name the entity recogniser missed: the proper-noun run around the source's head."""
        doc = root.doc
        start = end = root.i
        while start > root.sent.start:
            if hyphen_joined(doc, start - 1) and doc[start - 2].is_alpha:  # *Luthey-*Schulten
                start -= 2
            elif doc[start - 1].pos_ == "PROPN" and doc[start - 1].lower_ not in self.titles:
                start -= 1
            else:
                break
        while end + 1 < root.sent.end:
            if hyphen_joined(doc, end + 1) and doc[end + 2].is_alpha:
                end += 2
            elif doc[end + 1].pos_ == "PROPN":
                end += 1
            else:
                break
        name = _clean_name(doc[start : end + 1])
        if not name or not name[0].isupper():
            return None
        # *the Southern Ocean*, *the Pentagon*: a name written with *the* is a place or a body, not a person
        kind = "organisation" if start > 0 and doc[start - 1].lower_ == "the" else "person"
        owner = start - 2
        while owner >= root.sent.start and doc[owner].pos_ == "PROPN":
            owner -= 1
        if owner < start - 2 and doc[start - 1].text in POSSESSIVES and root.lower_ in self.org_nouns:
            # *the Prime Minister's Office*, *the Premier's Office*: one body, named with its owner
            start = owner + 1
            name, kind = " ".join(doc[start : end + 1].text.split()), "organisation"
        elif root.lower_ in self.org_nouns:
            kind = "organisation"
        if name.lower() in self._short_names:  # *Rogers said* after *Rogers Communications*
            name, kind = self._short_names[name.lower()], "organisation"
        entity = self._entity_for(name, kind)
        self._add_mention(entity, doc[start : end + 1], late=True)
        return entity

    def _insert_mention(self, start: int, end: int, entity: SpeakerEntity) -> None:
        """Add a mention found while resolving sources (after the index was built), in text order."""
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._mentions.insert(i, (start, end, entity))

    # --- resolution ---------------------------------------------------------------------------

    def _common_subject_before(self, pron: Token, low: str) -> Token | None:
        """The nearest subject before a *they* / *it* (in its sentence or the one before, outside reported
        clauses) when it is a common noun of the pronoun's number that names no one (*officials*, *top black
        lawmakers*; *the letter*, *the poll*): the pronoun goes on with it. Not an organisation noun (*the
        company*: a named body)."""
        doc, sent = pron.doc, pron.sent
        first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        number = "NNS" if low in PLURAL_PRONOUNS else "NN"
        for tok in reversed(doc[first : pron.i]):  # not a reported clause's (*the deficit* of *X said the deficit …*)
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ != "PRON" and tok.head.dep_ != "ccomp":
                named = tok.i in self._ent_at or tok.ent_type_ or tok.lower_ in self.org_nouns
                return tok if tok.tag_ == number and not named and tok.lower_ not in self.titles else None
        return None

    def _previous(
        self,
        before: int,
        kinds: tuple[SpeakerKind, ...],
        gender: str | None = None,
        speaking: tuple[str, int] | None = None,
        said: Loc | None = None,
    ) -> list[SpeakerEntity]:
        """Entities of ``kinds`` mentioned before char ``before``: recent subjects first, then by recency; a
        person whose known gender clashes with the pronoun's goes last, and one whose gender is not known
        after those whose gender matches (*she* after *Doris Meehan* and *Xandor Varga* is Doris Meehan).
        ``speaking`` (the speaker of the attribution just before, and where its content ended) goes first
        while no other person has been named since, outside what this source says (``said``): *he* goes
        on quoting the last speaker, whatever is known of their gender."""
        if speaking is not None and self._named_since(speaking[1], before, speaking[0], said):
            speaking = None
        found: list[tuple[int, int, int, SpeakerEntity]] = []
        seen: set[str] = set()
        j = bisect.bisect_left(self._starts, before) - 1
        while j >= 0 and len(found) < MAX_LOOKBACK_FOR_GENDER:
            start, _, entity = self._mentions[j]
            # named inside the quote the source speaks (*"… vote for Hillary," she said*): not who speaks
            quoted = said is not None and said.start <= start < said.end and self.analysis.quote_at(start) is not None
            if entity.kind in kinds and entity.id not in seen and not quoted:
                seen.add(entity.id)
                clash = gender is not None and self.gender.get(entity.id, gender) != gender
                unknown = gender is not None and entity.id not in self.gender
                found.append((int(clash), int(unknown), int(start not in self._subject_at), entity))
            j -= 1
        # the last few are all of the other gender: the nearest person of the pronoun's further back joins them
        if all(f[0] for f in found[:MAX_LOOKBACK]):
            found = found[:MAX_LOOKBACK] + [f for f in found[MAX_LOOKBACK:] if not f[0]][:1]
        else:
            found = found[:MAX_LOOKBACK]
        ranked = sorted(
            range(len(found)),
            key=lambda i: (
                found[i][0],
                speaking is None or found[i][3].id != speaking[0],
                found[i][1],
                found[i][2] if i < 2 else 1,
                i,
            ),
        )
        return [found[i][3] for i in ranked][:MAX_OPTIONS]

    def _named_since(self, start: int, end: int, speaker_id: str, skip: Loc | None = None) -> bool:
        """Whether a person other than ``speaker_id`` is mentioned between chars ``start`` and ``end``, outside
        ``skip``, other than as a word qualifying a noun (*the Clinton campaign*)."""
        j = bisect.bisect_left(self._starts, start)
        while j < len(self._mentions) and self._mentions[j][0] < end:
            at, _, entity = self._mentions[j]
            other = entity.kind == "person" and entity.id != speaker_id and at not in self._modifier_at
            if other and not (skip and skip.start <= at < skip.end):
                return True
            j += 1
        return False

    def _head(self, loc: Loc) -> Token | None:
        span = self.analysis.doc.char_span(loc.start, loc.end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def options(
        self, mention: Loc, speaking: tuple[str, int] | None = None, said: Loc | None = None
    ) -> list[SpeakerOption]:
        """Speaker candidates for a source mention, best first (an unnamed source: no entity). ``speaking``:
        the speaker of the attribution just before and where its content ended, whom a *he* / *she* most
        often goes on quoting (names inside ``said``, what this source says, do not interrupt)."""
        doc = self.analysis.doc
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span):
            return [SpeakerOption(None, mention)]
        root = span.root
        antecedents = _antecedents(root)
        if antecedents:  # *Sanders, who said …*: the speaker is the one the relative pronoun stands for
            return self._antecedent_options(root, antecedents, mention, speaking, said)
        # *a group of U.S. medical organizations*, *a number of doctors*: the speaker is what the "of" phrase
        # names (unnamed when it is a common noun), not a name that modifies it
        of_object = self._partitive_object(root)
        if of_object is not None:
            root, span = of_object, doc[of_object.left_edge.i : of_object.right_edge.i + 1]
        # a group name used as an adjective (*the Democratic candidate …*) describes the speaker, is not one; nor is
        # the person a title or a relation belongs to (*Mayor Jim Watson's spokesperson*, *Keith Scott's wife*)
        owners = self._possessors(root)
        named = [
            self._ent_at[t.i]
            for t in span
            if t.i in self._ent_at and t.i not in owners and not _describes(t, self._ent_at[t.i])
        ]
        if root.i in self._ent_at:
            named.insert(0, self._ent_at[root.i])
        # a person named in apposition (*another critic, Laurence Tribe,*; *one of the lawyers, Ana Diaz*)
        apposed = [self._ent_at[t.i] for t in span if t.dep_ == "appos" and t.i in self._ent_at]
        apposed = [e for e in apposed if e.kind == "person"]
        if apposed and (root.i not in self._ent_at or self._ent_at[root.i].kind != "person"):
            return [SpeakerOption(e.id, mention) for e in _unique(apposed)[:MAX_OPTIONS]]
        # a body a name qualifies (*the Obama administration*, *Vancouver city council*): that body, not the name
        if named and root.i not in self._ent_at and root.lower_ in self.org_nouns:
            body = self._named_body(root)
            if body is not None:
                return [SpeakerOption(body.id, mention)]
        # the head noun is a name: that entity (an organisation inside "a source at X" is not the speaker); a
        # title naming no person with *the* (*the Indiana governor*, *the GOP nominee*) describes one, below
        described = root.lower_ in self.titles and not any(e.kind == "person" for e in named)
        # (not a body whose name ends in such a word: *the Associated Press*, *the Fraternal Order of Police*)
        body = root.i in self._ent_at and self._ent_at[root.i].kind == "organisation"
        described = described and _definite(root) and not body
        # a title whose only names are places (*a Toronto police spokesperson*, *a Quebec judge*): not the place
        places_only = all(e.id in self._places for e in named)
        if named and places_only and root.i not in self._ent_at and root.lower_ in self.titles and not described:
            return self._unnamed_option(mention, root, span)
        missed = root.i not in self._ent_at and root.lower_ not in self.titles
        if (
            named
            and missed
            and ((root.pos_ == "PROPN" and (places_only or self._described_after(root, span))) or _mistagged_name(root))
        ):
            # *Tremblay, of Quebec City,* / *Braynard, a South Carolina native* / *Economist Nkechi Obi of the
            # University of Regina* / *Jean-François Dubé, a nurse at Montreal's Jewish General Hospital*: a name
            # the recogniser missed, not the names that describe it
            entity = self._proper_entity(root)
            if entity is not None:
                return [SpeakerOption(entity.id, mention)]
        if named and (root.i in self._ent_at or root.pos_ == "PROPN" or root.lower_ in self.titles) and not described:
            ordered = _unique(named)
            return [SpeakerOption(e.id, mention) for e in ordered[:MAX_OPTIONS]]
        short = root.is_title and root.lower_ in self._short_names  # *Rogers said*, tagged a plural noun
        if not named and (root.pos_ == "PROPN" or short or _mistagged_name(root)) and root.lower_ not in self.titles:
            entity = self._proper_entity(root)
            if entity is not None:
                return [SpeakerOption(entity.id, mention)]
        low = root.lower_
        # *I* / *we* outside the quotes of an article that marks its quotes: the writer, who has no entity (where
        # the marks were lost, in a text without any or before a closing mark that pairs with none, it is as
        # likely a quoted speaker: the nearest person, below)
        if low in FIRST_PERSON and root.pos_ == "PRON" and self._writer(mention):
            return [SpeakerOption(None, mention)]
        if low in PERSON_PRONOUNS and root.pos_ == "PRON":
            third = speaking if low not in FIRST_PERSON else None
            # *A spokesperson for the minister said …. She added*: the unnamed person just quoted, while no one
            # has been named since
            if third and third[0] in self._one_person and not self._named_since(third[1], mention.start, "", said):
                return [SpeakerOption(third[0], mention)]
            cands = self._previous(mention.start, ("person",), PRONOUN_GENDER.get(low), third, said)
        elif low in GROUP_PRONOUNS and root.pos_ == "PRON" and (subject := self._common_subject_before(root, low)):
            # *top black lawmakers met …. They said*: the unnamed group that subject describes
            group = doc[subject.left_edge.i : subject.right_edge.i + 1]
            entity = self._unnamed_entity(subject, group)
            if entity is None:
                return [SpeakerOption(None, mention)]
            self._add_unnamed_mention(entity, Loc(group.start_char, group.end_char), subject)
            self._add_unnamed_mention(entity, mention, root)
            return [SpeakerOption(entity.id, mention)]
        elif low in GROUP_PRONOUNS and root.pos_ == "PRON":
            cands = self._previous(mention.start, ("organisation", "group"))
            if low in PLURAL_PRONOUNS:  # *they* is a body or a group, not a place (*Chicago*, *Florida*)
                cands = [e for e in cands if e.id not in self._places]
        elif _age_description(span):  # *"…," the 38-year-old said*: the person just quoted or named
            cands = self._previous(mention.start, ("person",), None, speaking, said)
        elif low in self.org_nouns and (owner := _person_pronoun_owner(root)) is not None:
            # *his office said*: the office of the person the pronoun goes back to, named as *Lohr's office* is
            body = self._owned_body(owner, root, mention, speaking, said)
            return [SpeakerOption(body.id, mention)] if body else self._unnamed_option(mention, root, span)
        elif low in self.unnamed or root.tag_ in ("NNS",) and low not in self.titles:
            return self._unnamed_option(mention, root, span)
        elif low in self.titles and _definite(root):
            earlier = self._unnamed_described(root, mention.start)
            if earlier is not None:  # *A spokesperson for the minister said …. The spokesperson added*
                self._add_unnamed_mention(earlier, mention, root)
                return [SpeakerOption(earlier.id, mention)]
            cands = self._described(root, mention.start) + self._previous(mention.start, ("person",))
            # not a person whose roles name another group than the description's (*the Democratic nominee*)
            groups = {t.lower_[:GROUP_PREFIX] for t in root.lefts if t.ent_type_ == "NORP"}
            cands = [e for e in cands if not groups or not self._role_groups.get(e.id, groups) - groups]
        # *the company* refers back to the last body, unless a clause defines it (*the union representing …*)
        elif low in self.org_nouns and _definite(root) and not noun_clauses(root, set_off=False):
            cands = self._described_body(root, mention.start)
        elif named:
            cands = named
        else:
            return self._unnamed_option(mention, root, span)
        ordered = _unique(cands)[:MAX_OPTIONS]
        return [SpeakerOption(e.id, mention) for e in ordered] or self._unnamed_option(mention, root, span)

    def _described_body(self, root: Token, before: int) -> list[SpeakerEntity]:
        """The bodies a description with an organisation noun may go back to, latest first (*the company*). Not
        a place, unless the noun is one a place has (*the government*); and for a qualified description (*the
        city council*, *the militant group*) only a body whose name has its noun (*Vancouver City Council*) or
        that was the subject of a clause before (*Islamic State claimed …*), not one only mentioned (*the port of
        Varna Bay*). None: a body of its own, unnamed."""
        low = root.lower_
        cands = self._previous(before, ("organisation",))
        if low in self.place_bodies:
            return cands
        cands = [e for e in cands if e.id not in self._places]
        if not any(t.dep_ in ("amod", "compound", "nmod") for t in root.lefts):
            return cands
        acted = {e.id for at, _, e in self._mentions if at < before and at in self._subject_at}
        return [e for e in cands if low in e.name.lower().split() or e.id in acted]

    def _antecedent_options(
        self, pronoun: Token, antecedents: list[Loc], mention: Loc, speaking: tuple[str, int] | None, said: Loc | None
    ) -> list[SpeakerOption]:
        """The speaker a relative pronoun stands for: the nearest antecedent that resolves to a speaker (for *who*,
        to a person or an unnamed source, not a body or a place); none when no antecedent does."""
        for loc in antecedents:
            found = [o for o in self.options(loc, speaking, said) if o.speaker_id]
            entity = self._by_id[found[0].speaker_id] if found and found[0].speaker_id else None
            if entity is None or entity.id in self._places:
                continue
            if pronoun.lower_ in PERSON_RELATIVES and entity.kind not in ("person", "unnamed"):
                continue
            return [SpeakerOption(o.speaker_id, mention) for o in found]
        return [SpeakerOption(None, mention)]

    def goes_on(self, speaker_id: str | None) -> bool:
        """Whether a *he* / *she* soon after an attribution of ``speaker_id`` may go on with that speaker: a
        named one, or an unnamed source that is one person (*a spokesperson*; not *officials*, *the report*, after
        which the person quoted before goes on)."""
        entity = self._by_id.get(speaker_id or "")
        return entity is not None and (entity.named or entity.id in self._one_person)

    def _unnamed_option(self, mention: Loc, root: Token, span: Span) -> list[SpeakerOption]:
        """A source that names no one: an entity of kind ``unnamed`` called by its description (*officials*,
        *senior official at the Justice Department*, *one of the sources*; one entity per description), none for
        a pronoun or a word that is not a noun (*that*, *which*) nor a relative's (*whose party*: the clause's).
        A bare definite description goes back to the unnamed source before it with the same head noun (*a report
        by city staff …. The report also warned*; not *the euro crisis* after *the migration crisis*)."""
        bare = [t.i for t in span if not t.is_punct] == [root.i - 1, root.i] and span[0].lower_ == "the"
        earlier = self._unnamed_described(root, mention.start) if bare else None
        if earlier is not None:
            self._add_unnamed_mention(earlier, mention, root)
            return [SpeakerOption(earlier.id, mention)]
        entity = self._unnamed_entity(root, span)
        if entity is None:
            return [SpeakerOption(None, mention)]
        self._add_unnamed_mention(entity, mention, root)
        return [SpeakerOption(entity.id, mention)]

    def _unnamed_entity(self, root: Token, span: Span) -> SpeakerEntity | None:
        """The ``unnamed`` entity of the description ``span`` (head ``root``), made when new; None when it is
        not a description."""
        if root.pos_ not in ("NOUN", "PROPN") and root.lower_ not in self.unnamed:
            return None
        if span[0].tag_ in ("WP", "WP$", "WDT"):
            return None
        asides = noun_clauses(root, set_off=True)  # *a senior official, who asked not to be named,*: not the name
        end = asides[0].left_edge.i - 1 if asides and asides[0].left_edge.i - 1 > span.start else span.end
        words = [t for t in span.doc[span.start : end] if not (t.is_punct and t.i in (span.start, end - 1))]
        while words and words[0].lower_ in ("a", "an", "the"):
            words = words[1:]
        if not words:
            return None
        name = " ".join("".join(t.text_with_ws for t in span.doc[words[0].i : words[-1].i + 1]).split())
        if words[0].pos_ != "PROPN" and words[0].is_title:  # *Officials said*: capitalised as a sentence's first word
            name = name[0].lower() + name[1:]
        entity = self._unnamed.get(name.lower())
        if entity is None:
            entity = self._unnamed[name.lower()] = self._new_entity(name, "unnamed")
            if self._one_new_person(root):
                self._one_person.add(entity.id)
        return entity

    def _one_new_person(self, root: Token) -> bool:
        """A singular title or relation noun without *the* (*a spokesperson for the minister*, *my father*); not
        *officials*, nor *the highest-ranking prosecutor*, which describes someone named (*Lynch*)."""
        low = root.lower_
        if root.tag_ != "NN" or _definite(root) or low in self.org_nouns:
            return False
        return low in self.titles or low in self.relations

    def _add_unnamed_mention(self, entity: SpeakerEntity, mention: Loc, root: Token) -> None:
        if mention not in entity.mentions:
            entity.mentions.append(mention)
            bisect.insort(self._unnamed_heads, (mention.start, root.lower_, entity), key=lambda m: m[0])

    def _unnamed_described(self, root: Token, before: int) -> SpeakerEntity | None:
        """The unnamed source a definite description goes back to (*the spokesperson* after *a spokesperson for
        the minister*): the latest with the same head noun before ``before``, unless a person given that role
        by name was mentioned since."""
        low = root.lower_
        i = bisect.bisect_left(self._unnamed_heads, before, key=lambda m: m[0]) - 1
        while i >= 0 and self._unnamed_heads[i][1] != low:
            i -= 1
        if i < 0:
            return None
        start, _, entity = self._unnamed_heads[i]
        j = bisect.bisect_left(self._starts, before) - 1
        while j >= 0 and self._mentions[j][0] > start:
            named = self._mentions[j][2]
            if named.kind == "person" and low in self._role_heads.get(named.id, set()):
                return None
            j -= 1
        return entity

    def _possessors(self, root: Token) -> set[int]:
        """Token indices of the possessor of a person noun that is not itself a name (*Mayor Jim Watson's*
        spokesperson, *Keith Scott's* wife); empty for any other head (*Clinton's statement*: hers)."""
        low = root.lower_
        person_noun = (low in self.titles and low not in self.org_nouns) or low in self.relations
        if root.i in self._ent_at or root.pos_ == "PROPN" or not person_noun:  # *Clinton's campaign*: a body
            return set()
        return {t.i for c in root.children if c.dep_ == "poss" for t in c.subtree}

    def _partitive_object(self, root: Token) -> Token | None:
        """The object of a partitive head's *of* (*a group of* | *organizations*), not when the head is itself a
        name or has *the* (*the group of* …: refers back to a body)."""
        if root.lower_ not in self.partitives or root.i in self._ent_at or _definite(root):
            return None
        for prep in root.rights:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                return next((c for c in prep.children if c.dep_ == "pobj"), None)
        return None

    def _writer(self, mention: Loc) -> bool:
        """True when a first-person source outside quotes is the writer: the article marks its quotes and no
        closing mark that lost its opening one follows it."""
        a = self.analysis
        return bool(a.quotes) and a.quote_at(mention.start) is None and not a.before_stray_close(mention.end)

    def _described(self, root: Token, before: int) -> list[SpeakerEntity]:
        """People named before ``before`` whose roles hold the description's head noun (*the nominee*), those
        whose roles hold more of its modifiers first (*the Democratic presidential nominee*), then the latest."""
        words = {t.lower_ for t in root.lefts if t.dep_ in ("amod", "compound", "nmod")}
        ranked: list[tuple[int, int, SpeakerEntity]] = []
        seen: set[str] = set()
        for i in range(bisect.bisect_left(self._starts, before) - 1, -1, -1):
            entity = self._mentions[i][2]
            have = self._role_words.get(entity.id, set())
            if entity.kind == "person" and root.lower_ in self._role_heads.get(entity.id, ()) and entity.id not in seen:
                seen.add(entity.id)
                ranked.append((-len(words & have), len(ranked), entity))
        return [e for *_, e in sorted(ranked, key=lambda r: r[:2])]


def _surnames(named: list[tuple[Span, str]]) -> set[str]:
    """Last names of the people the article names in full (a one-word mention the parser took for an
    organisation, *Ford told reporters*, is one of them; which one, ``SpeakerIndex._bearer`` decides).
    ``named``: each entity with its cleaned name."""
    return {
        parts[-1].lower()
        for ent, name in named
        if ent.label_ == "PERSON" and len(parts := _name_parts(name)) > 1 and parts[-1].split()[-1][:1].isupper()
    }


def _uncased(name: str) -> bool:
    """A name written all in capitals or all in lower case (a heading, a handle): not how the article names
    the speaker when it also writes the name in the usual case."""
    return name.isupper() or name.islower()


def _name_parts(name: str) -> list[str]:
    """A person's name in words, the particles of the surname kept with it: *Eileen de Villa* → Eileen,
    de Villa; *Mary-Ann Van der Berg* → Mary-Ann, Van der Berg; *de Villa* → one part. A capitalised word at
    the start is a given name unless a particle follows it (*Van Jones* is two parts, *Van der Berg* one)."""
    words = name.split()
    k = len(words) - 1
    while k > 0 and words[k - 1].lower() in NAME_PARTICLES:
        if k - 1 == 0 and words[0][:1].isupper() and words[1].lower() not in NAME_PARTICLES:
            break
        k -= 1
    return [*words[:k], " ".join(words[k:])]


def _organisation_short_names(
    named: list[tuple[Span, str]], surnames: set[str], bodies: set[int] | frozenset[int] = frozenset()
) -> dict[str, str]:
    """First word → full name of the organisations the article names in several words (*Loblaw Companies
    Ltd.*, *Rogers Communications*, *Nordline Rail*): a later one-word *Loblaw*, *Rogers* or *Nordline* is that
    organisation, unless it is the surname of a person the article names, or the first word of two
    organisations' names. ``bodies``: start tokens of names tagged PERSON that are organisations."""
    full: dict[str, set[str]] = {}
    full_names = [name.split() for ent, name in named if ent.label_ == "PERSON" and ent.start not in bodies]
    taken = surnames | {w.lower() for words in full_names if len(words) > 1 for w in words}  # *Keith* Lamont Scott
    for ent, name in named:
        words = name.split() if ent.label_ == "ORG" or ent.start in bodies else []
        if len(words) < 2 or ent[0].pos_ != "PROPN" or not words[0].isalpha():
            continue
        if all(w[:1].isupper() or w in NAME_JOINERS for w in words):  # a name, not *Patriot 13 percent*
            full.setdefault(words[0].lower(), set()).add(" ".join(words))
    return {w: next(iter(names)) for w, names in full.items() if len(names) == 1 and w not in taken}


def _antecedents(pronoun: Token) -> list[Loc]:
    """The noun phrases a relative pronoun subject may stand for, nearest first (*Sanders, who said …* →
    *Sanders*): the noun its clause modifies, then the nouns that noun hangs from through a preposition or an
    apposition (*Peter Morgan, a lawyer for the Sierra Club, who …*: the parser hangs the clause on *Club*),
    each without the clause. Empty when ``pronoun`` is no relative pronoun subject."""
    clause = pronoun.head
    if pronoun.tag_ not in ("WP", "WDT") or pronoun.dep_ not in ("nsubj", "nsubjpass") or clause.dep_ != "relcl":
        return []
    out = []
    noun = clause.head
    for _ in range(MAX_ANTECEDENT_STEPS):
        words = _less_trailing_punct([t for t in noun.subtree if t.i < clause.left_edge.i and not t.is_space])
        if not words or noun.i > words[-1].i:
            break
        out.append(Loc(words[0].idx, words[-1].idx + len(words[-1])))
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("NOUN", "PROPN"):
            noun = noun.head.head
        elif noun.dep_ == "appos":
            noun = noun.head
        else:
            break
    return out


def _mistagged_name(root: Token) -> bool:
    """A capitalised word the tagger took for a common noun after a proper noun the recogniser left untagged too,
    a name's last word (*Jean-François Dubé*: *Dubé* tagged NN). Not a noun a tagged name qualifies, as in a
    title-case headline (*Another GOP Figure Endorses …*, *With Wall St. Center Stage, …*)."""
    return (
        root.pos_ == "NOUN"
        and root.is_title
        and root.i > root.sent.start
        and _proper_compound(root, untagged=True)
        and _in_running_text(root)
    )


def _proper_compound(root: Token, untagged: bool = False) -> bool:
    """A proper noun before ``root`` that the parser hangs on it, a name's earlier word (*Nkechi* of *Nkechi
    Obi*); ``untagged``: one the recogniser tagged as no entity."""
    return any(c.dep_ == "compound" and c.pos_ == "PROPN" and not (untagged and c.ent_type_) for c in root.lefts)


def _in_running_text(tok: Token) -> bool:
    """A sentence with a lower-case word in it, not a title-case line (a headline), where any word may be a
    capitalised common noun."""
    return any(t.is_lower and len(t) > 3 for t in tok.sent)


def _name_like(name: str, kind: str) -> bool:
    """Whether what the recogniser tagged can name a speaker: a letter, not all in lower case (not *de la*, a
    French name's particles tagged on their own, nor *the bush*; a script without case passes), and for a
    person not a code (*COVID-19*, *F-35*)."""
    if not any(c.isalpha() for c in name) or (name == name.lower() and name != name.upper()):
        return False
    return kind != "person" or CODE_NAME.search(name) is None


def _qualifies(tok: Token, start: int, end: int) -> bool:
    """A noun or adjective that qualifies a word of a role being read leftwards from a name (the role's tokens
    so far, ``start``…``end``): *Health* in *Health Minister Christian Dubé*; not one that qualifies the name
    itself (*rival* Marco Rubio), nor a date (*Tuesday*)."""
    return (
        tok.dep_ in ("compound", "amod")
        and tok.pos_ in ("NOUN", "PROPN", "ADJ")
        and start <= tok.head.i < end
        and tok.ent_type_ not in ("DATE", "TIME")
    )


def _age_description(span: Span) -> bool:
    """*the 38-year-old* (*nurse*): a person the article has named, described by age (*a 38-year-old* is
    someone new)."""
    return AGE_DESCRIPTION.match(span.text) is not None


def _less_trailing_punct(tokens: list[Token]) -> list[Token]:
    """``tokens`` without the punctuation that ends them (the comma before an apposed name or a clause)."""
    end = len(tokens)
    while end and tokens[end - 1].is_punct:
        end -= 1
    return tokens[:end]


def _aged(ent: Span) -> bool:
    """A name followed by an age set off by commas (*Gurpreet Dhillon, 45, said*, *…, 45.*)."""
    doc = ent.doc
    if ent.end + 2 >= len(doc) or doc[ent.end].text != "," or not doc[ent.end + 1].text.isdigit():
        return False
    return 0 < int(doc[ent.end + 1].text) < MAX_AGE and (doc[ent.end + 2].is_punct or doc[ent.end + 2].is_space)


def _person_pronoun_owner(noun: Token) -> Token | None:
    """The *his* / *her* that owns ``noun`` (*his office*), if any."""
    return next((c for c in noun.children if c.dep_ == "poss" and c.lower_ in OWNER_PRONOUNS), None)


def _definite(noun: Token) -> bool:
    """*the* before the noun (*the company*, *the Indiana governor*): it refers back, or names no one new."""
    return any(t.lower_ == "the" for t in noun.lefts)


def _describes(tok: Token, entity: SpeakerEntity) -> bool:
    """A group name modifying a noun (*the Democratic candidate*, *the Republican nominee's daughter*)."""
    return entity.kind == "group" and (tok.pos_ == "ADJ" or tok.dep_ in ("amod", "compound"))


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
