"""Output formatting for the CLI: consoles, tables, the batch progress bar and summary lines.

Results go to stdout, everything else (progress, summaries, errors) to stderr. When stdout is
not a terminal (a pipe, a file, a test) tables are laid out ``WIDTH`` columns wide instead of
rich's 80, unless ``COLUMNS`` says otherwise.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from extractor.batch import BatchStats
    from extractor.prompts import Prompt
    from extractor.schema import ArticleExtraction

WIDTH = 160


def _width(stream: TextIO) -> int | None:
    if os.environ.get("COLUMNS") or stream.isatty():
        return None  # rich measures the terminal (or reads COLUMNS)
    return WIDTH


def stdout() -> Console:
    """A console on the current ``sys.stdout`` (made per call: tests and pipes swap streams)."""
    return Console(width=_width(sys.stdout))


def stderr() -> Console:
    return Console(stderr=True, width=_width(sys.stderr))


def table(columns: Sequence[str], rows: Iterable[Sequence[str]], title: str | None = None) -> Table:
    t = Table(title=title)
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*row)
    return t


def note(text: str) -> None:
    """A line of plain text on stderr (no markup, no wrapping)."""
    stderr().print(text, highlight=False, markup=False, soft_wrap=True)


# ---- extract --------------------------------------------------------------------------------


def print_pretty(r: ArticleExtraction, out: Console | None = None) -> None:
    out = out or stdout()
    m = r.meta
    out.print(
        f"[bold]{r.id or 'article'}[/]  prompt {m.prompt}@{m.prompt_version} ({m.prompt_sha256[:12]})  "
        f"{m.backend}:{m.model}  {m.usage.calls} calls, {m.usage.total_tokens} tokens, {m.latency_s:.1f}s"
    )
    for f in r.flags:
        out.print(f"[yellow]flag[/] {f.code}: {f.message}", highlight=False)
    if r.attributions:
        rows = [(a.speaker or "-", a.speaker_role or "-", _q(a.source), _q(a.cue), _q(a.content), a.kind)
                for a in r.attributions]  # fmt: skip
        out.print(table(("speaker", "role", "source", "cue", "content", "kind"), rows, "Attributions"))
    if r.figures:
        rows = [(_q(f.span), f"{f.value:g}", f.unit or "-", f.change, f.counts or "-") for f in r.figures]
        out.print(table(("span", "value", "unit", "change", "counts"), rows, "Figures"))
    if r.claims:
        rows = [("★" if c.main else "", c.text, _q(c.evidence), c.claimer or "-", c.kind, f"{c.checkworthy:.2f}")
                for c in r.claims]  # fmt: skip
        out.print(table(("main", "claim", "evidence", "claimer", "kind", "check-worthy"), rows, "Claims"))
    for rej in r.rejected:
        out.print(f"[red]rejected[/] {rej.layer}: {rej.reason}", highlight=False)


def _q(span: object) -> str:
    text = getattr(span, "text", None)
    if text is None:
        return "-"
    start = getattr(span, "start", 0)
    return f"“{escape(text)}” [{start}:{start + len(text)}]"


# ---- prompts --------------------------------------------------------------------------------


def prompts_table(prompts: Iterable[Prompt], released: set[str] | dict[str, Any]) -> Table:
    rows = [(p.ref, p.spec.strategy, "yes" if p.ref in released else "draft", p.sha256[:12], p.spec.description[:60])
            for p in prompts]  # fmt: skip
    return table(("prompt", "strategy", "released", "sha256", "description"), rows)


# ---- batch ----------------------------------------------------------------------------------


@contextmanager
def batch_progress(total: int) -> Iterator[Callable[[BatchStats], None]]:
    """A progress bar on stderr (only a terminal: logs get the summary line); yields ``on_progress``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[rate]:.2f} art/s · {task.fields[tokens]} tokens · "
                          "${task.fields[cost]:.4f} · {task.fields[errors]} errors"))  # fmt: skip
    console = stderr()
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("batch", total=total, rate=0.0, tokens=0, cost=0.0, errors=0)
        started = time.perf_counter()

        def show(s: BatchStats) -> None:
            n = s.done + s.errors
            rate = n / max(time.perf_counter() - started, 1e-9)
            tokens = s.usage.total_tokens
            progress.update(task, completed=n + s.skipped, rate=rate, tokens=tokens, cost=s.cost_usd, errors=s.errors)

        yield show


def batch_summary(stats: BatchStats, output_name: str, elapsed: float) -> str:
    return (
        f"done {stats.done}, errors {stats.errors}"
        + (f" ({stats.causes_text()})" if stats.errors else "")
        + (f", retried {stats.retried} earlier errors" if stats.retried else "")
        + f", skipped (already in {output_name}) {stats.skipped}"
        + (f", repeated ids ignored {stats.duplicates}" if stats.duplicates else "")
        + "; "
        f"tokens {stats.usage.prompt_tokens}+{stats.usage.completion_tokens}; cost ${stats.cost_usd:.4f}"
        + (f" ({stats.unpriced} unpriced)" if stats.unpriced else "")
        + f"; model calls {stats.model_calls}, cached {stats.usage.cached_calls}; {elapsed:.1f}s"
    )
