"""Measure the claim proposer on NewsClaims dev and the project gold set, with lead baselines.

    .venv/bin/python scripts/measure_claims.py [--cap 10] [--misses] [--datasets newsclaims-dev project]

Per article: the analysis, attribution and figure proposals (when their proposers import; none
otherwise), ``propose_claims``, ``select_claims`` (the cap), the top ``main_candidates`` flagged
main, the claimer from the linked attribution's speaker. Scored with ``evals.scoring`` (the same
harness as ``extractor eval run``). Prints main-claim hit@1 next to the lead-1 / lead-3 baselines
(the first one / three sentences of six words or more), hit@3
over the main candidates, claims per article, claimer accuracy on the main claim, and P/R/F1 where
the gold marks every claim.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evals import datasets  # noqa: E402
from evals.scoring import Criteria, score_article, span_similarity, summarize_layer  # noqa: E402
from extractor.analysis import Analysis, analyse  # noqa: E402
from extractor.proposals import AttributionProposal, ClaimProposal, FigureProposal, SpeakerEntity  # noqa: E402
from extractor.proposals.claims import (  # noqa: E402
    main_candidates,
    propose_claims,
    select_claims,
    sentence_units,
)
from extractor.schema import ArticleExtraction, Claim, Meta, Span  # noqa: E402

DATASETS = ("newsclaims-dev", "project")


class MainClaim(Claim):
    """``Claim`` with the main flag, until the schema carries it."""

    main: bool = False


def other_proposals(a: Analysis) -> tuple[list[AttributionProposal], list[SpeakerEntity], list[FigureProposal]]:
    attributions: list[AttributionProposal] = []
    speakers: list[SpeakerEntity] = []
    figures: list[FigureProposal] = []
    try:
        from extractor.proposals.attributions import propose_attributions

        attributions, speakers = propose_attributions(a)
    except ImportError:
        pass
    try:
        from extractor.proposals.figures import propose_figures

        figures = propose_figures(a)
    except ImportError:
        pass
    return attributions, speakers, figures


def claimer(c: ClaimProposal, attributions: list[AttributionProposal], speakers: list[SpeakerEntity], text: str):
    by_id = {s.id: s for s in speakers}
    if c.claimer_speaker in by_id:
        return by_id[c.claimer_speaker].name
    if c.attribution is None:
        return None
    a = attributions[c.attribution]
    if not a.options:
        return None
    opt = a.options[0]
    if opt.speaker_id in by_id:
        return by_id[opt.speaker_id].name
    return text[opt.mention.start : opt.mention.end] if opt.mention else None


def extraction(gid: str, a: Analysis, cap: int | None) -> tuple[ArticleExtraction, list[ClaimProposal]]:
    attributions, speakers, figures = other_proposals(a)
    proposals = propose_claims(a, attributions, figures, speakers=speakers)
    top = main_candidates(proposals, 3)
    chosen = select_claims(proposals, cap)
    claims = [
        MainClaim(
            text=c.text,
            evidence=Span(start=c.evidence.start, end=c.evidence.end, text=a.text[c.evidence.start : c.evidence.end]),
            claimer=claimer(c, attributions, speakers, a.text),
            kind=c.kind,
            checkworthy=c.checkworthy >= 0.6,
            main=bool(top) and c is top[0],
        )
        for c in chosen
    ]
    meta = Meta(prompt="-", prompt_version="-", prompt_sha256="-", strategy="proposals", backend="rules",
                model="-", library_version="-")  # fmt: skip
    return ArticleExtraction(id=gid, text=a.text, text_sha256="-", claims=claims, meta=meta), top


def lead_sentences(a: Analysis, k: int) -> list[tuple[int, int]]:
    """The first ``k`` sentences of six words or more (the claim proposer's sentences): the lead baseline."""
    out = []
    for s, e in sentence_units(a):
        if sum(1 for w in a.text[s:e].split() if any(ch.isalpha() for ch in w)) >= 6:
            out.append((s, e))
        if len(out) == k:
            break
    return out


def hit(text: str, span: tuple[int, int], gold: Any, c: Criteria) -> bool:
    if gold.span is None:
        return False
    return span_similarity(text, Span(start=span[0], end=span[1], text=text[span[0] : span[1]]), gold.span) >= c.overlap


def measure(pairs: list[tuple[datasets.GoldArticle, Analysis]], cap: int | None, misses: bool) -> dict[str, Any]:
    c = Criteria()
    scores, lead1, lead3, top3, rows = [], 0, 0, 0, 0
    started = time.perf_counter()
    for g, a in pairs:
        pred, top = extraction(g.id, a, cap)
        sc = score_article(pred, g, c)["claims"]
        scores.append(sc)
        gold_main = next((x for x in g.claims if x.main), None)
        if gold_main is None:
            continue
        rows += 1
        leads = lead_sentences(a, 3)
        lead1 += any(hit(a.text, s, gold_main, c) for s in leads[:1])
        lead3 += any(hit(a.text, s, gold_main, c) for s in leads)
        top3 += any(hit(a.text, (t.evidence.start, t.evidence.end), gold_main, c) for t in top)
        if misses and not sc.fields.get("main_hit", [0, 0])[0]:
            flagged = next((x for x in pred.claims if x.main), None)
            gold_text = a.text[gold_main.span.start : gold_main.span.end] if gold_main.span else gold_main.text
            print(f"MISS {g.id}\n  gold: {gold_text[:150]}")
            print(f"  main: {flagged.evidence.text[:150] if flagged else None}")
    seconds = time.perf_counter() - started
    summary = summarize_layer(scores, pairs[0][0].dataset if pairs else "", "claims", n_boot=200)
    fields = {k: v["value"] for k, v in summary["fields"].items()}
    return {
        "articles": len(pairs),
        "hit@1": fields.get("main_hit"),
        "hit@3 (candidates)": round(top3 / rows, 4) if rows else None,
        "lead-1": round(lead1 / rows, 4) if rows else None,
        "lead-3": round(lead3 / rows, 4) if rows else None,
        "claims/article": summary.get("per_article", {}).get("value"),
        "main claimer (on hits)": fields.get("main_claimer"),
        "main claimer (all)": fields.get("main_claimer_all"),
        "claimer (matched)": fields.get("claimer"),
        "precision": summary["precision"]["value"],
        "recall": summary["recall"]["value"],
        "f1": summary["f1"]["value"],
        "ms/article (proposers, no parse)": round(1000 * seconds / max(1, len(pairs)), 1),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", nargs="+", default=list(DATASETS))
    ap.add_argument("--cap", type=int, default=10, help="claims per article (0: no cap)")
    ap.add_argument("--misses", action="store_true", help="print the articles whose main claim is missed")
    args = ap.parse_args(argv)
    for name in args.datasets:
        gold = datasets.load(name)
        pairs = [(g, analyse(g.text)) for g in gold]
        result = measure(pairs, args.cap or None, args.misses)
        print(f"== {name}")
        for k, v in result.items():
            print(f"  {k:34} {v}")


if __name__ == "__main__":
    main()
