"""Options shared by several commands, and the one way they become ``Settings``."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from extractor.config import Settings
from extractor.errors import InputError

BackendOpt = Annotated[str | None, typer.Option("--backend", help="local, openai or baseline")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="model name on the server")]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="OpenAI-compatible URL, e.g. http://127.0.0.1:8000/v1")
]
ModelPathOpt = Annotated[str | None, typer.Option("--model-path", help="GGUF file for the local backend")]
PromptOpt = Annotated[str | None, typer.Option("--prompt", help="prompt ref, e.g. extract@v1 or guided@latest")]
MaxClaimsOpt = Annotated[
    str | None,
    typer.Option("--max-claims", help="claims per article, most check-worthy first (default 10); 'all' for no cap"),
]
DecisionsOpt = Annotated[
    str | None,
    typer.Option(
        "--model-decisions",
        help="guided prompts: which decisions the model makes, comma-separated from speaker, counts, main_claim "
        "('' for none: the rules make them all); default: see the README's ablation",
    ),
]
KeepOpt = Annotated[
    str,
    typer.Option("--keep", help="input columns copied into each record's metadata, e.g. title,url (default: none)"),
]
IdColumn = Annotated[str, typer.Option(help="id column/key in CSV or JSONL input")]


class OffsetUnit(str, Enum):
    codepoint = "codepoint"
    utf16 = "utf16"
    byte = "byte"


OffsetsOpt = Annotated[
    OffsetUnit,
    typer.Option("--offsets", help="span offsets in Python code points (default), UTF-16 code units or UTF-8 bytes"),
]
TextColumn = Annotated[str, typer.Option(help="text column/key in CSV or JSONL input")]


def settings_from(
    backend: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    model_path: str | None = None,
    prompt: str | None = None,
    **more: Any,
) -> Settings:
    """Options over the environment (``None`` means not given); raises ``ConfigError``."""
    return Settings.resolve(backend=backend, model=model, base_url=base_url, model_path=model_path, prompt=prompt,
                            **more)  # fmt: skip


def read_input(path: str) -> bytes:
    """An article's bytes from a file, or from standard input for ``-``."""
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such file: {path}")
    return p.read_bytes()
