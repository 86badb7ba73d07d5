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
from rapidfuzz.utils import default_process
from scipy.optimize import linear_sum_assignment

from evals.datasets import GoldArticle, GoldSpan, LayerName
from extractor.schema import ArticleExtraction, Span
from extractor.units import unit_key

LAYERS: tuple[LayerName, ...] = ("attributions", "figures", "claims")
_WORD = re.compile(r"\w+")


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
    """The unit two figures are compared by: ``extractor.units`` canonical name (the extractor's own table)."""
    return unit_key(unit)


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
    role_tp = {"source": 0, "cue": 0}
    for i, j, s in out.pairs:
        a, b = p[i], g[j]
        out.tp += 1
        out.partial += s
        for name, ps, gs in (("source", a.source, b.source), ("cue", a.cue, b.cue)):
            both_none = ps is None and gs is None
            right = both_none or span_similarity(text, ps, gs, c.span) >= t
            out.check(name, right)
            role_tp[name] += right
        if b.speaker:
            out.check("speaker", text_similarity(a.speaker, b.speaker) >= 0.9)
    # Citron-style role F1: an attribution counts for a role when its content and that role both match
    for name, hits in role_tp.items():
        out.fields[f"{name}_f1"] = [2 * hits, len(p) + len(g)]
    return out


def _bounds(x: Any) -> tuple[float | None, float | None] | None:
    """(low, high) when a figure is a range or a vague amount ("dozens"); None for a plain number."""
    low, high = getattr(x, "low", None), getattr(x, "high", None)
    if low is not None or high is not None:
        return (low, high)
    return (None, None) if x.value is None else None


def values_match(a: Any, b: Any, tolerance: float) -> bool:
    """CQE's value criterion: numbers equal within ``tolerance``; a range matches only a range (bounds compared
    when both sides give them; NewsQuant's gold writes a range as value null, which any predicted range matches)."""
    ra, rb = _bounds(a), _bounds(b)
    if ra is None and rb is None:
        return abs(a.value - b.value) <= tolerance * max(1.0, abs(b.value))
    if ra is None or rb is None:
        return False
    close = [abs(x - y) <= tolerance * max(1.0, abs(y)) for x, y in zip(ra, rb, strict=True) if None not in (x, y)]
    return all(close)


def concept_tokens(counts: str | None) -> list[str]:
    """CQE's concept tokens: split on commas and white space, lower-cased."""
    return [t for t in re.split(r"[,\s]+", (counts or "").strip().lower()) if t]


def concept_complete(pred: str | None, gold: str | None) -> bool:
    """CQE's "complete" concept match: every gold token found and no extra token (equal token lists as sets,
    equal lengths). One departure from CQE: a gold figure without a concept matches a prediction without one
    (CQE could never match those), so that gold scored against itself is perfect."""
    g, p = concept_tokens(gold), concept_tokens(pred)
    return set(g) == set(p) and len(g) == len(p)


def score_figures(text: str, pred: ArticleExtraction, gold: GoldArticle, c: Criteria) -> LayerScore:
    """Figures matched one to one on value (CQE's criterion); value+unit, value+change and value+complete
    concept are each matched on their own too, reported as micro F1 fields (``2·tp / (pred + gold)``)."""
    p, g = pred.figures, gold.figures

    def located(a: Any, b: Any) -> bool:
        return b.span is None or span_similarity(text, a.span, b.span) > 0

    def same_value(a: Any, b: Any) -> bool:
        return values_match(a, b, c.value_tolerance) and located(a, b)

    def sim(a: Any, b: Any) -> float:
        if not same_value(a, b):
            return 0.0
        return 0.0 if c.figure == "value+unit" and norm_unit(a.unit) != norm_unit(b.unit) else 1.0

    def tp(extra: Any) -> int:
        m = np.array([[float(same_value(a, b) and extra(a, b)) for b in g] for a in p]).reshape(len(p), len(g))
        return len(match(m))

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
    both = len(p) + len(g)
    out.fields["value_unit_f1"] = [2 * tp(lambda a, b: norm_unit(a.unit) == norm_unit(b.unit)), both]
    out.fields["value_change_f1"] = [2 * tp(lambda a, b: a.change == b.change), both]
    out.fields["counts_complete_f1"] = [2 * tp(lambda a, b: concept_complete(a.counts, b.counts)), both]
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
            out.check("claimer", claimer_similar(p[i].claimer, g[j].claimer))
    score_main_claim(p, g, sim, out)
    return out


def claimer_similar(a: str | None, b: str | None, threshold: float = 0.8) -> bool:
    """Claimers compared as token sets with punctuation dropped (*David Corry* is *Dr. David Corry, professor…*)."""
    if not a or not b:
        return False
    return fuzz.token_set_ratio(a, b, processor=default_process) / 100 >= threshold


def score_main_claim(p: list[Any], g: list[Any], sim: Any, out: LayerScore) -> None:
    """The claim flagged main against the gold main claim: ``main_hit`` (hit@1, every article with a gold
    main claim; no flagged claim is a miss), ``main_claimer`` (on hits whose gold names a claimer) and
    ``main_claimer_all`` (hit and right claimer, over every article whose gold main claim has a claimer)."""
    gold_main = next((b for b in g if b.main), None)
    if gold_main is None or (p and not hasattr(p[0], "main")):
        return  # no gold main claim, or a result model that cannot flag one
    pred_main = next((a for a in p if getattr(a, "main", False)), None)
    hit = pred_main is not None and sim(pred_main, gold_main) > 0
    out.check("main_hit", hit)
    if gold_main.claimer:
        right = hit and claimer_similar(pred_main.claimer, gold_main.claimer)
        out.check("main_claimer_all", right)
        if hit:
            out.check("main_claimer", right)


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


def micro(scores: list[LayerScore]) -> dict[str, float]:
    tp, pr, gd = sum(s.tp for s in scores), sum(s.pred for s in scores), sum(s.gold for s in scores)
    part = sum(s.partial for s in scores)
    return {
        "precision": tp / pr if pr else (1.0 if gd == 0 else 0.0),
        "recall": tp / gd if gd else (1.0 if pr == 0 else 0.0),
        "f1": f1(tp, pr, gd),
        "macro_f1": float(np.mean([s.f1 for s in scores])) if scores else 0.0,
        "partial_f1": f1(part, pr, gd),
    }


def field_accuracy(scores: list[LayerScore], name: str) -> float:
    """A field's value over articles: right / checked, summed first (micro)."""
    right = sum(s.fields.get(name, [0, 0])[0] for s in scores)
    total = sum(s.fields.get(name, [0, 0])[1] for s in scores)
    return right / total if total else 0.0


def _fields(scores: list[LayerScore]) -> dict[str, float]:
    return {n: field_accuracy(scores, n) for n in sorted({n for s in scores for n in s.fields})}


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
    totals = micro(scores)
    out: dict[str, Any] = {}
    for name, value in totals.items():
        ci = bootstrap(scores, lambda s, k=name: micro(s)[k], n_boot)
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
    if layer == "claims" and scores:
        out["per_article"] = {"value": round(out["counts"]["pred"] / len(scores), 2)}
    return out


def summarize(per_article: list[dict[str, LayerScore]], dataset: str, n_boot: int = 1000) -> dict[str, Any]:
    layers: dict[str, Any] = {}
    for layer in LAYERS:
        scores = [a[layer] for a in per_article if layer in a]
        if scores:
            layers[layer] = summarize_layer(scores, dataset, layer, n_boot)
    return layers
