"""Transport faults (429 with Retry-After, 500, a timeout, 401, 400, 404) from a local fault server.

No real server fails on demand, so a small server on loopback (``tests/faults.py``) answers scripted
faults and then a well-formed completion. The table of protocol faults (bad bodies, drops, huge
bodies, quotes not in the article) is ``test_faults.py``.
"""

from __future__ import annotations

import time

import pytest

from extractor import Extractor, Settings
from extractor.errors import AuthenticationError, BackendError, TransportError
from tests.cassettes import server
from tests.faults import BRANDT, PROMPT, FaultServer, Reply, ok


def settings(url: str, **kw) -> Settings:
    return Settings.resolve(backend="openai", base_url=url, model=server()["model"], prompt=PROMPT, **kw)


def test_429_with_retry_after_then_500_then_success():
    script = [Reply(429, '{"error": "slow down"}', {"retry-after": "1"}), Reply(500, '{"error": "oops"}')]
    with FaultServer(script, then=ok()) as srv, Extractor(settings(srv.url, transport_retries=3)) as ex:
        started = time.perf_counter()
        result = ex.extract(BRANDT)
        elapsed = time.perf_counter() - started
    assert srv.received == 3
    assert elapsed >= 1.0, "Retry-After: 1 was not honoured"
    assert result.attributions[0].speaker == "Tomas Brandt"


def test_a_timeout_is_retried():
    with (
        FaultServer([Reply(200, ok().body, delay=1.5)], then=ok()) as srv,
        Extractor(settings(srv.url, transport_retries=2, timeout_s=0.5)) as ex,
    ):
        result = ex.extract(BRANDT)
    assert srv.received == 2
    assert result.attributions[0].speaker == "Tomas Brandt"


@pytest.mark.parametrize(
    "reply, retries, error, message, received",
    [
        (Reply(401, '{"error": {"message": "bad key"}}'), 3, AuthenticationError, "OPENAI_API_KEY", 1),
        (Reply(400, '{"error": {"message": "bad request"}}'), 3, BackendError, "rejected the request", 1),
        (Reply(404, '{"error": {"message": "no such model"}}'), 3, BackendError, "answered 404", 1),
        (Reply(503, "{}", {"retry-after": "0"}), 2, TransportError, "kept failing after 3", 3),
    ],
    ids=["401-not-retried", "400-not-retried", "404-not-retried", "503-gives-up-after-budget"],
)
def test_failures_that_end_the_call(reply, retries, error, message, received):
    with (
        FaultServer([reply] * 5) as srv,
        Extractor(settings(srv.url, transport_retries=retries)) as ex,
        pytest.raises(error, match=message),
    ):
        ex.extract(BRANDT)
    assert srv.received == received
