"""The fault table: what each way a server can misbehave turns into. README's "Failures" shows it.

A broken server must never look like a finished article: a reply that is not a chat completion is
retried and then an error (``TransportError`` with a ``cause``); only a model that answered, and
whose answer stayed invalid after the re-asks, gives a result (flagged, or with rejected items).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from extractor import Extractor, Settings
from extractor.errors import TransportError
from tests.cassettes import server
from tests.faults import BRANDT, PROMPT, FaultServer, Reply, brandt_completion, ok, tool_call_completion

GOOD = brandt_completion()
MB10 = 10 * 1024 * 1024
JUNK = '{"attributions": [{"content": "' + "y" * MB10  # a completion, but its arguments are cut-off JSON
NOT_IN_ARTICLE = {
    "attributions": [{"content": "the moon is made of cheese", "speaker": "Tomas Brandt", "cue": "said"}],
    "figures": [],
    "claims": [],
}


@dataclass
class Row:
    script: list[Reply]
    outcome: str  # error (retried, then TransportError) | result | flagged | rejected
    cause: str | None = None  # TransportError.cause when outcome is error
    received: int | None = None  # requests the server saw
    prompt: str = PROMPT
    timeout_s: float = 5.0
    then_ok: bool = False  # after the script, the server answers well


ROWS = {
    "non-json-200": Row([Reply(200, "<html><body>Bad gateway</body></html>")] * 3, "error", "bad_response", 3),
    "empty-200": Row([Reply(200, "")] * 3, "error", "bad_response", 3),
    "json-200-not-a-completion": Row([Reply(200, '{"status": "ok"}')] * 3, "error", "bad_response", 3),
    "malformed-retry-after": Row([Reply(429, "{}", {"retry-after": "soon-ish"})] * 3, "error", "http_429", 3),
    "malformed-retry-after-then-ok": Row([Reply(429, "{}", {"retry-after": "soon-ish"})], "result", then_ok=True),
    "dropped-mid-body": Row([Reply(200, GOOD, drop_after=40)] * 3, "error", "connection", 3),
    "dropped-mid-body-then-ok": Row([Reply(200, GOOD, drop_after=40)], "result", then_ok=True),
    "slower-than-timeout": Row([Reply(200, GOOD, delay=1.5)] * 3, "error", "timeout", 3, timeout_s=0.4),
    "10mb-body-of-junk": Row([Reply(200, tool_call_completion("ArticleDraft", JUNK))] * 3, "flagged", received=3),
    "10mb-body-not-json": Row([Reply(200, b"x" * MB10)] * 3, "error", "bad_response", 3),
    "quotes-not-in-article": Row(
        [Reply(200, tool_call_completion("ArticleDraft", NOT_IN_ARTICLE))] * 3, "rejected", received=3
    ),
}


def settings(url: str, row: Row) -> Settings:
    return Settings.resolve(backend="openai", base_url=url, model=server()["model"], prompt=row.prompt,
                            transport_retries=2, timeout_s=row.timeout_s)  # fmt: skip


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_fault_table(row: Row):
    with FaultServer(row.script, then=ok() if row.then_ok else None) as srv, Extractor(settings(srv.url, row)) as ex:
        started = time.perf_counter()
        if row.outcome == "error":
            with pytest.raises(TransportError) as caught:
                ex.extract(BRANDT)
            assert caught.value.cause == row.cause
            assert row.cause in str(caught.value) and "kept failing after 3 attempt(s)" in str(caught.value)
            result = None
        else:
            result = ex.extract(BRANDT)
        elapsed = time.perf_counter() - started
    if row.received is not None:
        assert srv.received == row.received
    assert elapsed < 30
    if result is None:
        return
    codes = [f.code for f in result.flags]
    if row.outcome == "result":
        assert result.attributions[0].speaker == "Tomas Brandt" and "invalid_output" not in codes
    elif row.outcome == "flagged":
        assert "invalid_output" in codes and not result.attributions
    elif row.outcome == "rejected":
        assert not result.attributions and "invalid_output" not in codes
        assert [r.layer for r in result.rejected] == ["attributions"]
        assert "is not in the article" in result.rejected[0].reason
    for span in result.spans():
        assert BRANDT[span.start : span.end] == span.text


def test_extract_cli_exits_1_naming_the_cause_when_the_server_answers_non_json(tmp_path):
    import os
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text(BRANDT)
    env = {**os.environ, "EXTRACTOR_TRANSPORT_RETRIES": "1", "EXTRACTOR_CACHE_DIR": str(tmp_path / "cache")}
    with FaultServer([], then=Reply(200, "<html>oops</html>")) as srv:
        run = subprocess.run(
            [sys.executable, "-m", "extractor", "extract", str(article), "--base-url", srv.url, "--model", "m",
             "--prompt", PROMPT, "--format", "json"],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert run.returncode == 1 and run.stdout == ""
    assert "bad_response" in run.stderr and "kept failing after 2 attempt(s)" in run.stderr
