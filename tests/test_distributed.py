"""The batch on Ray (``--engine ray``): same records as the local batch, one cluster-wide rate limit,
a killed actor retried with every id written once, and a half-written output resumed.

Runs on a local Ray (2 CPUs) started once for the module; skipped when Ray is not installed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest

from benchmarks.ray_throughput import HARBOUR, AnsweringServer
from extractor import Extractor, Settings
from extractor.batch import Columns, run_batch
from extractor.distributed import (
    RAY_MISSING,
    extract_dataset,
    read_output,
    require_ray,
    run_batch_ray,
    settings_identity,
    shard_files,
)
from extractor.errors import ConfigError
from extractor.identity import rules_identity
from extractor.pricing import load_prices
from tests.cassettes import server

BRANDT = "Port director Tomas Brandt said the stoppage was costing the port $2.5 million a day."
TEMPLATES = [
    "Officials said {n} schools closed on Monday.",
    "Port director Tomas Brandt said the stoppage was costing the port ${n}.5 million a day.",
    '"We will not reopen until the talks end," Mayor Ana Ruiz said. Prices rose {n} percent.',
    "The union, which has {n},000 members, said it would strike again.",
]


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'extractor[ray]')")
    pytest.importorskip("ray.data")
    if not ray.is_initialized():
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def articles(n: int) -> list[dict]:
    return [{"id": f"a{i:04d}", "text": TEMPLATES[i % len(TEMPLATES)].format(n=i + 2), "n": i} for i in range(n)]


def comparable(record: dict) -> dict:
    """A record without what differs between two runs of the same recipe (timing)."""
    record = json.loads(json.dumps(record))
    record.get("meta", {}).pop("latency_s", None)
    return record


def local_records(settings: Settings, rows: list[dict], tmp: Path, keep: tuple[str, ...] = ()) -> dict[str, dict]:
    items = [Columns(keep=keep).item(r) for r in rows]
    out = tmp / "local.jsonl"
    with Extractor(settings) as ex:
        run_batch(ex, iter(items), out, concurrency=4, prices=load_prices())
    return {r["id"]: comparable(r) for r in map(json.loads, out.read_text().splitlines())}


def by_id(folder: Path) -> dict[str, dict]:
    rows = list(read_output(folder))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "an id was written twice"
    return {r["id"]: comparable(r) for r in rows}


def test_missing_ray_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ConfigError) as e:
        require_ray()
    assert str(e.value) == RAY_MISSING and "extractor[ray]" in RAY_MISSING


def test_rules_path_200_articles_match_the_local_batch(ray_local, tmp_path):
    rows = [*articles(198), {"id": "empty", "text": "   "}, {"id": "nul", "text": "\x00\x01\x02"}]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    settings = Settings.resolve(backend="baseline")
    out = tmp_path / "out"
    stats = run_batch_ray(source, out, settings, concurrency=2, workers=2, keep=("n",))
    assert (stats.done, stats.errors, stats.skipped, stats.shards) == (198, 2, 0, len(shard_files(out)))
    got = by_id(out)
    assert got == local_records(settings, rows, tmp_path, keep=("n",))
    assert got["a0003"]["metadata"] == {"n": 3} and got["empty"]["error"]["type"] == "EmptyArticleError"


def test_parquet_in_and_out(ray_local, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = articles(30)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    settings = Settings.resolve(backend="baseline")
    out = tmp_path / "out"
    stats = run_batch_ray(tmp_path / "in.parquet", out, settings, workers=1, fmt="parquet")
    assert stats.done == 30 and all(p.suffix == ".parquet" for p in shard_files(out))
    assert set(pq.read_table(shard_files(out)[0]).column_names) == {"id", "run_key", "error", "record"}
    assert by_id(out) == local_records(settings, rows, tmp_path)
    assert run_batch_ray(tmp_path / "in.parquet", out, settings, workers=1, fmt="parquet").skipped == 30


def test_recorded_server_200_articles_match_the_local_batch(ray_local, tmp_path):
    rows = [{"id": f"b{i:03d}", "text": BRANDT if i % 2 else HARBOUR} for i in range(200)]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    with AnsweringServer(delay=0.0) as srv:  # recorded answers; the first option where none is recorded
        settings = Settings.resolve(
            backend="openai",
            base_url=srv.url,
            model=server()["model"],
            prompt="guided@v3",
            model_decisions="speaker,counts,main_claim",
        )  # every decision: real requests
        stats = run_batch_ray(source, tmp_path / "out", settings, concurrency=4, workers=2)
        on_ray = srv.requests
        expected = local_records(settings, rows, tmp_path)
    assert (stats.done, stats.errors) == (200, 0) and stats.model_calls == on_ray == srv.requests - on_ray > 0
    assert by_id(tmp_path / "out") == expected


def test_a_killed_actor_is_retried_and_every_id_is_written_once(ray_local, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", articles(200))
    killed: list[int] = []

    def kill_one_worker(stats):
        if stats.shards == 2 and not killed:
            pid = int(sorted(stats.workers)[0].rsplit(":", 1)[1])
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    out = tmp_path / "out"
    stats = run_batch_ray(source, out, Settings.resolve(backend="baseline"), concurrency=2, workers=2,
                          shard_size=5, on_progress=kill_one_worker)  # fmt: skip
    assert killed, "the kill should land mid-run"
    assert (stats.done, stats.errors) == (200, 0)
    assert len(stats.workers) >= 3, "the killed actor should have been replaced"
    assert sorted(by_id(out)) == [f"a{i:04d}" for i in range(200)]


def test_a_half_written_output_resumes_without_duplicates(ray_local, tmp_path):
    rows = articles(120)
    settings = Settings.resolve(backend="baseline")
    out = tmp_path / "out"
    run_batch_ray(write_jsonl(tmp_path / "half.jsonl", rows[:60]), out, settings, workers=1, shard_size=8)
    (out / ".part-00000099-deadbeef0000.jsonl.tmp").write_text('{"id": "a0099", "torn')  # a write cut short
    first = len(shard_files(out))
    source = write_jsonl(tmp_path / "in.jsonl", [*rows, rows[5]])  # and one id twice in the input
    stats = run_batch_ray(source, out, settings, workers=2, shard_size=8)
    assert (stats.skipped, stats.done, stats.duplicates) == (60, 60, 1)
    assert len(shard_files(out)) == first + stats.shards and not list(out.glob(".*.tmp"))
    assert sorted(by_id(out)) == [r["id"] for r in rows]
    again = run_batch_ray(source, out, settings, workers=2)
    assert (again.skipped, again.done, again.shards) == (120, 0, 0)


def test_a_changed_recipe_is_not_skipped(ray_local, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", articles(4))
    out = tmp_path / "out"
    run_batch_ray(source, out, Settings.resolve(backend="baseline"), workers=1)
    fingerprint = rules_identity().rules_sha256
    for shard in shard_files(out):  # as if an older version of the rules had written them
        shard.write_text(shard.read_text().replace(fingerprint, "old"))
    assert run_batch_ray(source, out, Settings.resolve(backend="baseline"), workers=1).done == 4


def test_extract_dataset_on_a_ray_dataset(ray_local):
    ds = ray_local.data.from_items([{"id": i, "text": BRANDT, "outlet": "x"} for i in range(6)])
    rows = extract_dataset(ds, Settings.resolve(backend="baseline"), workers=1).take_all()
    assert sorted(r["id"] for r in rows) == [str(i) for i in range(6)]
    record = json.loads(rows[0]["record"])
    assert record["metadata"] == {"outlet": "x"} and rows[0]["error"] is None


def test_one_rate_limit_for_the_whole_cluster(ray_local):
    from extractor.distributed import ClusterLimiter, start_limiter

    limiter = start_limiter(Settings.resolve(backend="baseline", rpm=3))

    @ray_local.remote
    def ask() -> float:
        return ray_local.get(limiter.try_acquire.remote(10))

    admitted = ray_local.get([ask.remote() for _ in range(3)])  # three requests from three workers
    assert admitted == [0.0, 0.0, 0.0]
    assert ray_local.get(ask.remote()) > 50  # the fourth, from anywhere, waits for the window
    assert ClusterLimiter(start_limiter(Settings.resolve(backend="baseline", tpm=100))).acquire(50) == 0.0
    assert start_limiter(Settings.resolve(backend="baseline")) is None


def test_error_records_are_retried_and_the_old_record_dropped(ray_local, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", articles(4))
    out = tmp_path / "out"
    settings = Settings.resolve(backend="baseline")
    run_batch_ray(source, out, settings, workers=1, shard_size=4)
    (shard,) = shard_files(out)
    records = [json.loads(line) for line in shard.read_text().splitlines()]
    records[1] = {
        "id": records[1]["id"],
        "prompt": "baseline@v2",
        "prompt_sha256": records[1]["meta"]["prompt_sha256"],
        "run_key": settings_identity(settings)[1],
        "metadata": None,
        "error": {"type": "TransportError", "cause": "timeout", "message": "timed out"},
    }
    shard.write_text("".join(json.dumps(r) + "\n" for r in records))  # as if the server had timed out on a0001
    kept = run_batch_ray(source, out, settings, workers=1, retry_errors=False)
    assert (kept.skipped, kept.done) == (4, 0)
    stats = run_batch_ray(source, out, settings, workers=1)
    assert (stats.retried, stats.done, stats.skipped) == (1, 1, 3)
    got = by_id(out)
    assert sorted(got) == [f"a{i:04d}" for i in range(4)] and all("error" not in r for r in got.values())


def test_the_cli_engine_option(ray_local, tmp_path):
    from typer.testing import CliRunner

    from extractor.cli import app

    source = write_jsonl(tmp_path / "in.jsonl", articles(6))
    out = tmp_path / "out"
    args = ["batch", "run", str(source), str(out), "--engine", "ray", "--backend", "baseline", "--workers", "1"]
    first = CliRunner().invoke(app, [*args, "--format", "parquet"])
    assert first.exit_code == 0, first.output
    assert "done 6, errors 0" in first.output and all(p.suffix == ".parquet" for p in shard_files(out))
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and "skipped (already in out) 6" in again.output
    assert CliRunner().invoke(app, [*args, "--engine", "spark"]).exit_code == 2


def test_a_worker_with_another_recipe_refuses_to_start():
    from extractor.distributed import ExtractWorker

    settings = Settings.resolve(backend="baseline")
    ExtractWorker(settings, load_prices(), expect_key=settings_identity(settings)[1])
    with pytest.raises(ConfigError, match="same extractor version"):
        ExtractWorker(settings, load_prices(), expect_key="0" * 64)
