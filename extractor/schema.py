"""The results we return: every item is tied to exact character offsets of the article.

These are the user-facing models. What the model is asked to write lives in ``drafts.py``;
code turns drafts into these only after grounding every quoted snippet.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AttributionKind = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organisation", "group", "unnamed"]
Change = Literal["=", "~", ">", "<", "up", "down"]
ClaimKind = Literal["fact", "prediction", "opinion", "statistic", "quote", "other"]
MatchKind = Literal["exact", "normalised", "fuzzy", "code"]
Layer = Literal["attributions", "figures", "claims"]


class Span(BaseModel):
    """A stretch of the article: ``text == article[start:end]`` (Python offsets, end exclusive)."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    match: MatchKind = "exact"

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        if len(self.text) != self.end - self.start:
            raise ValueError("span text length does not match its offsets")
        return self


class Speaker(BaseModel):
    """A source as the article names it: its fullest name, role, kind and every mention. An ``unnamed``
    source (*officials*, *a spokesperson for the minister*) is called by its description, not a name."""

    id: str
    name: str
    role: str | None = None
    kind: SpeakerKind = "person"
    mentions: list[Span] = Field(default_factory=list)


class Attribution(BaseModel):
    """Who said (or believes, or intends) what, in PolNeAR/PARC's sense."""

    id: str | None = None
    content: Span
    source: Span | None = None
    cue: Span | None = None
    speaker: str | None = Field(
        None, description="resolved full name, e.g. 'Ebrahim Raisi' for 'he'; null when the text names no one"
    )
    speaker_role: str | None = None
    speaker_id: str | None = Field(None, description="the id of the speaker in ``ArticleExtraction.speakers``")
    kind: AttributionKind = "indirect"


class Figure(BaseModel):
    """A number in the article: value and unit parsed by code, what it counts from the model."""

    id: str | None = None
    span: Span
    value: float
    unit: str | None = None
    change: Change = "="
    low: float | None = Field(None, description="lower end of a range ('200 to 250' → 200)")
    high: float | None = Field(None, description="upper end of a range ('200 to 250' → 250)")
    counts: str | None = None
    time: str | None = None
    model_value: float | None = Field(
        None, description="the model's own number when it disagreed with the parsed one (parsed wins)"
    )
    attribution_id: str | None = Field(None, description="the attribution whose content holds this figure")
    claim_id: str | None = Field(None, description="the claim whose evidence holds this figure")


class Claim(BaseModel):
    """A checkable statement, restated so that it makes sense out of context."""

    id: str | None = None
    text: str
    evidence: Span
    claimer: str | None = Field(None, description="null when the publication itself asserts it")
    claimer_id: str | None = Field(None, description="the id of the claimer in ``ArticleExtraction.speakers``")
    kind: ClaimKind = "fact"
    checkworthy: float = Field(0.0, ge=0.0, le=1.0, description="how worth checking, 0 to 1")
    main: bool = Field(False, description="the article's central news claim (exactly one per article)")
    figure_ids: list[str] = Field(default_factory=list)


class Rejected(BaseModel):
    """An item the model proposed that could not be grounded in the article, and why."""

    layer: Layer
    item: dict[str, Any]
    reason: str


class Flag(BaseModel):
    """Something about the input a user should know before trusting the result."""

    code: Literal[
        "html_stripped", "possible_prompt_injection", "non_english", "chunked", "invalid_output", "run_on_text"
    ]
    message: str
    span: Span | None = None


class Usage(BaseModel):
    """What model calls cost: immutable, added with ``+`` (failed attempts count too)."""

    model_config = ConfigDict(frozen=True)

    calls: int = Field(0, description="model requests made, cache hits included")
    cached_calls: int = 0
    retries: int = Field(0, description="validation re-asks")
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(**{k: getattr(self, k) + getattr(other, k) for k in Usage.model_fields})


class RunIdentity(BaseModel):
    """Names a run's recipe (prompt and its hash, or the rules' fingerprint; backend; model): two
    results with equal identities came from the same recipe."""

    model_config = ConfigDict(frozen=True)

    prompt: str
    prompt_version: str
    prompt_sha256: str
    strategy: str
    backend: str
    model: str
    decisions: str = Field("", description="guided prompts: the decisions the model made (comma-separated)")
    rules_sha256: str = Field("", description="the rules' fingerprint, where rules propose or choose (guided, rules)")

    @property
    def ref(self) -> str:
        """``name@version`` of the prompt (``baseline@v2`` for the rules)."""
        return f"{self.prompt}@{self.prompt_version}"

    @property
    def key(self) -> str:
        """One string for resume and caching: name@version, hash, backend and model."""
        key = f"{self.prompt}@{self.prompt_version}:{self.prompt_sha256}:{self.backend}:{self.model}"
        if self.rules_sha256 and self.rules_sha256 != self.prompt_sha256:
            key += f":rules={self.rules_sha256[:16]}"
        return f"{key}:{self.decisions}" if self.decisions else key


class Meta(RunIdentity):
    """How a result was made, so that it can be reproduced and compared."""

    model_config = ConfigDict(frozen=False)

    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    chunks: int = 1
    cost_usd: float | None = Field(None, description="from the price table, when the model is in it")
    library_version: str


class ItemLists(BaseModel):
    """The items of one article (shared by the result and the pipeline's ``Items``)."""

    speakers: list[Speaker] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)


class _Article(BaseModel):
    id: str | None = None
    metadata: dict[str, Any] | None = None
    text: str = Field(description="the text all offsets refer to (after HTML stripping, if any)")
    text_sha256: str


class ArticleExtraction(ItemLists, _Article):  # fields in order: id … text_sha256, the items, meta
    """Everything extracted from one article, plus what was rejected and how it was made."""

    meta: Meta

    def spans(self) -> list[Span]:
        """Every span in the result, for checks such as ``text[s.start:s.end] == s.text``."""
        out: list[Span] = [m for s in self.speakers for m in s.mentions]
        for a in self.attributions:
            out += [s for s in (a.content, a.source, a.cue) if s is not None]
        out += [f.span for f in self.figures]
        out += [c.evidence for c in self.claims]
        out += [f.span for f in self.flags if f.span is not None]
        return out
