"""What a capable model is asked to write (the ``full`` strategy): quotes, not offsets.

Validators ground every quoted snippet in the article passed as validation context; their
messages are the feedback Instructor sends back on a re-ask, so they say how to fix it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from extractor.figures import parse_number
from extractor.grounding import Grounder
from extractor.schema import AttributionKind, ClaimKind


def _check_quote(value: str | None, info: ValidationInfo, *, required: bool) -> str | None:
    context: dict[str, Any] = info.context or {}
    grounder: Grounder | None = context.get("grounder")
    if value is None or not value.strip():
        if required and context.get("strict", True):
            raise ValueError(f"{info.field_name} must quote words from the article")
        return value
    if grounder is not None and context.get("strict", True) and grounder.ground(value) is None:
        raise ValueError(
            f"{info.field_name} {value[:120]!r} is not in the article: copy the words exactly as they appear"
        )
    return value


class AttributionDraft(BaseModel):
    content: str = Field(description="the attributed words, copied exactly from the article (quote or paraphrase)")
    source: str | None = Field(
        None, description="who it is attributed to, copied exactly as written ('he', 'officials')"
    )
    cue: str | None = Field(None, description="the attribution word(s) copied exactly: said, told, according to")
    speaker: str | None = Field(
        None, description="the source's full name from anywhere in the article; null if unnamed"
    )
    speaker_role: str | None = Field(None, description="the source's title or role, e.g. 'Iranian President'")
    kind: AttributionKind = Field("indirect", description="direct quote, indirect paraphrase, or mixed")

    @field_validator("content")
    @classmethod
    def _content_in_article(cls, v: str, info: ValidationInfo) -> str:
        return _check_quote(v, info, required=True) or v

    @field_validator("source", "cue")
    @classmethod
    def _optional_in_article(cls, v: str | None, info: ValidationInfo) -> str | None:
        return _check_quote(v, info, required=False)


class FigureDraft(BaseModel):
    number: str = Field(
        description="the number exactly as written with its qualifier, e.g. 'nearly 100', '$4.2 billion'"
    )
    counts: str = Field(description="what the number counts or measures, e.g. 'people wounded in the twin blasts'")
    value: float | None = Field(None, description="the number as a plain value, e.g. 4200000000")
    unit: str | None = Field(None, description="people, USD, percent, year, km…")
    time: str | None = Field(None, description="the time the figure refers to, if stated")

    @field_validator("number")
    @classmethod
    def _number_in_article(cls, v: str, info: ValidationInfo) -> str:
        _check_quote(v, info, required=True)
        if (info.context or {}).get("strict", True) and parse_number(v) is None:
            raise ValueError(f"number {v!r} holds no number: quote the digits or number words as written")
        return v


class ClaimDraft(BaseModel):
    text: str = Field(description="the claim restated as one self-contained sentence")
    evidence: str = Field(description="the sentence of the article that makes the claim, copied exactly")
    claimer: str | None = Field(None, description="who makes the claim; null if the publication itself asserts it")
    kind: ClaimKind = "fact"
    checkworthy: bool = Field(False, description="true if a fact-checker could and should verify it")

    @field_validator("evidence")
    @classmethod
    def _evidence_in_article(cls, v: str, info: ValidationInfo) -> str:
        return _check_quote(v, info, required=True) or v


class ArticleDraft(BaseModel):
    """Everything the model found in one chunk of the article."""

    attributions: list[AttributionDraft] = Field(default_factory=list)
    figures: list[FigureDraft] = Field(default_factory=list)
    claims: list[ClaimDraft] = Field(default_factory=list)
