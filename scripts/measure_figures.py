"""Fast figure measure: the figure proposer alone → ``Figure`` items → ``evals.scoring.score_article``.

    .venv/bin/python scripts/measure_figures.py [--dataset newsquant-dev] [--limit N] [--errors]

Prints value / value+unit / value+change / complete-concept F1 (CQE's criteria, see ``evals/scoring.py``)
and the figure step's milliseconds per article (the shared spaCy parse excluded). ``--errors`` lists
misses and false positives per article for iteration. The gold is read at run time, never copied.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evals import datasets  # noqa: E402
from evals.scoring import score_article  # noqa: E402
from extractor.analysis import analyse  # noqa: E402
from extractor.proposals.figures import propose_figures  # noqa: E402


def load_gold(name: str, limit: int | None) -> list[Any]:
    """The gold articles; NewsQuant writes ranges as ``value: null``, which older loaders reject."""
    try:
        return datasets.load(name, limit)
    except datasets.DatasetError:
        out = []
        with datasets.resolve(name).open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                row["figures"] = [SimpleNamespace(**{"span": None, **fig}) for fig in row["figures"]]
                out.append(SimpleNamespace(**row))
                if limit and len(out) >= limit:
                    break
        return out


_OPTIONS: dict[int, list[str]] = {}


def to_figures(text: str, proposals: list[Any]) -> list[Any]:
    """Proposals as ``extractor.schema.Figure`` (with low/high when the schema has them)."""
    from extractor.schema import Figure, Span

    out = []
    for p in proposals:
        span = Span(start=p.span.start, end=p.span.end, text=text[p.span.start : p.span.end])
        counts = p.counts_options[0] if p.counts_options else None
        fields = {"span": span, "value": p.value, "unit": p.unit, "change": p.change, "counts": counts}
        if "low" in Figure.model_fields:
            fig = Figure(**fields, low=p.low, high=p.high)
        else:
            fig = SimpleNamespace(**fields, low=p.low, high=p.high)
        out.append(fig)
        _OPTIONS[id(fig)] = list(p.counts_options)
    return out


def measure(gold: list[Any]) -> tuple[dict[str, float], list[tuple[Any, list[Any], Any]], float]:
    tp = pred = n_gold = 0
    fields: dict[str, list[int]] = {}
    rows = []
    figure_s = 0.0
    for g in gold:
        a = analyse(g.text)
        t = time.perf_counter()
        proposals = propose_figures(a)
        figure_s += time.perf_counter() - t
        figs = to_figures(g.text, proposals)
        pred_obj = SimpleNamespace(figures=figs, attributions=[], claims=[],
                                   text_sha256=hashlib.sha256(g.text.encode()).hexdigest())  # fmt: skip
        s = score_article(pred_obj, g)["figures"]
        tp, pred, n_gold = tp + s.tp, pred + s.pred, n_gold + s.gold
        for k, (r, tot) in s.fields.items():
            c = fields.setdefault(k, [0, 0])
            c[0] += r
            c[1] += tot
        rows.append((g, figs, s))
    metrics = {
        "value_p": tp / pred if pred else 0.0,
        "value_r": tp / n_gold if n_gold else 0.0,
        "value_f1": 2 * tp / (pred + n_gold) if pred + n_gold else 1.0,
    }
    for k in ("value_unit_f1", "value_change_f1", "counts_complete_f1"):
        r, tot = fields.get(k, [0, 0])
        metrics[k] = r / tot if tot else 0.0
    return metrics, rows, 1000 * figure_s / max(1, len(gold))


def _fmt(f: Any) -> str:
    v = f"{f.low}..{f.high}" if getattr(f, "low", None) is not None else f"{f.value}"
    return f"{v} [{f.unit}] {f.change} <{f.counts}>"


def _counts_report(rows: list[tuple[Any, list[Any], Any]]) -> None:
    """Matched figures whose first counts option is not CQE-complete, and how often any option is."""
    from evals.scoring import concept_complete

    first = oracle = total = 0
    for g, figs, s in rows:
        lines = []
        for i, j, _ in s.pairs:
            gold, opts = g.figures[j].counts, _OPTIONS.get(id(figs[i]), [])
            total += 1
            ok = concept_complete(opts[0] if opts else None, gold)
            first += ok
            oracle += ok or any(concept_complete(o, gold) for o in opts) or (not gold and not opts)
            if not ok:
                lines.append(f"   {figs[i].span.text!r}: gold <{gold}> options {opts}")
        if lines:
            print(f"{g.id}: {g.text}")
            print("\n".join(lines))
    print(f"matched={total} counts_first={first} counts_any_option={oracle}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="newsquant-dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--errors", action="store_true", help="list misses and false positives")
    ap.add_argument("--counts", action="store_true", help="list matched figures whose counts (concept) is wrong")
    args = ap.parse_args()
    gold = load_gold(args.dataset, args.limit)
    metrics, rows, ms = measure(gold)
    if args.errors:
        for g, figs, s in rows:
            mp, mg = {i for i, _, _ in s.pairs}, {j for _, j, _ in s.pairs}
            miss = [f for j, f in enumerate(g.figures) if j not in mg]
            fps = [f for i, f in enumerate(figs) if i not in mp]
            if miss or fps:
                print(f"{g.id}: {g.text}")
                for f in miss:
                    print("   MISS", _fmt(f))
                for f in fps:
                    print("   FP  ", _fmt(f), repr(f.span.text))
    if args.counts:
        _counts_report(rows)
    print(" ".join(f"{k}={v:.3f}" for k, v in metrics.items()), f"figure_ms/article={ms:.2f}", f"articles={len(gold)}")


if __name__ == "__main__":
    main()
