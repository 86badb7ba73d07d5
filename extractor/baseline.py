"""The rule baseline: the guided strategy's candidates, chosen by position instead of a model.

Quote marks and a cue-verb lexicon for attributions, the number grammar for figures, and
every sentence with a cue, a number or a name as a claim: the floor every prompt must beat.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.strategies.guided import NONE, Choice, SentencePlan

BASELINE_NAME = "baseline"
BASELINE_VERSION = "v1"


def choose(p: SentencePlan) -> Choice:
    """Nearest name to the cue as speaker, the unit or next words as counts, cue sentences as claims."""
    model = p.decision_model()
    values: dict[str, object] = {}
    if p.attribution is not None:
        values["speaker"] = p.speaker_options[0] if p.speaker_options else NONE
    for i, fig in enumerate(p.figures, 1):
        if len(fig.choices) > 1:
            values[f"counts_{i}"] = fig.choices[0]
    if p.is_claim:
        values["claim"] = "quote" if p.attribution and p.attribution.kind == "direct" else "fact"
        values["checkworthy"] = bool(p.figures or p.attribution)
    return Choice(model.model_validate(values))


def fingerprint() -> str:
    """SHA-256 of the code that makes baseline results, recorded where a prompt hash would be."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("baseline.py", "candidates.py", "figures.py", "strategies/guided.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()
