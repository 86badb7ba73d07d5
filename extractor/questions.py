"""The decisions left open by the proposals, as ``Question``s a chooser answers.

One speaker question per attribution, one counts question per figure with several candidates,
and one main-claim question over the top claim candidates. Options are labels (names, phrases,
claim texts) in the proposers' order, so option 0 is always the rules' answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.analysis import Analysis
from extractor.choosers import Question
from extractor.proposals import AttributionProposal, ClaimProposal, FigureProposal, Loc, SpeakerEntity

MAIN_CLAIM_OPTIONS = 3
ADJACENT_CHARS = 2


@dataclass
class Questions:
    """The questions of one article, grouped by what they decide."""

    speaker: list[Question] = field(default_factory=list)
    counts: list[Question | None] = field(default_factory=list)
    main_claim: Question | None = None
    main_candidates: list[int] = field(default_factory=list)  # claim indices behind main_claim's options

    def all(self) -> list[Question]:
        out = [*self.speaker, *(q for q in self.counts if q is not None)]
        return out + ([self.main_claim] if self.main_claim is not None else [])


def speaker_label(
    analysis: Analysis, entities: dict[str, SpeakerEntity], option_id: str | None, mention: Loc | None
) -> str:
    """What an option is called: a named entity's canonical name, else the words of its mention."""
    if option_id is not None and option_id in entities and entities[option_id].named:
        return entities[option_id].name
    return analysis.text[mention.start : mention.end] if mention is not None else "unnamed source"


def build(
    analysis: Analysis,
    attributions: list[AttributionProposal],
    speakers: list[SpeakerEntity],
    figures: list[FigureProposal],
    claims: list[ClaimProposal],
) -> Questions:
    """Every open decision of the article, in a fixed order (so caches and cassettes replay)."""
    entities = {s.id: s for s in speakers}
    out = Questions()
    for a in attributions:
        out.speaker.append(_speaker_question(analysis, entities, a))
    for f in figures:
        out.counts.append(_counts_question(analysis, f))
    ranked = sorted(range(len(claims)), key=lambda i: -claims[i].main_score)[:MAIN_CLAIM_OPTIONS]
    if ranked:
        out.main_candidates = ranked
        out.main_claim = Question(
            kind="main_claim",
            options=_unique(tuple(claims[i].text for i in ranked)),
            sentence=analysis.sentences[0].text.strip(),
        )
    return out


def _speaker_question(analysis: Analysis, entities: dict[str, SpeakerEntity], a: AttributionProposal) -> Question:
    labels: list[str] = []
    required = None
    anchor = a.cue or a.content
    for o in a.options:
        label = speaker_label(analysis, entities, o.speaker_id, o.mention)
        if a.cue is not None and o.mention is not None and required is None and _touches(o.mention, a.cue):
            required = labels.index(label) if label in labels else len(labels)
        if label not in labels:
            labels.append(label)
    sentence, before = _sentence(analysis, anchor)
    t = analysis.text
    return Question(
        kind="speaker",
        options=tuple(labels),
        sentence=sentence,
        before=before,
        cue=t[a.cue.start : a.cue.end] if a.cue else None,
        content=t[a.content.start : a.content.end],
        required=required,
    )


def _counts_question(analysis: Analysis, f: FigureProposal) -> Question | None:
    if len(f.counts_options) < 2:
        return None
    sentence, before = _sentence(analysis, f.span)
    return Question(
        kind="counts",
        options=_unique(tuple(f.counts_options)),
        sentence=sentence,
        before=before,
        number=analysis.text[f.span.start : f.span.end],
    )


def _touches(m: Loc, cue: Loc) -> bool:
    return 0 <= cue.start - m.end <= ADJACENT_CHARS or 0 <= m.start - cue.end <= ADJACENT_CHARS


def _sentence(analysis: Analysis, loc: Loc) -> tuple[str, str]:
    """The sentence holding ``loc`` and the one before it (empty at the start)."""
    sents = analysis.sentences
    if not sents:
        return "", ""
    i = analysis.sentence_index(loc.start)
    return sents[i].text.strip(), sents[i - 1].text.strip() if i else ""


def _unique(labels: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(labels))
