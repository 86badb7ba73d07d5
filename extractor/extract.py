"""Orchestration: text → prompt → backend → validate and ground → ``ArticleExtraction``.

``Extractor`` holds a loaded prompt and backend so that many articles share one model;
``extract`` and ``aextract`` are the one-article conveniences.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

from extractor import baseline
from extractor.backends import Backend, make_backend
from extractor.chunking import chunk_text, dedupe
from extractor.config import Settings
from extractor.inputs import prepare
from extractor.prompts import Prompt, load_prompt
from extractor.schema import ArticleExtraction, Flag, Meta, Usage
from extractor.strategies import full, guided
from extractor.strategies.common import Chunk, Partial
from extractor.version import __version__

CHARS_PER_TOKEN = 3.5
PROMPT_OVERHEAD_TOKENS = 1200
BASELINE_CHUNK_CHARS = 20_000
MIN_CHUNK_CHARS = 400


class Extractor:
    """A configured extractor; reuse one for many articles (the model loads once)."""

    def __init__(self, settings: Settings | None = None, *, backend: Backend | None = None) -> None:
        self.settings = settings or Settings.resolve()
        self.is_baseline = self.settings.backend == "baseline"
        self.prompt: Prompt | None = None if self.is_baseline else load_prompt(self.settings.prompt_ref)
        self.backend = backend if backend is not None or self.is_baseline else make_backend(self.settings)

    def close(self) -> None:
        if self.backend is not None:
            self.backend.close()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def extract(self, article: str | bytes, *, article_id: str | None = None) -> ArticleExtraction:
        """Extract claims, attributions and figures from one article (str, or UTF-8 / HTML bytes)."""
        prepared = prepare(article, max_chars=self.settings.max_chars)
        text = prepared.text
        started = time.perf_counter()
        chunks = chunk_text(text, self._chunk_chars())
        merged = Partial(flags=list(prepared.flags))
        for chunk in chunks:
            _merge(merged, self._run_chunk(chunk))
        dedupe(merged)
        if len(chunks) > 1:
            merged.flags.append(Flag(code="chunked", message=f"article split into {len(chunks)} chunks"))
        return ArticleExtraction(
            id=article_id,
            text=text,
            text_sha256=hashlib.sha256(text.encode()).hexdigest(),
            attributions=sorted(merged.attributions, key=lambda a: a.content.start),
            figures=sorted(merged.figures, key=lambda f: f.span.start),
            claims=sorted(merged.claims, key=lambda c: c.evidence.start),
            rejected=merged.rejected,
            flags=merged.flags,
            meta=self._meta(merged, len(chunks), time.perf_counter() - started),
        )

    async def aextract(self, article: str | bytes, *, article_id: str | None = None) -> ArticleExtraction:
        """``extract`` in a worker thread, so an event loop can run many articles at once."""
        return await asyncio.to_thread(self.extract, article, article_id=article_id)

    def _chunk_chars(self) -> int:
        if self.prompt is None or self.backend is None:
            return BASELINE_CHUNK_CHARS
        budget = self.backend.context_tokens - PROMPT_OVERHEAD_TOKENS - self.prompt.spec.sampling.max_tokens
        return max(int(budget * CHARS_PER_TOKEN), MIN_CHUNK_CHARS)

    def _run_chunk(self, chunk: Chunk) -> Partial:
        if self.prompt is None:
            return guided.run(chunk, baseline.choose)
        if self.prompt.spec.strategy == "full":
            assert self.backend is not None
            return full.run(chunk, self.prompt, self.backend)
        assert self.backend is not None
        return guided.run(chunk, guided.model_chooser(self.prompt, self.backend))

    def _meta(self, p: Partial, chunks: int, latency: float) -> Meta:
        if self.prompt is None:
            name, version, sha, strategy = (
                baseline.BASELINE_NAME,
                baseline.BASELINE_VERSION,
                baseline.fingerprint(),
                "rules",
            )
            backend, model = "baseline", "rules"
        else:
            name, version, sha = self.prompt.spec.name, self.prompt.spec.version, self.prompt.sha256
            strategy = self.prompt.spec.strategy
            assert self.backend is not None
            backend, model = self.backend.name, self.backend.model
        return Meta(
            prompt=name,
            prompt_version=version,
            prompt_sha256=sha,
            strategy=strategy,
            backend=backend,
            model=model,
            usage=Usage(prompt_tokens=p.prompt_tokens, completion_tokens=p.completion_tokens),
            latency_s=round(latency, 4),
            calls=p.calls,
            cached_calls=p.cached_calls,
            retries=p.retries,
            chunks=chunks,
            library_version=__version__,
        )


def _merge(into: Partial, part: Partial) -> None:
    into.attributions += part.attributions
    into.figures += part.figures
    into.claims += part.claims
    into.rejected += part.rejected
    into.flags += part.flags
    for name in ("calls", "cached_calls", "retries", "prompt_tokens", "completion_tokens"):
        setattr(into, name, getattr(into, name) + getattr(part, name))


def extract(
    article: str | bytes, *, settings: Settings | None = None, article_id: str | None = None, **overrides: Any
) -> ArticleExtraction:
    """Extract from one article. ``overrides`` are settings (backend, model, base_url, prompt…)."""
    with Extractor(settings or Settings.resolve(**overrides)) as ex:
        return ex.extract(article, article_id=article_id)


async def aextract(
    article: str | bytes, *, settings: Settings | None = None, article_id: str | None = None, **overrides: Any
) -> ArticleExtraction:
    """Async ``extract``: the blocking work runs in a thread."""
    return await asyncio.to_thread(extract, article, settings=settings, article_id=article_id, **overrides)
