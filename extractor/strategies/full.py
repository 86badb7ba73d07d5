"""The ``full`` strategy: one call per chunk; a capable model lists every item as quotes.

Items that still do not ground after the re-asks are moved to ``rejected`` with the reason;
nothing is returned with a span that does not match the article.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from extractor.backends import Backend
from extractor.drafts import ArticleDraft, AttributionDraft, ClaimDraft, FigureDraft
from extractor.errors import ValidationExhaustedError
from extractor.grounding import Grounder
from extractor.items import Items
from extractor.prompts import Prompt
from extractor.schema import Attribution, Claim, Flag, Layer, Rejected
from extractor.strategies.common import Chunk, figure_from_span, shift, shift_opt


def run(chunk: Chunk, prompt: Prompt, backend: Backend) -> Items:
    grounder = Grounder(chunk.text)
    messages = prompt.render(article=chunk.text)
    out = Items()
    try:
        result = backend.structured(
            ArticleDraft,
            messages,
            sampling=prompt.spec.sampling,
            max_retries=prompt.spec.max_retries,
            context={"grounder": grounder, "strict": True},
        )
        draft: ArticleDraft | None = result.value
        out.usage += result.usage
    except ValidationExhaustedError as e:
        out.usage += e.usage
        draft = _lenient(e.last_output)
        if draft is None:
            out.flags.append(Flag(code="invalid_output", message=f"chunk at {chunk.offset}: {e}"))
            return out
    assert draft is not None
    _convert(draft, grounder, chunk.offset, out)
    return out


def _json_or_none(text: str | None) -> object:
    """The model's last output as JSON when it parses (control characters allowed in strings), else None."""
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError:
        return None


def _lenient(raw: str | None) -> ArticleDraft | None:
    data = _json_or_none(raw)
    if not isinstance(data, dict):
        return None
    try:
        return ArticleDraft.model_validate(data, context={"strict": False})
    except ValidationError:
        return None


def _convert(draft: ArticleDraft, g: Grounder, offset: int, out: Items) -> None:
    for a in draft.attributions:
        _attribution(a, g, offset, out)
    for f in draft.figures:
        _figure(f, g, offset, out)
    for c in draft.claims:
        _claim(c, g, offset, out)


def _reject(out: Items, layer: Layer, item: AttributionDraft | FigureDraft | ClaimDraft, reason: str) -> None:
    out.rejected.append(Rejected(layer=layer, item=item.model_dump(), reason=reason))


def _attribution(a: AttributionDraft, g: Grounder, offset: int, out: Items) -> None:
    content = g.ground(a.content)
    if content is None:
        return _reject(out, "attributions", a, f"content {a.content[:80]!r} is not in the article")
    source = g.ground(a.source, near=content.start)
    cue = g.ground(a.cue, near=content.start)
    if a.source and source is None:
        return _reject(out, "attributions", a, f"source {a.source!r} is not in the article")
    if a.cue and cue is None:
        return _reject(out, "attributions", a, f"cue {a.cue!r} is not in the article")
    out.attributions.append(
        Attribution(
            content=shift(content, offset),
            source=shift_opt(source, offset),
            cue=shift_opt(cue, offset),
            speaker=a.speaker,
            speaker_role=a.speaker_role,
            kind=a.kind,
        )
    )


def _figure(f: FigureDraft, g: Grounder, offset: int, out: Items) -> None:
    span = g.ground(f.number)
    if span is None:
        return _reject(out, "figures", f, f"number {f.number!r} is not in the article")
    figure = figure_from_span(shift(span, offset), f.counts, model_value=f.value, model_unit=f.unit, time=f.time)
    if figure is None:
        return _reject(out, "figures", f, f"{span.text!r} holds no number code can parse")
    out.figures.append(figure)


def _claim(c: ClaimDraft, g: Grounder, offset: int, out: Items) -> None:
    evidence = g.ground(c.evidence)
    if evidence is None:
        return _reject(out, "claims", c, f"evidence {c.evidence[:80]!r} is not in the article")
    out.claims.append(
        Claim(
            text=c.text,
            evidence=shift(evidence, offset),
            claimer=c.claimer,
            kind=c.kind,
            checkworthy=float(c.checkworthy),
        )
    )
