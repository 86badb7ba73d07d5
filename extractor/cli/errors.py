"""The CLI's one error policy, applied around the whole app (``extractor eval …`` included).

* bad input or usage (a click usage error, ``InputError``, ``ConfigError``, an unknown prompt or
  dataset, a missing or unreadable input file): one line ``error: …`` on stderr, exit 2;
* any other failure (a backend that failed, a bad prompt file, a bug): one line on stderr, exit 1;
* never a traceback, unless ``--debug`` (or ``EXTRACTOR_DEBUG=1``) is given: then the traceback
  is printed on stderr before the same line, with the same exit code.

Commands raise; they never print errors or pick exit codes themselves, except for an outcome
that is not an exception (``prompts check``, an eval gate), which raises ``typer.Exit(1)``.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

try:  # typer vendors click (typer._click) from 0.2x on; older typer uses click itself
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors  # type: ignore[no-redef]

from extractor import errors
from extractor.errors import ConfigError, ExtractorError, InputError, PromptNotFoundError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

_state = {"debug": False}


def set_debug(on: bool) -> None:
    _state["debug"] = on


def _usage_errors() -> tuple[type[BaseException], ...]:
    from evals.datasets import DatasetError  # an unknown dataset or run record is bad input too

    return (
        click_errors.UsageError,  # BadParameter, NoSuchOption, MissingParameter, …
        InputError,
        ConfigError,
        getattr(errors, "UsageError", ConfigError),  # the command cannot run as asked (e.g. OUTPUT is locked)
        PromptNotFoundError,
        DatasetError,
        FileNotFoundError,
        IsADirectoryError,
        NotADirectoryError,
        UnicodeDecodeError,
        json.JSONDecodeError,
    )


def exit_code(e: BaseException) -> int:
    """2 for bad input or usage, 1 for every other failure."""
    if isinstance(e, _usage_errors()):
        return EXIT_USAGE
    if isinstance(e, click_errors.ClickException):
        return e.exit_code
    return EXIT_FAILURE


def message(e: BaseException) -> str:
    """One line a user can act on."""
    if isinstance(e, click_errors.UsageError):
        text = e.format_message()
        if e.ctx is not None:
            text += f" (see '{e.ctx.command_path} --help')"
    elif isinstance(e, click_errors.ClickException):
        text = e.format_message()
    elif isinstance(e, ExtractorError):
        text = str(e)
    elif isinstance(e, OSError) and e.strerror:
        text = f"{e.strerror}: {e.filename}" if e.filename else e.strerror
    elif isinstance(e, typer.Abort | KeyboardInterrupt):
        text = "interrupted"
    else:
        text = f"{type(e).__name__}: {e} (a bug? --debug shows the traceback)"
    return " ".join(text.split()) or type(e).__name__


def report(e: BaseException) -> int:
    """Print ``e`` by the policy on stderr and return the exit code."""
    if _state["debug"]:
        traceback.print_exception(e)
    typer.echo(typer.style("error:", fg="red", bold=True) + " " + message(e), err=True)
    return exit_code(e)


def _debug_first(args: Sequence[str]) -> list[str]:
    """``--debug`` is global, but ``extractor extract x --debug`` means it too: move it to the front."""
    args = list(args)
    end = args.index("--") if "--" in args else len(args)
    if "--debug" in args[1:end]:
        args.remove("--debug")
        args.insert(0, "--debug")
    return args


class PolicyGroup(TyperGroup):
    """The root command: runs everything in non-standalone mode and applies the policy to what escapes."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        set_debug(False)
        args = _debug_first(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else EXIT_OK
        except click_errors.NoArgsIsHelpError as e:  # the help was printed already
            code = e.exit_code
        except Exception as e:  # Abort too; Ctrl-C comes back from typer as exit code 130
            code = report(e)
        if standalone_mode:
            raise SystemExit(code)
        return code
