"""Command line, thin over the API: one module per command group.

``extract`` (extract.py), ``batch …`` (batch.py), ``prompts …`` (prompts.py), ``setup``
(setup.py), ``eval …`` (evals/cli.py); output formatting in render.py, shared options in
options.py, and the one error policy in errors.py (applied around the whole app by
``PolicyGroup``). The console script is ``extractor = "extractor.cli:main"``.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from evals.cli import eval_app
from extractor.cli.batch import batch_app
from extractor.cli.errors import PolicyGroup, set_debug
from extractor.cli.extract import extract as extract_command
from extractor.cli.prompts import prompts_app
from extractor.cli.setup import setup as setup_command

app = typer.Typer(
    cls=PolicyGroup,
    help="Grounded claims, attributions and figures from news articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", envvar="EXTRACTOR_DEBUG", help="show the traceback of an error")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", envvar="EXTRACTOR_VERBOSE", help="let llama.cpp print its native logs")
    ] = False,
) -> None:
    set_debug(debug)
    os.environ["EXTRACTOR_VERBOSE"] = "1" if verbose else ""


app.command("extract")(extract_command)
app.command("setup")(setup_command)
app.add_typer(prompts_app, name="prompts")
app.add_typer(eval_app, name="eval")
app.add_typer(batch_app, name="batch")


def main() -> None:
    app()


__all__ = ["app", "main"]
