"""Any OpenAI-compatible server: OpenAI, vLLM, Ollama, llama.cpp's server.

The openai client's own retries are off; ``retry.py`` is the single transport-retry policy.
"""

from __future__ import annotations

from typing import Any

import instructor
import openai
from openai.types.chat import ChatCompletion

from extractor.backends.base import Backend
from extractor.backends.cache import ResponseCache
from extractor.backends.ratelimit import RateLimiter
from extractor.backends.retry import retrying
from extractor.config import Settings
from extractor.errors import AuthenticationError, BackendError, TransportError

PLACEHOLDER_KEY = "no-key"


def default_mode(base_url: str | None) -> instructor.Mode:
    """Strict structured tools on OpenAI itself; plain tools (grammar-constrained on llama.cpp) elsewhere."""
    if base_url is None or "api.openai.com" in base_url:
        return instructor.Mode.TOOLS_STRICT
    return instructor.Mode.TOOLS


class OpenAIBackend(Backend):
    name = "openai"

    def __init__(
        self, settings: Settings, cache: ResponseCache | None = None, limiter: RateLimiter | None = None
    ) -> None:
        super().__init__(cache, limiter)
        self.model = settings.model or "default"
        self.context_tokens = settings.context_tokens
        self.base_url = settings.base_url
        self.mode = instructor.Mode(settings.mode) if settings.mode else default_mode(settings.base_url)
        self._attempts = settings.transport_retries + 1
        self._client = openai.OpenAI(
            api_key=settings.api_key or PLACEHOLDER_KEY,
            base_url=settings.base_url,
            timeout=settings.timeout_s,
            max_retries=0,
        )

    def _complete(self, **request: Any) -> ChatCompletion:
        try:
            return retrying(self._attempts)(self._client.chat.completions.create, **request)
        except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
            raise AuthenticationError(
                f"{self.base_url or 'OpenAI'} refused the credentials ({e.status_code}): check OPENAI_API_KEY",
                original=e,
            ) from e
        except openai.BadRequestError as e:
            raise BackendError(f"the server rejected the request (400): {e.message}", original=e) from e
        except (openai.APIStatusError, openai.APITimeoutError, openai.APIConnectionError) as e:
            raise TransportError(
                f"{self.base_url or 'OpenAI'} kept failing after {self._attempts} attempt(s): {type(e).__name__}: {e}",
                original=e,
            ) from e

    def close(self) -> None:
        self._client.close()
