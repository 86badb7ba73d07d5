"""Model backends: the only package that imports openai or llama_cpp."""

from __future__ import annotations

from extractor.backends.base import Backend, CallResult
from extractor.backends.cache import ResponseCache
from extractor.backends.ratelimit import RateLimiter
from extractor.config import Settings


def make_backend(settings: Settings) -> Backend:
    """Build the backend ``settings`` name, with the response cache if one is configured."""
    cache = ResponseCache(settings.cache_dir) if settings.cache_dir else None
    limiter = RateLimiter(settings.rpm, settings.tpm)
    if settings.backend == "local":
        from extractor.backends.local import LocalBackend

        return LocalBackend(settings, cache, limiter)
    from extractor.backends.openai_compat import OpenAIBackend

    return OpenAIBackend(settings, cache, limiter)


__all__ = ["Backend", "CallResult", "ResponseCache", "make_backend"]
