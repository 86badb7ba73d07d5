"""Scoring on its own: gold against itself, hand-computed perturbations, optimal matching."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from evals import datasets
from evals.compare import paired_bootstrap
from evals.scoring import Criteria, LayerScore, match, norm_unit, score_article, summarize
from extractor.schema import ArticleExtraction, Attribution, Claim, Figure, Meta, Span


def span(text: str, s) -> Span | None:
    return None if s is None else Span(start=s.start, end=s.end, text=text[s.start : s.end])


def as_prediction(g: datasets.GoldArticle) -> ArticleExtraction:
    t = g.text
    meta = Meta(prompt="gold", prompt_version="-", prompt_sha256="-", strategy="-", backend="-", model="-",
                library_version="-")  # fmt: skip
    return ArticleExtraction(
        text=t, text_sha256="-", meta=meta,
        attributions=[Attribution(content=span(t, a.content), source=span(t, a.source), cue=span(t, a.cue),
                                  speaker=a.speaker) for a in g.attributions],
        figures=[Figure(span=span(t, f.span), value=f.value, low=f.low, high=f.high, unit=f.unit, change=f.change,
                        counts=f.counts)
                 for f in g.figures],
        claims=[Claim(text=c.text, evidence=span(t, c.span), claimer=c.claimer, main=c.main) for c in g.claims],
    )  # fmt: skip


@pytest.fixture(scope="module")
def project():
    return datasets.load("project")


def test_gold_scored_against_itself_is_perfect(project):
    per = [score_article(as_prediction(g), g) for g in project]
    layers = summarize(per, "project", n_boot=50)
    for layer in ("attributions", "figures", "claims"):
        for metric in ("precision", "recall", "f1", "macro_f1", "partial_f1"):
            assert layers[layer][metric]["value"] == 1.0, (layer, metric)
        for name, value in layers[layer]["fields"].items():
            assert value["value"] == 1.0, (layer, name)


def test_a_dropped_figure(project):
    g = project[0]  # kerman: 5 figures (calendar years are dates, not figures)
    pred = as_prediction(g)
    pred.figures.pop()
    s = score_article(pred, g)["figures"]
    assert (s.tp, s.pred, s.gold) == (4, 4, 5)
    assert s.f1 == pytest.approx(2 * 4 / 9)


def test_a_wrong_unit_keeps_the_match_and_costs_the_unit_field(project):
    g = project[0]
    pred = as_prediction(g)
    pred.figures[4] = pred.figures[4].model_copy(update={"unit": "dollars"})
    s = score_article(pred, g)["figures"]
    assert s.tp == 5
    assert s.fields["unit"] == [4, 5]
    strict = score_article(pred, g, Criteria(figure="value+unit"))["figures"]
    assert strict.tp == 4


def test_a_shifted_span_gets_partial_credit(project):
    g = project[3]  # nordline
    pred = as_prediction(g)
    t = g.text
    content = g.attributions[3].content  # "fewer than 40 of the 310 stations would be affected": 10 tokens
    shifted = Span(start=content.start + len("fewer than "), end=content.end, text=t[content.start + 11 : content.end])
    pred.attributions[3] = pred.attributions[3].model_copy(update={"content": shifted})
    s = score_article(pred, g)["attributions"]
    assert s.tp == 4  # 8 of 10 tokens kept: Dice 2*8/(10+8) = 16/18 >= 0.5
    assert s.partial == pytest.approx(3 + 16 / 18)
    exact = score_article(pred, g, Criteria(span="exact"))["attributions"]
    assert exact.tp == 3


def test_optimal_matching_beats_greedy():
    # Greedy takes the best pair first (p0-g0, 0.9) and leaves p1 with nothing; optimal pairs p0-g1, p1-g0.
    sim = np.array([[0.9, 0.8], [0.7, 0.0]])
    pairs = match(sim)
    assert sorted((i, j) for i, j, _ in pairs) == [(0, 1), (1, 0)]
    assert sum(s for _, _, s in pairs) == pytest.approx(1.5)


def test_unit_aliases():
    assert norm_unit("percentage") == norm_unit("percent") == norm_unit("per cent") == "percentage"
    assert norm_unit("dollar") == norm_unit("USD") == norm_unit("$") == "dollar"
    assert norm_unit("people") == norm_unit("person")


def test_only_annotated_layers_are_scored(project):
    g = copy.deepcopy(project[0])
    g.layers = ["figures"]
    assert set(score_article(as_prediction(g), g)) == {"figures"}


def test_newsclaims_precision_is_not_reported():
    s = summarize([{"claims": LayerScore(tp=1, pred=5, gold=1)}], "newsclaims", n_boot=10)
    assert s["claims"]["precision"]["value"] is None
    assert s["claims"]["recall"]["value"] == 1.0


def test_paired_bootstrap_sees_a_real_improvement():
    a = [LayerScore(tp=1, pred=4, gold=4) for _ in range(20)]
    b = [LayerScore(tp=3, pred=4, gold=4) for _ in range(20)]
    result = paired_bootstrap(a, b, n=200)
    assert result["delta"] == pytest.approx(0.5)
    assert result["p"] < 0.05 and result["ci"][0] > 0


def test_bootstrap_interval_contains_the_point_estimate(project):
    per = [score_article(as_prediction(g), g) for g in project]
    for g in per:
        g["figures"].tp -= 1
    f = summarize(per, "project", n_boot=200)["figures"]["f1"]
    assert f["ci"][0] <= f["value"] <= f["ci"][1]


def test_paired_bootstrap_on_a_field():
    a = [LayerScore(tp=2, pred=2, gold=2, fields={"speaker": [0, 2]}) for _ in range(10)]
    b = [LayerScore(tp=2, pred=2, gold=2, fields={"speaker": [2, 2]}) for _ in range(10)]
    result = paired_bootstrap(a, b, n=200, field_name="speaker")
    assert result["delta"] == pytest.approx(1.0) and result["p"] < 0.05
    assert paired_bootstrap(a, b, n=200)["delta"] == 0
