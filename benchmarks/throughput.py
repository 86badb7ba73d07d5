"""Benchmark (b): batch throughput against a server that answers recorded responses after a
fixed delay, at several concurrency levels, as speed-up over concurrency 1 against the ideal.

    python -m benchmarks.throughput --articles 64 --delay 0.2 --levels 1 4 16 64
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks.recorded_server import RecordedServer
from extractor import Extractor, Settings
from extractor.batch import BatchItem, run_batch
from extractor.pricing import load_prices

BRANDT = "Port director Tomas Brandt said the stoppage was costing the port $2.5 million a day."


def run_level(url: str, model: str, n: int, concurrency: int) -> tuple[float, int]:
    items = (BatchItem(f"a{i}", BRANDT) for i in range(n))
    settings = Settings.resolve(
        backend="openai", base_url=url, model=model, prompt="guided@v1", model_decisions="speaker,counts"
    )
    with tempfile.TemporaryDirectory() as tmp, Extractor(settings) as ex:
        out = Path(tmp) / "out.jsonl"
        started = time.perf_counter()
        stats = run_batch(ex, items, out, concurrency=concurrency, prices=load_prices())
        elapsed = time.perf_counter() - started
        assert stats.done == n and stats.errors == 0, stats
    return elapsed, stats.model_calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=64)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 4, 16, 64])
    args = parser.parse_args()
    model = json.loads((Path(__file__).parents[1] / "tests/cassettes/recorded_with.json").read_text())["model"]
    rows = []
    with RecordedServer(delay=args.delay) as srv:
        for level in args.levels:
            elapsed, calls = run_level(srv.url, model, args.articles, level)
            rows.append((level, elapsed, calls, srv.max_in_flight))
    base = rows[0][1]
    print(f"{args.articles} articles, {args.delay}s per request (recorded responses)")
    print("| concurrency | seconds | articles/s | speed-up | ideal | share of ideal |")
    print("| --- | --- | --- | --- | --- | --- |")
    for level, elapsed, _calls, _ in rows:
        speed = base / elapsed
        row = [str(level), f"{elapsed:.2f}", f"{args.articles / elapsed:.1f}", f"{speed:.1f}x", f"{level}x"]
        print("| " + " | ".join([*row, f"{speed / level:.0%}"]) + " |")


if __name__ == "__main__":
    main()
