"""The ``guided`` strategy for small models: code proposes, the model chooses, code verifies.

Per sentence, code finds the attribution cue, the content, speaker candidates and every
number; the model only picks among those candidates (a grammar allows nothing else):
who the source is, what each number counts, and what kind of claim the sentence makes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, create_model, model_validator

from extractor.backends import Backend
from extractor.candidates import (
    AttributionCandidate,
    Mention,
    Sentence,
    all_names,
    attribution_candidates,
    name_mentions,
    role_before,
    sentences,
    split_role,
)
from extractor.errors import ValidationExhaustedError
from extractor.figures import ParsedNumber, find_numbers
from extractor.prompts import Prompt
from extractor.schema import Attribution, Claim, ClaimKind, Rejected, Span
from extractor.strategies.common import Chunk, Partial, figure_from_parsed

NONE = "none"
CLAIM_CHOICES = ("fact", "prediction", "opinion", "statistic", "quote")
MIN_CLAIM_WORDS = 6
_STOP = {"of", "in", "on", "at", "to", "for", "by", "from", "with", "as", "and", "or", "the", "a", "an", "that"}


class DecisionBase(BaseModel):
    """Code verifies the model's choice: a name standing right by the cue cannot be passed over."""

    @model_validator(mode="after")
    def _speaker_next_to_cue(self, info: ValidationInfo) -> DecisionBase:
        adjacent = (info.context or {}).get("adjacent")
        if adjacent and getattr(self, "speaker", None) == NONE:
            name, mention, cue = adjacent
            raise ValueError(
                f"speaker cannot be 'none': {mention!r} stands right next to the cue {cue!r}; "
                f"choose the option that names them ({name!r} is one)"
            )
        return self


@dataclass
class FigurePlan:
    number: ParsedNumber
    choices: list[str]


@dataclass
class SentencePlan:
    """Everything code found in one sentence, and the choice model the decision must fit."""

    sentence: Sentence
    before: str
    attribution: AttributionCandidate | None
    figures: list[FigurePlan] = field(default_factory=list)
    is_claim: bool = False

    @property
    def needs_choice(self) -> bool:
        """False when code has nothing to ask (no cue, no ambiguous number, not a claim)."""
        return bool(self.attribution or self.is_claim or any(len(f.choices) > 1 for f in self.figures))

    @property
    def speaker_options(self) -> list[str]:
        return list(self.attribution.options) if self.attribution else []

    def decision_model(self, *, allow_none: bool = True) -> type[BaseModel]:
        """A model whose fields only admit this sentence's candidates (a grammar on llama.cpp)."""
        fields: dict[str, Any] = {}
        if self.attribution is not None:
            options = tuple(self.speaker_options) + ((NONE,) if allow_none or not self.speaker_options else ())
            fields["speaker"] = (Literal[options], Field(description="who the words are attributed to"))
        for i, fig in enumerate(self.figures, 1):
            if len(fig.choices) > 1:
                fields[f"counts_{i}"] = (
                    Literal[tuple(fig.choices)],
                    Field(description=f"what {fig.number.text!r} counts"),
                )
        if self.is_claim:
            fields["claim"] = (Literal[CLAIM_CHOICES], Field(description="the kind of claim the sentence makes"))
            fields["checkworthy"] = (bool, Field(description="could a fact-checker verify it"))
        return create_model("SentenceDecision", __base__=DecisionBase, **fields)

    def adjacent(self) -> tuple[str, str, str] | None:
        """The option whose mention touches the cue ('Raisi condemned', 'said Kirby'), if any."""
        a = self.attribution
        if a is None:
            return None
        for name, m in a.options.items():
            if m is not None and (0 <= a.cue.start - m.end <= 2 or 0 <= m.start - a.cue.end <= 2):
                return name, m.text, a.cue.text
        return None

    def variables(self) -> dict[str, Any]:
        a = self.attribution
        return {
            "sentence": self.sentence.text,
            "before": self.before,
            "cue": a.cue.text if a else None,
            "content": a.content.text if a else None,
            "options": self.speaker_options,
            "figures": [{"number": f.number.text, "choices": f.choices} for f in self.figures],
            "is_claim": self.is_claim,
        }


Chooser = Callable[[SentencePlan], "Choice"]


@dataclass
class Choice:
    """A decision for one sentence (None when no valid one was had) and what it cost."""

    decision: BaseModel | None
    attempts: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    error: str | None = None


def model_chooser(prompt: Prompt, backend: Backend) -> Chooser:
    """The model chooses; when code rejects a choice, one re-ask with the reason and narrowed options."""
    spec = prompt.spec

    def choose(p: SentencePlan) -> Choice:
        messages = prompt.render(**p.variables())
        context = {"adjacent": p.adjacent()}
        ask = functools.partial(backend.structured, sampling=spec.sampling, max_retries=0, context=context)
        try:
            r = ask(p.decision_model(), messages)
        except ValidationExhaustedError as first:
            if spec.max_retries < 1:
                return Choice(None, first.attempts, 0, first.prompt_tokens, first.completion_tokens, first.reason)
            feedback = [
                *messages,
                {"role": "assistant", "content": first.last_output or ""},
                {"role": "user", "content": f"That answer is wrong: {first.reason}. Choose again."},
            ]
            try:
                r = ask(p.decision_model(allow_none=False), feedback)
            except ValidationExhaustedError as second:
                return Choice(
                    None,
                    first.attempts + second.attempts,
                    0,
                    first.prompt_tokens + second.prompt_tokens,
                    first.completion_tokens + second.completion_tokens,
                    second.reason,
                )
            return Choice(
                r.value,
                first.attempts + r.attempts,
                r.cached,
                first.prompt_tokens + r.prompt_tokens,
                first.completion_tokens + r.completion_tokens,
            )
        return Choice(r.value, r.attempts, r.cached, r.prompt_tokens, r.completion_tokens)

    return choose


def plan(text: str) -> list[SentencePlan]:
    """Code proposes: one plan per sentence that has an attribution cue or a number."""
    sents = sentences(text)
    by_sentence = {c.sentence.start: c for c in attribution_candidates(text, sents)}
    plans = []
    for i, s in enumerate(sents):
        numbers = [_offset(n, s.start) for n in find_numbers(s.text)]
        attribution = by_sentence.get(s.start)
        named = bool(name_mentions(text, s.start, s.end))
        plans.append(
            SentencePlan(
                sentence=s,
                before=sents[i - 1].text if i else "",
                attribution=attribution,
                figures=[FigurePlan(n, _counts_choices(text, n)) for n in numbers],
                is_claim=len(s.text.split()) >= MIN_CLAIM_WORDS and bool(numbers or attribution or named),
            )
        )
    return plans


def run(chunk: Chunk, choose: Chooser) -> Partial:
    """Plan the chunk, ask ``choose`` for each sentence's decision, and build verified items."""
    out = Partial()
    for p in plan(chunk.text):
        choice = choose(p) if p.needs_choice else Choice(p.decision_model().model_validate({}))
        out.calls += choice.attempts
        out.cached_calls += choice.cached
        out.retries += max(choice.attempts - 1, 0)
        out.prompt_tokens += choice.prompt_tokens
        out.completion_tokens += choice.completion_tokens
        _build(p, choice, chunk, out)
    return out


def _build(p: SentencePlan, choice: Choice, chunk: Chunk, out: Partial) -> None:
    text, off = chunk.text, chunk.offset
    d = choice.decision.model_dump() if choice.decision is not None else {}
    for i, fig in enumerate(p.figures, 1):
        counts = d.get(f"counts_{i}") or (fig.choices[0] if fig.choices else None)
        out.figures.append(figure_from_parsed(fig.number, _span(text, fig.number.start, fig.number.end, off), counts))
    speaker: str | None = None
    a = p.attribution
    if a is not None and choice.decision is None:
        out.rejected.append(
            Rejected(
                layer="attributions",
                item={"sentence": p.sentence.text, "options": p.speaker_options},
                reason=f"no valid speaker choice from the model: {choice.error}",
            )
        )
    elif a is not None:
        speaker = d.get("speaker")
        mention = a.options.get(speaker) if speaker and speaker != NONE else None
        speaker = speaker if speaker != NONE else None
        out.attributions.append(
            Attribution(
                content=_span(text, a.content.start, a.content.end, off),
                source=_span(text, mention.start, mention.end, off) if mention else None,
                cue=_span(text, a.cue.start, a.cue.end, off),
                speaker=speaker,
                speaker_role=_role(text, speaker) if speaker else None,
                kind=a.kind,  # type: ignore[arg-type]
            )
        )
    kind = d.get("claim")
    if kind is not None:
        s = p.sentence
        claim_kind: ClaimKind = kind
        out.claims.append(
            Claim(
                text=s.text,
                evidence=_span(text, s.start, s.end, off),
                claimer=speaker,
                kind=claim_kind,
                checkworthy=bool(d.get("checkworthy")),
            )
        )


def _span(text: str, start: int, end: int, offset: int) -> Span:
    return Span(start=start + offset, end=end + offset, text=text[start:end], match="code")


def _offset(n: ParsedNumber, by: int) -> ParsedNumber:
    return ParsedNumber(n.start + by, n.end + by, n.text, n.value, n.unit, n.change, n.core_end + by)


def _role(text: str, name: str) -> str | None:
    for m in all_names(text):
        if m.text.endswith(name):
            role, _ = split_role(m.text)
            return role or role_before(text, Mention(m.start, m.end, m.text))
    return None


def _counts_choices(text: str, n: ParsedNumber) -> list[str]:
    """Candidate phrases for what a number counts: the words after it, short and long."""
    if n.unit == "year" and n.text.isdigit():
        return []
    tail = text[n.core_end : n.core_end + 120]
    long_m = re.match(r"\s*([^.;:()\"“”]{1,100}?)(?=[.;:()\"“”]|$)", tail)
    words = (long_m.group(1) if long_m else "").split()[:10]
    words = [w.strip(",") for w in words]
    short: list[str] = []
    for w in words:
        if w.lower() in _STOP and short:
            break
        short.append(w)
    out: list[str] = []
    for c in (short[:3], words):
        phrase = " ".join(c).strip(" ,")
        if phrase and phrase not in out:
            out.append(phrase)
    return out[:3]
