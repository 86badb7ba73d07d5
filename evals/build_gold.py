"""Build ``evals/datasets/project.jsonl`` from the human-edited ``project.yaml``.

Annotators write quotes, not offsets: each quote must occur exactly once in the article (or be
written ``quote#N`` for its N-th occurrence); code computes the offsets. Run after editing:
``python -m evals.build_gold`` (a test fails when the JSONL is stale).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from evals.datasets import PROJECT_DATASETS, DatasetError, GoldArticle, dump_jsonl

SOURCE = PROJECT_DATASETS / "project.yaml"
TARGET = PROJECT_DATASETS / "project.jsonl"


def locate(text: str, quote: str | None, where: str) -> dict[str, int] | None:
    if quote is None:
        return None
    nth, explicit = 1, False
    if "#" in quote and quote.rsplit("#", 1)[1].isdigit():
        quote, n = quote.rsplit("#", 1)
        nth, explicit = int(n), True
    pattern = (
        (r"(?<!\w)" if quote[:1].isalnum() else "") + re.escape(quote) + (r"(?!\w)" if quote[-1:].isalnum() else "")
    )
    hits = [m.start() for m in re.finditer(pattern, text)]
    if len(hits) < nth or (len(hits) > 1 and not explicit):
        raise DatasetError(f"{where}: {quote!r} occurs {len(hits)} times; write {quote!r}#N to pick one")
    start = hits[nth - 1]
    return {"start": start, "end": start + len(quote)}


def build_article(entry: dict[str, Any]) -> GoldArticle:
    text = entry["text"].strip()
    aid = entry["id"]
    atts = [
        {"content": locate(text, a["content"], f"{aid} content"),
         "source": locate(text, a.get("source"), f"{aid} source"),
         "cue": locate(text, a.get("cue"), f"{aid} cue"), "speaker": a.get("speaker")}
        for a in entry.get("attributions", [])
    ]  # fmt: skip
    figs = [
        {"span": locate(text, f["span"], f"{aid} figure"), "value": float(f["value"]), "unit": f.get("unit"),
         "low": f.get("low"), "high": f.get("high"),
         "change": f.get("change", "="), "counts": f.get("counts")}
        for f in entry.get("figures", [])
    ]  # fmt: skip
    claims = [
        {"span": locate(text, c["evidence"], f"{aid} claim"), "text": c["text"], "claimer": c.get("claimer"),
         "main": bool(c.get("main", False))}
        for c in entry.get("claims", [])
    ]  # fmt: skip
    return GoldArticle.model_validate(
        {"id": aid, "dataset": "project", "text": text,
         "layers": entry.get("layers", ["attributions", "figures", "claims"]),
         "attributions": atts, "figures": figs, "claims": claims}
    )  # fmt: skip


def build(source: Path = SOURCE) -> str:
    return dump_jsonl([build_article(e) for e in yaml.safe_load(source.read_text())])


if __name__ == "__main__":
    TARGET.write_text(build())
    print(f"wrote {TARGET}")
