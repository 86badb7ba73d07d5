"""Cassette set-up: replay by default, record on purpose with ``bash scripts/record.sh``.

Requests match on method, path and the JSON body, so a changed prompt, schema, model or sampling
parameter is a mismatch whose message says which, and how to re-record. Secrets are scrubbed
before anything is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import vcr
from vcr.errors import CannotOverwriteExistingCassetteException

CASSETTES = Path(__file__).parent / "cassettes"
RECORDED_WITH = CASSETTES / "recorded_with.json"
RERECORD = "re-record with `bash scripts/record.sh` (local model server; set OPENAI_API_KEY to record against OpenAI)"
RECORDING = bool(os.environ.get("EXTRACTOR_RECORD"))
SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-organization",
                  "openai-project", "proxy-authorization"]  # fmt: skip
SECRET_QUERY = ["api_key", "api-key", "key", "token", "access_token"]


def server() -> dict[str, Any]:
    """Where cassettes were (or are being) recorded: base URL, model and key source."""
    if RECORDING:
        info = {
            "base_url": os.environ["EXTRACTOR_TEST_BASE_URL"],
            "model": os.environ["EXTRACTOR_TEST_MODEL"],
            "server": os.environ.get("EXTRACTOR_TEST_SERVER", "llama_cpp.server"),
        }
        RECORDED_WITH.write_text(json.dumps(info, indent=2) + "\n")
        return info
    return json.loads(RECORDED_WITH.read_text())


def _json(body: Any) -> Any:
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        return json.loads(body) if body else None
    except (TypeError, json.JSONDecodeError):
        return body


def describe_change(recorded: Any, sent: Any) -> str:
    """Say which part of a chat request differs: prompt text, schema, model or a parameter."""
    if not isinstance(recorded, dict) or not isinstance(sent, dict):
        return "the request body changed"
    parts = []
    for key in sorted(set(recorded) | set(sent)):
        a, b = recorded.get(key), sent.get(key)
        if a == b:
            continue
        if key == "messages":
            idx = next((i for i, (x, y) in enumerate(zip(a or [], b or [], strict=False)) if x != y), None)
            parts.append(f"the prompt text changed (messages[{idx}])" if idx is not None else "the messages changed")
        elif key in ("tools", "tool_choice", "response_format"):
            parts.append(f"the response schema changed ({key})")
        elif key == "model":
            parts.append(f"the model changed ({a!r} → {b!r})")
        else:
            parts.append(f"parameter {key} changed ({a!r} → {b!r})")
    return "; ".join(parts) + f"; {RERECORD}"


def json_body(r1: Any, r2: Any) -> None:
    a, b = _json(r1.body), _json(r2.body)
    if a != b:
        raise AssertionError(describe_change(b, a))


def _scrub_request(request: Any) -> Any:
    """Drop any header vcr's filter list missed whose name says it carries a credential."""
    for name in list(request.headers):
        if any(word in name.lower() for word in ("key", "token", "secret", "auth")):
            del request.headers[name]
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
    return response


def make_vcr() -> vcr.VCR:
    v = vcr.VCR(
        record_mode="all" if RECORDING else "none",
        match_on=["method", "path", "json_body"],
        filter_headers=SECRET_HEADERS,
        filter_query_parameters=SECRET_QUERY,
        before_record_request=_scrub_request,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    v.register_matcher("json_body", json_body)
    return v


def mismatch_in(exc: BaseException | None) -> CannotOverwriteExistingCassetteException | None:
    """The vcr mismatch hidden in an exception chain (the openai client wraps it), if any."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        if isinstance(e, CannotOverwriteExistingCassetteException):
            return e
        seen.add(id(e))
        todo += [e.__cause__, e.__context__, getattr(e, "original", None)]
    return None
