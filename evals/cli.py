"""``extractor eval run`` and ``extractor eval compare``: thin over evals.runner and evals.report.

Errors follow the CLI's one policy (extractor/cli/errors.py, applied around the whole app):
commands raise, and only a failed gate exits 1 on its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

eval_app = typer.Typer(help="Score extractions against gold annotations and compare prompt versions.",
                       no_args_is_help=True)  # fmt: skip


def parse_thresholds(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            out[key.strip()] = float(value)
        except ValueError:
            raise typer.BadParameter(f"{item!r}: use LAYER.METRIC=VALUE, e.g. attributions.f1=0.40",
                                     param_hint="'--fail-under'") from None  # fmt: skip
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
    baseline: Annotated[bool, typer.Option(help="also score the rules on the same articles")] = True,
    span_match: Annotated[str, typer.Option(help="overlap or exact")] = "overlap",
    overlap: Annotated[float, typer.Option(help="token-overlap threshold for a span match")] = 0.5,
    figure_match: Annotated[str, typer.Option(help="value or value+unit")] = "value",
    fail_under: Annotated[list[str], typer.Option(help="LAYER.METRIC=MIN, repeatable")] = [],  # noqa: B006
    json_out: Annotated[bool, typer.Option("--json", help="print the JSON summary")] = False,
    out: Annotated[Path | None, typer.Option(help="folder for the run record and report")] = None,
    max_claims: Annotated[str | None, typer.Option(help="claims per article (default 10); 'all' for no cap")] = None,
    model_decisions: Annotated[
        str | None, typer.Option(help="decisions the model makes: speaker,counts,main_claim ('' for none)")
    ] = None,
) -> None:
    """Run the extractor over a dataset, score it, write the record and HTML report."""
    from evals import datasets
    from evals.report import print_summary, write_html
    from evals.runner import RUNS, RunOptions, gate, run
    from evals.scoring import Criteria
    from extractor.cli import render
    from extractor.cli.options import settings_from

    thresholds = parse_thresholds(fail_under)
    settings = settings_from(
        backend, model, base_url, model_path, prompt, max_claims=max_claims, model_decisions=model_decisions
    )
    criteria = Criteria(span=span_match, overlap=overlap, figure=figure_match)  # type: ignore[arg-type]
    options = RunOptions(
        dataset=dataset, limit=limit, cache=cache, criteria=criteria, baseline=baseline, out_dir=out or RUNS
    )
    record, path = run(settings, options)
    html = write_html(record, datasets.load(dataset, limit), path.with_suffix(".html"))
    # with --json, stdout holds the summary alone (parseable); where the record went goes to stderr
    console = render.stderr() if json_out else render.stdout()
    if json_out:
        print(json.dumps(record["summary"], indent=1))
    else:
        print_summary(record, console)
    console.print(f"record: {path}\nreport: {html}", highlight=False, markup=False, soft_wrap=True)
    failures = gate(record["summary"], thresholds)
    for f in failures:
        render.note(f"gate failed: {f}")
    if failures:
        raise typer.Exit(1)


@eval_app.command("compare")
def compare_cmd(run_a: str, run_b: str) -> None:
    """Per-layer and per-field deltas (B − A), paired bootstrap over articles, and what got worse."""
    from evals.compare import compare
    from evals.runner import load_record
    from extractor.cli import render

    a, b = load_record(run_a), load_record(run_b)
    result = compare(a, b)
    rows = []
    for layer, d in result["layers"].items():
        for metric, f in [("F1", d["f1"])] + [(f"field {k}", v) for k, v in d["fields"].items()]:
            ci = f"[{f['ci'][0]:+.3f}, {f['ci'][1]:+.3f}]"
            rows.append((layer, metric, f"{f['delta']:+.3f}", ci, f"{f['p']:.3f}"))
    title = f"{b['prompt']['ref']} vs {a['prompt']['ref']} on {result['articles']} shared articles"
    console = render.stdout()
    console.print(render.table(("layer", "metric", "Δ (B−A)", "95% CI", "p"), rows, title))
    if result["worse"]:
        worse = [(x["id"], x["what"], f"{x['a']:.3f}", f"{x['b']:.3f}") for x in result["worse"]]
        console.print(render.table(("article", "what", "A", "B"), worse, "articles that got worse"))
