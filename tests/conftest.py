"""Shared fixtures. Cassette set-up lives in ``cassettes.py``; gold data is read from ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """Tests never see the developer's keys, servers or caches."""
    for var in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "EXTRACTOR_BASE_URL",
        "EXTRACTOR_MODEL",
        "EXTRACTOR_BACKEND",
        "EXTRACTOR_MODEL_PATH",
        "EXTRACTOR_PROMPT",
        "EXTRACTOR_MODE",
        "EXTRACTOR_RESPONSE_CACHE",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(Path.home() / ".cache" / "extractor"))


@pytest.fixture
def kerman() -> str:
    path = SHARED / "kerman-article.txt"
    if not path.exists():
        pytest.skip("../shared/kerman-article.txt is not beside the checkout")
    return path.read_text()
