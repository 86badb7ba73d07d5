"""What code proposes from one article's analysis, before any choice is made.

Data flows one way: article → ``Analysis`` → proposals (this package) → choices (rules or
model, ``extractor.choosers``) → verified items (``extractor.assemble``) → result → score.
Each proposer reads the ``Analysis`` only; none re-parses the text or reaches further down.

Offsets are ``Loc`` character ranges into ``Analysis.text``. Options are ordered best first by
the rules, so the rules chooser takes option 0 and a model chooser may pick another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AttributionKind = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organisation", "group", "unnamed"]
Change = Literal["=", "~", ">", "<", "up", "down"]
ClaimKind = Literal["fact", "prediction", "opinion", "statistic", "quote", "other"]


@dataclass(frozen=True, order=True)
class Loc:
    """A character range ``[start, end)`` of the analysed text."""

    start: int
    end: int


@dataclass
class SpeakerEntity:
    """One source as the article names it: canonical name (its fullest mention), role, mentions."""

    id: str
    name: str
    kind: SpeakerKind
    role: str | None = None
    mentions: list[Loc] = field(default_factory=list)

    @property
    def named(self) -> bool:
        """False for an ``unnamed`` source (*officials*): its ``name`` is a description, not a name."""
        return self.kind != "unnamed"


@dataclass(frozen=True)
class SpeakerOption:
    """A candidate speaker for one attribution: the entity, and the mention standing for it there."""

    speaker_id: str | None  # None: an unnamed or unresolved source with no entity
    mention: Loc | None  # the source span in this attribution (a name, a pronoun, "officials")


@dataclass
class AttributionProposal:
    """A cue with its content and the speaker candidates the parse offers."""

    content: Loc
    cue: Loc | None
    kind: AttributionKind
    options: list[SpeakerOption] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class FigureProposal:
    """A quantity: parsed value (and range), unit, change, and candidates for what it counts."""

    span: Loc
    value: float
    unit: str | None = None
    change: Change = "="
    low: float | None = None
    high: float | None = None
    counts_options: list[str] = field(default_factory=list)


@dataclass
class ClaimProposal:
    """A check-worthy assertion candidate with the rules' score for being the article's main claim."""

    evidence: Loc
    text: str  # stand-alone restatement (attribution frame removed, pronouns resolved where code can)
    kind: ClaimKind = "fact"
    checkworthy: float = 0.0
    main_score: float = 0.0
    attribution: int | None = None  # index into the attribution proposals it comes from
    claimer_speaker: str | None = None  # a speaker entity id naming the claimer directly (over the attribution's)
