"""Two runs of the same articles compared: per-layer and per-field deltas with a paired bootstrap
over articles, and the articles that got worse. The statistics behind ``extractor eval compare``
and the README's ablations.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from evals.scoring import LAYERS, LayerScore, field_accuracy, micro


def paired_bootstrap(
    a: list[LayerScore], b: list[LayerScore], n: int = 2000, seed: int = 0, field_name: str | None = None
) -> dict[str, float]:
    """Difference b − a over the same articles (micro F1, or a field's accuracy), its 95% interval
    and a two-sided p-value from resampling articles."""
    assert len(a) == len(b)

    def stat(x: list[LayerScore]) -> float:
        return field_accuracy(x, field_name) if field_name else micro(x)["f1"]

    delta = stat(b) - stat(a)
    if len(a) < 2:
        return {"delta": round(delta, 4), "ci": [delta, delta], "p": 1.0}
    rng = np.random.default_rng(seed)
    deltas = []
    for _ in range(n):
        idx = rng.integers(0, len(a), len(a))
        deltas.append(stat([b[i] for i in idx]) - stat([a[i] for i in idx]))
    arr = np.array(deltas)
    p = 2 * min(float(np.mean(arr <= 0)), float(np.mean(arr >= 0)))
    lo, hi = np.percentile(arr, [2.5, 97.5])
    return {"delta": round(delta, 4), "ci": [round(float(lo), 4), round(float(hi), 4)], "p": round(min(p, 1.0), 4)}


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Per-layer and per-field deltas (b − a) with a paired bootstrap over the shared articles."""
    a_by = {x["id"]: x for x in a["articles"]}
    shared = [x for x in b["articles"] if x["id"] in a_by]
    out: dict[str, Any] = {"articles": len(shared), "layers": {}, "worse": []}
    for layer in LAYERS:
        pairs = [(a_by[x["id"]]["scores"].get(layer), x["scores"].get(layer)) for x in shared]
        pairs = [(p, q) for p, q in pairs if p is not None and q is not None]
        if not pairs:
            continue
        sa = [LayerScore(**p) for p, _ in pairs]
        sb = [LayerScore(**q) for _, q in pairs]
        fa, fb = a["summary"]["layers"][layer]["fields"], b["summary"]["layers"][layer]["fields"]
        out["layers"][layer] = {
            "f1": paired_bootstrap(sa, sb),
            "recall": {
                "a": a["summary"]["layers"][layer]["recall"]["value"],
                "b": b["summary"]["layers"][layer]["recall"]["value"],
            },
            "fields": {k: paired_bootstrap(sa, sb, field_name=k) for k in sorted(set(fa) & set(fb))},
        }
    for x in shared:
        for layer, q in x["scores"].items():
            p = a_by[x["id"]]["scores"].get(layer)
            if p is None:
                continue
            before, after = LayerScore(**p), LayerScore(**q)
            if after.f1 < before.f1:
                out["worse"].append({"id": x["id"], "what": f"{layer} F1", "a": before.f1, "b": after.f1})
            for name in sorted(set(before.fields) & set(after.fields)):
                fa_, fb_ = field_accuracy([before], name), field_accuracy([after], name)
                if fb_ < fa_:
                    out["worse"].append({"id": x["id"], "what": f"{layer}.{name}", "a": fa_, "b": fb_})
    return out
