"""Held-out score of the learned cue lexicon: k-fold cross-validation over PolNeAR train.

polnear-dev has 2,192 gold attributions; a rule change that moves a few of them is inside the noise of
refitting the lexicon (``scripts/build_cue_lexicon.py``), which every parse change calls for. This
script measures a change on the 19,832 of polnear-train instead, honestly held out: each article is
parsed once, the lexicon and the content-end model are learned (same code as the build) on the other
folds' articles and the article is scored with them by the harness (``evals.scoring.score_article``,
default criteria).

It prints content, cue and source F1 over all articles and writes each article's score; with
``--compare`` it prints the difference from an earlier run's file with the harness's paired bootstrap
over articles (``evals.compare.paired_bootstrap``). To compare two versions of the code, run it in
each (a ``git worktree`` of the older commit) and compare the two files:

    .venv/bin/python scripts/cross_validate_cues.py --output /tmp/cv-new.json [--compare /tmp/cv-old.json]

About 6 minutes on one core (most of it the parse). Deterministic: folds are by article order.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

# one BLAS thread before numpy loads, as the build does (the fit's sums then come out the same)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import build_cue_lexicon as build  # noqa: E402
from measure_attributions import to_extraction  # noqa: E402
from training_data import read_articles  # noqa: E402

from evals.compare import paired_bootstrap  # noqa: E402
from evals.datasets import read_jsonl  # noqa: E402
from evals.scoring import LayerScore, field_accuracy, micro, score_article  # noqa: E402
from extractor.analysis import analyse  # noqa: E402
from extractor.proposals.attributions import propose_attributions  # noqa: E402

ROLES = ("cue_f1", "source_f1")


def lexicon(data: list[Any], threshold: float | None = None) -> dict[str, Any]:
    """The cue table ``build_cue_lexicon`` would write for these training instances (``threshold``: another
    cut on the cue probability than the script's)."""
    cut = build.THRESHOLD if threshold is None else threshold
    return {**build.learn(data), "threshold": cut, "backoff_weight": build.BACKOFF_WEIGHT}


def cross_validate(path: Path, folds: int, threshold: float | None = None) -> list[dict[str, Any]]:
    """Each article's attribution score (a ``LayerScore`` as a dict) under the lexicon of the other folds."""
    _, articles = read_articles(path)
    golds = read_jsonl(path)
    analyses = [analyse(a["text"]) for a in articles]
    data = [build.instances([(an, a)]) for an, a in zip(analyses, articles, strict=True)]
    out: list[dict[str, Any]] = [{} for _ in articles]
    # the content-end model is learned on the same folds, with their table (an older commit, compared in a
    # worktree with this script, has none)
    learn_ends = getattr(build, "learn_ends", None)
    for k in range(folds):
        table = lexicon([x for i, rows in enumerate(data) if i % folds != k for x in rows], threshold)
        train = ((an, a) for i, (an, a) in enumerate(zip(analyses, articles, strict=True)) if i % folds != k)
        ends = {"ends": learn_ends(train, table)} if learn_ends else {}
        for i, (an, gold) in enumerate(zip(analyses, golds, strict=True)):
            if i % folds != k:
                continue
            proposals, entities = propose_attributions(an, cues=table, **ends)
            score = score_article(to_extraction(gold.text, proposals, entities, gold.id), gold)["attributions"]
            out[i] = {"id": gold.id, "score": asdict(score)}
    return out


def summary(scores: list[LayerScore]) -> str:
    parts = [f"content F1 {micro(scores)['f1']:.4f}"]
    parts += [f"{name.split('_')[0]} F1 {field_accuracy(scores, name):.4f}" for name in ROLES]
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(build.DEFAULT_INPUT))
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--threshold", type=float, help="cut on the cue probability (default the build script's)")
    ap.add_argument("--output", help="write each article's score here (JSON)")
    ap.add_argument("--compare", help="an earlier --output file over the same articles: print the difference")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = cross_validate(Path(args.input), args.folds, args.threshold)
    scores = [LayerScore(**r["score"]) for r in rows]
    print(f"{len(rows)} articles, {args.folds}-fold, {time.perf_counter() - t0:.0f} s: {summary(scores)}")
    if args.output:
        Path(args.output).write_text(json.dumps({"folds": args.folds, "articles": rows}) + "\n")
    if args.compare:
        before = {r["id"]: LayerScore(**r["score"]) for r in json.loads(Path(args.compare).read_text())["articles"]}
        shared = [(before[r["id"]], s) for r, s in zip(rows, scores, strict=True) if r["id"] in before]
        a, b = [p for p, _ in shared], [q for _, q in shared]
        print(f"before ({len(shared)} articles): {summary(a)}")
        for name, field in (("content F1", None), *((f"{n.split('_')[0]} F1", n) for n in ROLES)):
            d = paired_bootstrap(a, b, field_name=field)
            print(f"  {name}: {d['delta']:+.4f} [{d['ci'][0]:+.4f}, {d['ci'][1]:+.4f}] p {d['p']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
