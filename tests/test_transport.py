"""Transport faults (429 with Retry-After, 500, a timeout, 401, 400) from a local fault server.

No real server fails on demand, so a small server on loopback answers scripted faults and then the
responses a real server gave (taken from a recorded cassette) to the same requests.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from extractor import Extractor, Settings
from extractor.errors import AuthenticationError, BackendError, TransportError
from tests.cassettes import CASSETTES, server

RECORDED = CASSETTES / "test_cassettes" / "test_code_rejects_a_choice_and_the_reask_succeeds.yaml"
BRANDT = "Port director Tomas Brandt said the stoppage was costing the port $2.5 million a day."


def recorded_bodies() -> list[str]:
    data = yaml.safe_load(RECORDED.read_text())
    return [i["response"]["body"]["string"] for i in data["interactions"]]


@dataclass
class Reply:
    status: int = 200
    body: str = "{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FaultServer:
    """Answers POSTs with the scripted replies in order; counts what it received."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies, self.received = list(replies), 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("content-length", 0)))
                outer.received += 1
                reply = outer.replies.pop(0) if outer.replies else Reply(500, '{"error": "script exhausted"}')
                time.sleep(reply.delay)
                body = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    for k, v in {"content-type": "application/json", **reply.headers}.items():
                        self.send_header(k, v)
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def settings(url: str, **kw) -> Settings:
    return Settings.resolve(backend="openai", base_url=url, model=server()["model"], prompt="guided@v1", **kw)


def test_429_with_retry_after_then_500_then_success():
    ok = [Reply(200, b) for b in recorded_bodies()]
    script = [Reply(429, '{"error": "slow down"}', {"retry-after": "1"}), Reply(500, '{"error": "oops"}'), *ok]
    with FaultServer(script) as srv, Extractor(settings(srv.url, transport_retries=3)) as ex:
        started = time.perf_counter()
        result = ex.extract(BRANDT)
        elapsed = time.perf_counter() - started
    assert srv.received == 2 + len(ok)
    assert elapsed >= 1.0, "Retry-After: 1 was not honoured"
    assert result.attributions[0].speaker == "Tomas Brandt"


def test_a_timeout_is_retried():
    ok = [Reply(200, b) for b in recorded_bodies()]
    with (
        FaultServer([Reply(200, ok[0].body, delay=1.5), *ok]) as srv,
        Extractor(settings(srv.url, transport_retries=2, timeout_s=0.5)) as ex,
    ):
        result = ex.extract(BRANDT)
    assert srv.received == 1 + len(ok)
    assert result.attributions[0].speaker == "Tomas Brandt"


@pytest.mark.parametrize(
    "reply, retries, error, message, received",
    [
        (Reply(401, '{"error": {"message": "bad key"}}'), 3, AuthenticationError, "OPENAI_API_KEY", 1),
        (Reply(400, '{"error": {"message": "bad request"}}'), 3, BackendError, "rejected the request", 1),
        (Reply(503, "{}", {"retry-after": "0"}), 2, TransportError, "kept failing after 3", 3),
    ],
    ids=["401-not-retried", "400-not-retried", "503-gives-up-after-budget"],
)
def test_failures_that_end_the_call(reply, retries, error, message, received):
    with (
        FaultServer([reply] * 5) as srv,
        Extractor(settings(srv.url, transport_retries=retries)) as ex,
        pytest.raises(error, match=message),
    ):
        ex.extract(BRANDT)
    assert srv.received == received
