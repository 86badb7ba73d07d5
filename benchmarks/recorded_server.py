"""An OpenAI-compatible server on loopback that answers recorded responses after a fixed delay.

Responses come from the cassettes (real model output), looked up by the exact request body, so
throughput can be measured without a model: ``python -m benchmarks.recorded_server --delay 0.2``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

CASSETTES = Path(__file__).resolve().parents[1] / "tests" / "cassettes"


def body_key(body: bytes | str) -> str:
    data = json.loads(body)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def load_book(root: Path = CASSETTES) -> dict[str, str]:
    """request-body key → recorded response body, from every cassette."""
    book: dict[str, str] = {}
    for path in root.rglob("*.yaml"):
        for i in yaml.safe_load(path.read_text()).get("interactions", []):
            body = i["request"].get("body")
            if body:
                book.setdefault(body_key(body), i["response"]["body"]["string"])
    return book


class RecordedServer:
    """``with RecordedServer(delay=0.2) as s: s.url``; counts requests and concurrency."""

    def __init__(
        self,
        delay: float = 0.0,
        port: int = 0,
        book: dict[str, str] | None = None,
        fallback: Callable[[bytes], str] | None = None,
    ) -> None:
        """``fallback(body)`` answers a request that was not recorded (default: a 404)."""
        self.book = book if book is not None else load_book()
        self.delay, self.requests, self.in_flight, self.max_in_flight = delay, 0, 0, 0
        self.recorded = 0  # requests answered from the recordings
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with lock:
                    outer.requests += 1
                    outer.in_flight += 1
                    outer.max_in_flight = max(outer.max_in_flight, outer.in_flight)
                time.sleep(outer.delay)
                answer = outer.book.get(body_key(body))
                with lock:
                    outer.in_flight -= 1
                    outer.recorded += answer is not None
                if answer is None and fallback is not None:
                    answer = fallback(body)
                status, payload = (200, answer) if answer else (404, '{"error": {"message": "not recorded"}}')
                data = payload.encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.daemon_threads = True
        ThreadingHTTPServer.request_queue_size = 256
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> RecordedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--port", type=int, default=18799)
    args = parser.parse_args()
    with RecordedServer(args.delay, args.port) as s:
        print(f"serving {len(s.book)} recorded responses at {s.url} (delay {args.delay}s)", flush=True)
        s.thread.join()


if __name__ == "__main__":
    main()
