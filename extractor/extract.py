"""Orchestration: article → analysis → proposals → choices → verified items → ``ArticleExtraction``.

``Extractor`` holds what many articles share (the spaCy pipeline, a loaded prompt and backend,
the chooser) and the run's identity, computed once. Two paths:

- ``guided`` prompts and ``--backend baseline``: one analysis of the whole article, proposals by
  code, choices by a ``Chooser`` (the rules, or a model on the decisions it is trusted with).
- ``full`` prompts: a capable model lists every item; text is chunked to fit its context and
  every quote is grounded (``strategies/full.py``).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

from extractor.analysis import MAX_SENTENCE_TOKENS, analyse
from extractor.assemble import assemble
from extractor.backends import Backend, make_backend
from extractor.choosers import Chooser, ModelChooser, RulesChooser
from extractor.chunking import chunk_text
from extractor.config import Settings
from extractor.identity import RunIdentity, rules_identity
from extractor.inputs import PreparedText, prepare
from extractor.items import Items
from extractor.prompts import Prompt, load_prompt
from extractor.proposals.attributions import propose_attributions
from extractor.proposals.claims import main_candidates, propose_claims, select_claims
from extractor.proposals.figures import propose_figures
from extractor.questions import MAIN_CLAIM_OPTIONS
from extractor.questions import build as build_questions
from extractor.schema import ArticleExtraction, Flag, ItemLists, Meta
from extractor.strategies import full
from extractor.version import __version__

CHARS_PER_TOKEN = 3.5
PROMPT_OVERHEAD_TOKENS = 1200
MIN_CHUNK_CHARS = 400


class Extractor:
    """A configured extractor; reuse one for many articles (models and the parser load once)."""

    def __init__(self, settings: Settings | None = None, *, backend: Backend | None = None) -> None:
        self.settings = settings or Settings.resolve()
        self.prompt: Prompt | None = None
        self.backend: Backend | None = None
        self.chooser: Chooser | None = None
        if self.settings.backend == "baseline":
            self.chooser = RulesChooser()
            self.identity: RunIdentity = self.chooser.identity
            return
        self.prompt = load_prompt(self.settings.prompt_ref)
        self.backend = backend if backend is not None else make_backend(self.settings)
        if self.prompt.spec.strategy == "guided":
            self.chooser = ModelChooser(self.prompt, self.backend, self.settings.model_decisions)
            self.identity = self.chooser.identity
        else:
            spec = self.prompt.spec
            self.identity = RunIdentity(
                prompt=spec.name, prompt_version=spec.version, prompt_sha256=self.prompt.sha256,
                strategy=spec.strategy, backend=self.backend.name, model=self.backend.model,
            )  # fmt: skip

    @property
    def concurrency(self) -> int:
        """How many articles may run at once through this extractor (the backend's limit)."""
        return self.backend.max_concurrency if self.backend is not None else 1

    def close(self) -> None:
        if self.backend is not None:
            self.backend.close()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def extract(
        self, article: str | bytes, *, article_id: str | None = None, title: str | None = None
    ) -> ArticleExtraction:
        """Extract claims, attributions and figures from one article (str, or UTF-8 / HTML bytes).

        ``title`` (the headline, when the input has one) helps rank the main claim.
        """
        prepared = prepare(article, max_chars=self.settings.max_chars)
        started = time.perf_counter()
        items, chunks = self._guided(prepared, title) if self.chooser is not None else self._full(prepared)
        text = prepared.text
        fields = {k: getattr(items, k) for k in ItemLists.model_fields}
        meta = self._meta(items, chunks, time.perf_counter() - started)
        return ArticleExtraction(
            id=article_id, text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest(), meta=meta, **fields
        )

    async def aextract(
        self, article: str | bytes, *, article_id: str | None = None, title: str | None = None
    ) -> ArticleExtraction:
        """``extract`` in a worker thread, so an event loop can run many articles at once."""
        return await asyncio.to_thread(self.extract, article, article_id=article_id, title=title)

    def _guided(self, prepared: PreparedText, title: str | None) -> tuple[Items, int]:
        assert self.chooser is not None  # narrowed for the type checker: set for guided and rules runs
        analysis = analyse(prepared.text)
        flags = list(prepared.flags)
        if analysis.cut_sentences:
            flags.append(Flag(code="run_on_text", message=(
                f"{analysis.cut_sentences} stretch(es) of over {MAX_SENTENCE_TOKENS} tokens without a sentence end "
                "were cut into parts for parsing; items there may be incomplete")))  # fmt: skip
        attributions, speakers = propose_attributions(analysis)
        figures = propose_figures(analysis)
        every_claim = propose_claims(analysis, attributions, figures, speakers=speakers, title=title)
        # the claims over the check-worthiness bar, plus the top main-claim candidates a chooser picks among
        kept = select_claims(every_claim, cap=None) + main_candidates(every_claim, MAIN_CLAIM_OPTIONS)
        claims = sorted({id(c): c for c in kept}.values(), key=lambda c: c.evidence.start)
        questions = build_questions(analysis, attributions, speakers, figures, claims)
        answers = {id(q): self.chooser.choose(q) for q in questions.all()}
        items = assemble(
            analysis, speakers, attributions, figures, claims, questions, answers,
            max_claims=self.settings.max_claims,
        )  # fmt: skip
        items.flags = flags
        return items, 1

    def _full(self, prepared: PreparedText) -> tuple[Items, int]:
        assert self.prompt is not None and self.backend is not None  # set whenever there is no chooser
        chunks = chunk_text(prepared.text, self._chunk_chars())
        items = Items(flags=list(prepared.flags))
        for chunk in chunks:
            items.add(full.run(chunk, self.prompt, self.backend))
        items.dedupe()
        items.attributions.sort(key=lambda a: a.content.start)
        items.figures.sort(key=lambda f: f.span.start)
        items.claims.sort(key=lambda c: c.evidence.start)
        if len(chunks) > 1:
            items.flags.append(Flag(code="chunked", message=f"article split into {len(chunks)} chunks"))
        return items, len(chunks)

    def _chunk_chars(self) -> int:
        assert self.prompt is not None and self.backend is not None
        budget = self.backend.context_tokens - PROMPT_OVERHEAD_TOKENS - self.prompt.spec.sampling.max_tokens
        return max(int(budget * CHARS_PER_TOKEN), MIN_CHUNK_CHARS)

    def _meta(self, items: Items, chunks: int, latency: float) -> Meta:
        return Meta(
            **self.identity.model_dump(),
            usage=items.usage,
            latency_s=round(latency, 4),
            chunks=chunks,
            library_version=__version__,
        )


def extract(
    article: str | bytes,
    *,
    settings: Settings | None = None,
    article_id: str | None = None,
    title: str | None = None,
    **overrides: Any,
) -> ArticleExtraction:
    """Extract from one article. ``overrides`` are settings (backend, model, base_url, prompt…)."""
    with Extractor(settings or Settings.resolve(**overrides)) as ex:
        return ex.extract(article, article_id=article_id, title=title)


async def aextract(
    article: str | bytes,
    *,
    settings: Settings | None = None,
    article_id: str | None = None,
    title: str | None = None,
    **overrides: Any,
) -> ArticleExtraction:
    """Async ``extract``: the blocking work runs in a thread."""
    return await asyncio.to_thread(extract, article, settings=settings, article_id=article_id, title=title, **overrides)


__all__ = ["Extractor", "aextract", "extract", "rules_identity"]
