"""Proposals plus answers → verified result items, with ids and the links between them.

Every span is cut from the analysed text by code (``match="code"``), so ``text[start:end] ==
span.text`` holds by construction. Ids: speakers ``s1…``, attributions ``a1…``, figures ``f1…``,
claims ``c1…``, in text order. A figure links to the attribution whose content holds it and to
the claim whose evidence holds it; a claim to its claimer's speaker id and its figures.
"""

from __future__ import annotations

from extractor.analysis import Analysis
from extractor.choosers import Answer
from extractor.items import Items
from extractor.proposals import AttributionProposal, ClaimProposal, FigureProposal, Loc, SpeakerEntity
from extractor.questions import Questions, speaker_label
from extractor.schema import Attribution, Claim, Figure, Rejected, Span, Speaker, Usage


def span(analysis: Analysis, loc: Loc) -> Span:
    return Span(start=loc.start, end=loc.end, text=analysis.text[loc.start : loc.end], match="code")


def assemble(
    analysis: Analysis,
    speakers: list[SpeakerEntity],
    attributions: list[AttributionProposal],
    figures: list[FigureProposal],
    claims: list[ClaimProposal],
    questions: Questions,
    answers: dict[int, Answer],
    *,
    max_claims: int | None,
) -> Items:
    """Build the items; ``answers`` maps ``id(question)`` to its answer."""
    out = Items(usage=sum((a.usage for a in answers.values()), Usage()))
    entities = {s.id: s for s in speakers}
    _speakers(analysis, speakers, out)
    speaker_of = _attributions(analysis, entities, attributions, questions, answers, out)
    _figures(analysis, figures, questions, answers, out)
    _claims(analysis, claims, speaker_of, questions, answers, out, max_claims)
    _link(out)
    return out


def _speakers(analysis: Analysis, speakers: list[SpeakerEntity], out: Items) -> None:
    for s in speakers:
        out.speakers.append(
            Speaker(id=s.id, name=s.name, role=s.role, kind=s.kind, mentions=[span(analysis, m) for m in s.mentions])
        )


def _attributions(
    analysis: Analysis,
    entities: dict[str, SpeakerEntity],
    proposals: list[AttributionProposal],
    questions: Questions,
    answers: dict[int, Answer],
    out: Items,
) -> list[str | None]:
    """Attributions with their chosen speaker; returns each proposal's (speaker id, name) for claims."""
    speaker_of: list[tuple[str | None, str | None]] = []
    for p, q in zip(proposals, questions.speaker, strict=True):
        answer = answers[id(q)]
        chosen = q.options[answer.index] if answer.index is not None else None
        option = next(
            (o for o in p.options if speaker_label(analysis, entities, o.speaker_id, o.mention) == chosen), None
        )
        if answer.error is not None:
            out.rejected.append(
                Rejected(
                    layer="attributions",
                    item={"content": analysis.text[p.content.start : p.content.end], "options": list(q.options)},
                    reason=f"no valid speaker choice from the model: {answer.error}; the rules' choice was kept",
                )
            )
            option = p.options[0] if p.options else None
        entity = entities.get(option.speaker_id) if option and option.speaker_id else None
        # an unnamed source ("the harbour authority") has no name (its entity, if any, is kind ``unnamed``) but
        # its words still say who claims it
        mention = analysis.text[option.mention.start : option.mention.end] if option and option.mention else None
        named = entity is not None and entity.named
        speaker_of.append((entity.id if entity else None, entity.name if named else mention))
        out.attributions.append(
            Attribution(
                content=span(analysis, p.content),
                source=span(analysis, option.mention) if option and option.mention else None,
                cue=span(analysis, p.cue) if p.cue else None,
                speaker=entity.name if named else None,
                speaker_role=entity.role if named else None,
                speaker_id=entity.id if entity else None,
                kind=p.kind,
            )
        )
    return speaker_of


def _figures(
    analysis: Analysis, proposals: list[FigureProposal], questions: Questions, answers: dict[int, Answer], out: Items
) -> None:
    for p, q in zip(proposals, questions.counts, strict=True):
        counts = p.counts_options[0] if p.counts_options else None
        if q is not None:
            index = answers[id(q)].index
            counts = q.options[index] if index is not None else counts
        parsed = {k: getattr(p, k) for k in ("value", "unit", "change", "low", "high")}
        out.figures.append(Figure(span=span(analysis, p.span), counts=counts, **parsed))


def _claims(
    analysis: Analysis,
    proposals: list[ClaimProposal],
    speaker_of: list[tuple[str | None, str | None]],
    questions: Questions,
    answers: dict[int, Answer],
    out: Items,
    max_claims: int | None,
) -> None:
    main = questions.main_candidates[0] if questions.main_candidates else None
    if questions.main_claim is not None:
        index = answers[id(questions.main_claim)].index
        if index is not None:
            chosen = questions.main_claim.options[index]
            main = next(i for i in questions.main_candidates if proposals[i].text == chosen)
    order = sorted(range(len(proposals)), key=lambda i: (i != main, -proposals[i].checkworthy, i))
    keep = order if max_claims is None else order[:max_claims]
    names = {s.id: s.name for s in out.speakers}
    for i in sorted(keep, key=lambda i: proposals[i].evidence.start):
        p = proposals[i]
        claimer_id, claimer = speaker_of[p.attribution] if p.attribution is not None else (None, None)
        if p.claimer_speaker:
            claimer_id, claimer = p.claimer_speaker, names.get(p.claimer_speaker)
        out.claims.append(
            Claim(
                text=p.text,
                evidence=span(analysis, p.evidence),
                claimer=claimer,
                claimer_id=claimer_id,
                kind=p.kind,
                checkworthy=round(min(max(p.checkworthy, 0.0), 1.0), 4),
                main=i == main,
            )  # fmt: skip
        )


def _link(out: Items) -> None:
    """Ids in text order, then each figure to the attribution and claim that hold it."""
    out.attributions.sort(key=lambda a: (a.content.start, a.content.end))
    out.figures.sort(key=lambda f: (f.span.start, f.span.end))
    for prefix, items in (("a", out.attributions), ("f", out.figures), ("c", out.claims)):
        for n, item in enumerate(items, 1):
            item.id = f"{prefix}{n}"
    for f in out.figures:
        f.attribution_id = next((a.id for a in out.attributions if _holds(a.content, f.span)), None)
        f.claim_id = next((c.id for c in out.claims if _holds(c.evidence, f.span)), None)
        if f.claim_id is not None:
            next(c for c in out.claims if c.id == f.claim_id).figure_ids.append(f.id or "")


def _holds(outer: Span, inner: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end
