"""``extractor eval run`` and ``extractor eval compare``: thin over evals.runner and evals.report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

eval_app = typer.Typer(help="Score extractions against gold annotations and compare prompt versions.",
                       no_args_is_help=True)  # fmt: skip
console = Console()


def parse_thresholds(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r}: use LAYER.METRIC=VALUE, e.g. attributions.f1=0.40")
        out[key.strip()] = float(value)
    return out


@eval_app.command("run")
def run_cmd(
    dataset: Annotated[str, typer.Option(help="name (project set, then ../shared/datasets) or path")],
    prompt: Annotated[str | None, typer.Option(help="prompt ref, e.g. extract@v1")] = None,
    backend: Annotated[str | None, typer.Option(help="local, openai or baseline")] = None,
    model: Annotated[str | None, typer.Option()] = None,
    base_url: Annotated[str | None, typer.Option()] = None,
    model_path: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int | None, typer.Option(help="first N articles")] = None,
    cache: Annotated[bool, typer.Option(help="reuse cached model responses")] = True,
    span_match: Annotated[str, typer.Option(help="overlap or exact")] = "overlap",
    overlap: Annotated[float, typer.Option(help="token-overlap threshold for a span match")] = 0.5,
    figure_match: Annotated[str, typer.Option(help="value or value+unit")] = "value",
    fail_under: Annotated[list[str], typer.Option(help="LAYER.METRIC=MIN, repeatable")] = [],  # noqa: B006
    json_out: Annotated[bool, typer.Option("--json", help="print the JSON summary")] = False,
    out: Annotated[Path | None, typer.Option(help="folder for the run record and report")] = None,
) -> None:
    """Run the extractor over a dataset, score it, write the record and HTML report."""
    from evals import datasets
    from evals.report import print_summary, write_html
    from evals.runner import RUNS, RunOptions, gate, run
    from evals.scoring import Criteria
    from extractor.config import Settings
    from extractor.errors import ExtractorError

    thresholds = parse_thresholds(fail_under)
    try:
        settings = Settings.resolve(backend=backend, model=model, base_url=base_url, model_path=model_path,
                                    prompt=prompt)  # fmt: skip
        criteria = Criteria(span=span_match, overlap=overlap, figure=figure_match)  # type: ignore[arg-type]
        options = RunOptions(dataset=dataset, limit=limit, cache=cache, criteria=criteria, out_dir=out or RUNS)
        record, path = run(settings, options)
        html = write_html(record, datasets.load(dataset, limit), path.with_suffix(".html"))
    except ExtractorError as e:
        console.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    if json_out:
        print(json.dumps(record["summary"], indent=1))
    else:
        print_summary(record, console)
    console.print(f"record: {path}\nreport: {html}")
    failures = gate(record["summary"], thresholds)
    for f in failures:
        console.print(f"[red]gate failed:[/] {f}")
    if failures:
        raise typer.Exit(1)


@eval_app.command("compare")
def compare_cmd(run_a: str, run_b: str) -> None:
    """Per-layer and per-field deltas (B − A), paired bootstrap over articles, and what got worse."""
    from evals.report import compare
    from evals.runner import load_record

    a, b = load_record(run_a), load_record(run_b)
    result = compare(a, b)
    t = Table(title=f"{b['prompt']['ref']} vs {a['prompt']['ref']} on {result['articles']} shared articles")
    for col in ("layer", "metric", "Δ (B−A)", "95% CI", "p"):
        t.add_column(col)
    for layer, d in result["layers"].items():
        rows = [("F1", d["f1"])] + [(f"field {k}", v) for k, v in d["fields"].items()]
        for metric, f in rows:
            t.add_row(layer, metric, f"{f['delta']:+.3f}", f"[{f['ci'][0]:+.3f}, {f['ci'][1]:+.3f}]", f"{f['p']:.3f}")
    console.print(t)
    if result["worse"]:
        w = Table(title="articles that got worse")
        for col in ("article", "what", "A", "B"):
            w.add_column(col)
        for x in result["worse"]:
            w.add_row(x["id"], x["what"], f"{x['a']:.3f}", f"{x['b']:.3f}")
        console.print(w)
