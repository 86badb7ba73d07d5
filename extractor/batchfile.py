"""Hand-off to batch engines: the OpenAI Batch API file format (vLLM's run-batch reads it too).

``export`` writes the first-pass requests the extractor would send, one line per model call;
``import`` runs the same extraction with a backend that answers from the results file, so the
responses go through the same validation and grounding. A request that needs a re-ask has no
answer in the file: that item is rejected with the reason, and another round can follow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import instructor
from openai.types.chat import ChatCompletion

from extractor.backends.base import Backend
from extractor.backends.cache import request_key
from extractor.batch import BatchItem
from extractor.errors import BackendError, ValidationExhaustedError
from extractor.extract import Extractor
from extractor.schema import ArticleExtraction

URL = "/v1/chat/completions"
NO_RESULT = "no batch result for this request (a re-ask after a rejected answer): export and run another round"


class _Captured(Exception):
    pass


class CapturingBackend(Backend):
    """Records the requests of a first pass instead of sending them (re-asks are not exported)."""

    name = "openai"

    def __init__(self, model: str, mode: instructor.Mode, context_tokens: int) -> None:
        super().__init__()
        self.model, self.mode, self.context_tokens = model, mode, context_tokens
        self.requests: list[dict[str, Any]] = []

    def _complete(self, **request: Any) -> ChatCompletion:
        if not any(m.get("role") == "assistant" for m in request.get("messages", [])):
            self.requests.append(request)
        raise _Captured

    def structured(self, response_model, messages, *, sampling, max_retries, context=None):  # type: ignore[no-untyped-def]
        try:
            return super().structured(response_model, messages, sampling=sampling, max_retries=0, context=context)
        except (_Captured, BackendError, ValidationExhaustedError) as e:
            raise ValidationExhaustedError("exported, not answered", last_output=None) from e


class ReplayBackend(Backend):
    """Answers each request with the batch engine's response to the identical request."""

    name = "openai"

    def __init__(self, model: str, mode: instructor.Mode, context_tokens: int, answers: dict[str, ChatCompletion]):
        super().__init__()
        self.model, self.mode, self.context_tokens = model, mode, context_tokens
        self.answers = answers

    def _complete(self, **request: Any) -> ChatCompletion:
        key = request_key("batch", self.model, request)
        if key not in self.answers:
            raise BackendError(NO_RESULT)
        return self.answers[key]

    def structured(self, response_model, messages, *, sampling, max_retries, context=None):  # type: ignore[no-untyped-def]
        try:
            return super().structured(response_model, messages, sampling=sampling, max_retries=0, context=context)
        except BackendError as e:
            if isinstance(e, ValidationExhaustedError):
                raise
            raise ValidationExhaustedError(NO_RESULT, last_output=None, reason=NO_RESULT) from e


def custom_id(article_id: str, n: int) -> str:
    return f"{article_id}::{n}"


def export_requests(ex: Extractor, items: Iterator[BatchItem]) -> Iterator[dict[str, Any]]:
    """One OpenAI Batch line per first-pass model call of every article."""
    assert ex.backend is not None and ex.prompt is not None
    for item in items:
        capture = CapturingBackend(ex.backend.model, ex.backend.mode, ex.backend.context_tokens)
        Extractor(ex.settings, backend=capture).extract(item.text, article_id=item.id)
        for n, request in enumerate(capture.requests):
            yield {"custom_id": custom_id(item.id, n), "method": "POST", "url": URL, "body": request}


def read_results(requests_path: Path, results_path: Path) -> dict[str, ChatCompletion]:
    """Map request key → completion, pairing the exported requests with the engine's results."""
    bodies = {}
    for line in requests_path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            bodies[row["custom_id"]] = row["body"]
    answers: dict[str, ChatCompletion] = {}
    for line in results_path.read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        response = row.get("response") or {}
        body = bodies.get(row.get("custom_id"))
        if body is None or response.get("status_code", 200) != 200 or row.get("error"):
            continue
        answers[request_key("batch", body.get("model", ""), body)] = ChatCompletion.model_validate(response["body"])
    return answers


def import_results(
    ex: Extractor, items: Iterator[BatchItem], answers: dict[str, ChatCompletion]
) -> Iterator[ArticleExtraction]:
    """Re-run each article's extraction, answered from the batch results."""
    assert ex.backend is not None
    replay = ReplayBackend(ex.backend.model, ex.backend.mode, ex.backend.context_tokens, answers)
    runner = Extractor(ex.settings, backend=replay)
    for item in items:
        yield runner.extract(item.text, article_id=item.id)
