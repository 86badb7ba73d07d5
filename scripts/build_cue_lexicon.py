"""Learn the attribution cue lexicon (``extractor/data/cues.json``) from PolNeAR train.

For every token of every training article and every content *frame* the parse offers for it
(``extractor.proposals.attributions.candidate_frames``: a dependency child, the head clause, an
adjacent quote, a colon label), count how often it is a gold cue whose gold content matches
that frame's content (token Dice ≥ 0.5, the harness criterion). The table maps ``lemma|frame``
to ``[positives, total]``, with ``*POS|frame`` back-off rates for lemmas seen too rarely.

It also writes ``extractor/data/cue_spans.json``: how often a gold cue span takes in each kind of
right-hand child of its head (*said in a statement*, *pointed out*) and how often a cue head's
attributions have no source (*seems to*, *is expected to*), for the runtime span conventions.

And ``extractor/data/content_ends.json``: a logistic model of whether a chosen content runs on to the
end of its sentence (``extractor.proposals.content_ends``), fitted on the contents the new table
chooses in the training articles, where one end matches the gold content and the other does not; and
under ``trim`` one of whether it ends before a modifier that trails it, fitted the same way on the
cuts the contents offer once run on.

Deterministic: same input file, same output. Usage:

    .venv/bin/python scripts/build_cue_lexicon.py [../shared/datasets/polnear-train.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# one BLAS thread before numpy loads: a multi-threaded fit sums in another order and moves the context
# weights in their fourth decimal, so the table would differ from run to run (and it is faster on 2 cores)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from training_data import provenance, read_articles  # noqa: E402

from extractor.proposals.attributions import (  # noqa: E402
    NESTING_PRIOR,
    QuoteIndex,
    _logit,
    _run_on,
    backoff_key,
    candidate_frames,
    chosen_contents,
    context_features,
    dense_features,
    extension_keys,
    for_lemma_count,
    frame_key,
    is_candidate,
    is_nested,
    nested_features,
    prior,
    sourceless_keys,
    trailing_cut_ranges,
)
from extractor.proposals.content_ends import sentence_rest  # noqa: E402

DEFAULT_INPUT = ROOT.parent / "shared" / "datasets" / "polnear-train.jsonl"
OUTPUT = ROOT / "extractor" / "data" / "cues.json"
SPANS_OUTPUT = ROOT / "extractor" / "data" / "cue_spans.json"
ENDS_OUTPUT = ROOT / "extractor" / "data" / "content_ends.json"
MIN_EXTENSION_COUNT = 5  # a right-hand cue child kind seen fewer times in train is not stored
MATCH = 0.5  # token Dice for a frame's content to count as the gold content
MIN_POSITIVES = 2
MIN_COUNT = 3
# default runtime cut on the cue probability (tuned on polnear-dev; 0.28 gains content F1 there but adds
# false positives on the project set, and held out on polnear-train it gains content F1 0.001 and loses cue
# and source F1 0.002; with the content-end model, 0.30 gains content F1 0.0014 and loses cue F1 0.0006 held out,
# 0.34 loses all three). With the ``nested`` feature the model scores the cues outside other contents higher,
# and the cut moved: held out against the table before it at 0.32, content / cue / source F1 +0.0044 /
# +0.0022 / +0.0021 at 0.32, +0.0036 / +0.0028 / +0.0025 at 0.34, +0.0023 / +0.0024 / +0.0025 at 0.36 and
# +0.0010 / +0.0022 / +0.0027 at 0.38; below 0.38 the project set gains a false attribution (*offered
# condolences*), so 0.38
THRESHOLD = 0.38
BACKOFF_MIN = 0.05  # back-off rates below this are not stored (they score 0)
BACKOFF_WEIGHT = 0.5
# what ``attributions.prior`` reads of a table, for the priors the build computes before the table exists
PRIOR_PARAMS = {"min_count": MIN_COUNT, "backoff_weight": BACKOFF_WEIGHT}
STORE_NEGATIVE_ABOVE = 0.05  # store a rare lemma's low count only where its back-off prior would reach this
MIN_FEATURE_COUNT = 20
MIN_NEGATIVE_COUNT = 5
# ridge on the context weights: 1, 3, 10, 30 tried held out on polnear-train (scripts/cross_validate_cues.py,
# thresholds 0.28, 0.32, 0.36 with each): 3 with 0.32 gives the best cue and source F1, content F1 within 0.002
L2 = 3.0
DENSE_L2 = 10.0  # ridge on the (standardised) tok2vec vector weights (3 and 10 tried: the same to 3 decimals)
MIN_WEIGHT = 0.02  # smaller context weights are not stored (keeps the table small)
# ridge on the content-end model: 3, 10 and 30 tried held out (scripts/cross_validate_cues.py, content F1
# +0.0029, +0.0031, +0.0024 over the table alone); its cut on the run-on probability: 0.5, 0.6 and 0.7 tried
# on polnear-train split in two halves by article, 0.5 gains the most matches (a run-on gains or loses one)
ENDS_L2 = 10.0
ENDS_CUT = 0.5
_WORD = re.compile(r"\w+")


def _dice(text: str, a: tuple[int, int], b: tuple[int, int]) -> float:
    ta = {m.start() for m in _WORD.finditer(text, *a)}
    tb = {m.start() for m in _WORD.finditer(text, *b)}
    return 2 * len(ta & tb) / (len(ta) + len(tb)) if ta and tb else 0.0


# (lemma|frame, POS|frame, gold?, context features, tok2vec vectors or None, where): where is (article id, cue
# token index, cue character offset, content range), what ``with_nesting`` needs once the lemma priors are known
Instance = tuple[str, str, int, list[str], Any, tuple[str, int, int, tuple[int, int]]]


def instances(pairs: Iterable[tuple[Any, dict[str, Any]]]) -> list[Instance]:
    """One instance per (candidate token, frame) over (analysis, gold article) pairs."""
    out: list[Instance] = []
    for analysis, article in pairs:
        text = analysis.text
        aid = str(article.get("id", id(analysis)))
        gold = [
            ((a["cue"]["start"], a["cue"]["end"]), (a["content"]["start"], a["content"]["end"]))
            for a in article["attributions"]
            if a.get("cue") and a.get("content")
        ]
        quotes = QuoteIndex(analysis)
        # a gold cue is learned at its syntactic head (*said* of *also said*, *according* of *according to*)
        heads: dict[int, list[tuple[int, int]]] = {}
        for (cs, ce), g in gold:
            span = analysis.doc.char_span(cs, ce, alignment_mode="expand")
            if span is not None and len(span):
                heads.setdefault(span.root.i, []).append(g)
        for tok in analysis.doc:
            if not is_candidate(tok):
                continue
            mine = heads.get(tok.i, [])
            for frame, rng in candidate_frames(tok, quotes):
                hit = any(_dice(text, rng, g) >= MATCH for g in mine)
                feats = context_features(tok, frame, rng, analysis)
                keys = (frame_key(tok, frame), backoff_key(tok, frame))
                out.append((*keys, int(hit), feats, dense_features(tok, rng), (aid, tok.i, tok.idx, rng)))
    return out


def with_nesting(data: list[Instance], learned: dict[str, Any]) -> list[Instance]:
    """The instances with the ``nested`` features the runtime gives a cue inside another candidate's content
    whose lemma prior reaches ``NESTING_PRIOR`` (``attributions.nesting_covers`` / ``context_features``)."""
    covers: dict[str, list[tuple[int, int, int]]] = {}
    for k, b, _, _, _, (aid, i, _, rng) in data:
        if prior(learned["entries"].get(k), learned["backoff"].get(b), PRIOR_PARAMS) >= NESTING_PRIOR:
            covers.setdefault(aid, []).append((i, rng[0], rng[1]))
    out: list[Instance] = []
    for k, b, y, feats, vec, where in data:
        aid, i, idx, _ = where
        if is_nested(i, idx, covers.get(aid, [])):
            feats = [*feats, *nested_features(k.rsplit("|", 1)[1])]
        out.append((k, b, y, feats, vec, where))
    return out


def count(data: list[Instance]) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    """(positives, totals) per ``lemma|frame`` and per ``*POS|frame``."""
    pos: Counter[str] = Counter()
    tot: Counter[str] = Counter()
    bpos: Counter[str] = Counter()
    btot: Counter[str] = Counter()
    for k, b, y, *_ in data:
        tot[k] += 1
        btot[b] += 1
        pos[k] += y
        bpos[b] += y
    return pos, tot, bpos, btot


def table(pos: Counter[str], tot: Counter[str], bpos: Counter[str], btot: Counter[str]) -> dict[str, Any]:
    backoff = {k: [bpos[k], btot[k]] for k in sorted(btot) if btot[k] >= 20 and bpos[k] / btot[k] >= BACKOFF_MIN}
    frame_max: dict[str, float] = {}
    for kk, v in backoff.items():
        f = kk.rsplit("|", 1)[1]
        frame_max[f] = max(frame_max.get(f, 0.0), prior(None, v, PRIOR_PARAMS))
    entries = {}
    for k in sorted(tot):
        frame = k.rsplit("|", 1)[1]
        if pos[k] >= MIN_POSITIVES:
            entries[k] = [pos[k], tot[k]]
        elif tot[k] >= MIN_NEGATIVE_COUNT and frame_max.get(frame, 0.0) >= STORE_NEGATIVE_ABOVE:
            entries[k] = [pos[k], tot[k]]  # a known non-cue: overrides the back-off
    return {"entries": entries, "backoff": backoff}


def nest(entries: dict[str, list[int]]) -> dict[str, dict[str, list[int]]]:
    """``lemma|frame`` → ``{frame: {lemma: counts}}``, the shipped (smaller) layout."""
    out: dict[str, dict[str, list[int]]] = {}
    for k, v in entries.items():
        lemma, frame = k.rsplit("|", 1)
        out.setdefault(frame, {})[lemma] = v
    return {f: dict(sorted(out[f].items())) for f in sorted(out)}


def _log_loss(z: Any, y: Any) -> tuple[Any, Any]:
    """Logistic regression's negative log-likelihood at log-odds ``z`` for labels ``y``, and its gradient in
    ``z``: the part the cue table's context model and the content-end model share (each adds its ridge)."""
    import numpy as np

    p = 1 / (1 + np.exp(-z))
    eps = 1e-9
    return -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)), p - y


def fit_context(data: list[Instance], learned: dict[str, Any], l2: float = L2) -> dict[str, Any]:
    """Logistic regression over the context features and the tok2vec vectors, offset by the lemma
    prior's log-odds.

    The prior of each instance leaves the instance itself out of its ``lemma|frame`` count (no
    leakage of the label into its own feature). The vectors are standardised for the fit (one ridge
    for all of them); the stored weights and bias take the standardisation in, so the runtime term is
    one dot product with the raw vectors."""
    import numpy as np
    from scipy import sparse
    from scipy.optimize import minimize

    # a common lemma's instances are fitted without their WordNet class features, as the runtime scores them
    data = [(k, b, y, for_lemma_count(feats, learned["entries"].get(k)), vec) for k, b, y, feats, vec, _ in data]
    feat_count: Counter[str] = Counter(f for *_, feats, _ in data for f in feats)
    names = sorted(f for f, n in feat_count.items() if n >= MIN_FEATURE_COUNT)
    index = {f: i for i, f in enumerate(names)}
    rows, cols, ys, offs, vecs = [], [], [], [], []
    n = 0
    for k, b, y, feats, vec in data:
        hit = learned["entries"].get(k)
        if hit is not None:
            hit = [hit[0] - y, hit[1] - 1]
        p0 = prior(hit, learned["backoff"].get(b), PRIOR_PARAMS)
        if p0 <= 0:
            continue
        for f in feats:
            if f in index:
                rows.append(n)
                cols.append(index[f])
        ys.append(y)
        offs.append(_logit(p0))
        vecs.append(vec)
        n += 1
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(names)))
    y_arr, off = np.array(ys, dtype=float), np.array(offs)
    dense = np.array(vecs, dtype=float)  # every analysis of train carries tok2vec vectors
    mu, sd = dense.mean(axis=0), dense.std(axis=0) + 1e-6
    dense = (dense - mu) / sd
    ns = len(names)

    def loss(theta: Any) -> tuple[float, Any]:
        w, u, scale, bias = theta[:ns], theta[ns:-2], theta[-2], theta[-1]
        nll, g = _log_loss(x @ w + dense @ u + scale * off + bias, y_arr)
        nll += l2 * np.sum(w * w) / 2 + DENSE_L2 * np.sum(u * u) / 2
        grad = np.concatenate([x.T @ g + l2 * w, dense.T @ g + DENSE_L2 * u, [g @ off, g.sum()]])
        return float(nll), grad

    theta0 = np.zeros(ns + dense.shape[1] + 2)
    theta0[-2] = 1.0
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    w = res.x
    weights = {f: round(float(v), 3) for f, v in zip(names, w[:ns], strict=True) if abs(v) >= MIN_WEIGHT}
    u = w[ns:-2] / sd  # weights on the raw vectors
    return {
        "scale": round(float(w[-2]), 4),
        "bias": round(float(w[-1]), 4),
        "weights": weights,
        "dense": {
            "_doc": "weights on dense_features (tok2vec vectors of cue, previous, next token and content head)",
            "bias": round(float(-(mu @ u)), 4),
            "weights": [round(float(v), 4) for v in u],
        },
        "instances": n,
    }


def cue_extensions(analysis: Any, article: dict[str, Any], counts: dict[str, list[int]]) -> None:
    """Count, per right-hand child kind of a gold cue's head (``dep|word`` and ``dep``), how often the
    gold cue span takes it in (*said in a statement*, *pointed out*, *paid attention*) or leaves it out
    (*said Monday*, *told reporters*). Children inside the content or the source are not counted."""
    doc = analysis.doc
    for a in article["attributions"]:
        cue, content, source = a.get("cue"), a.get("content"), a.get("source")
        if not cue or not content:
            continue
        span = doc.char_span(cue["start"], cue["end"], alignment_mode="expand")
        if span is None or not len(span) or span.root.is_punct:
            continue
        head = span.root
        for child in head.rights:
            if child.is_punct:
                continue
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            if lo < content["end"] and hi > content["start"]:
                continue
            if source and lo < source["end"] and hi > source["start"]:
                continue
            inside = int(cue["start"] <= child.idx < cue["end"])
            for key in extension_keys(child):
                c = counts.setdefault(key, [0, 0])
                c[0] += inside
                c[1] += 1


def sourceless_counts(analysis: Any, article: dict[str, Any], counts: dict[str, list[int]]) -> None:
    """Count, per cue head ``lemma|tag`` and ``lemma``, how often PolNeAR gives the attribution no source
    (*X seems to …*, *is expected to*, *Asked about …*)."""
    doc = analysis.doc
    for a in article["attributions"]:
        cue = a.get("cue")
        if not cue or not a.get("content"):
            continue
        span = doc.char_span(cue["start"], cue["end"], alignment_mode="expand")
        if span is None or not len(span):
            continue
        for key in sourceless_keys(span.root):
            c = counts.setdefault(key, [0, 0])
            c[0] += a.get("source") is None
            c[1] += 1


def spans_table(counts: dict[str, list[int]]) -> dict[str, list[int]]:
    return {k: counts[k] for k in sorted(counts) if counts[k][1] >= MIN_EXTENSION_COUNT}


def content_end_rows(analysis: Any, article: dict[str, Any], cues: dict[str, Any]) -> list[tuple[list[str], int]]:
    """Training rows for the content-end model (``extractor.proposals.content_ends``): for each content the
    cue table chooses in the article whose sentence goes on after it, the features of the rest of the
    sentence and whether running on to its end matches a gold content. Only contents where exactly one of
    the two ends matches (token Dice >= ``MATCH``) are rows: elsewhere the end does not matter."""
    text = analysis.text
    gold = [(a["content"]["start"], a["content"]["end"]) for a in article["attributions"] if a.get("content")]
    rows = []
    for _, tok, frame, rng in chosen_contents(analysis, cues)[0]:
        rest = sentence_rest(analysis.doc, tok, frame, rng)
        if rest is None:
            continue
        end, feats = rest
        here = any(_dice(text, rng, g) >= MATCH for g in gold)
        run_on = any(_dice(text, (rng[0], end), g) >= MATCH for g in gold)
        if here != run_on:
            rows.append((feats, int(run_on)))
    return rows


def trim_rows(
    analysis: Any, article: dict[str, Any], cues: dict[str, Any], ends: dict[str, Any]
) -> list[tuple[list[str], int]]:
    """Training rows for the trim model: for each cut a chosen content (run on by ``ends`` where it says so)
    offers before a trailing modifier, its features and whether the cut content matches a gold content,
    where exactly one of the cut and the whole does."""
    text = analysis.text
    gold = [(a["content"]["start"], a["content"]["end"]) for a in article["attributions"] if a.get("content")]
    kept = chosen_contents(analysis, cues)[0]
    rows = []
    for (_, _, _, edge), (_, tok, frame, rng) in zip(kept, _run_on(kept, analysis, ends), strict=True):
        whole = any(_dice(text, rng, g) >= MATCH for g in gold)
        for cut, feats in trailing_cut_ranges(analysis, tok, frame, rng, rng != edge):
            if cut[1] <= cut[0]:
                continue
            if any(_dice(text, cut, g) >= MATCH for g in gold) != whole:
                rows.append((feats, int(not whole)))
    return rows


def fit_ends(rows: list[tuple[list[str], int]], l2: float = ENDS_L2) -> dict[str, Any]:
    """Logistic regression (ridge ``l2``) over the content-end rows: the shipped content-end model."""
    import numpy as np
    from scipy import sparse
    from scipy.optimize import minimize

    names = sorted({f for feats, _ in rows for f in feats})
    index = {f: i for i, f in enumerate(names)}
    cells = [(r, index[f]) for r, (feats, _) in enumerate(rows) for f in feats]
    x = sparse.csr_matrix(
        (np.ones(len(cells)), ([r for r, _ in cells], [c for _, c in cells])), shape=(len(rows), len(names))
    )
    y = np.array([label for _, label in rows], dtype=float)

    def loss(theta: Any) -> tuple[float, Any]:
        w, bias = theta[:-1], theta[-1]
        nll, g = _log_loss(x @ w + bias, y)
        return float(nll + l2 * np.sum(w * w) / 2), np.concatenate([x.T @ g + l2 * w, [g.sum()]])

    res = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    weights = {f: round(float(v), 3) for f, v in zip(names, res.x[:-1], strict=True) if abs(v) >= MIN_WEIGHT}
    return {"bias": round(float(res.x[-1]), 4), "cut": ENDS_CUT, "weights": weights, "rows": len(rows)}


def learn_ends(pairs: Iterable[tuple[Any, dict[str, Any]]], cues: dict[str, Any]) -> dict[str, Any]:
    """The content-end model learned over (analysis, gold article) pairs with the cue table ``cues``, with its
    trim model under ``trim``."""
    pairs = list(pairs)
    ends = fit_ends([row for analysis, article in pairs for row in content_end_rows(analysis, article, cues)])
    ends["trim"] = fit_ends([row for analysis, article in pairs for row in trim_rows(analysis, article, cues, ends)])
    return ends


def learn(data: list[Instance]) -> dict[str, Any]:
    """The learned part of the cue table from training instances: lemma|frame entries (nested by frame),
    back-off rates and the context model."""
    learned = table(*count(data))
    learned["context"] = fit_context(with_nesting(data, learned), learned)
    learned["entries"] = nest(learned["entries"])
    return learned


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(DEFAULT_INPUT))
    ap.add_argument("--output", default=str(OUTPUT))
    ap.add_argument("--spans-output", default=str(SPANS_OUTPUT))
    ap.add_argument("--ends-output", default=str(ENDS_OUTPUT))
    args = ap.parse_args(argv)
    from extractor.analysis import analyse

    path = Path(args.input)
    raw, articles = read_articles(path)
    ext: dict[str, list[int]] = {}
    sourceless: dict[str, list[int]] = {}

    def analysed() -> Iterable[tuple[Any, dict[str, Any]]]:
        for a in articles:
            analysis = analyse(a["text"])
            cue_extensions(analysis, a, ext)
            sourceless_counts(analysis, a, sourceless)
            yield analysis, a

    pairs = list(analysed())
    data = instances(pairs)
    learned = learn(data)
    out = {
        **provenance("scripts/build_cue_lexicon.py", path, raw),
        "articles": len(articles),
        "match": MATCH,
        "min_count": MIN_COUNT,
        "threshold": THRESHOLD,
        "backoff_weight": BACKOFF_WEIGHT,
        **learned,
    }
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n")
    spans = {
        **provenance("scripts/build_cue_lexicon.py", path, raw),
        "_doc": "right-hand children of a cue head: [times inside the gold cue span, times seen] by dep|word, dep",
        "extend": spans_table(ext),
        "sourceless": spans_table(sourceless),
    }
    Path(args.spans_output).write_text(json.dumps(spans, ensure_ascii=False, separators=(",", ":")) + "\n")
    ends = {
        **provenance("scripts/build_cue_lexicon.py", path, raw),
        "_doc": "run a chosen content on to the end of its sentence when this logistic model says so "
        "(extractor.proposals.content_ends; features of the rest of the sentence); end it before a trailing "
        "constituent when the trim model says so (features of the cut)",
        **learn_ends(pairs, out),
    }
    Path(args.ends_output).write_text(json.dumps(ends, ensure_ascii=False, separators=(",", ":")) + "\n")
    n = sum(len(v) for v in learned["entries"].values())
    print(
        f"{n} lemma|frame entries, {len(learned['backoff'])} back-off rates, "
        f"{len(learned['context']['weights'])} context weights → {args.output}; "
        f"content-end model over {ends['rows']} rows, trim model over {ends['trim']['rows']} → {args.ends_output}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
