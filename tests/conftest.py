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


@pytest.fixture
def cassette(request):
    """Replay tests/cassettes/<module>/<test>.yaml (record it when EXTRACTOR_RECORD is set)."""
    from tests.cassettes import CASSETTES, RECORDING, RERECORD, make_vcr

    module = request.module.__name__.rsplit(".", 1)[-1]
    path = CASSETTES / module / f"{request.node.name}.yaml"
    if not RECORDING and not path.exists():
        pytest.fail(f"no cassette {path.relative_to(ROOT)}: {RERECORD}")
    with make_vcr().use_cassette(str(path)) as cass:
        yield cass


@pytest.fixture
def server_settings():
    """Settings that talk to the recording server (replayed from cassettes unless recording)."""
    import os

    from extractor import Settings
    from tests.cassettes import RECORDING, server

    info = server()
    return lambda **kw: Settings.resolve(
        backend="openai",
        base_url=info["base_url"],
        model=info["model"],
        api_key=os.environ.get("OPENAI_API_KEY") or "badkey",
        transport_retries=kw.pop("transport_retries", 2 if RECORDING else 0),
        # every decision a guided prompt can ask goes to the model here: these tests exercise the HTTP path
        model_decisions=kw.pop("model_decisions", "speaker,counts,main_claim"),
        **kw,
    )


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    """Turn 'no recorded response matches' (wrapped by the openai client) into a fix-it message."""
    from tests.cassettes import RERECORD, mismatch_in

    try:
        return (yield)
    except BaseException as e:
        found = mismatch_in(e)
        if found is None:
            raise
        pytest.fail(f"a request is not in the cassette: {found}\n→ {RERECORD}", pytrace=False)
