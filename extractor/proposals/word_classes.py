"""WordNet's coarse class of a verb or noun (*verb.communication*, *noun.feeling*), for the cue model.

The cue model learns most from a cue's lemma, but a lemma PolNeAR train shows too rarely (*implored*,
*despises*) has only its part of speech to go on. Its WordNet classes let what train teaches about
*say* and *warn* carry over. The table (``extractor/data/wordnet_classes.json``) is built by
``scripts/build_wordnet_classes.py`` from WordNet 3.1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.data import load_json

if TYPE_CHECKING:
    from spacy.tokens import Token

CLASSES_FILE = "wordnet_classes.json"
_TABLES = {"VERB": "verb", "NOUN": "noun"}


def word_classes(tok: Token) -> tuple[str, ...]:
    """The distinct WordNet classes of the token's lemma over its first senses, most frequent sense's
    first (``("communication", "cognition")``); empty for other parts of speech and unknown words."""
    table = _TABLES.get(tok.pos_)
    if table is None:
        return ()
    hit = load_json(CLASSES_FILE)[table].get(tok.lemma_.lower())
    return tuple(hit.split(",")) if hit else ()
