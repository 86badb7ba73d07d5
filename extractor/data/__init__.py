"""Word lists and learned tables shipped with the package, loaded once and passed as parameters.

Each file here is data, not code: ``*.json`` tables (learned ones name the script that built
them) and ``*.txt`` word lists (one entry a line, ``#`` comments). Anything that changes rule
output lives here or in code, so ``identity.rules_fingerprint`` hashes it.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.cache
def load_json(name: str) -> Any:
    """A JSON table from ``extractor/data`` (cached: loaded once per process)."""
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@functools.cache
def load_words(name: str) -> frozenset[str]:
    """A word list from ``extractor/data``: one entry a line, blank lines and ``#`` comments skipped."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
