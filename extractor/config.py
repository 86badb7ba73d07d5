"""Settings, frozen, read from the environment at call time (never at import).

Precedence: explicit argument > environment variable > default. With no key and no URL the
embedded local model is the default backend, so a fresh machine runs without a server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_cache_dir

from extractor.errors import ConfigError

BackendName = Literal["local", "openai", "baseline"]
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
SERVER_DEFAULT_MODEL = "default"
DEFAULT_PROMPTS: dict[str, str] = {"local": "guided@latest", "openai": "extract@latest", "baseline": "baseline"}


def cache_root() -> Path:
    """Where models and the response cache live: ``EXTRACTOR_CACHE_DIR`` or the user cache dir."""
    return Path(os.environ.get("EXTRACTOR_CACHE_DIR") or user_cache_dir("extractor"))


def _int_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


@dataclass(frozen=True)
class Settings:
    """Everything that selects and tunes a backend; build with ``Settings.resolve``."""

    backend: BackendName = "local"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    model_path: str | None = None
    mode: str | None = None
    context_tokens: int = 4096
    timeout_s: float = 120.0
    transport_retries: int = 5
    max_chars: int = 2_000_000
    cache_dir: Path | None = None
    prompt: str | None = None
    rpm: int | None = None
    tpm: int | None = None

    @classmethod
    def resolve(cls, **overrides: Any) -> Settings:
        """Merge explicit overrides (None means 'not given') over the environment."""
        env = os.environ
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - set(cls.__dataclass_fields__)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        base_url = given.get("base_url") or env.get("EXTRACTOR_BASE_URL") or env.get("OPENAI_BASE_URL")
        api_key = given.get("api_key") or env.get("OPENAI_API_KEY")
        backend = given.get("backend") or env.get("EXTRACTOR_BACKEND") or ("openai" if base_url or api_key else "local")
        if backend not in ("local", "openai", "baseline"):
            raise ConfigError(f"backend must be 'local', 'openai' or 'baseline', not {backend!r}")
        model = given.get("model") or env.get("EXTRACTOR_MODEL")
        if backend == "openai" and not model:
            model = SERVER_DEFAULT_MODEL if base_url else OPENAI_DEFAULT_MODEL
        if backend == "openai" and not base_url and not api_key:
            raise ConfigError(
                "the openai backend needs OPENAI_API_KEY (for OpenAI) or --base-url / EXTRACTOR_BASE_URL "
                "(for a vLLM, Ollama or llama.cpp server)"
            )
        cache_env = env.get("EXTRACTOR_RESPONSE_CACHE")
        settings = cls(
            backend=backend,
            model=model,
            base_url=base_url,
            api_key=api_key,
            model_path=given.get("model_path") or env.get("EXTRACTOR_MODEL_PATH"),
            mode=given.get("mode") or env.get("EXTRACTOR_MODE"),
            context_tokens=int(given.get("context_tokens") or env.get("EXTRACTOR_CONTEXT_TOKENS") or 4096),
            timeout_s=float(given.get("timeout_s") or env.get("EXTRACTOR_TIMEOUT_S") or 120.0),
            transport_retries=int(given.get("transport_retries", env.get("EXTRACTOR_TRANSPORT_RETRIES", 5))),
            max_chars=int(given.get("max_chars") or env.get("EXTRACTOR_MAX_CHARS") or 2_000_000),
            cache_dir=given.get("cache_dir") or (Path(cache_env) if cache_env else None),
            prompt=given.get("prompt") or env.get("EXTRACTOR_PROMPT"),
            rpm=_int_or_none(given.get("rpm") or env.get("EXTRACTOR_RPM")),
            tpm=_int_or_none(given.get("tpm") or env.get("EXTRACTOR_TPM")),
        )
        return settings

    @property
    def prompt_ref(self) -> str:
        return self.prompt or DEFAULT_PROMPTS[self.backend]

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)
