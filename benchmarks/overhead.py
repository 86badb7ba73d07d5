"""Benchmark (a): library overhead per article — everything but the model call (prompt render,
Instructor parsing and validation, grounding, result serialisation) — measured by answering
every call from recorded responses in process, as a share of the same article's time with the
embedded model.

    python -m benchmarks.overhead --repeat 20
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import instructor
from openai.types.chat import ChatCompletion

from benchmarks.recorded_server import load_book
from extractor import Extractor, Settings
from extractor.backends.base import Backend

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT.parent / "shared" / "kerman-article.txt"


class BookBackend(Backend):
    """Answers each request with the recorded response to the identical request body."""

    name = "openai"
    mode = instructor.Mode.TOOLS
    context_tokens = 4096

    def __init__(self, model: str) -> None:
        super().__init__()
        self.model = model
        self.book = {k: ChatCompletion.model_validate_json(v) for k, v in load_book().items()}

    def _complete(self, **request: Any) -> ChatCompletion:
        import hashlib

        key = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
        return self.book[key]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--skip-model", action="store_true", help="do not time the embedded model")
    args = parser.parse_args()
    text = ARTICLE.read_text()
    model = json.loads((ROOT / "tests/cassettes/recorded_with.json").read_text())["model"]
    settings = Settings.resolve(
        backend="openai",
        base_url="http://replay.invalid/v1",
        model=model,
        prompt="guided@v1",
        model_decisions="speaker,counts",
    )
    times = []
    with Extractor(settings, backend=BookBackend(model)) as ex:
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = ex.extract(text)
            result.model_dump_json()
            times.append(time.perf_counter() - started)
    overhead = statistics.median(times)
    print(f"article: kerman ({len(text)} chars), {result.meta.usage.calls} model calls answered from recordings")
    print(f"library overhead per article (median of {args.repeat}): {overhead * 1000:.1f} ms "
          f"({overhead / result.meta.usage.calls * 1000:.2f} ms per call)")  # fmt: skip
    if not args.skip_model:
        with Extractor(
            Settings.resolve(backend="local", prompt="guided@v1", model_decisions="speaker,counts")
        ) as local:
            started = time.perf_counter()
            live = local.extract(text)
            total = time.perf_counter() - started
        print(f"same article with the embedded model: {total:.2f} s ({live.meta.usage.calls} calls)")
        print(f"overhead share of total time: {overhead / total:.2%}")


if __name__ == "__main__":
    main()
