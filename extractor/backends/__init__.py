"""Model backends: the only package that imports openai or llama_cpp."""

from __future__ import annotations

import importlib

from extractor.backends.base import Backend, CallResult
from extractor.backends.cache import ResponseCache
from extractor.backends.ratelimit import RateLimiter
from extractor.config import Settings
from extractor.errors import ConfigError

# backend name → module and class, imported only when chosen (llama_cpp and openai load lazily)
BACKENDS = {"local": ("extractor.backends.local", "LocalBackend"), "openai": ("extractor.backends.openai_compat",
                                                                          "OpenAIBackend")}  # fmt: skip


def make_backend(settings: Settings) -> Backend:
    """Build the backend ``settings`` name, with the response cache if one is configured."""
    if settings.backend not in BACKENDS:
        raise ConfigError(f"no model backend named {settings.backend!r} (have: {', '.join(BACKENDS)})")
    cache = ResponseCache(settings.cache_dir) if settings.cache_dir else None
    limiter = RateLimiter(settings.rpm, settings.tpm)
    module, name = BACKENDS[settings.backend]
    backend_class = getattr(importlib.import_module(module), name)
    backend: Backend = backend_class(settings, cache, limiter)
    return backend


__all__ = ["Backend", "CallResult", "ResponseCache", "make_backend"]
