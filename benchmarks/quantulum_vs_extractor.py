"""quantulum3 against this project's figure proposer on the same sentences, with the same scorer.

    .venv/bin/pip install -e '.[bench]'      # quantulum3 is a dev-only extra
    .venv/bin/python benchmarks/quantulum_vs_extractor.py [--dataset newsquant-dev] [--limit N]

Both rows are scored by ``evals.scoring.score_article`` (CQE's criteria: value, value+unit, value+change,
complete concept). quantulum3's unit names go through the same unit table as ours (``extractor.units``),
with its "dimensionless" read as no unit; it gives no change and no concept, so those are "=" and null.
Timing: the figure step alone, in ms per sentence (our spaCy parse is shared with the other proposers and
not counted; quantulum3 parses on its own, so its whole call is counted).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from measure_figures import load_gold, to_figures  # noqa: E402

from evals.scoring import score_article  # noqa: E402
from extractor.analysis import analyse  # noqa: E402
from extractor.proposals.figures import propose_figures  # noqa: E402

_NO_UNIT = {"dimensionless", "unk", "-", ""}


def quantulum_figures(text: str) -> list[Any]:
    from quantulum3 import parser

    out = []
    for q in parser.parse(text):
        unit = q.unit.name if q.unit is not None else ""
        span = SimpleNamespace(start=q.span[0], end=q.span[1], text=text[q.span[0] : q.span[1]])
        out.append(SimpleNamespace(span=span, value=float(q.value), unit=None if unit.lower() in _NO_UNIT else unit,
                                   change="=", counts=None, low=None, high=None))  # fmt: skip
    return out


def score(gold: list[Any], figures_of: Any) -> tuple[dict[str, float], float]:
    tp = pred = n_gold = 0
    fields: dict[str, list[int]] = {}
    seconds = 0.0
    for g in gold:
        figs, s = figures_of(g)
        seconds += s
        result = score_article(SimpleNamespace(figures=figs, attributions=[], claims=[]), g)["figures"]
        tp, pred, n_gold = tp + result.tp, pred + result.pred, n_gold + result.gold
        for k, (r, t) in result.fields.items():
            c = fields.setdefault(k, [0, 0])
            c[0], c[1] = c[0] + r, c[1] + t
    row = {"P": tp / pred if pred else 0.0, "R": tp / n_gold if n_gold else 0.0,
           "value F1": 2 * tp / (pred + n_gold) if pred + n_gold else 1.0}  # fmt: skip
    for k, name in (("value_unit_f1", "value+unit F1"), ("value_change_f1", "value+change F1"),
                    ("counts_complete_f1", "counts complete F1")):  # fmt: skip
        r, t = fields.get(k, [0, 0])
        row[name] = r / t if t else 0.0
    return row, 1000 * seconds / max(1, len(gold))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="newsquant-dev")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    gold = load_gold(args.dataset, args.limit)
    analyses = {g.id: analyse(g.text) for g in gold}

    def ours(g: Any) -> tuple[list[Any], float]:
        t = time.perf_counter()
        proposals = propose_figures(analyses[g.id])
        return to_figures(g.text, proposals), time.perf_counter() - t

    def theirs(g: Any) -> tuple[list[Any], float]:
        t = time.perf_counter()
        figs = quantulum_figures(g.text)
        return figs, time.perf_counter() - t

    quantulum_figures("warm up 1 km")  # load its tables before timing
    rows = [("quantulum3", *score(gold, theirs)), ("extractor", *score(gold, ours))]
    names = list(rows[0][1])
    print(f"{args.dataset}: {len(gold)} sentences, {sum(len(g.figures) for g in gold)} gold figures")
    print(f"{'system':<12}" + "".join(f"{n:>20}" for n in names) + f"{'figure ms/sentence':>20}")
    for label, row, ms in rows:
        print(f"{label:<12}" + "".join(f"{row[n]:>20.3f}" for n in names) + f"{ms:>20.2f}")


if __name__ == "__main__":
    main()
