"""Any OpenAI-compatible server: OpenAI, vLLM, Ollama, llama.cpp's server.

The openai client's own retries are off; ``retry.py`` is the single transport-retry policy. A reply
is checked before Instructor sees it: a body that is not a chat completion is a transport failure
(retried, then ``TransportError``), never a model answer that failed validation.
"""

from __future__ import annotations

import json
from typing import Any

import instructor
import openai
from openai.types.chat import ChatCompletion

from extractor.backends.base import Backend
from extractor.backends.cache import ResponseCache
from extractor.backends.ratelimit import RateLimiter
from extractor.backends.retry import BadResponse, cause_of, is_retryable, retrying
from extractor.config import Settings
from extractor.errors import AuthenticationError, BackendError, TransportError

PLACEHOLDER_KEY = "no-key"


def default_mode(base_url: str | None) -> instructor.Mode:
    """Strict structured tools on OpenAI itself; plain tools (grammar-constrained on llama.cpp) elsewhere."""
    if base_url is None or "api.openai.com" in base_url:
        return instructor.Mode.TOOLS_STRICT
    return instructor.Mode.TOOLS


def request_target(settings: Settings) -> tuple[str, instructor.Mode, int]:
    """The model name, Instructor mode and context size requests for ``settings`` use (the backend's,
    and what ``batch export`` writes without making a client)."""
    mode = instructor.Mode(settings.mode) if settings.mode else default_mode(settings.base_url)
    return settings.model or "default", mode, settings.context_tokens


class OpenAIBackend(Backend):
    name = "openai"
    max_concurrency = 64  # a server queues requests; the batch's --concurrency is the real limit

    def __init__(
        self, settings: Settings, cache: ResponseCache | None = None, limiter: RateLimiter | None = None
    ) -> None:
        super().__init__(cache, limiter)
        self.model, self.mode, self.context_tokens = request_target(settings)
        self.base_url = settings.base_url
        self._attempts = settings.transport_retries + 1
        self._client = openai.OpenAI(
            api_key=settings.api_key or PLACEHOLDER_KEY,
            base_url=settings.base_url,
            timeout=settings.timeout_s,
            max_retries=0,
        )

    def _once(self, **request: Any) -> ChatCompletion:
        try:
            completion = self._client.chat.completions.create(**request)
        except json.JSONDecodeError as e:
            why = "the body is empty" if not e.doc.strip() else f"the body is not JSON ({e.msg} at char {e.pos})"
            raise BadResponse(why) from e
        return check_completion(completion)

    def _complete(self, **request: Any) -> ChatCompletion:
        try:
            return retrying(self._attempts)(self._once, **request)
        except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
            raise AuthenticationError(
                f"{self.base_url or 'OpenAI'} refused the credentials ({e.status_code}): check OPENAI_API_KEY",
                original=e,
            ) from e
        except openai.BadRequestError as e:
            raise BackendError(f"the server rejected the request (400): {e.message}", original=e) from e
        except openai.APIStatusError as e:
            if is_retryable(e):
                raise self._gave_up(e) from e
            raise BackendError(f"the server answered {e.status_code}: {_clip(e.message)}", original=e) from e
        except (openai.APITimeoutError, openai.APIConnectionError, BadResponse) as e:
            raise self._gave_up(e) from e

    def _gave_up(self, e: Exception) -> TransportError:
        cause = cause_of(e)
        return TransportError(
            f"{self.base_url or 'OpenAI'} kept failing after {self._attempts} attempt(s) ({cause}): "
            f"{type(e).__name__}: {_clip(str(e))}",
            cause=cause,
            attempts=self._attempts,
            original=e,
        )

    def close(self) -> None:
        self._client.close()


def check_completion(completion: object) -> ChatCompletion:
    """The reply if it is a chat completion with at least one choice and a message; else ``BadResponse``."""
    if not isinstance(completion, ChatCompletion):
        kind = "an empty body" if not completion else f"a {type(completion).__name__} body, not a completion"
        raise BadResponse(f"the server answered {kind}")
    if not completion.choices or any(getattr(c, "message", None) is None for c in completion.choices):
        raise BadResponse("the body is JSON but not a chat completion (no choices with a message)")
    return completion


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
