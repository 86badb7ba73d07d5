"""A loopback server that fails on demand: scripted replies, then a fallback reply for ever.

No real server fails on demand, so tests script the faults: a status with headers, a body that is
not JSON or empty, a reply slower than the client's timeout, a connection dropped mid-body, a huge
body. ``FaultServer`` answers POSTs with its script in order and counts what it received.

The good answer is ``brandt_completion()``: a well-formed completion for the ``full`` strategy
(``extract@v1``, which makes exactly one call per article) whose quotes are in ``BRANDT``. It is
written here, not recorded: it stands for "a server that answers", and the tests that use it are
about transport, not about what a model says (cassettes, which are only ever recorded, cover that).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BRANDT = "Port director Tomas Brandt said the stoppage was costing the port $2.5 million a day."
PROMPT = "extract@v1"  # the full strategy: one model call per (short) article, whatever the guided rules decide
BRANDT_DRAFT = {
    "attributions": [
        {
            "content": "the stoppage was costing the port $2.5 million a day",
            "source": "Port director Tomas Brandt",
            "cue": "said",
            "speaker": "Tomas Brandt",
            "speaker_role": "Port director",
            "kind": "indirect",
        }
    ],
    "figures": [],
    "claims": [],
}


@dataclass
class Reply:
    status: int = 200
    body: str | bytes = "{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop_after: int | None = None  # send this many bytes of the body (content-length says all), then hang up


def tool_call_completion(name: str, arguments: dict[str, Any] | str) -> str:
    """A well-formed chat completion whose one tool call carries ``arguments`` (for fault rows only)."""
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments)
    return json.dumps(
        {
            "id": "chatcmpl-fault",
            "object": "chat.completion",
            "created": 0,
            "model": "fault",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "call_0",
                                "type": "function",
                                "function": {"name": name, "arguments": arguments},
                            }
                        ],
                    },
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
    )


def brandt_completion() -> str:
    """A server that works: the ``ArticleDraft`` tool call a capable model would make for ``BRANDT``."""
    return tool_call_completion("ArticleDraft", BRANDT_DRAFT)


def ok() -> Reply:
    return Reply(200, brandt_completion())


class FaultServer:
    """Answers POSTs with the scripted replies in order (then ``then`` forever); counts what it received."""

    def __init__(self, replies: list[Reply], then: Reply | None = None) -> None:
        self.replies, self.received = list(replies), 0
        self.then = then or Reply(500, '{"error": "script exhausted"}')
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
                with outer._lock:
                    outer.received += 1
                    reply = outer.replies.pop(0) if outer.replies else outer.then
                time.sleep(reply.delay)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    for k, v in {"content-type": "application/json", **reply.headers}.items():
                        self.send_header(k, v)
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    if reply.drop_after is None:
                        self.wfile.write(body)
                        return
                    self.wfile.write(body[: reply.drop_after])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def fix(self, reply: Reply | None = None) -> None:
        """The server comes back: no more script; every request gets ``reply`` (default: ``ok()``)."""
        with self._lock:
            self.replies, self.then = [], reply or ok()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
