"""Batch extraction: many articles in, one JSONL line out per article, resumable.

Input is a JSONL file (``id``, ``text``, anything else kept as metadata), a CSV with id and text
columns, or a directory of ``.txt`` / ``.html`` files. Each result line is written with one
``write`` on an ``O_APPEND`` descriptor and fsynced, so a killed run leaves at most a partial
last line, which the next run truncates; articles already in the output (same id and prompt
hash) are skipped.
"""

from __future__ import annotations

import csv
import json
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor import baseline
from extractor.errors import InputError
from extractor.extract import Extractor
from extractor.pricing import cost_usd
from extractor.schema import ArticleExtraction


@dataclass(frozen=True)
class BatchItem:
    id: str
    text: str | bytes
    metadata: dict[str, Any] | None = None


@dataclass
class BatchStats:
    """Totals for the summary line and the progress bar."""

    done: int = 0
    skipped: int = 0
    errors: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    unpriced: int = 0
    calls: int = 0
    cached_calls: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def read_items(path: Path, *, id_column: str = "id", text_column: str = "text") -> Iterator[BatchItem]:
    """Articles from a JSONL file, a CSV file or a directory of .txt/.html files."""
    if path.is_dir():
        for p in sorted([*path.rglob("*.txt"), *path.rglob("*.html"), *path.rglob("*.htm")]):
            yield BatchItem(str(p.relative_to(path)), p.read_bytes(), {"path": str(p)})
        return
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = {id_column, text_column} - set(reader.fieldnames or [])
            if missing:
                raise InputError(f"{path} has no column(s) {', '.join(sorted(missing))}: use --id-column/--text-column")
            for row in reader:
                meta = {k: v for k, v in row.items() if k not in (id_column, text_column)}
                yield BatchItem(str(row[id_column]), row[text_column] or "", meta or None)
        return
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                item_id, text = str(row.pop(id_column)), row.pop(text_column)
            except (json.JSONDecodeError, KeyError, AttributeError) as e:
                raise InputError(f"{path}:{n}: needs a JSON object with {id_column!r} and {text_column!r}") from e
            yield BatchItem(item_id, text, row or None)


class ResultFile:
    """An append-only JSONL output: repairs a torn last line, knows what is done, appends safely."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[tuple[str, str]] = set()
        self._repair_and_index()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._lock = threading.Lock()

    def _repair_and_index(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            with self.path.open("r+b") as f:
                f.truncate(end)
        for line in data[:end].splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            sha = row.get("prompt_sha256") or row.get("meta", {}).get("prompt_sha256")
            self.done.add((str(row.get("id")), str(sha)))

    def append(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        with self._lock:
            os.write(self._fd, line)
            os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)


def _run_one(ex: Extractor, item: BatchItem) -> ArticleExtraction:
    result = ex.extract(item.text, article_id=item.id)
    result.metadata = item.metadata
    return result


def run_batch(
    ex: Extractor,
    items: Iterator[BatchItem],
    output: Path,
    *,
    concurrency: int = 4,
    prices: dict[str, tuple[float, float]],
    on_progress: Callable[[BatchStats], None] = lambda s: None,
) -> BatchStats:
    """Extract every item not yet in ``output``; errors become error records, never a crash."""
    out = ResultFile(output)
    stats = BatchStats()
    sha = ex.prompt.sha256 if ex.prompt else baseline.fingerprint()
    ref = ex.prompt.ref if ex.prompt else "baseline"
    workers = 1 if ex.settings.backend == "local" else max(1, concurrency)
    pending: dict[Future[ArticleExtraction], BatchItem] = {}

    def finish(fut: Future[ArticleExtraction], item: BatchItem) -> None:
        try:
            result = fut.result()
        except Exception as e:  # noqa: BLE001 - one bad article must not stop a batch; its error is recorded
            record = {"id": item.id, "prompt": ref, "prompt_sha256": sha, "metadata": item.metadata,
                      "error": {"type": type(e).__name__, "message": str(e)}}  # fmt: skip
            out.append(record)
            with stats.lock:
                stats.errors += 1
            return
        m = result.meta
        m.cost_usd = cost_usd(prices, m.backend, m.model, m.usage.prompt_tokens, m.usage.completion_tokens)
        out.append(json.loads(result.model_dump_json()))
        with stats.lock:
            stats.done += 1
            stats.prompt_tokens += m.usage.prompt_tokens
            stats.completion_tokens += m.usage.completion_tokens
            stats.calls += m.calls - m.cached_calls
            stats.cached_calls += m.cached_calls
            stats.seconds += m.latency_s
            if m.cost_usd is None:
                stats.unpriced += 1
            else:
                stats.cost_usd += m.cost_usd

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for item in items:
                if (item.id, sha) in out.done:
                    stats.skipped += 1
                    on_progress(stats)
                    continue
                pending[pool.submit(_run_one, ex, item)] = item
                while len(pending) >= workers * 2:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        finish(fut, pending.pop(fut))
                        on_progress(stats)
            for fut in list(pending):
                finish(fut, pending.pop(fut))
                on_progress(stats)
    finally:
        out.close()
    return stats
