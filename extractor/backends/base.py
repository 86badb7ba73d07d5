"""What every backend offers: one structured call, validated by Instructor, with stats.

Subclasses supply ``_complete`` (one raw chat completion, transport retries included) and
the Instructor mode that constrains output on that server. Validation re-asks, caching and
token accounting are shared here so that local and remote behave the same.
"""

from __future__ import annotations

import json
import logging
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import instructor
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from extractor.backends.cache import ResponseCache, request_key
from extractor.backends.ratelimit import RateLimiter
from extractor.errors import ExtractorError, ValidationExhaustedError
from extractor.sampling import Sampling
from extractor.schema import Usage

T = TypeVar("T", bound=BaseModel)
# Instructor logs every failed attempt at ERROR; we report them ourselves (rejected items, flags).
logging.getLogger("instructor").addHandler(logging.NullHandler())


@dataclass
class CallResult(Generic[T]):
    """A validated value plus what it cost (attempts, cache hits, re-asks, tokens)."""

    value: T
    usage: Usage


@dataclass
class _Tally:
    usage: Usage = field(default_factory=Usage)
    last: ChatCompletion | None = None
    transport_error: ExtractorError | None = None


class Backend(ABC):
    """A model behind the OpenAI chat-completions shape, driven through Instructor."""

    name: str
    model: str
    context_tokens: int
    mode: instructor.Mode
    max_concurrency: int = 1  # how many requests this backend can take at once

    def __init__(self, cache: ResponseCache | None = None, limiter: RateLimiter | None = None) -> None:
        self.cache = cache
        self.limiter = limiter or RateLimiter()
        self.calls = 0
        self.cache_hits = 0
        self._lock = threading.Lock()

    @abstractmethod
    def _complete(self, **request: Any) -> ChatCompletion:
        """One raw chat completion for an OpenAI-shaped request (transport retries inside)."""

    def structured(
        self,
        response_model: type[T],
        messages: list[dict[str, str]],
        *,
        sampling: Sampling,
        max_retries: int,
        context: dict[str, Any] | None = None,
    ) -> CallResult[T]:
        """Ask for ``response_model``; re-ask up to ``max_retries`` times on validation errors."""
        tally = _Tally()

        def create(**request: Any) -> ChatCompletion:
            request.setdefault("model", self.model)
            try:
                completion = self._cached_complete(request, tally)
            except ExtractorError as e:
                tally.transport_error = e
                raise
            tally.last = completion
            tokens = completion.usage
            tally.usage += Usage(
                calls=1,
                retries=int(tally.usage.calls > 0),
                prompt_tokens=tokens.prompt_tokens if tokens else 0,
                completion_tokens=tokens.completion_tokens if tokens else 0,
            )
            return completion

        client = instructor.Instructor(
            client=None, create=instructor.patch(create=create, mode=self.mode), mode=self.mode
        )
        params = sampling.model_dump(exclude_none=True)
        try:
            value = client.chat.completions.create(
                response_model=response_model,
                messages=messages,  # type: ignore[arg-type]
                max_retries=max_retries,
                context=context or {},
                **params,
            )
        except (InstructorRetryException, IncompleteOutputException) as e:
            if tally.transport_error is not None:
                raise tally.transport_error  # noqa: B904 - keep its own cause, the SDK error
            reason = _short(e)
            raise ValidationExhaustedError(
                f"{response_model.__name__}: output still invalid after {tally.usage.calls} attempt(s): {reason}",
                reason=reason,
                last_output=raw_output(tally.last),
                usage=tally.usage,
                original=e,
            ) from e
        return CallResult(value, tally.usage)

    def _cached_complete(self, request: dict[str, Any], tally: _Tally) -> ChatCompletion:
        key = request_key(self.name, self.model, request) if self.cache else ""
        if self.cache:
            hit = self.cache.get(key)
            if hit is not None:
                tally.usage += Usage(cached_calls=1)
                with self._lock:
                    self.cache_hits += 1
                return ChatCompletion.model_validate(hit)
        self.limiter.acquire(_estimate_tokens(request))
        completion = self._complete(**request)
        with self._lock:
            self.calls += 1
        if self.cache:
            self.cache.put(key, completion.model_dump(mode="json"))
        return completion

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release what the backend holds (connections, a loaded model)."""


def _estimate_tokens(request: dict[str, Any]) -> int:
    """A cheap upper-bound guess for the TPM limiter: prompt characters / 3 plus the output cap."""
    return len(json.dumps(request.get("messages", []))) // 3 + int(request.get("max_tokens") or 0)


def raw_output(completion: ChatCompletion | None) -> str | None:
    """The text the model wrote: tool-call arguments if any, else the message content."""
    if completion is None or not completion.choices:
        return None
    message = completion.choices[0].message
    if message.tool_calls:
        call = message.tool_calls[0]
        return getattr(getattr(call, "function", None), "arguments", None)
    return message.content


def _short(e: BaseException) -> str:
    """The most useful line of an Instructor/Pydantic error: the first validation message."""
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("Value error,", "Invalid JSON", "Field required", "Input should")):
            return line.split(" [type=")[0][:300]
    return (lines[0] if lines else type(e).__name__)[:300]
