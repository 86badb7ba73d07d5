"""Transport retries: 429, 5xx, timeouts, dropped connections and bodies that are not a completion.

Exponential backoff with jitter, except that a server's ``Retry-After`` is honoured (a header that
cannot be parsed counts as absent). Never 400/401/403. Validation re-asks are a separate loop
(Instructor's); this one only sees transport and protocol errors, so a broken server can never
look like a model that answered badly.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Callable

import openai
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

MAX_RETRY_AFTER_S = 120.0
_backoff = wait_random_exponential(multiplier=0.5, max=30)


class BadResponse(Exception):  # a reply, not an error of ours; becomes TransportError("bad_response")
    """A successful status whose body is not a chat completion: not JSON, empty, or the wrong shape."""


def is_retryable(exc: BaseException) -> bool:
    """True for errors a later attempt may not see: rate limits, 5xx, timeouts, lost connections, bad bodies."""
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, BadResponse)):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def cause_of(exc: BaseException) -> str:
    """One word for a summary to count: timeout, connection, http_<status>, bad_response."""
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.APIStatusError):
        return f"http_{exc.status_code}"
    if isinstance(exc, BadResponse):
        return "bad_response"
    return type(exc).__name__


def _seconds(value: str, scale: float = 1.0) -> float | None:
    try:
        seconds = float(value) / scale
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_S) if math.isfinite(seconds) else None


def retry_after_s(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``: seconds or an HTTP date); None if absent or unreadable."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after-ms")
    if value and (asked := _seconds(value, 1000)) is not None:
        return asked
    value = headers.get("retry-after")
    if not value:
        return None
    if (asked := _seconds(value)) is not None:
        return asked
    try:
        when = email.utils.parsedate_to_datetime(value)
        return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER_S)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None  # "soon-ish": a malformed header is treated as absent, never an error of ours


def wait_for(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    asked = retry_after_s(exc)
    return asked if asked is not None else float(_backoff(state))


def retrying(attempts: int, sleep: Callable[[float], None] = time.sleep) -> Retrying:
    """The policy: ``attempts`` tries in all, retryable errors only, re-raising the last error."""
    return Retrying(
        stop=stop_after_attempt(max(attempts, 1)),
        wait=wait_for,
        retry=retry_if_exception(is_retryable),
        sleep=sleep,
        reraise=True,
    )
