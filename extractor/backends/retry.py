"""Transport retries: 429, 5xx, timeouts and dropped connections; never 400/401/403.

Exponential backoff with jitter, except that a server's ``Retry-After`` is honoured.
Validation re-asks are a separate loop (Instructor's); this one only sees transport errors.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any, TypeVar

import openai
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

T = TypeVar("T")
MAX_RETRY_AFTER_S = 120.0
_backoff = wait_random_exponential(multiplier=0.5, max=30)


def is_retryable(exc: BaseException) -> bool:
    """True for errors a later attempt may not see: rate limits, 5xx, timeouts, lost connections."""
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after_s(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``: seconds or an HTTP date), if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after-ms")
    if value:
        try:
            return min(float(value) / 1000, MAX_RETRY_AFTER_S)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_S)
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER_S)


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


def call_with_retries(fn: Callable[..., T], attempts: int, *args: Any, **kwargs: Any) -> T:
    return retrying(attempts)(fn, *args, **kwargs)
