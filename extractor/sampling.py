"""Model parameters a prompt version was written and measured with.

Shared by the prompt files (which declare them) and the backends (which send them), so that
neither layer imports the other.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Sampling(BaseModel):
    """Temperature, output cap, nucleus and seed; unknown keys are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    temperature: float = 0.0
    max_tokens: int = 1024
    top_p: float | None = None
    seed: int | None = 0
