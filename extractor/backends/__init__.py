"""Model backends: the only package that imports openai or llama_cpp."""

from __future__ import annotations

from extractor.backends.base import Backend, CallResult
from extractor.backends.cache import ResponseCache
from extractor.config import Settings


def make_backend(settings: Settings) -> Backend:
    """Build the backend ``settings`` name, with the response cache if one is configured."""
    cache = ResponseCache(settings.cache_dir) if settings.cache_dir else None
    if settings.backend == "local":
        from extractor.backends.local import LocalBackend

        return LocalBackend(settings, cache)
    from extractor.backends.openai_compat import OpenAIBackend

    return OpenAIBackend(settings, cache)


__all__ = ["Backend", "CallResult", "ResponseCache", "make_backend"]
