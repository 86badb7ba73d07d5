"""``extractor prompts …``: list, show, diff, lock and check prompt versions."""

from __future__ import annotations

import sys

import typer

from extractor import prompts as registry
from extractor.cli import render

prompts_app = typer.Typer(help="List, show, diff and release prompt versions.", no_args_is_help=True)


@prompts_app.command("list")
def prompts_list() -> None:
    """Every prompt version, whether it is released, and its hash."""
    released = registry.read_lock()
    prompts = [registry.load_prompt(f"{name}@{version}", check_lock=False)
               for name in registry.names() for version in registry.versions(name)]  # fmt: skip
    render.stdout().print(render.prompts_table(prompts, released))


@prompts_app.command("show")
def prompts_show(ref: str) -> None:
    """Print a prompt version's file."""
    p = registry.load_prompt(ref)
    render.stdout().print(f"# {p.ref}  sha256 {p.sha256}  ({p.path})", highlight=False, markup=False, soft_wrap=True)
    sys.stdout.write(p.source)


@prompts_app.command("diff")
def prompts_diff(a: str, b: str) -> None:
    """Unified diff between two prompt versions."""
    sys.stdout.write(registry.diff(a, b) or "(no differences)\n")


@prompts_app.command("lock")
def prompts_lock() -> None:
    """Release new prompt versions: record their hashes in prompts.lock."""
    added = registry.lock_new_versions()
    render.stdout().print("released: " + (", ".join(added) if added else "nothing new"))


@prompts_app.command("check")
def prompts_check() -> None:
    """Fail if a released prompt changed or a version is not released."""
    problems = registry.lock_problems()
    for p in problems:
        render.stderr().print(p, style="red", highlight=False, markup=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    render.stdout().print("prompts match prompts.lock")
