"""Learn which first names the news writes as *he* and which as *she* (``extractor/data/name_genders.json``).

In every training article, a person named in full as a clause's subject and followed in the sentence
by a personal pronoun (*Maria Lopez said she …*) gives one vote for the first name's gender. A first
name is kept when it has at least ``MIN_VOTES`` votes and ``MIN_SHARE`` of them agree (the pronoun is
not always the subject's: the share allows for that). At run time the table fills in the gender of a
person the article itself never marks, so a *he* is not resolved to a woman named just before
(``extractor/proposals/speakers.py``).

Deterministic: same input file, same output. Usage:

    .venv/bin/python scripts/build_name_genders.py [../shared/datasets/polnear-train.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from training_data import provenance, read_articles  # noqa: E402

from extractor.proposals.genders import PRONOUN_WINDOW, pronoun_gender_in  # noqa: E402

DEFAULT_INPUT = ROOT.parent / "shared" / "datasets" / "polnear-train.jsonl"
OUTPUT = ROOT / "extractor" / "data" / "name_genders.json"
MIN_VOTES = 2
MIN_SHARE = 0.8


def first_name_votes(doc: Any, votes: dict[str, Counter[str]]) -> None:
    """One vote per full-name mention (*Maria Lopez*) that is a clause subject followed, in its sentence,
    by a personal pronoun (*Maria Lopez said she …*): the pronoun's gender for the first name."""
    for ent in doc.ents:
        first = ent[0]
        if ent.label_ != "PERSON" or len(ent) < 2 or not first.is_alpha or not first.is_title:
            continue
        if ent.root.dep_ not in ("nsubj", "nsubjpass"):
            continue
        gender = pronoun_gender_in(doc, ent.end, ent.end + PRONOUN_WINDOW)
        if gender:
            votes.setdefault(first.lower_, Counter())[gender] += 1


def table(votes: dict[str, Counter[str]]) -> dict[str, str]:
    out = {}
    for name in sorted(votes):
        c = votes[name]
        gender, n = c.most_common(1)[0]
        total = sum(c.values())
        if total >= MIN_VOTES and n / total >= MIN_SHARE and c["m"] != c["f"]:
            out[name] = gender
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(DEFAULT_INPUT))
    ap.add_argument("--output", default=str(OUTPUT))
    args = ap.parse_args(argv)
    from extractor.analysis import analyse

    path = Path(args.input)
    raw, articles = read_articles(path)
    votes: dict[str, Counter[str]] = {}
    for a in articles:
        first_name_votes(analyse(a["text"]).doc, votes)
    names = table(votes)
    out = {
        **provenance("scripts/build_name_genders.py", path, raw),
        "articles": len(articles),
        "min_votes": MIN_VOTES,
        "min_share": MIN_SHARE,
        "names": names,
    }
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=False) + "\n")
    print(f"{len(names)} first names ({sum(g == 'f' for g in names.values())} she, "
          f"{sum(g == 'm' for g in names.values())} he) → {args.output}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
