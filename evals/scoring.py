"""Pure scoring: optimal one-to-one matching of predicted to gold items, per layer.

Criteria are named and selectable (``Criteria``). Per article we count matches (strict), sum the
similarities of matched pairs (partial credit), and check fields on matched pairs; ``summarize``
turns those into precision/recall/F1 (micro and macro) with bootstrap 95% intervals over articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from evals.datasets import GoldArticle, GoldSpan, LayerName
from extractor.schema import ArticleExtraction, Span

LAYERS: tuple[LayerName, ...] = ("attributions", "figures", "claims")
_WORD = re.compile(r"\w+")
UNIT_ALIASES = {
    "percentage": "percent", "%": "percent", "per cent": "percent", "dollar": "USD", "us dollar": "USD",
    "usd": "USD", "$": "USD", "euro": "EUR", "eur": "EUR", "pound sterling": "GBP", "gbp": "GBP",
    "japanese yen": "JPY", "yen": "JPY", "chinese yuan": "CNY", "yuan": "CNY", "person": "people",
    "years": "year", "kilometre": "km", "kilometer": "km", "kilogram": "kg", "meter": "metre",
}  # fmt: skip


@dataclass(frozen=True)
class Criteria:
    """How a predicted item is matched to a gold one; every field is a named, selectable choice."""

    span: Literal["overlap", "exact"] = "overlap"
    overlap: float = 0.5
    figure: Literal["value", "value+unit"] = "value"
    value_tolerance: float = 1e-3
    claim_text: float = 0.6
    counts_similar: float = 0.6


@dataclass
class LayerScore:
    """One layer of one article: counts, partial credit, field checks and the pairing itself."""

    tp: int = 0
    pred: int = 0
    gold: int = 0
    partial: float = 0.0
    fields: dict[str, list[int]] = field(default_factory=dict)
    pairs: list[tuple[int, int, float]] = field(default_factory=list)

    def check(self, name: str, correct: bool | None) -> None:
        if correct is None:
            return
        c = self.fields.setdefault(name, [0, 0])
        c[0] += int(correct)
        c[1] += 1

    @property
    def f1(self) -> float:
        return f1(self.tp, self.pred, self.gold)


def f1(tp: float, pred: float, gold: float) -> float:
    return 1.0 if pred == gold == 0 else (2 * tp / (pred + gold) if pred + gold else 0.0)


def _token_ids(text: str, start: int, end: int) -> set[int]:
    return {m.start() for m in _WORD.finditer(text, start, end)}


def span_similarity(text: str, a: Span | GoldSpan | None, b: Span | GoldSpan | None, mode: str = "overlap") -> float:
    """Token-level Dice overlap of two spans of ``text`` (or 1/0 for exact offsets)."""
    if a is None or b is None:
        return 0.0
    if mode == "exact":
        return float((a.start, a.end) == (b.start, b.end))
    ta, tb = _token_ids(text, a.start, a.end), _token_ids(text, b.start, b.end)
    if not ta or not tb:
        return float((a.start, a.end) == (b.start, b.end))
    return 2 * len(ta & tb) / (len(ta) + len(tb))


def text_similarity(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return fuzz.token_set_ratio(a.lower(), b.lower()) / 100


def norm_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    u = unit.strip().lower()
    u = UNIT_ALIASES.get(u, u)
    if u.endswith("s") and len(u) > 3 and u not in ("USD",):
        u = UNIT_ALIASES.get(u[:-1], u[:-1])
    return u if u in ("USD", "EUR", "GBP", "JPY", "CNY") else u.lower()


def match(sim: np.ndarray) -> list[tuple[int, int, float]]:
    """Optimal one-to-one assignment maximising total similarity; zero-similarity pairs dropped."""
    if sim.size == 0:
        return []
    rows, cols = linear_sum_assignment(-sim)
    return [(int(r), int(c), float(sim[r, c])) for r, c in zip(rows, cols, strict=True) if sim[r, c] > 0]


def _threshold(s: float, t: float) -> float:
    return s if s >= t else 0.0


def score_attributions(text: str, pred: ArticleExtraction, gold: GoldArticle, c: Criteria) -> LayerScore:
    p, g = pred.attributions, [a for a in gold.attributions if a.content is not None]
    t = 1.0 if c.span == "exact" else c.overlap
    sim = np.array([[_threshold(span_similarity(text, a.content, b.content, c.span), t) for b in g] for a in p])
    out = LayerScore(pred=len(p), gold=len(g), pairs=match(sim.reshape(len(p), len(g))))
    for i, j, s in out.pairs:
        a, b = p[i], g[j]
        out.tp += 1
        out.partial += s
        for name, ps, gs in (("source", a.source, b.source), ("cue", a.cue, b.cue)):
            both_none = ps is None and gs is None
            out.check(name, both_none or span_similarity(text, ps, gs, c.span) >= t)
        if b.speaker:
            out.check("speaker", text_similarity(a.speaker, b.speaker) >= 0.9)
    return out


def score_figures(text: str, pred: ArticleExtraction, gold: GoldArticle, c: Criteria) -> LayerScore:
    p, g = pred.figures, gold.figures

    def sim(a: Any, b: Any) -> float:
        if abs(a.value - b.value) > c.value_tolerance * max(1.0, abs(b.value)):
            return 0.0
        if c.figure == "value+unit" and norm_unit(a.unit) != norm_unit(b.unit):
            return 0.0
        if b.span is not None and span_similarity(text, a.span, b.span) == 0:
            return 0.0
        return 1.0

    matrix = np.array([[sim(a, b) for b in g] for a in p]).reshape(len(p), len(g))
    out = LayerScore(pred=len(p), gold=len(g), pairs=match(matrix))
    for i, j, s in out.pairs:
        a, b = p[i], g[j]
        out.tp += 1
        out.partial += s
        out.check("value", True)
        out.check("unit", norm_unit(a.unit) == norm_unit(b.unit))
        out.check("change", a.change == b.change)
        if b.counts:
            out.check("counts", text_similarity(a.counts, b.counts) >= c.counts_similar)
    return out


def score_claims(text: str, pred: ArticleExtraction, gold: GoldArticle, c: Criteria) -> LayerScore:
    p, g = pred.claims, gold.claims
    t = 1.0 if c.span == "exact" else c.overlap

    def sim(a: Any, b: Any) -> float:
        if b.span is not None:
            return _threshold(span_similarity(text, a.evidence, b.span, c.span), t)
        return _threshold(text_similarity(a.text, b.text), c.claim_text)

    matrix = np.array([[sim(a, b) for b in g] for a in p]).reshape(len(p), len(g))
    out = LayerScore(pred=len(p), gold=len(g), pairs=match(matrix))
    for i, j, s in out.pairs:
        out.tp += 1
        out.partial += s
        if g[j].claimer:
            out.check("claimer", text_similarity(p[i].claimer, g[j].claimer) >= 0.8)
    return out


SCORERS = {"attributions": score_attributions, "figures": score_figures, "claims": score_claims}


def score_article(
    pred: ArticleExtraction, gold: GoldArticle, criteria: Criteria | None = None
) -> dict[str, LayerScore]:
    """Scores for the layers ``gold`` annotated; offsets are compared in the gold text."""
    c = criteria or Criteria()
    return {layer: SCORERS[layer](gold.text, pred, gold, c) for layer in gold.layers}


def precision_is_meaningful(dataset: str, layer: str) -> bool:
    """NewsClaims annotates only the main claim: precision over all claims means nothing there."""
    return not (dataset.startswith("newsclaims") and layer == "claims")


def _micro(scores: list[LayerScore]) -> dict[str, float]:
    tp, pr, gd = sum(s.tp for s in scores), sum(s.pred for s in scores), sum(s.gold for s in scores)
    part = sum(s.partial for s in scores)
    return {
        "precision": tp / pr if pr else (1.0 if gd == 0 else 0.0),
        "recall": tp / gd if gd else (1.0 if pr == 0 else 0.0),
        "f1": f1(tp, pr, gd),
        "macro_f1": float(np.mean([s.f1 for s in scores])) if scores else 0.0,
        "partial_f1": f1(part, pr, gd),
    }


def _fields(scores: list[LayerScore]) -> dict[str, float]:
    names = sorted({n for s in scores for n in s.fields})
    out = {}
    for n in names:
        right = sum(s.fields.get(n, [0, 0])[0] for s in scores)
        total = sum(s.fields.get(n, [0, 0])[1] for s in scores)
        out[n] = right / total if total else 0.0
    return out


def bootstrap(scores: list[LayerScore], stat: Any, n: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of ``stat(resampled articles)``, resampling articles with replacement."""
    if len(scores) < 2:
        v = stat(scores)
        return (v, v)
    rng = np.random.default_rng(seed)
    values = [stat([scores[i] for i in rng.integers(0, len(scores), len(scores))]) for _ in range(n)]
    lo, hi = np.percentile(values, [2.5, 97.5])
    return (round(float(lo), 4), round(float(hi), 4))


def summarize_layer(scores: list[LayerScore], dataset: str, layer: str, n_boot: int = 1000) -> dict[str, Any]:
    """layer → metric → {value, ci}; precision is null where the gold set cannot support it."""
    micro = _micro(scores)
    out: dict[str, Any] = {}
    for name, value in micro.items():
        ci = bootstrap(scores, lambda s, k=name: _micro(s)[k], n_boot)
        out[name] = {"value": round(value, 4), "ci": list(ci)}
    if not precision_is_meaningful(dataset, layer):
        out["precision"] = {"value": None, "ci": None, "note": "only the main claim is annotated"}
        out["f1"]["note"] = out["macro_f1"]["note"] = "precision counts non-main claims as errors; read recall"
    out["fields"] = {
        k: {"value": round(v, 4), "ci": list(bootstrap(scores, lambda s, k=k: _fields(s).get(k, 0.0), n_boot))}
        for k, v in _fields(scores).items()
    }
    out["counts"] = {
        "articles": len(scores),
        "tp": sum(s.tp for s in scores),
        "pred": sum(s.pred for s in scores),
        "gold": sum(s.gold for s in scores),
    }
    return out


def summarize(per_article: list[dict[str, LayerScore]], dataset: str, n_boot: int = 1000) -> dict[str, Any]:
    layers: dict[str, Any] = {}
    for layer in LAYERS:
        scores = [a[layer] for a in per_article if layer in a]
        if scores:
            layers[layer] = summarize_layer(scores, dataset, layer, n_boot)
    return layers


def _field_accuracy(scores: list[LayerScore], name: str) -> float:
    right = sum(s.fields.get(name, [0, 0])[0] for s in scores)
    total = sum(s.fields.get(name, [0, 0])[1] for s in scores)
    return right / total if total else 0.0


def paired_bootstrap(
    a: list[LayerScore], b: list[LayerScore], n: int = 2000, seed: int = 0, field_name: str | None = None
) -> dict[str, float]:
    """Difference b − a over the same articles (micro F1, or a field's accuracy), its 95% interval
    and a two-sided p-value from resampling articles."""
    assert len(a) == len(b)

    def stat(x: list[LayerScore]) -> float:
        return _field_accuracy(x, field_name) if field_name else _micro(x)["f1"]

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
