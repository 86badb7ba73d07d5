"""The run's identity: what made a result (prompt and its hash, or the rules' fingerprint; backend;
model). Computed once per ``Extractor`` and used by extract, batch resume, evals and the cache.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from extractor.schema import RunIdentity

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
    return RunIdentity(
        prompt=RULES_NAME, prompt_version=RULES_VERSION, prompt_sha256=rules_fingerprint(), strategy="rules",
        backend="baseline", model="rules", rules_sha256=rules_fingerprint(),
    )  # fmt: skip


__all__ = ["RunIdentity", "rules_fingerprint", "rules_identity"]
