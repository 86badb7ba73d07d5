import email.utils
import time

import openai
import pytest

from extractor.backends.retry import BadResponse, cause_of, is_retryable, retry_after_s, retrying

httpx = pytest.importorskip(openai._exceptions.httpx2.__name__ if hasattr(openai._exceptions, "httpx2") else "httpx")
REQUEST = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")


def status_error(code: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    response = httpx.Response(code, headers=headers or {}, request=REQUEST)
    cls = {
        400: openai.BadRequestError,
        401: openai.AuthenticationError,
        403: openai.PermissionDeniedError,
        429: openai.RateLimitError,
    }.get(code, openai.InternalServerError if code >= 500 else openai.APIStatusError)
    return cls(f"status {code}", response=response, body=None)


@pytest.mark.parametrize("code", [408, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(code):
    assert is_retryable(status_error(code))


@pytest.mark.parametrize("code", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(code):
    assert not is_retryable(status_error(code))


def test_timeouts_and_dropped_connections_are_retried():
    assert is_retryable(openai.APITimeoutError(request=REQUEST))
    assert is_retryable(openai.APIConnectionError(request=REQUEST))
    assert not is_retryable(ValueError("not transport"))


def test_a_body_that_is_not_a_completion_is_retried():
    assert is_retryable(BadResponse("the body is empty"))


@pytest.mark.parametrize(
    "exc, cause",
    [
        (openai.APITimeoutError(request=REQUEST), "timeout"),
        (openai.APIConnectionError(request=REQUEST), "connection"),
        (status_error(429), "http_429"),
        (status_error(503), "http_503"),
        (BadResponse("x"), "bad_response"),
    ],
)
def test_each_transport_failure_has_a_cause(exc, cause):
    assert cause_of(exc) == cause


def test_retry_after_seconds_ms_and_http_date():
    assert retry_after_s(status_error(429, {"retry-after": "7"})) == 7
    assert retry_after_s(status_error(429, {"retry-after-ms": "1500"})) == 1.5
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_s(status_error(503, {"retry-after": when})) <= 30
    assert retry_after_s(status_error(429, {"retry-after": "100000"})) == 120
    assert retry_after_s(status_error(500)) is None


@pytest.mark.parametrize(
    "headers",
    [{"retry-after": "soon-ish"}, {"retry-after": "Mon, 99 Foo 2024"}, {"retry-after": "nan"},
     {"retry-after": "inf"}, {"retry-after-ms": "later", "retry-after": "-"}, {"retry-after": " "}],
)  # fmt: skip
def test_a_malformed_retry_after_counts_as_absent(headers):
    assert retry_after_s(status_error(429, headers)) is None


def test_a_malformed_retry_after_falls_back_to_backoff_instead_of_raising():
    slept: list[float] = []
    fn, calls = _flaky([status_error(429, {"retry-after": "soon-ish"})] * 2)
    assert retrying(5, sleep=slept.append)(fn) == "ok"
    assert len(calls) == 3 and all(0 <= s <= 30 for s in slept)


def _flaky(errors):
    calls = []

    def fn():
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "ok"

    return fn, calls


def test_policy_honours_retry_after_and_stops_on_success():
    slept: list[float] = []
    fn, calls = _flaky([status_error(429, {"retry-after": "3"}), status_error(500)])
    assert retrying(5, sleep=slept.append)(fn) == "ok"
    assert len(calls) == 3
    assert slept[0] == 3
    assert 0 <= slept[1] <= 30


def test_policy_never_retries_auth_errors():
    fn, calls = _flaky([status_error(401)])
    with pytest.raises(openai.AuthenticationError):
        retrying(5, sleep=lambda s: None)(fn)
    assert len(calls) == 1


def test_policy_gives_up_after_the_attempt_budget():
    fn, calls = _flaky([status_error(503)] * 10)
    with pytest.raises(openai.InternalServerError):
        retrying(3, sleep=lambda s: None)(fn)
    assert len(calls) == 3
