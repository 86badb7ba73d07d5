"""Fast check of the attribution proposer alone against a gold set (default polnear-dev).

Runs analysis + ``propose_attributions`` on each article, keeps option 0 of each proposal, scores
with the harness (``evals.scoring.score_article``, default criteria) and prints content P/R/F1,
cue F1 and source F1 (a predicted attribution counts for a role only when its content matched
and that role's span matches too; no source on both sides counts) and speaker accuracy (when
the gold names speakers; PolNeAR does not, so a proxy is printed: the chosen speaker's name shares
a word with the gold source span, over matched items whose gold source is headed by a proper name), and
how many *he* / *she* sources went to a person whose first name the 1990 census lists give the other sex.
With ``--pronoun-gold`` (default for polnear-dev: ``evals/datasets/polnear-dev-pronoun-speakers.jsonl``, 100
*he* / *she* gold sources whose speaker we read off the article by hand) it also prints how many of those
pronouns the proposer resolves to the right person: right when the label's last word is a word of the
chosen speaker's name (*Obama* / *Barack Obama*); a pronoun no proposal takes as its source counts as missed.

    .venv/bin/python scripts/measure_attributions.py [--dataset polnear-dev] [--limit N] [--threshold T]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.datasets import GoldArticle, load  # noqa: E402
from evals.scoring import f1, score_article  # noqa: E402
from extractor.analysis import Analysis, analyse  # noqa: E402
from extractor.proposals import AttributionProposal, SpeakerEntity  # noqa: E402
from extractor.proposals.attributions import propose_attributions  # noqa: E402
from extractor.proposals.genders import PRONOUN_GENDER, census_genders, first_name_gender  # noqa: E402
from extractor.schema import ArticleExtraction, Attribution, Meta, Span  # noqa: E402


def _span(text: str, loc: object | None) -> Span | None:
    if loc is None:
        return None
    start, end = loc.start, loc.end  # type: ignore[attr-defined]
    return Span(start=start, end=end, text=text[start:end], match="code")


def to_extraction(
    text: str, proposals: list[AttributionProposal], entities: list[SpeakerEntity], article_id: str | None = None
) -> ArticleExtraction:
    names = {e.id: e for e in entities}
    out = []
    for p in proposals:
        opt = p.options[0] if p.options else None
        ent = names.get(opt.speaker_id) if opt and opt.speaker_id else None
        out.append(
            Attribution(
                content=_span(text, p.content),  # type: ignore[arg-type]
                source=_span(text, opt.mention if opt else None),
                cue=_span(text, p.cue),
                speaker=ent.name if ent else None,
                speaker_role=ent.role if ent else None,
                kind=p.kind,
            )
        )
    meta = Meta(
        prompt="none", prompt_version="0", prompt_sha256="", strategy="proposals", backend="rules",
        model="none", library_version="dev",
    )  # fmt: skip
    return ArticleExtraction(
        id=article_id,
        text=text,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        attributions=out,
        meta=meta,
    )


def speaker_proxy(analysis: Analysis, pred: ArticleExtraction, gold: GoldArticle, pairs: list) -> tuple[int, int]:
    """(right, total): matched items whose gold source is headed by a proper noun (it names the speaker:
    *Clinton spokesman Nick Merrill*, not *the South Carolina senator*, whose place is no speaker); right
    when the predicted speaker name shares a capitalised word with the gold source (hyphenated names
    compared by their parts: *Mr. Holtz-Eakin* / *Douglas Holtz-Eakin*)."""
    right = total = 0
    for i, j, _ in pairs:
        g = [a for a in gold.attributions if a.content is not None][j]
        if g.source is None:
            continue
        span = analysis.doc.char_span(g.source.start, g.source.end, alignment_mode="expand")
        if span is None or span.root.pos_ != "PROPN":
            continue
        total += 1
        name = pred.attributions[i].speaker or ""
        gold_words = {t.text for t in span if t.pos_ == "PROPN"}
        right += bool(gold_words & set(re.split(r"[\s-]+", name)))
    return right, total


PRONOUN_GOLD = {"polnear-dev": ROOT / "evals" / "datasets" / "polnear-dev-pronoun-speakers.jsonl"}


def read_pronoun_gold(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Article id → (start, end) of a pronoun source → the speaker's name, from a hand-labelled JSONL file."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.setdefault(row["id"], {})[(row["start"], row["end"])] = row["speaker"]
    return out


def pronoun_speakers(
    proposals: list[AttributionProposal], entities: list[SpeakerEntity], labels: dict[tuple[int, int], str]
) -> tuple[int, int]:
    """(right, found) over the labelled pronoun sources of one article that some proposal takes as its source."""
    names = {e.id: e.name for e in entities}
    chosen = {
        (o.mention.start, o.mention.end): names.get(o.speaker_id or "", "")
        for p in proposals
        if p.options and (o := p.options[0]).mention is not None
    }
    right = found = 0
    for span, speaker in labels.items():
        if span in chosen:
            found += 1
            right += speaker.split()[-1].lower() in re.split(r"[\s-]+", chosen[span].lower())
    return right, found


def pronoun_clashes(text: str, proposals: list[AttributionProposal], entities: list[SpeakerEntity]) -> tuple[int, int]:
    """(clashes, resolved): *he* / *she* sources resolved to a person, and how many of those persons have a
    first name the census lists give the other sex: a sure error, gold or not. (The census alone judges, not the
    runtime table, which the names learned from train and the exclusions also shape.)"""
    people = {e.id: e for e in entities if e.kind == "person"}
    clash = resolved = 0
    for p in proposals:
        opt = p.options[0] if p.options else None
        if opt is None or opt.mention is None or opt.speaker_id not in people:
            continue
        pronoun = PRONOUN_GENDER.get(text[opt.mention.start : opt.mention.end].lower())
        if pronoun is None:
            continue
        resolved += 1
        clash += first_name_gender(people[opt.speaker_id].name, census_genders()) not in (None, pronoun)
    return clash, resolved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default="polnear-dev")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--pronoun-gold", type=Path, default=None, help="hand-labelled pronoun speakers (JSONL)")
    args = ap.parse_args(argv)
    golds = load(args.dataset, args.limit)
    gold_path = args.pronoun_gold or PRONOUN_GOLD.get(args.dataset)
    pronoun_gold = read_pronoun_gold(gold_path) if gold_path else {}
    pronouns = [0, 0]
    tp = pred = gold = 0
    fields = {"source": [0, 0], "cue": [0, 0], "speaker": [0, 0]}
    proxy = [0, 0]
    clashes = [0, 0]
    words = 0
    t0 = time.perf_counter()
    for g in golds:
        analysis = analyse(g.text)
        proposals, entities = propose_attributions(analysis, threshold=args.threshold)
        extraction = to_extraction(g.text, proposals, entities, g.id)
        s = score_article(extraction, g)["attributions"]
        tp, pred, gold = tp + s.tp, pred + s.pred, gold + s.gold
        for name in fields:
            r, n = s.fields.get(name, [0, 0])
            fields[name][0] += r
            fields[name][1] += n
        r, n = speaker_proxy(analysis, extraction, g, s.pairs)
        proxy[0] += r
        proxy[1] += n
        r, n = pronoun_speakers(proposals, entities, pronoun_gold.get(g.id, {}))
        pronouns[0] += r
        pronouns[1] += n
        c, n = pronoun_clashes(g.text, proposals, entities)
        clashes[0] += c
        clashes[1] += n
        words += len(g.text.split())
    dt = time.perf_counter() - t0
    p, r = tp / pred if pred else 0.0, tp / gold if gold else 0.0
    print(f"{args.dataset}: {len(golds)} articles, {words} words, {dt:.1f} s ({dt / words * 1000:.3f} s/1000 words)")
    print(f"content  P {p:.3f}  R {r:.3f}  F1 {f1(tp, pred, gold):.3f}   (tp {tp}, pred {pred}, gold {gold})")
    for name in ("cue", "source"):
        right = fields[name][0]
        print(f"{name:8} F1 {f1(right, pred, gold):.3f}   (role correct on {right} of {tp} matched)")
    if fields["speaker"][1]:
        print(f"speaker  acc {fields['speaker'][0] / fields['speaker'][1]:.3f} on {fields['speaker'][1]} gold speakers")
    else:
        print("speaker  acc n/a (the gold names no speakers)")
    if proxy[1]:
        print(f"speaker proxy {proxy[0] / proxy[1]:.3f} ({proxy[0]}/{proxy[1]} matched items with a named gold source)")
    print(f"he/she sources resolved to a person of the other sex by first name: {clashes[0]} of {clashes[1]}")
    if pronoun_gold:
        labelled = sum(len(v) for v in pronoun_gold.values())
        print(
            f"pronoun speakers (hand-labelled, {gold_path.name}): {pronouns[0]} right of {labelled} "
            f"({pronouns[1]} taken as a proposal's source, {labelled - pronouns[1]} missed)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
