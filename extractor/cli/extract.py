"""``extractor extract PATH``: one article."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from extractor.cli import options as opt
from extractor.cli import render


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    pretty = "pretty"


def extract(
    path: Annotated[str, typer.Argument(help="article file (text or HTML), or - for standard input")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json, jsonl or pretty")] = OutputFormat.pretty,
    offsets: opt.OffsetsOpt = opt.OffsetUnit.codepoint,
    prompt: opt.PromptOpt = None,
    backend: opt.BackendOpt = None,
    model: opt.ModelOpt = None,
    base_url: opt.BaseUrlOpt = None,
    model_path: opt.ModelPathOpt = None,
    max_claims: opt.MaxClaimsOpt = None,
    model_decisions: opt.DecisionsOpt = None,
) -> None:
    """Extract grounded items from one article."""
    from extractor.extract import Extractor

    settings = opt.settings_from(
        backend, model, base_url, model_path, prompt, max_claims=max_claims, model_decisions=model_decisions
    )
    data = opt.read_input(path)
    with Extractor(settings) as ex:
        result = ex.extract(data, article_id=None if path == "-" else path)
    if fmt is not OutputFormat.pretty:
        import json

        from extractor.offsets import convert

        data = convert(json.loads(result.model_dump_json()), offsets.value)
        if fmt is OutputFormat.json:
            render.stdout().print_json(data=data)
        else:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        render.print_pretty(result)
