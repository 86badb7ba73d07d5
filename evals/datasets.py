"""Gold datasets: the canonical JSONL format (../shared/datasets/FORMAT.md) and brat standoff.

A dataset is named (``polnear-dev``: looked up in ``evals/datasets/`` then ``../shared/datasets/``)
or given as a path to a canonical ``.jsonl`` file or a folder of brat ``.ann`` + ``.txt`` files.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from extractor.errors import ExtractorError

LayerName = Literal["attributions", "figures", "claims"]
HERE = Path(__file__).resolve().parent
PROJECT_DATASETS = HERE / "datasets"


class DatasetError(ExtractorError):
    """A dataset cannot be found or read."""


class GoldSpan(BaseModel):
    start: int
    end: int


class GoldAttribution(BaseModel):
    content: GoldSpan | None = None  # a few PolNeAR rows lack it; scoring skips those
    source: GoldSpan | None = None
    cue: GoldSpan | None = None
    speaker: str | None = None


class GoldFigure(BaseModel):
    span: GoldSpan | None = None
    value: float | None = Field(None, description="null in NewsQuant for ranges and vague amounts")
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    change: str = "="
    counts: str | None = None


class GoldClaim(BaseModel):
    span: GoldSpan | None = None
    text: str
    claimer: str | None = None
    main: bool = False


class GoldArticle(BaseModel):
    """One annotated article; only the layers named in ``layers`` may be scored."""

    id: str
    dataset: str
    text: str
    layers: list[LayerName]
    attributions: list[GoldAttribution] = Field(default_factory=list)
    figures: list[GoldFigure] = Field(default_factory=list)
    claims: list[GoldClaim] = Field(default_factory=list)


def shared_datasets() -> Path:
    """``EXTRACTOR_SHARED_DATASETS`` or ``../shared/datasets`` beside the checkout."""
    env = os.environ.get("EXTRACTOR_SHARED_DATASETS")
    return Path(env) if env else HERE.parent.parent / "shared" / "datasets"


def resolve(name_or_path: str) -> Path:
    """Find a dataset by name (project set first, then the shared gold sets) or path."""
    path = Path(name_or_path)
    if path.exists():
        return path
    for root in (PROJECT_DATASETS, shared_datasets()):
        candidate = root / f"{name_or_path}.jsonl"
        if candidate.exists():
            return candidate
    known = sorted(
        {p.stem for root in (PROJECT_DATASETS, shared_datasets()) if root.is_dir() for p in root.glob("*.jsonl")}
    )
    raise DatasetError(f"no dataset {name_or_path!r}: give a path, or one of {', '.join(known) or '(none found)'}")


def load(name_or_path: str, limit: int | None = None) -> list[GoldArticle]:
    """Read a dataset (canonical JSONL or brat folder), first ``limit`` articles."""
    path = resolve(name_or_path)
    articles = read_brat(path) if path.is_dir() else read_jsonl(path, limit)
    return articles[:limit] if limit else articles


def read_jsonl(path: Path, limit: int | None = None) -> list[GoldArticle]:
    out = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                out.append(GoldArticle.model_validate_json(line))
            except ValueError as e:
                raise DatasetError(f"{path}:{n} is not a canonical gold article: {e}", original=e) from e
            if limit and len(out) >= limit:
                break
    return out


_BRAT_T = re.compile(r"^(T\d+)\t(\S+) (\d+) (\d+)(?:;\d+ \d+)*\t")
_BRAT_R = re.compile(r"^R\d+\t(\S+) Arg1:(T\d+) Arg2:(T\d+)")


def read_brat(folder: Path) -> list[GoldArticle]:
    """PolNeAR-style brat standoff: ``Source``/``Cue``/``Content`` text-bound annotations
    linked by ``R`` relations (Cue→Source, Cue→Content); attributions only."""
    out = []
    for ann in sorted(folder.glob("*.ann")):
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise DatasetError(f"{ann} has no {txt.name} beside it")
        text = txt.read_text(encoding="utf-8")
        spans: dict[str, tuple[str, GoldSpan]] = {}
        links: dict[str, dict[str, str]] = {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            if m := _BRAT_T.match(line):
                spans[m.group(1)] = (m.group(2).lower(), GoldSpan(start=int(m.group(3)), end=int(m.group(4))))
            elif m := _BRAT_R.match(line):
                a, b = m.group(2), m.group(3)
                cue, other = (a, b) if spans.get(a, ("",))[0] == "cue" else (b, a)
                kind = spans.get(other, ("",))[0]
                links.setdefault(cue, {})[kind] = other
        attributions = []
        for cue_id, linked in links.items():
            if "content" not in linked:
                continue
            source = spans[linked["source"]][1] if "source" in linked else None
            attributions.append(
                GoldAttribution(content=spans[linked["content"]][1], source=source, cue=spans[cue_id][1])
            )
        out.append(
            GoldArticle(
                id=f"brat/{ann.stem}", dataset="brat", text=text, layers=["attributions"], attributions=attributions
            )
        )
    if not out:
        raise DatasetError(f"{folder} holds no .ann files")
    return out


def dump_jsonl(articles: list[GoldArticle]) -> str:
    return "".join(json.dumps(a.model_dump(), ensure_ascii=False) + "\n" for a in articles)
