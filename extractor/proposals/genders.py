"""A person's gender, for resolving *he* and *she*: the evidence an article gives, weighed with the first name.

The evidence, summed over the article: an honorific before a mention (*Ms.*), a gendered noun before the name
or in apposition to it (*widow Terry Strada*), the first name (the 1990 US Census lists, less the names other
languages give the other sex, overridden by the names learned from PolNeAR train), and the first personal
pronoun after a subject mention in its sentence (*Lopez said she …*).

Data: ``census_first_names.json`` (``scripts/build_census_names.py``), ``name_genders.json``
(``scripts/build_name_genders.py``), ``first_names_either_sex.txt`` and ``gendered_person_nouns.json`` in
``extractor/data``.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

from extractor.data import load_json, load_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from extractor.analysis import Analysis
    from extractor.proposals import SpeakerEntity

NAME_GENDERS_FILE = "name_genders.json"  # first name → "m" / "f", built by scripts/build_name_genders.py
CENSUS_NAMES_FILE = "census_first_names.json"  # first names mostly one sex's (1990 US Census), build_census_names.py
EITHER_SEX_NAMES_FILE = "first_names_either_sex.txt"  # *Jean*, *Andrea*: a man's name in French / Italian
GENDERED_NOUNS_FILE = "gendered_person_nouns.json"  # *widow*, *spokeswoman*: nouns that tell a person's sex
# the weight of each piece of evidence for a person's gender, summed over the article (a pronoun after a subject
# mention in its sentence, *Lopez said she …*, weighs 1; it is often another person's)
HONORIFIC_VOTES = 3  # *Mr.* / *Ms.* before a mention
NOUN_VOTES = 3  # a gendered title before a mention or a gendered noun apposed to it (*widow Terry Strada*)
NAME_VOTES = 2  # the first name, as the news writes it (learned from train) or the census gives it
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
OBJECT_DEPS = frozenset(["dobj", "pobj", "dative", "iobj"])  # *him*, *her* as an object: not the name before
PRONOUN_WINDOW = 12  # tokens after a name in which the pronoun that tells its gender is looked for
HONORIFIC_GENDER = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f"}


def first_name_gender(name: str, names: dict[str, str]) -> str | None:
    """The gender the table gives a name's first word; of its first part for a hyphenated one (the table is
    per word: *Marie-Ève* is read as *Marie*); without its accents when the table lacks it (*Mélanie*, *André*:
    the census lists are written without them)."""
    first = name.split()[0].lower()
    for key in (first, first.split("-")[0]):
        found = names.get(key) or names.get(_unaccented(key))
        if found:
            return found
    return None


def _unaccented(word: str) -> str:
    """``word`` without its combining accents (*mélanie* → *melanie*)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@functools.cache
def census_genders() -> dict[str, str]:
    """First name (lower case) → ``"m"`` / ``"f"`` as the 1990 census lists alone give it
    (``census_first_names.json``)."""
    census = load_json(CENSUS_NAMES_FILE)
    return {name: sex for sex in ("f", "m") for name in census[sex]}


@functools.cache
def first_name_genders() -> dict[str, str]:
    """First name (lower case) → ``"m"`` / ``"f"``: the census list less the names other languages give the
    other sex (*Jean*, *Andrea*: ``first_names_either_sex.txt``), where the names learned from the news
    (``name_genders.json``) override it (*Terry* is a man's name in both; the news adds *Barack*, *Megyn*)."""
    either = load_words(EITHER_SEX_NAMES_FILE)
    out = {name: sex for name, sex in census_genders().items() if name not in either}
    out.update(load_json(NAME_GENDERS_FILE)["names"])
    return out


@functools.cache
def gendered_nouns() -> dict[str, str]:
    """Noun (lower case) → ``"m"`` / ``"f"``: the words ``gendered_person_nouns.json`` lists for each sex."""
    table = load_json(GENDERED_NOUNS_FILE)
    return {word: sex for sex in ("f", "m") for word in table[sex]}


def _gendered_noun(doc: Doc, i: int, root: Token, nouns: dict[str, str]) -> str | None:
    """The sex a noun tells of the person whose mention starts at token ``i`` (its head ``root``): a title
    right before the name (*widow Terry Strada*, *spokeswoman Ana Diaz*) or a noun in apposition (*Terry
    Strada, a widow*; *the widow, Terry Strada*)."""
    if i > 0 and doc[i - 1].lower_ in nouns and doc[i - 1].head.i >= i:
        return nouns[doc[i - 1].lower_]
    for child in root.children:
        if child.dep_ == "appos" and child.lower_ in nouns:
            return nouns[child.lower_]
    if root.dep_ == "appos" and root.head.lower_ in nouns:
        return nouns[root.head.lower_]
    return None


def person_genders(analysis: Analysis, ent_at: dict[int, SpeakerEntity], names: dict[str, str]) -> dict[str, str]:
    """Each person's gender from the evidence summed over the article: an honorific before a mention (*Mr.*,
    *Ms.*), a gendered noun with it (*widow Terry Strada*), the first name, and the first personal pronoun
    after a subject mention in the same sentence (*Lopez said she …*). None where it is even."""
    nouns = gendered_nouns()
    votes: dict[str, list[int]] = {}
    doc = analysis.doc
    people: dict[str, SpeakerEntity] = {}
    for i, entity in ent_at.items():
        if entity.kind != "person" or (i > 0 and doc[i - 1].i in ent_at and ent_at[doc[i - 1].i] is entity):
            continue  # count each mention once, at its first token
        people[entity.id] = entity
        v = votes.setdefault(entity.id, [0, 0])
        prev = doc[i - 1].lower_ if i > 0 else ""
        if prev in HONORIFIC_GENDER:
            v[HONORIFIC_GENDER[prev] == "f"] += HONORIFIC_VOTES
            continue
        root = doc[i]
        while root.head.i != root.i and ent_at.get(root.head.i) is entity:
            root = root.head
        noun = _gendered_noun(doc, i, root, nouns)
        if noun:
            v[noun == "f"] += NOUN_VOTES
            continue
        if doc[i].dep_ not in ("nsubj", "nsubjpass", "compound"):
            continue
        g = pronoun_gender_in(doc, i + 1, i + PRONOUN_WINDOW)
        if g:
            v[g == "f"] += 1
    for eid, entity in people.items():
        g = first_name_gender(entity.name, names)
        if g:
            votes[eid][g == "f"] += NAME_VOTES
    return {eid: ("m" if m > f else "f") for eid, (m, f) in votes.items() if m != f}


def pronoun_gender_in(doc: Doc, start: int, end: int) -> str | None:
    """The gender of the first personal pronoun in tokens ``start`` to ``end``, within the sentence of the
    token before ``start`` (the name: *Lopez said she …*, *Lopez and her team*); also read by
    ``scripts/build_name_genders.py``. An object pronoun is someone else (*McCaskill scolded him*): skipped."""
    for t in doc[start : min(doc[start - 1].sent.end, end)]:
        if t.lower_ in PRONOUN_GENDER and t.dep_ not in OBJECT_DEPS:
            return PRONOUN_GENDER[t.lower_]
    return None
