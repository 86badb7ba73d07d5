"""Fit the main-claim weights (``extractor/data/claims_main_weights.json``) and show they are not overfitted.

    .venv/bin/python scripts/fit_main_claim.py [--write] [--l2 1.0] [--dataset newsclaims-dev]

NewsClaims annotates one main claim per article and has no training split, so the model is kept
tiny: ``main_score`` is a weighted sum of the ~18 features ``claims.main_features`` reads (position,
finding frame, attribution, centrality …), fitted as a conditional logit (a softmax over each
article's candidates, the gold main claim the positive), with an L2 pull towards the hand-set
prior weights in the JSON. Deterministic: full-batch gradient descent from fixed start weights.

Prints hit@1 of the hand-set weights, of the fit on all articles (in-sample), leave-one-out
(fit on n-1, rank the held-out article) and split-half (odd/even articles, both ways). ``--write``
stores the full fit; the gold texts are read at run time, nothing from them is stored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evals import datasets  # noqa: E402
from evals.scoring import Criteria, span_similarity  # noqa: E402
from extractor.analysis import analyse  # noqa: E402
from extractor.proposals.claims import main_feature_table  # noqa: E402

TEMPERATURE = 4.0  # scores stay on the hand-set scale (a gap of 0.25 is e to 1)
WEIGHTS = Path(__file__).resolve().parent.parent / "extractor" / "data" / "claims_main_weights.json"


def table(rows: list[tuple[Any, Any, list, list]]) -> tuple[list[str], list[tuple[np.ndarray, np.ndarray]]]:
    """Per article (gold, analysis, attributions, figures): the candidates' feature matrix and 0/1 labels."""
    c = Criteria()
    names: list[str] = []
    out = []
    for g, a, atts, figs in rows:
        gold = next((x for x in g.claims if x.main), None)
        feats = main_feature_table(a, atts, figs)
        if not feats:
            out.append((np.zeros((0, len(names))), np.zeros(0)))
            continue
        names = names or sorted(feats[0][1])
        x = np.array([[f[n] for n in names] for _, f in feats])
        y = np.zeros(len(feats))
        if gold is not None and gold.span is not None:
            for i, (loc, _) in enumerate(feats):
                span = type("S", (), {"start": loc.start, "end": loc.end})
                y[i] = span_similarity(a.text, span, gold.span) >= c.overlap
        out.append((x, y))
    return names, out


def fit(arts: list[tuple[np.ndarray, np.ndarray]], w0: np.ndarray, l2: float) -> np.ndarray:
    """Conditional logit: maximise the mean log-probability of the gold candidates, minus l2·|w − w0|²
    (L-BFGS from the prior weights: deterministic)."""
    usable = [(x, y) for x, y in arts if len(y) and y.any()]
    if not usable:
        return w0.copy()
    x = np.vstack([a for a, _ in usable])
    t = np.concatenate([b / b.sum() for _, b in usable])
    starts = np.cumsum([0] + [len(b) for _, b in usable[:-1]])
    group = np.repeat(np.arange(len(usable)), [len(b) for _, b in usable])
    n = len(usable)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = TEMPERATURE * (x @ w)
        m = np.maximum.reduceat(s, starts)
        e = np.exp(s - m[group])
        z = np.add.reduceat(e, starts)
        p = e / z[group]
        nll = -(t * (s - m[group] - np.log(z[group]))).sum() / n
        grad = -TEMPERATURE * ((t - p) @ x) / n
        d = w - w0
        return nll + l2 * float(d @ d), grad + 2 * l2 * d

    return minimize(loss, w0, jac=True, method="L-BFGS-B").x


def hit_at_1(arts: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray) -> float:
    hits = 0
    for x, y in arts:
        if len(y):
            s = np.round(x @ w, 4)
            hits += bool(y[int(np.argmax(s))])  # ties: the earlier candidate, as main_candidates does
    return hits / max(1, len(arts))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default="newsclaims-dev")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    from extractor.proposals.attributions import propose_attributions
    from extractor.proposals.figures import propose_figures

    rows = []
    for g in datasets.load(args.dataset):
        a = analyse(g.text)
        rows.append((g, a, propose_attributions(a)[0], propose_figures(a)))
    report(rows, args.l2, args.write)


def report(rows: list[tuple[Any, Any, list, list]], l2: float, write: bool) -> dict[str, Any]:
    names, arts = table(rows)
    saved = json.loads(WEIGHTS.read_text())
    prior = saved.get("prior_weights", saved["weights"])
    w0 = np.array([prior.get(n, 0.0) for n in names])
    full = fit(arts, w0, l2)
    loo = sum(hit_at_1([arts[i]], fit(arts[:i] + arts[i + 1 :], w0, l2)) for i in range(len(arts))) / len(arts)
    odd, even = arts[1::2], arts[0::2]
    half = (hit_at_1(even, fit(odd, w0, l2)) * len(even) + hit_at_1(odd, fit(even, w0, l2)) * len(odd)) / len(arts)
    result = {"articles": len(arts), "hand-set": hit_at_1(arts, w0), "fit (in-sample)": hit_at_1(arts, full),
              "leave-one-out": loo, "split-half": half, "l2": l2}  # fmt: skip
    for k, v in result.items():
        print(f"  {k:18} {round(v, 4) if isinstance(v, float) else v}")
    weights = {n: round(float(v), 3) for n, v in zip(names, full, strict=True)}
    print("  weights", weights)
    if write:
        saved = {"note": saved.get("note", ""), "prior_weights": prior, "weights": weights,
                 "fit": {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}}  # fmt: skip
        WEIGHTS.write_text(json.dumps(saved, indent=1) + "\n")
    return result


if __name__ == "__main__":
    main()
