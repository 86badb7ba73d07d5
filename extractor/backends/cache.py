"""On-disk cache of raw model responses, keyed by everything that shapes the response.

The key hashes backend, model and the full request (messages, which embed the prompt and
the article; response schema; sampling), so a re-run with nothing changed makes no call.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def request_key(backend: str, model: str, request: dict[str, Any]) -> str:
    payload = json.dumps({"backend": backend, "model": model, "request": request}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class ResponseCache:
    """One JSON file per response under ``root/ab/abcdef….json``, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            return json.loads(path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            json.dump(value, f)
        os.replace(tmp, path)
