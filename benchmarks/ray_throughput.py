"""Benchmark: the batch on Ray (1 and 2 local workers) next to the thread-pool batch, same input, one run.

Every engine runs the same articles against a loopback server that answers after a fixed delay:
the recorded response where the cassettes have the identical request (``recorded_server``), else
the first option of the request's tool schema (what the rules would choose), so every request the
current pipeline makes is answered whether or not the cassettes were re-recorded for it. What
differs is the engine: articles/s, and each Ray run's ratio to the thread pool
with the same number of articles in flight (workers × concurrency). Ray's time includes starting
its actors (a process each, importing the package, building the Extractor); the rate after the
first shard is written shows the engine once they are up.

    python -m benchmarks.ray_throughput --articles 200 --delay 0.2 --concurrency 4
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.recorded_server import RecordedServer
from extractor import Extractor, Settings
from extractor.batch import BatchItem, run_batch
from extractor.distributed import require_ray, run_batch_ray
from extractor.pricing import load_prices

# The example article: its two open speaker choices make 2 model calls per article.
HARBOUR = (Path(__file__).parents[1] / "examples" / "harbour-strike.txt").read_text()


def first_option_answer(body: bytes) -> str:
    """A chat completion choosing the first enum option of every required field of the request's tool."""
    request = json.loads(body)
    function = request["tools"][0]["function"]
    params = function["parameters"]
    args = {name: (params["properties"][name].get("enum") or [""])[0] for name in params.get("required", [])}
    call = {"id": "call_0", "type": "function", "function": {"name": function["name"], "arguments": json.dumps(args)}}
    return json.dumps({
        "id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": request.get("model", "m"),
        "choices": [{"index": 0, "finish_reason": "tool_calls",
                     "message": {"role": "assistant", "content": None, "tool_calls": [call]}}],
        "usage": {"prompt_tokens": len(body) // 4, "completion_tokens": 12, "total_tokens": len(body) // 4 + 12},
    })  # fmt: skip


class AnsweringServer(RecordedServer):
    """``RecordedServer`` (loopback, fixed delay, request counters) where a request with no recording
    gets ``first_option_answer`` instead of a 404."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(delay, fallback=first_option_answer)


def thread_pool(settings: Settings, items: list[BatchItem], concurrency: int, tmp: Path) -> tuple[float, int]:
    with Extractor(settings) as ex:
        started = time.perf_counter()
        stats = run_batch(ex, iter(items), tmp / f"local-{concurrency}.jsonl", concurrency=concurrency,
                          prices=load_prices())  # fmt: skip
        elapsed = time.perf_counter() - started
    assert stats.done == len(items) and stats.errors == 0, stats
    return elapsed, stats.model_calls


def on_ray(settings: Settings, source: Path, workers: int, concurrency: int, tmp: Path) -> tuple[float, float, int]:
    """(seconds in all, articles/s after the first shard (actors started), model calls)."""
    started = time.perf_counter()
    first: list[tuple[float, int]] = []

    def mark(stats: Any) -> None:
        if stats.shards == 1 and not first:
            first.append((time.perf_counter(), stats.done))

    stats = run_batch_ray(source, tmp / f"ray-{workers}", settings, workers=workers, concurrency=concurrency,
                          cpus_per_worker=1, on_progress=mark)  # fmt: skip
    ended = time.perf_counter()
    assert stats.errors == 0 and stats.skipped == 0 and stats.done > 0, stats
    steady = (stats.done - first[0][1]) / max(ended - first[0][0], 1e-9)
    return ended - started, steady, stats.model_calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=4, help="articles in flight per worker")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    ray = require_ray()
    model = json.loads((Path(__file__).parents[1] / "tests/cassettes/recorded_with.json").read_text())["model"]
    items = [BatchItem(f"a{i:05d}", HARBOUR) for i in range(args.articles)]
    started = time.perf_counter()
    ray.init(address="local", num_cpus=max(args.workers), include_dashboard=False, log_to_driver=False)
    startup = time.perf_counter() - started
    rows = []
    with AnsweringServer(delay=args.delay) as srv, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / "in.jsonl"
        source.write_text("".join(json.dumps({"id": i.id, "text": i.text}) + "\n" for i in items))
        settings = Settings.resolve(
            backend="openai",
            base_url=srv.url,
            model=model,
            prompt="guided@v3",
            model_decisions="speaker,counts,main_claim",
        )
        for workers in args.workers:
            in_flight = workers * args.concurrency
            local_s, calls = thread_pool(settings, items, in_flight, tmp)
            ray_s, steady, ray_calls = on_ray(settings, source, workers, args.concurrency, tmp)
            assert ray_calls == calls, (ray_calls, calls)
            rows.append((workers, in_flight, local_s, ray_s, calls, steady))
    ray.shutdown()
    print(f"{args.articles} articles, {args.delay}s per request (recorded answers, else the first option), "
          f"{rows[0][4]} model calls per run; Ray start-up {startup:.1f}s (not counted)")  # fmt: skip
    print("| Ray workers | articles in flight | thread pool s | pool art/s | Ray s | Ray art/s | Ray / pool "
          "| Ray art/s after 1st shard | that / pool |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for workers, in_flight, local_s, ray_s, _, steady in rows:
        n = args.articles
        cells = [workers, in_flight, f"{local_s:.2f}", f"{n / local_s:.1f}", f"{ray_s:.2f}", f"{n / ray_s:.1f}",
                 f"{local_s / ray_s:.2f}x", f"{steady:.1f}", f"{steady / (n / local_s):.2f}x"]  # fmt: skip
        print("| " + " | ".join(map(str, cells)) + " |")
    if len(rows) > 1:
        speedup, ideal = rows[0][3] / rows[-1][3], rows[-1][0] / rows[0][0]
        print(f"Ray {rows[-1][0]} workers vs {rows[0][0]}: {speedup:.2f}x (ideal {ideal:.0f}x)")


if __name__ == "__main__":
    main()
