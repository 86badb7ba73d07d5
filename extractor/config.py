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
DECISION_KINDS = frozenset({"speaker", "counts", "main_claim"})
# None by default: in the README's ablation no decision was made better by the local model (scripts/ablation.sh)
DEFAULT_MODEL_DECISIONS: frozenset[str] = frozenset()
DEFAULT_MAX_CLAIMS = 10
DEFAULT_PROMPTS: dict[str, str] = {"local": "guided@latest", "openai": "extract@latest", "baseline": "baseline"}


def cache_root() -> Path:
    """Where models and the response cache live: ``EXTRACTOR_CACHE_DIR`` or the user cache dir."""
    return Path(os.environ.get("EXTRACTOR_CACHE_DIR") or user_cache_dir("extractor"))


def _decisions(value: Any) -> frozenset[str]:
    """``"speaker,counts"`` (or an iterable) → the decision kinds a model makes; None → the default."""
    if value is None:
        return DEFAULT_MODEL_DECISIONS
    kinds = frozenset(k.strip() for k in (value.split(",") if isinstance(value, str) else value) if k.strip())
    unknown = kinds - DECISION_KINDS
    if unknown:
        raise ConfigError(f"unknown model decision(s) {sorted(unknown)}: choose from {sorted(DECISION_KINDS)}")
    return kinds


def _max_claims(value: Any) -> int | None:
    """A claim cap: a positive number, or 'all' / 0 for no cap; None → the default."""
    if value is None:
        return DEFAULT_MAX_CLAIMS
    if str(value).lower() in ("all", "0", "none"):
        return None
    try:
        cap = int(value)
    except ValueError:
        raise ConfigError(f"max_claims must be a positive number or 'all', not {value!r}") from None
    if cap < 0:
        raise ConfigError(f"max_claims must be a positive number or 'all', not {value!r}")
    return cap


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
    # Decisions a guided model makes (the rules make the rest); the default follows the README's ablation.
    model_decisions: frozenset[str] = DEFAULT_MODEL_DECISIONS
    max_claims: int | None = DEFAULT_MAX_CLAIMS  # claims per article, most check-worthy first; None: all
    verbose: bool = False  # let native libraries (llama.cpp) print their logs

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
            model_decisions=_decisions(given.get("model_decisions", env.get("EXTRACTOR_MODEL_DECISIONS"))),
            max_claims=_max_claims(given.get("max_claims", env.get("EXTRACTOR_MAX_CLAIMS"))),
            verbose=bool(given.get("verbose") or env.get("EXTRACTOR_VERBOSE")),
        )
        return settings

    @property
    def prompt_ref(self) -> str:
        return self.prompt or DEFAULT_PROMPTS[self.backend]

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def with_response_cache(self, enabled: bool = True) -> Settings:
        """The default response cache (``cache_root()/responses``) unless ``cache_dir`` is set already.

        The one place this default lives: ``extractor batch`` and ``extractor eval run`` share the
        cache. The rule baseline makes no model calls, so it never gets one; ``enabled=False``
        leaves the settings as they are (a ``cache_dir`` given explicitly still applies).
        """
        if not enabled or self.backend == "baseline" or self.cache_dir is not None:
            return self
        return replace(self, cache_dir=cache_root() / "responses")
