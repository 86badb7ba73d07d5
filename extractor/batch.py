"""Batch extraction: many articles in, one JSONL line out per article, resumable.

Input is a JSONL file (``id``, ``text``, anything else kept as metadata), a CSV with id and text
columns, or a directory of ``.txt`` / ``.html`` files. Each result line is written with one
``write`` on an ``O_APPEND`` descriptor and fsynced, so a killed run leaves at most a partial
last line, which the next run truncates; articles already in the output (same id and prompt
hash) are skipped. One run writes an output at a time (``outputlock.hold_output``).

An article that fails becomes an error record with a ``cause`` (``bad_response``, ``timeout``,
``http_429``… for a server that kept failing, ``input`` for an unusable article); a re-run retries
error records by default and, once an id has a newer record, drops the older one, so every id
appears once. After ``max_consecutive_failures`` server failures in a row the run stops (what is
done is kept) instead of writing an error for every remaining article.

Per article: ``extract_record`` turns a ``BatchItem`` into its output line (result or error record)
and ``BatchStats.add`` counts that line into the totals; the Ray engine (``distributed.py``) uses
the same two, so both engines write and count the same records.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import (
    AuthenticationError,
    BackendError,
    InputError,
    TransportError,
    ValidationExhaustedError,
)
from extractor.extract import Extractor
from extractor.offsets import convert
from extractor.outputlock import hold_output
from extractor.pricing import cost_usd
from extractor.schema import RunIdentity, Usage

MAX_CONSECUTIVE_FAILURES = 20
NOT_SERVER_CAUSES = frozenset({"input", "invalid_output", "internal"})  # causes that say nothing about the server


@dataclass(frozen=True)
class BatchItem:
    id: str
    text: str | bytes
    metadata: dict[str, Any] | None = None
    title: str | None = None  # the headline, when the input has one: it helps rank the main claim


@dataclass(frozen=True)
class Columns:
    """Which input columns hold the id, the text and the title, and which others each record keeps.

    Only the columns named in ``keep`` go into a record's ``metadata``: a dataset that carries gold
    annotations or whole page dumps does not get them echoed into every result line.
    """

    id: str = "id"
    text: str = "text"
    title: str = "title"
    keep: tuple[str, ...] = ()

    def item(self, row: dict[str, Any]) -> BatchItem:
        """One input row as a ``BatchItem``; ``KeyError`` when the id or text column is missing."""
        text = row[self.text]
        title = row.get(self.title)
        metadata = {k: row[k] for k in self.keep if k in row} or None
        return BatchItem(str(row[self.id]), text if text is not None else "", metadata, str(title) if title else None)


@dataclass
class BatchStats:
    """Totals for the summary line and the progress bar."""

    done: int = 0
    skipped: int = 0
    errors: int = 0
    causes: Counter[str] = field(default_factory=Counter)  # errors by cause
    retried: int = 0  # error records of an earlier run tried again
    consecutive_failures: int = 0
    stopped: str | None = None  # why the run stopped early (the circuit breaker), if it did
    usage: Usage = field(default_factory=Usage)  # of the results (``calls`` includes cache hits)
    cost_usd: float = 0.0
    unpriced: int = 0
    seconds: float = 0.0
    duplicates: int = 0  # input rows whose id came earlier in the same input (skipped)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def model_calls(self) -> int:
        """Requests that reached a model (cache hits not counted)."""
        return self.usage.calls - self.usage.cached_calls

    def add(self, record: dict[str, Any]) -> str | None:
        """Count one record (as ``extract_record`` makes it); returns its error cause, None for a result."""
        with self.lock:
            if "error" in record:
                cause = str(record["error"].get("cause") or "unknown")
                self.errors += 1
                self.causes[cause] += 1
                if cause not in NOT_SERVER_CAUSES:
                    self.consecutive_failures += 1
                return cause
            m = record["meta"]
            self.done += 1
            self.consecutive_failures = 0
            self.usage += Usage.model_validate(m["usage"])
            self.seconds += m["latency_s"]
            if m.get("cost_usd") is None:
                self.unpriced += 1
            else:
                self.cost_usd += m["cost_usd"]
            return None

    def causes_text(self) -> str:
        """``"bad_response 3, timeout 2"`` (most frequent first), or ``""`` with no errors."""
        return ", ".join(f"{cause} {n}" for cause, n in self.causes.most_common())

    def failed(self, max_errors: int | None = None) -> bool:
        """True if the run should exit non-zero: stopped early, or errors (beyond ``max_errors`` if given)."""
        return self.stopped is not None or self.errors > (max_errors or 0)


def cause_of(e: BaseException) -> str:
    """The one word an error record and the summary count an error by."""
    if isinstance(e, TransportError):
        return e.cause
    if isinstance(e, AuthenticationError):
        return "auth"
    if isinstance(e, ValidationExhaustedError):
        return "invalid_output"
    if isinstance(e, BackendError):
        return "backend"
    if isinstance(e, InputError):
        return "input"
    return "internal"


def read_items(path: Path, columns: Columns | None = None) -> Iterator[BatchItem]:
    """Articles from a JSONL file, a CSV file or a directory of .txt/.html files (metadata: ``path``)."""
    columns = columns or Columns()
    id_column, text_column = columns.id, columns.text
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
                yield columns.item(row)
        return
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                item = columns.item(json.loads(line))
            except (json.JSONDecodeError, KeyError, AttributeError, TypeError) as e:
                raise InputError(f"{path}:{n}: needs a JSON object with {id_column!r} and {text_column!r}") from e
            yield item


class ResultFile:
    """An append-only JSONL output: repairs a torn last line, knows what is done and what failed.

    ``done`` holds (id, prompt hash) whose latest record is a result, ``failed`` maps those whose
    latest record is an error to its cause. ``close`` drops records superseded by a later one for
    the same key (an error that a re-run retried), rewriting the file atomically.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[tuple[str, str]] = set()
        self.failed: dict[tuple[str, str], str] = {}
        self._superseded = 0
        self._repair_and_index()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._lock = threading.Lock()

    @staticmethod
    def key(row: dict[str, Any]) -> tuple[str, str]:
        """(id, run key): the run identity's ``key`` (prompt and hash, backend, model, decisions, rules'
        fingerprint), so a changed recipe is not taken for done; records of earlier releases: the prompt hash."""
        if "run_key" in row:
            return str(row.get("id")), str(row["run_key"])
        meta = row.get("meta") or {}
        if "rules_sha256" in meta:
            fields = {k: meta[k] for k in RunIdentity.model_fields if k in meta}
            return str(row.get("id")), RunIdentity(**fields).key
        return str(row.get("id")), str(row.get("prompt_sha256") or meta.get("prompt_sha256"))

    def _note(self, row: dict[str, Any]) -> None:
        key = self.key(row)
        if key in self.done or key in self.failed:
            self._superseded += 1
        self.done.discard(key)
        self.failed.pop(key, None)
        if "error" in row:
            self.failed[key] = str((row.get("error") or {}).get("cause") or "unknown")
        else:
            self.done.add(key)

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
            if isinstance(row, dict):
                self._note(row)

    def append(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        with self._lock:
            os.write(self._fd, line)
            os.fsync(self._fd)
            self._note(record)

    def compact(self) -> None:
        """Keep only the latest record of each (id, prompt hash); atomic (a temp file, then rename)."""
        if not self._superseded:
            return
        lines = self.path.read_bytes().splitlines(keepends=True)
        rows: list[tuple[tuple[str, str] | None, bytes]] = []
        last: dict[tuple[str, str], int] = {}
        for n, line in enumerate(lines):
            try:
                row = json.loads(line)
                key = self.key(row) if isinstance(row, dict) else None
            except json.JSONDecodeError:
                key = None
            rows.append((key, line))
            if key is not None:
                last[key] = n
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            os.chmod(tmp, self.path.stat().st_mode & 0o777)
            with os.fdopen(fd, "wb") as f:
                f.writelines(line for n, (key, line) in enumerate(rows) if key is None or last[key] == n)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._superseded = 0

    def close(self) -> None:
        os.close(self._fd)
        self.compact()


def extract_record(
    ex: Extractor, item: BatchItem, prices: dict[str, tuple[float, float]], offsets: str = "codepoint"
) -> dict[str, Any]:
    """One article → its output line: the extraction (JSON, with metadata, cost and spans in ``offsets``),
    or an error record with its ``cause`` if the article failed. A bad article never raises."""
    try:
        result = ex.extract(item.text, article_id=item.id, title=item.title)
    except Exception as e:  # one bad article must not stop a batch; its error is recorded
        return {"id": item.id, "prompt": ex.identity.ref, "prompt_sha256": ex.identity.prompt_sha256,
                "run_key": ex.identity.key, "metadata": item.metadata,
                "error": {"type": type(e).__name__, "cause": cause_of(e), "message": str(e)}}  # fmt: skip
    result.metadata = item.metadata
    m = result.meta
    m.cost_usd = cost_usd(prices, m.backend, m.model, m.usage.prompt_tokens, m.usage.completion_tokens)
    return convert(json.loads(result.model_dump_json()), offsets)


def run_batch(
    ex: Extractor,
    items: Iterator[BatchItem],
    output: Path,
    *,
    concurrency: int = 4,
    prices: dict[str, tuple[float, float]],
    on_progress: Callable[[BatchStats], None] = lambda s: None,
    retry_errors: bool = True,
    max_consecutive_failures: int | None = MAX_CONSECUTIVE_FAILURES,
    offsets: str = "codepoint",
) -> BatchStats:
    """Extract every item not yet in ``output``; errors become error records, never a crash.

    Holds ``output``'s lock for the whole run (``OutputLockedError`` at once if another run has it).
    Error records of earlier runs are tried again unless ``retry_errors`` is False. After
    ``max_consecutive_failures`` server failures in a row (None or 0: never) no new article starts;
    those in flight finish, and ``stats.stopped`` says why. Check ``stats.failed()`` for the outcome.
    """
    with hold_output(output):
        out = ResultFile(output)
        try:
            return _run(ex, items, out, concurrency, prices, on_progress, retry_errors, max_consecutive_failures,
                        offsets)  # fmt: skip
        finally:
            out.close()


def _run(
    ex: Extractor,
    items: Iterator[BatchItem],
    out: ResultFile,
    concurrency: int,
    prices: dict[str, tuple[float, float]],
    on_progress: Callable[[BatchStats], None],
    retry_errors: bool,
    max_consecutive_failures: int | None,
    offsets: str,
) -> BatchStats:
    stats = BatchStats()
    sha = ex.identity.key  # the resume key (ResultFile.key)
    workers = max(1, min(concurrency, ex.concurrency))
    pending: set[Future[dict[str, Any]]] = set()

    def finish(fut: Future[dict[str, Any]]) -> None:
        if fut.cancelled():
            return
        record = fut.result()
        out.append(record)
        cause = stats.add(record)
        if cause is not None and max_consecutive_failures and stats.consecutive_failures >= max_consecutive_failures:
            stats.stopped = stats.stopped or (
                f"stopped after {stats.consecutive_failures} consecutive server failures; "
                f"the last ({cause}): {record['error']['message']}"
            )

    def drain(futures: list[Future[dict[str, Any]]]) -> None:
        for fut in futures:
            pending.remove(fut)
            finish(fut)
            on_progress(stats)
        if stats.stopped:
            for fut in pending:
                fut.cancel()  # not started: left for the next run

    seen: set[str] = set()  # an id repeated in the input is extracted once (as the Ray engine does)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for item in items:
            if stats.stopped:
                break
            key = (item.id, sha)
            if item.id in seen:
                stats.duplicates += 1
                continue
            seen.add(item.id)
            if key in out.done or (key in out.failed and not retry_errors):
                stats.skipped += 1
                on_progress(stats)
                continue
            if key in out.failed:
                stats.retried += 1
            pending.add(pool.submit(extract_record, ex, item, prices, offsets))
            while len(pending) >= workers * 2:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                drain(list(finished))
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            drain([f for f in finished if f in pending])
            pending -= {f for f in pending if f.cancelled()}
    return stats
