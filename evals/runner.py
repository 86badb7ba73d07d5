"""Run an extractor over a gold dataset, score it, and write a run record under ``evals/runs/``.

Every model response is cached on disk keyed by the full request (prompt hash, model, backend and
article are all in it), so re-running with nothing changed makes no model call. The rule
baseline runs on the same articles so every report shows the floor.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evals import datasets
from evals.scoring import Criteria, LayerScore, score_article, summarize
from extractor import Extractor, Settings
from extractor.errors import ExtractorError
from extractor.schema import ArticleExtraction, Meta
from extractor.version import __version__

RUNS = Path(__file__).resolve().parent / "runs"
RECORD_SCHEMA = "extractor.eval.run/1"


@dataclass(frozen=True)
class RunOptions:
    dataset: str
    limit: int | None = None
    cache: bool = True
    criteria: Criteria = Criteria()
    baseline: bool = True
    progress: bool = True
    out_dir: Path = RUNS


def _empty(article_id: str, text: str, ex: Extractor) -> ArticleExtraction:
    """What an article that failed scores as: nothing found, made by this run's recipe."""
    meta = Meta(**ex.identity.model_dump(), library_version=__version__)
    return ArticleExtraction(id=article_id, text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest(), meta=meta)


def _extract_all(ex: Extractor, gold: list[datasets.GoldArticle], label: str, show: bool) -> list[dict[str, Any]]:
    rows = []
    columns = [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[calls]} calls, {task.fields[hits]} cached")]  # fmt: skip
    console = Console(stderr=True)  # stdout is for the table or the --json summary
    with Progress(*columns, console=console, disable=not show or not console.is_terminal) as progress:
        task = progress.add_task(label, total=len(gold), calls=0, hits=0)
        for g in gold:
            started = time.perf_counter()
            error = None
            try:
                pred = ex.extract(g.text, article_id=g.id)
            except ExtractorError as e:
                error, pred = f"{type(e).__name__}: {e}", _empty(g.id, g.text, ex)
            rows.append({"id": g.id, "prediction": pred, "error": error, "seconds": time.perf_counter() - started})
            calls = ex.backend.calls if ex.backend else 0
            hits = ex.backend.cache_hits if ex.backend else 0
            progress.update(task, advance=1, calls=calls, hits=hits)
    return rows


def _scores(rows: list[dict[str, Any]], gold: list[datasets.GoldArticle], c: Criteria) -> list[dict[str, LayerScore]]:
    return [score_article(r["prediction"], g, c) for r, g in zip(rows, gold, strict=True)]


def run(settings: Settings, options: RunOptions) -> tuple[dict[str, Any], Path]:
    """Extract, score and record one run; returns the record and the path it was written to."""
    gold = datasets.load(options.dataset, options.limit)
    settings = settings.with_response_cache(options.cache)
    started = time.perf_counter()
    with Extractor(settings) as ex:
        rows = _extract_all(ex, gold, options.dataset, options.progress)
        calls = ex.backend.calls if ex.backend else 0
        hits = ex.backend.cache_hits if ex.backend else 0
        identity = ex.identity
    prompt = {"ref": identity.ref, "sha256": identity.prompt_sha256}
    model = identity.model
    seconds = time.perf_counter() - started
    per_article = _scores(rows, gold, options.criteria)
    dataset_name = gold[0].dataset if gold else options.dataset
    summary: dict[str, Any] = {
        "layers": summarize(per_article, dataset_name),
        "articles": len(gold),
        "errors": sum(1 for r in rows if r["error"]),
        "calls": {"model_calls": calls, "cache_hits": hits},
        "tokens": {
            "prompt": sum(r["prediction"].meta.usage.prompt_tokens for r in rows),
            "completion": sum(r["prediction"].meta.usage.completion_tokens for r in rows),
        },
        "seconds": round(seconds, 2),
    }
    if options.baseline and settings.backend != "baseline":
        with Extractor(Settings.resolve(backend="baseline")) as base:
            base_rows = _extract_all(base, gold, "baseline", False)
        summary["baseline"] = {"layers": summarize(_scores(base_rows, gold, options.criteria), dataset_name)}
    created = datetime.now(timezone.utc)
    decisions = f"-{identity.decisions.replace(',', '+')}" if identity.decisions else ""
    run_id = (
        f"{created:%Y%m%d-%H%M%S}-{Path(options.dataset).stem}-{prompt['ref'].replace('@', '-')}-{settings.backend}"
        f"{decisions}"
    )
    record = {
        "schema": RECORD_SCHEMA,
        "id": run_id,
        "created": created.isoformat(),
        "dataset": options.dataset,
        "prompt": prompt,
        "backend": settings.backend,
        "model": model,
        "identity": identity.model_dump(),
        "config": {
            "max_claims": settings.max_claims,
            "base_url": settings.base_url,
            "model_path": settings.model_path,
            "limit": options.limit,
            "cache": options.cache,
            "criteria": asdict(options.criteria),
        },
        "summary": summary,
        "articles": [
            {
                "id": r["id"],
                "error": r["error"],
                "seconds": round(r["seconds"], 3),
                "scores": {k: asdict(v) for k, v in s.items()},
                "prediction": r["prediction"].model_dump(mode="json", exclude={"text"}),
            }
            for r, s in zip(rows, per_article, strict=True)
        ],
    }
    options.out_dir.mkdir(parents=True, exist_ok=True)
    path = options.out_dir / f"{run_id}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    return record, path


def load_record(path_or_id: str) -> dict[str, Any]:
    path = Path(path_or_id)
    if not path.exists():
        path = RUNS / f"{path_or_id}.json"
    if not path.exists():
        raise datasets.DatasetError(f"no run record {path_or_id!r} (looked in {RUNS})")
    return json.loads(path.read_text())


def gate(summary: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """Failures for ``{"attributions.f1": 0.4, "figures.fields.unit": 0.5}`` style thresholds."""
    failures = []
    for key, minimum in thresholds.items():
        node: Any = summary["layers"]
        for part in key.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        value = node.get("value") if isinstance(node, dict) else node
        if value is None:
            failures.append(f"{key}: not in this run's scores")
        elif value < minimum:
            failures.append(f"{key} = {value:.3f} < {minimum}")
    return failures
