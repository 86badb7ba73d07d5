"""``extractor batch …``: run (the default), and the hand-off to batch engines (export, import)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from extractor.cli import render
from extractor.cli.options import (
    BackendOpt,
    BaseUrlOpt,
    DecisionsOpt,
    IdColumn,
    KeepOpt,
    MaxClaimsOpt,
    ModelOpt,
    ModelPathOpt,
    OffsetsOpt,
    OffsetUnit,
    PromptOpt,
    TextColumn,
    settings_from,
)
from extractor.errors import InputError

if TYPE_CHECKING:
    import instructor

    from extractor.config import Settings

# Export and import never reach a server: this URL only satisfies the openai backend's settings.
HANDOFF_URL = "http://batch.invalid/v1"


class _RunByDefault(TyperGroup):
    """``extractor batch INPUT OUTPUT`` means ``extractor batch run INPUT OUTPUT``."""

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args.insert(0, "run")
        return super().resolve_command(ctx, args)


batch_app = typer.Typer(
    cls=_RunByDefault,
    help="Many articles: run (the default), resume, and hand off to batch engines.",
    no_args_is_help=True,
)


@batch_app.command("run")
def batch_run(
    input_path: Annotated[Path, typer.Argument(help="JSONL (id, text, …), CSV, or a folder of .txt/.html")],
    output: Annotated[Path, typer.Argument(help="results JSONL; re-running resumes it")],
    prompt: PromptOpt = None,
    model_decisions: DecisionsOpt = None,
    max_claims: MaxClaimsOpt = None,
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
    keep: KeepOpt = "",
    retry_errors: Annotated[
        bool, typer.Option(help="try again the articles OUTPUT has error records for (a newer record replaces them)")
    ] = True,
    max_errors: Annotated[
        int | None, typer.Option(min=0, help="exit 0 with up to N failed articles (default: any failure exits 1)")
    ] = None,
    max_consecutive_failures: Annotated[
        int, typer.Option(min=0, help="stop after N server failures in a row, keeping what is done (0: never)")
    ] = 20,
    offsets: OffsetsOpt = OffsetUnit.codepoint,
    engine: Annotated[
        str, typer.Option(help="local (threads), or ray: a Ray cluster, OUTPUT a folder of shards")
    ] = "local",
    address: Annotated[
        str | None, typer.Option(help="--engine ray: auto or ray://head:10001 (default: a local Ray)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="--engine ray: actors (default: one per cluster CPU)")
    ] = None,
    shard_format: Annotated[str, typer.Option("--format", help="--engine ray: shards as jsonl or parquet")] = "jsonl",
) -> None:
    """Extract every article of INPUT into OUTPUT, one line each; skips what OUTPUT already has.

    Exits 1 if any article failed (beyond --max-errors) or the run stopped early; 2 if another run
    is writing OUTPUT.
    """
    choices = {"model_decisions": model_decisions, "max_claims": max_claims}
    from extractor.batch import Columns, read_items, run_batch
    from extractor.errors import BatchStoppedError
    from extractor.extract import Extractor
    from extractor.outputlock import hold_output
    from extractor.pricing import load_prices

    if engine not in ("local", "ray"):
        raise InputError(f"--engine must be local or ray, not {engine!r}")
    if engine == "ray":  # extractor/distributed.py: same records, resume and totals, on a Ray cluster
        from extractor.distributed import run_from_cli

        settings = settings_from(backend, model, base_url, model_path, prompt, rpm=rpm, tpm=tpm, **choices)
        stats = run_from_cli(input_path, output, settings.with_response_cache(cache), address=address,
                             workers=workers, fmt=shard_format, concurrency=concurrency, prices=load_prices(prices),
                             id_column=id_column, text_column=text_column, keep=_keep(keep),
                             retry_errors=retry_errors,
                             max_consecutive_failures=max_consecutive_failures, offsets=offsets.value)  # fmt: skip
        if stats.stopped:
            raise BatchStoppedError(stats.stopped)
        if stats.failed(max_errors):
            raise typer.Exit(1)
        return
    with hold_output(output):  # before anything slow: a second run on OUTPUT exits 2 at once
        settings = settings_from(backend, model, base_url, model_path, prompt, rpm=rpm, tpm=tpm, **choices)
        settings = settings.with_response_cache(cache)
        items = list(read_items(input_path, Columns(id=id_column, text=text_column, keep=_keep(keep))))
        price_table = load_prices(prices)
        with Extractor(settings) as ex, render.batch_progress(len(items)) as show:
            started = time.perf_counter()
            stats = run_batch(ex, iter(items), output, concurrency=concurrency, prices=price_table, on_progress=show,
                              retry_errors=retry_errors, max_consecutive_failures=max_consecutive_failures,
                              offsets=offsets.value)  # fmt: skip
    render.note(render.batch_summary(stats, output.name, time.perf_counter() - started))
    if stats.stopped:
        raise BatchStoppedError(stats.stopped)
    if stats.failed(max_errors):
        raise typer.Exit(1)


def _keep(option: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in option.split(",") if c.strip())


def handoff_target(settings: Settings) -> tuple[str, instructor.Mode, int]:
    """The model, Instructor mode and context size the openai backend would use for ``settings``.

    Export and import need only these to build the same requests; they never make a client.
    """
    from extractor.backends.openai_compat import request_target

    return request_target(settings)


@batch_app.command("export")
def batch_export(
    input_path: Annotated[Path, typer.Argument()],
    requests: Annotated[Path, typer.Argument(help="OpenAI Batch API input file to write")],
    prompt: PromptOpt = None,
    model_decisions: DecisionsOpt = None,
    max_claims: MaxClaimsOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    id_column: IdColumn = "id",
    text_column: TextColumn = "text",
    keep: KeepOpt = "",
) -> None:
    """Write the first-pass requests in the OpenAI Batch file format (vLLM run-batch reads it too)."""
    choices = {"model_decisions": model_decisions, "max_claims": max_claims}
    from extractor.batch import Columns, read_items
    from extractor.batchfile import CapturingBackend, export_requests
    from extractor.extract import Extractor

    settings = settings_from("openai", model, base_url or HANDOFF_URL, None, prompt, **choices)
    n = 0
    with Extractor(settings, backend=CapturingBackend(*handoff_target(settings))) as ex, requests.open("w") as f:
        items = read_items(input_path, Columns(id=id_column, text=text_column, keep=_keep(keep)))
        for row in export_requests(ex, items):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    render.note(f"wrote {n} requests to {requests}")


@batch_app.command("import")
def batch_import(
    input_path: Annotated[Path, typer.Argument(help="the same articles that were exported")],
    requests: Annotated[Path, typer.Argument(help="the exported requests file")],
    results: Annotated[Path, typer.Argument(help="the batch engine's output file")],
    output: Annotated[Path, typer.Argument(help="results JSONL to write")],
    prompt: PromptOpt = None,
    model_decisions: DecisionsOpt = None,
    max_claims: MaxClaimsOpt = None,
    model: ModelOpt = None,
    id_column: IdColumn = "id",
    text_column: TextColumn = "text",
    keep: KeepOpt = "",
) -> None:
    """Parse batch results back through the same validation and grounding; list what failed."""
    choices = {"model_decisions": model_decisions, "max_claims": max_claims}
    from pydantic import ValidationError

    from extractor.batch import Columns, read_items
    from extractor.batchfile import ReplayBackend, import_results, read_results
    from extractor.extract import Extractor

    settings = settings_from("openai", model, HANDOFF_URL, None, prompt, **choices)
    try:
        answers = read_results(requests, results)
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError) as e:
        detail = f"{type(e).__name__}: {e}".splitlines()[0]
        raise InputError(f"{requests} and {results} are not an OpenAI Batch requests/output pair ({detail})") from e
    failed = 0
    err = render.stderr()
    with Extractor(settings, backend=ReplayBackend(*handoff_target(settings), answers)) as ex, output.open("w") as f:
        items = read_items(input_path, Columns(id=id_column, text=text_column, keep=_keep(keep)))
        for r in import_results(ex, items, answers):
            f.write(r.model_dump_json() + "\n")
            for rej in r.rejected:
                failed += 1
                err.print(f"[red]{r.id}[/] {rej.layer}: {rej.reason}", highlight=False)
    render.note(f"imported {len(answers)} responses into {output}; {failed} item(s) failed")
