"""The run's identity: what made a result (prompt and its hash, or the rules' fingerprint; backend;
model). Computed once per ``Extractor`` and used by extract, batch resume, evals and the cache.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

RULES_NAME = "baseline"
RULES_VERSION = "v2"
# Every module whose code changes what the rules output; data files are hashed too.
_RULE_MODULES = (
    "analysis.py",
    "assemble.py",
    "choosers.py",
    "chunking.py",
    "figures.py",
    "grounding.py",
    "inputs.py",
    "units.py",
    "proposals",
    "data",
)


@dataclass(frozen=True)
class RunIdentity:
    """Names a run's recipe; two results with equal identities came from the same recipe."""

    prompt: str
    prompt_version: str
    prompt_sha256: str
    strategy: str
    backend: str
    model: str

    @property
    def key(self) -> str:
        """One string for resume and caching: name@version, hash, backend and model."""
        return f"{self.prompt}@{self.prompt_version}:{self.prompt_sha256}:{self.backend}:{self.model}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@functools.cache
def rules_fingerprint() -> str:
    """SHA-256 over every source and data file that changes rule output (recorded as the prompt hash)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _RULE_MODULES:
        path = here / name
        files = sorted(p for p in path.rglob("*") if p.suffix in (".py", ".json", ".txt")) if path.is_dir() else [path]
        for f in files:
            if f.exists():
                digest.update(str(f.relative_to(here)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()


def rules_identity() -> RunIdentity:
    """The identity of the no-model path (``--backend baseline``)."""
    return RunIdentity(RULES_NAME, RULES_VERSION, rules_fingerprint(), "rules", "baseline", "rules")
