"""Speed of each stage per 1,000 words, and the default local path against the rules path.

    .venv/bin/python -m benchmarks.pipeline_speed [--articles 84] [--blis] [--model]

Part 1 (always): over the first N polnear-dev articles, the seconds per 1,000 words of the spaCy
analysis and of each proposer, in one process on one core (``OMP_NUM_THREADS=1`` is set before
anything loads). ``--blis``: the spaCy pipeline as shipped (matrix products through numpy's BLAS)
against the same pipeline built with thinc's default BLIS ops, article by article in turn in the
same run: seconds per 1,000 words of each, the ratio, and whether every token's parse is the same.
Part 2 (``--model``): one article of about 1,000 words through the rules path
(``--backend baseline``) and through the default local path, side by side in the same run:
seconds, model calls and tokens per 1,000 words, and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from evals import datasets  # noqa: E402 - the thread limit must be set before numpy/spaCy load
from extractor import Extractor, Settings  # noqa: E402
from extractor.analysis import analyse, load_pipeline, pipeline  # noqa: E402
from extractor.proposals.attributions import propose_attributions  # noqa: E402
from extractor.proposals.claims import propose_claims  # noqa: E402
from extractor.proposals.figures import propose_figures  # noqa: E402

ALL = "speaker,counts,main_claim"


def words(text: str) -> int:
    return len(text.split())


def stages(articles: list[datasets.GoldArticle]) -> dict[str, float]:
    """Seconds per 1,000 words for each stage, summed over the articles."""
    pipeline()  # load once, outside the timing
    spent = {"analysis": 0.0, "attributions": 0.0, "figures": 0.0, "claims": 0.0}
    total_words = 0
    for g in articles:
        total_words += words(g.text)
        t0 = time.perf_counter()
        a = analyse(g.text)
        t1 = time.perf_counter()
        attributions, speakers = propose_attributions(a)
        t2 = time.perf_counter()
        figures = propose_figures(a)
        t3 = time.perf_counter()
        propose_claims(a, attributions, figures, speakers=speakers)
        t4 = time.perf_counter()
        for name, s in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            spent[name] += s
    return {name: s / total_words * 1000 for name, s in spent.items()}


def spacy_ops(articles: list[datasets.GoldArticle]) -> tuple[float, float, int]:
    """Seconds per 1,000 words of the shipped spaCy pipeline and of the same pipeline on BLIS ops, timed
    article by article in turn (so that a slow spell of the machine hits both), and how many tokens' tag,
    dependency, head, lemma or entity differ between the two."""
    shipped, blis = pipeline(), load_pipeline(blis=True)
    spent = {"shipped": 0.0, "blis": 0.0}
    parses: dict[str, list] = {}
    differ, total_words = 0, 0
    for g in articles:
        total_words += words(g.text)
        for name, nlp in (("shipped", shipped), ("blis", blis)):
            t0 = time.perf_counter()
            doc = nlp(g.text)
            spent[name] += time.perf_counter() - t0
            parses[name] = [(t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_) for t in doc]
        differ += sum(a != b for a, b in zip(parses["shipped"], parses["blis"], strict=True))
    return spent["shipped"] / total_words * 1000, spent["blis"] / total_words * 1000, differ


def one_article(text: str, settings: Settings, repeat: int) -> tuple[float, int, int]:
    """Median seconds, model calls and tokens for one article (the extractor loaded once)."""
    with Extractor(settings) as ex:
        ex.extract(text)  # warm-up: parser (and model, if asked) loaded; no response cache
        times, calls, tokens = [], 0, 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            r = ex.extract(text)
            times.append(time.perf_counter() - t0)
            calls, tokens = r.meta.usage.calls, r.meta.usage.total_tokens
    return statistics.median(times), calls, tokens


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=84)
    ap.add_argument(
        "--model", action="store_true", help="also time one article: rules, default path, model making every decision"
    )
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--blis", action="store_true", help="also time the spaCy pipeline on BLIS ops, side by side")
    args = ap.parse_args()
    gold = datasets.load("polnear-dev", args.articles)
    per_k = stages(gold)
    n_words = sum(words(g.text) for g in gold)
    print(f"polnear-dev, {len(gold)} articles, {n_words} words, one core")
    for name, s in per_k.items():
        print(f"  {name:<13} {s:.3f} s per 1,000 words")
    print(f"  {'total':<13} {sum(per_k.values()):.3f} s per 1,000 words (target <= 0.3)")
    if args.blis:
        shipped_s, blis_s, differ = spacy_ops(gold)
        print("\nspaCy pipeline alone, the same articles in turn, one core")
        print(f"  shipped (numpy BLAS) {shipped_s:.3f} s per 1,000 words")
        print(f"  thinc BLIS ops       {blis_s:.3f} s per 1,000 words ({blis_s / shipped_s:.2f}x the shipped)")
        print(f"  tokens parsed differently: {differ}")
    if not args.model:
        return
    os.environ.pop("OMP_NUM_THREADS", None)
    article = min(gold, key=lambda g: abs(words(g.text) - 1000))
    k = words(article.text) / 1000
    print(f"\none article of {words(article.text)} words ({article.id}), 2 cores, median of {args.repeat}")
    rules_s, _, _ = one_article(article.text, Settings.resolve(backend="baseline"), args.repeat)
    print(f"  rules (--backend baseline):           {rules_s:.2f} s")
    for label, decisions in (("default local path", None), ("local, model makes every decision", ALL)):
        settings = Settings.resolve(backend="local", model_decisions=decisions)
        seconds, calls, tokens = one_article(article.text, settings, args.repeat)
        print(
            f"  {label + ':':<37} {seconds:.2f} s ({seconds / rules_s:.1f}x the rules), {calls} model calls, "
            f"{tokens / k:.0f} tokens per 1,000 words"
        )


if __name__ == "__main__":
    main()
