"""Benchmark (c): the embedded model through the extractor against llama-cpp-python called
directly with the very same requests (same prompts, schemas and sampling), on one article.

    python -m benchmarks.embedded
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from extractor import Extractor, Settings

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "kerman-article.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--article", type=Path, default=ARTICLE)
    parser.add_argument("--prompt", default="guided@latest")
    args = parser.parse_args()
    text = args.article.read_text()
    requests: list[dict[str, Any]] = []
    with Extractor(
        Settings.resolve(backend="local", prompt=args.prompt, model_decisions="speaker,counts,main_claim")
    ) as ex:
        backend = ex.backend
        assert backend is not None
        inner = backend._complete

        def recording(**request: Any) -> Any:
            requests.append(dict(request))
            return inner(**request)

        backend._complete = recording  # type: ignore[method-assign]
        ex.extract(text)  # warm-up: loads pages, fills llama.cpp's prompt cache
        requests.clear()
        started = time.perf_counter()
        result = ex.extract(text)
        ours = time.perf_counter() - started
        llm = backend._llm  # type: ignore[attr-defined]
        started = time.perf_counter()
        tokens = 0
        for request in requests:
            request.pop("model", None)
            out = llm.create_chat_completion(**request)
            tokens += out["usage"]["completion_tokens"]
        direct = time.perf_counter() - started
    ours_tokens = result.meta.usage.completion_tokens
    print(
        f"article {args.article.name}, prompt {result.meta.prompt}@{result.meta.prompt_version}, {len(requests)} calls"
    )
    print("| path | seconds/article | completion tokens | tokens/s |")
    print("| --- | --- | --- | --- |")
    print(f"| extractor (local backend) | {ours:.2f} | {ours_tokens} | {ours_tokens / ours:.1f} |")
    print(f"| llama-cpp-python direct, same requests | {direct:.2f} | {tokens} | {tokens / direct:.1f} |")
    print(f"extractor / direct time: {ours / direct:.2f}x")


if __name__ == "__main__":
    main()
