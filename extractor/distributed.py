"""The batch on a Ray cluster: same records, resume, cost totals and no-loss guarantee as the local batch.

``extract_dataset(ds, settings)`` maps a ``ray.data.Dataset`` with ``id`` and ``text`` columns
through a pool of actors, each holding one ``Extractor`` (prompt, backend or parser loaded once
per actor) and running up to ``concurrency`` articles at once. The result is a Dataset with ``id``,
``record`` (the JSON line the local batch would write, error records included), ``error`` (the
error's cause or null) and ``worker`` (``host:pid`` of the actor that made it). RPM/TPM limits are
held by one limiter actor for the whole cluster, not per worker.

``run_batch_ray(input, output_dir, settings)`` is ``extractor batch run … --engine ray``: it reads
the same inputs as the local batch (JSONL, CSV, a folder of .txt/.html) and Parquet, skips
(id, run identity) pairs already in ``output_dir``, cuts the rest into shards named from their
input rows (``part-<first input row>-<digest of the ids>``), and writes each shard with one
``os.replace`` once all its records have arrived. Only the driver writes, so the output folder
needs no shared filesystem, and a task Ray retries (killed actor, lost node) can neither add a
second copy nor a partial shard: a killed driver loses only the shards still open.

Ray is an optional extra (``pip install 'extractor[ray]'``), imported only when used.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.backends.ratelimit import RateLimiter
from extractor.batch import (
    MAX_CONSECUTIVE_FAILURES,
    NOT_SERVER_CAUSES,
    BatchItem,
    BatchStats,
    Columns,
    ResultFile,
    extract_record,
    read_items,
)
from extractor.config import Settings
from extractor.errors import ConfigError, ExtractorError, InputError

if TYPE_CHECKING:
    import ray.data

RAY_MISSING = (
    "the ray engine needs Ray Data, an optional extra: pip install 'extractor[ray]' (or pip install 'ray[data]')"
)
META_COLUMN = "_metadata_json"  # metadata of rows built by ``run_batch_ray``; other datasets: the extra columns
OUTPUT_COLUMNS = ("id", "record", "error", "worker")
FORMATS = ("jsonl", "parquet")


def require_ray() -> Any:
    """``import ray`` (with Ray Data), or a ConfigError naming the extra to install."""
    try:
        import ray
        import ray.data  # Ray Data is what we need; plain ``ray`` lacks it
    except ImportError as e:
        raise ConfigError(RAY_MISSING) from e
    return ray


# --- the run identity, which the driver and every actor must share ---


def run_identity(ex: Any) -> tuple[str, str]:
    """(prompt ref, resume key) of an Extractor: what ``batch.run_batch`` writes in error records and
    skips on (``ex.identity``'s prompt hash, or the rules' fingerprint), so either engine resumes the other."""
    return ex.identity.ref, ex.identity.key


def settings_identity(settings: Settings) -> tuple[str, str]:
    """``run_identity`` of the Extractor ``settings`` builds (cheap: the local model loads at its first request)."""
    from extractor.extract import Extractor

    with Extractor(settings) as ex:
        return run_identity(ex)


record_key = ResultFile.key  # (id, resume key) of a written record, as the local batch reads it


# --- one rate limiter for the whole cluster ---


class _Wait(Exception):
    def __init__(self, delay: float) -> None:
        super().__init__(delay)
        self.delay = delay


def _raise_wait(delay: float) -> None:
    raise _Wait(delay)


class LimiterState:
    """The local ``RateLimiter``'s sliding window, in one actor; it never sleeps, it says how long to."""

    def __init__(self, rpm: int | None, tpm: int | None) -> None:
        self.limiter = RateLimiter(rpm, tpm, sleep=_raise_wait)

    def try_acquire(self, tokens: int = 0) -> float:
        """0 if the request was admitted, else the seconds to wait before asking again."""
        try:
            self.limiter.acquire(tokens)
        except _Wait as w:
            return w.delay
        return 0.0


class ClusterLimiter:
    """What a backend's ``limiter`` must offer (``acquire(tokens) -> seconds waited``), asked of the actor."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def acquire(self, tokens: int = 0) -> float:
        import ray

        waited = 0.0
        while True:
            delay = ray.get(self.handle.try_acquire.remote(tokens))
            if delay <= 0:
                return waited
            time.sleep(delay)
            waited += delay


def start_limiter(settings: Settings) -> Any | None:
    """The cluster-wide limiter actor if ``settings`` has an RPM or TPM limit (restarted if its node dies)."""
    if not settings.rpm and not settings.tpm:
        return None
    ray = require_ray()
    actor = ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=-1)(LimiterState)
    return actor.remote(settings.rpm, settings.tpm)


# --- the actors ---


class ExtractWorker:
    """A Ray Data callable class: one ``Extractor`` per actor, ``concurrency`` articles in flight."""

    def __init__(
        self,
        settings: Settings,
        prices: dict[str, tuple[float, float]],
        concurrency: int = 4,
        limiter: Any | None = None,
        id_column: str = "id",
        text_column: str = "text",
        offsets: str = "codepoint",
        expect_key: str | None = None,
    ) -> None:
        from extractor.extract import Extractor

        self.ex = Extractor(settings)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        key = run_identity(self.ex)[1]
        if expect_key is not None and key != expect_key:  # resume would never match this worker's records
            raise ConfigError(
                f"worker {self.worker} runs a different recipe (resume key {key[:12]}) than the driver "
                f"({expect_key[:12]}): install the same extractor version (and prompts) on every node"
            )
        if limiter is not None and self.ex.backend is not None:
            self.ex.backend.limiter = ClusterLimiter(limiter)
        threads = max(1, min(concurrency, self.ex.concurrency))  # 1 for the embedded model and the rules
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="extract")
        self.prices, self.id_column, self.text_column, self.offsets = prices, id_column, text_column, offsets

    def _item(self, row: dict[str, Any]) -> BatchItem:
        if META_COLUMN in row:
            metadata = json.loads(row[META_COLUMN]) if row[META_COLUMN] is not None else None
        else:
            metadata = {k: v for k, v in row.items() if k not in (self.id_column, self.text_column)} or None
        title = row.get("title")
        return BatchItem(str(row[self.id_column]), row[self.text_column], metadata, str(title) if title else None)

    def __call__(self, batch: Any) -> Any:
        """A batch of rows → the same rows as records: ``batch.extract_record`` on each, as the local batch does."""
        import pyarrow as pa

        items = [self._item(row) for row in batch.to_pylist()]
        records = list(self.pool.map(lambda item: extract_record(self.ex, item, self.prices, self.offsets), items))
        return pa.table({
            "id": [item.id for item in items],
            "record": [json.dumps(r, ensure_ascii=False) for r in records],
            "error": [(r["error"].get("cause") or "unknown") if "error" in r else None for r in records],
            "worker": [self.worker] * len(items),
        })  # fmt: skip


def default_workers(cpus_per_worker: float = 1.0) -> int:
    """One actor per ``cpus_per_worker`` CPUs of the cluster (every node counted)."""
    ray = require_ray()
    return max(1, int(ray.cluster_resources().get("CPU", 1) // cpus_per_worker))


def extract_dataset(
    ds: ray.data.Dataset,
    settings: Settings | None = None,
    *,
    concurrency: int = 4,
    workers: int | None = None,
    cpus_per_worker: float = 1.0,
    batch_size: int | None = None,
    prices: dict[str, tuple[float, float]] | None = None,
    id_column: str = "id",
    text_column: str = "text",
    offsets: str = "codepoint",
    expect_key: str | None = None,
) -> ray.data.Dataset:
    """Extract every row of ``ds`` (lazy): a Dataset of ``id``, ``record`` (JSON), ``error``, ``worker``.

    Columns other than id and text become each record's ``metadata``, as in a JSONL input;
    ``offsets`` is the span unit, as in ``batch.run_batch``. With ``expect_key`` (the driver's
    ``settings_identity``), an actor whose code or prompt gives another resume key refuses to start.
    ``workers`` actors (default: one per CPU of the cluster) each run up to ``concurrency`` articles
    at a time (the backend's limit caps it: one for the embedded model and the rules); a killed actor
    is restarted and its unfinished batches retried by Ray, so every row comes out once.
    ``json.loads(row["record"])`` is the local batch's line for that article.
    """
    require_ray()
    from ray.data import ActorPoolStrategy

    from extractor.offsets import UNITS
    from extractor.pricing import load_prices

    if offsets not in UNITS:
        raise ConfigError(f"unknown offset unit {offsets!r}: use one of {', '.join(UNITS)}")
    settings = settings or Settings.resolve()
    workers = workers or default_workers(cpus_per_worker)
    return ds.map_batches(
        ExtractWorker,
        fn_constructor_kwargs={
            "settings": settings,
            "prices": prices if prices is not None else load_prices(),
            "concurrency": concurrency,
            "limiter": start_limiter(settings),
            "id_column": id_column,
            "text_column": text_column,
            "offsets": offsets,
            "expect_key": expect_key,
        },
        batch_size=batch_size or 2 * max(1, concurrency),
        batch_format="pyarrow",
        compute=ActorPoolStrategy(size=workers),
        num_cpus=cpus_per_worker,
        # Ray Data gives pool actors max_restarts=-1 and max_task_retries=-1: a killed actor comes back
        # and its unfinished batches run again (tests/test_distributed.py kills one to check).
    )


# --- the output folder: shards written whole, indexed for resume ---


def shard_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("part-*") if p.suffix in (".jsonl", ".parquet"))


def _shard_lines(path: Path) -> list[str]:
    """The records of one shard, as JSON strings."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path, columns=["record"]).column("record").to_pylist()
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_output(folder: Path) -> Iterator[dict[str, Any]]:
    """Every record in an output folder (JSONL and Parquet shards), in shard order."""
    for path in shard_files(folder):
        for line in _shard_lines(path):
            try:
                yield json.loads(line)
            except json.JSONDecodeError:  # a shard is replaced whole; a hand-edited one may not be
                continue


def write_shard(folder: Path, name: str, records: list[str], fmt: str) -> Path:
    """Write one shard atomically: a temp file, fsynced, then ``os.replace`` (a retry overwrites it)."""
    path = folder / (name if name.endswith((".jsonl", ".parquet")) else f"{name}.{fmt}")
    tmp = folder / f".{path.name}.tmp"
    if path.suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [json.loads(r) for r in records]
        keys = [record_key(r) for r in rows]
        table = pa.table({
            "id": [k[0] for k in keys],
            "run_key": [k[1] for k in keys],
            "error": [(r["error"].get("cause") or r["error"]["type"]) if "error" in r else None for r in rows],
            "record": records,
        })  # fmt: skip
        pq.write_table(table, tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
    else:
        with tmp.open("wb") as f:
            f.write("".join(r + "\n" for r in records).encode())
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(folder)
    return path


def _fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def compact(folder: Path) -> int:
    """Keep one record per (id, resume key) across shards: a result over an error, else the newest shard's.

    A re-run retries error records into new shards; this drops the records they superseded, rewriting
    each affected shard atomically (removing it if nothing is left). Returns the records dropped.
    """
    seen: dict[tuple[str, str], tuple[tuple[bool, int, str], Path, int]] = {}
    drop: dict[Path, set[int]] = {}
    for path in shard_files(folder):
        mtime = path.stat().st_mtime_ns
        for n, line in enumerate(_shard_lines(path)):
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            key, rank = record_key(row), ("error" not in row, mtime, path.name)
            if key in seen:
                other_rank, other_path, other_n = seen[key]
                if other_rank >= rank:
                    drop.setdefault(path, set()).add(n)
                    continue
                drop.setdefault(other_path, set()).add(other_n)
            seen[key] = (rank, path, n)
    for path, lines in drop.items():
        kept = [line for n, line in enumerate(_shard_lines(path)) if n not in lines]
        if kept:
            write_shard(folder, path.name, kept, path.suffix[1:])
        else:
            path.unlink()
            _fsync_dir(folder)
    return sum(len(lines) for lines in drop.values())


def shard_name(position: int, key: str, ids: Iterable[str]) -> str:
    """``part-<first input row>-<digest of run key and ids>``: the same rows always get the same name."""
    digest = hashlib.sha256(key.encode())
    for i in ids:
        digest.update(b"\0" + i.encode())
    return f"part-{position:08d}-{digest.hexdigest()[:12]}"


# --- inputs ---


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet" or (path.is_dir() and any(path.rglob("*.parquet")))


def read_parquet_items(path: Path, columns: Columns) -> Iterator[BatchItem]:
    """Articles from a Parquet file or folder of them; ``columns.keep`` names the metadata kept."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    missing = {columns.id, columns.text} - set(table.column_names)
    if missing:
        raise InputError(f"{path} has no column(s) {', '.join(sorted(missing))}: use --id-column/--text-column")
    for row in table.to_pylist():
        yield columns.item(row)


def read_inputs(path: Path, columns: Columns | None = None) -> Iterator[BatchItem]:
    """The local batch's inputs (JSONL, CSV, a folder of .txt/.html; ``batch.read_items``) and Parquet."""
    if is_parquet(path):
        require_ray()  # pyarrow comes with the extra
        return read_parquet_items(path, columns or Columns())
    return read_items(path, columns)


# --- the run ---


@dataclass
class RayStats(BatchStats):
    """The local batch's totals, plus what the cluster run adds."""

    shards: int = 0  # shards written by this run
    workers: set[str] = field(default_factory=set)  # host:pid of every actor that returned records


def run_batch_ray(
    input_path: Path,
    output: Path,
    settings: Settings,
    *,
    address: str | None = None,
    concurrency: int = 4,
    workers: int | None = None,
    cpus_per_worker: float = 1.0,
    shard_size: int | None = None,
    fmt: str = "jsonl",
    prices: dict[str, tuple[float, float]] | None = None,
    id_column: str = "id",
    text_column: str = "text",
    keep: tuple[str, ...] = (),
    retry_errors: bool = True,
    max_consecutive_failures: int | None = MAX_CONSECUTIVE_FAILURES,
    offsets: str = "codepoint",
    on_progress: Callable[[RayStats], None] = lambda s: None,
) -> RayStats:
    """Extract every article of ``input_path`` not yet in the ``output`` folder, on Ray.

    Connects to ``address`` (``auto``, ``ray://host:10001``; None starts a local Ray unless one is
    running or ``RAY_ADDRESS`` is set). Holds the folder's lock (``outputlock.hold_output``) for the
    run. As ``batch.run_batch``: error records of earlier runs are retried unless ``retry_errors`` is
    False (the superseded record is then dropped), and after ``max_consecutive_failures`` server
    failures in a row the run stops, keeping every shard already complete (``stats.stopped``).
    """
    if fmt not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    ray = require_ray()
    from extractor.outputlock import hold_output
    from extractor.pricing import load_prices

    if output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file: the ray engine writes a folder of shards")
    items = list(read_inputs(input_path, Columns(id=id_column, text=text_column, keep=keep)))
    _ref, key = settings_identity(settings)
    stats = RayStats()
    with hold_output(output):
        output.mkdir(parents=True, exist_ok=True)
        for stale in output.glob(".part-*.tmp"):  # a driver killed mid-write; we hold the folder
            stale.unlink()
        compact(output)  # a run killed between a retry's shard and the compaction below
        latest = {record_key(r): "error" in r for r in read_output(output)}
        seen: set[str] = set()
        todo: list[tuple[int, BatchItem]] = []
        for position, item in enumerate(items):
            if item.id in seen:
                stats.duplicates += 1
                continue
            seen.add(item.id)
            failed = latest.get((item.id, key))
            if failed is False or (failed and not retry_errors):
                stats.skipped += 1
                continue
            stats.retried += bool(failed)
            todo.append((position, item))
        del items, latest
        on_progress(stats)
        if todo:
            if not ray.is_initialized():
                starts_one = address is None and not os.environ.get("RAY_ADDRESS")
                ray.init(address=address, log_to_driver=False, **({"include_dashboard": False} if starts_one else {}))
            _run_shards(ray, todo, output, settings, key, stats, on_progress, concurrency=concurrency,
                        workers=workers or default_workers(cpus_per_worker), cpus_per_worker=cpus_per_worker,
                        shard_size=shard_size, fmt=fmt, prices=prices or load_prices(),
                        max_consecutive_failures=max_consecutive_failures, offsets=offsets)  # fmt: skip
        if stats.retried:
            compact(output)
    return stats


def _run_shards(
    ray: Any,
    todo: list[tuple[int, BatchItem]],
    output: Path,
    settings: Settings,
    key: str,
    stats: RayStats,
    on_progress: Callable[[RayStats], None],
    *,
    concurrency: int,
    workers: int,
    cpus_per_worker: float,
    shard_size: int | None,
    fmt: str,
    prices: dict[str, tuple[float, float]],
    max_consecutive_failures: int | None,
    offsets: str,
) -> None:
    """Cut ``todo`` into shards, extract on the cluster, write each shard once all its records are in."""
    size = shard_size or max(1, min(500, -(-len(todo) // (workers * 8))))
    shard_of: dict[str, str] = {}
    expected: dict[str, list[str]] = {}
    for start in range(0, len(todo), size):
        chunk = todo[start : start + size]
        ids = [item.id for _, item in chunk]
        name = shard_name(chunk[0][0], key, ids)
        expected[name] = ids
        shard_of.update(dict.fromkeys(ids, name))
    rows = [{"id": item.id, "text": item.text, META_COLUMN: json.dumps(item.metadata, ensure_ascii=False)
             if item.metadata is not None else None} for _, item in todo]  # fmt: skip
    ds = ray.data.from_items(rows, override_num_blocks=min(len(rows), workers * 8))
    del rows
    out = extract_dataset(ds, settings, concurrency=concurrency, workers=workers, cpus_per_worker=cpus_per_worker,
                          prices=prices, offsets=offsets, expect_key=key)  # fmt: skip
    open_shards: dict[str, dict[str, str]] = {}
    consecutive = 0
    batches = out.iter_batches(batch_format="pyarrow", batch_size=None)
    for batch in batches:
        for item_id, record, cause, worker in zip(
            *(batch.column(c).to_pylist() for c in ("id", "record", "error", "worker")), strict=True
        ):
            name = shard_of[item_id]
            got = open_shards.setdefault(name, {})
            if item_id in got:  # a retried batch re-delivered (Ray should not): keep the first
                continue
            got[item_id] = record
            stats.workers.add(worker)
            consecutive = consecutive + 1 if cause is not None and cause not in NOT_SERVER_CAUSES else 0
            if len(got) == len(expected[name]):
                lines = [got[i] for i in expected[name]]
                write_shard(output, name, lines, fmt)
                del open_shards[name]
                for line in lines:
                    stats.add(json.loads(line))
                stats.shards += 1
                on_progress(stats)
        if max_consecutive_failures and consecutive >= max_consecutive_failures:
            stats.stopped = (
                f"stopped after {consecutive} consecutive server failures; complete shards are kept, "
                f"{sum(len(g) for g in open_shards.values())} finished articles of open shards are not"
            )
            close = getattr(batches, "close", None)
            if close is not None:
                close()  # stops the dataset's execution
            return
    if open_shards:
        missing = sum(len(expected[n]) - len(g) for n, g in open_shards.items())
        raise ExtractorError(f"Ray returned no record for {missing} article(s); re-run to resume")


def run_from_cli(input_path: Path, output: Path, settings: Settings, **options: Any) -> RayStats:
    """``extractor batch run … --engine ray``: the run, Ray's progress, then the local batch's summary line."""
    from extractor.cli import render
    from extractor.outputlock import hold_output

    with hold_output(output):  # before Ray starts: a second run on OUTPUT fails at once
        started = time.perf_counter()
        stats = run_batch_ray(input_path, output, settings, **options)
    render.note(render.batch_summary(stats, output.name, time.perf_counter() - started))
    render.note(f"ray: {stats.shards} shards written to {output}/ by {len(stats.workers)} workers")
    return stats
