"""The training file a learned table is built from, and the provenance every such table records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def read_articles(path: Path) -> tuple[bytes, list[dict[str, Any]]]:
    """The file's bytes (for its hash) and its articles, one JSON object per non-blank line."""
    raw = path.read_bytes()
    return raw, [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]


def provenance(script: str, path: Path, raw: bytes) -> dict[str, str]:
    """What a learned table records first: the script that built it and the training file it read."""
    return {"built_by": script, "source": path.name, "source_sha256": hashlib.sha256(raw).hexdigest()}
