"""Write the first names the 1990 US Census gives mostly to one sex (``extractor/data/census_first_names.json``).

The speaker resolver reads a person's gender from the article first (an honorific, a gendered title
such as *widow* or *spokeswoman*, the pronouns after the name) and from the first name next, so that
*she said* is not resolved to a man named just before. The names learned from PolNeAR train
(``scripts/build_name_genders.py``) cover 64 first names only; this list covers the common ones.

Source: the Census Bureau's 1990 frequency lists of male and female first names (public domain),
as shipped in the ``names`` package's source archive on PyPI (``names==0.3.0``, MIT; its sha256 is
checked). A name is kept when at least ``MIN_SHARE`` of its combined frequency is one sex's (*Chris*,
*Terry*, *Jordan* are not kept).

Deterministic: same archive, same output. Usage (downloads the archive from PyPI when not given):

    .venv/bin/python scripts/build_census_names.py [--sdist names-0.3.0.tar.gz]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from pypi_archive import download, read_members  # noqa: E402

OUTPUT = ROOT / "extractor" / "data" / "census_first_names.json"
PACKAGE = "names==0.3.0"
SDIST = "names-0.3.0.tar.gz"
SDIST_SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
LISTS = {"m": "names-0.3.0/names/dist.male.first", "f": "names-0.3.0/names/dist.female.first"}
MIN_SHARE = 0.9


def frequencies(sdist: Path) -> dict[str, dict[str, float]]:
    """Per sex, first name (lower case) → percent of the 1990 population with it, read from the archive."""
    files = read_members(sdist, SDIST_SHA256, LISTS.values())
    out: dict[str, dict[str, float]] = {}
    for sex, member in LISTS.items():
        rows = (line.split() for line in files[member].decode("ascii").splitlines() if line.strip())
        out[sex] = {row[0].lower(): float(row[1]) for row in rows}
    return out


def table(freq: dict[str, dict[str, float]]) -> dict[str, list[str]]:
    """Per sex, the sorted first names with at least ``MIN_SHARE`` of their frequency that sex's."""
    out: dict[str, list[str]] = {"f": [], "m": []}
    for name in sorted(set(freq["m"]) | set(freq["f"])):
        m, f = freq["m"].get(name, 0.0), freq["f"].get(name, 0.0)
        for sex, share in (("m", m), ("f", f)):
            if share / (m + f) >= MIN_SHARE:
                out[sex].append(name)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sdist", help=f"{SDIST} already downloaded (default: fetch it with pip)")
    ap.add_argument("--output", default=str(OUTPUT))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sdist = Path(args.sdist) if args.sdist else download(PACKAGE, SDIST, Path(tmp))
        names = table(frequencies(sdist))
    out = {
        "built_by": "scripts/build_census_names.py",
        "source": f"{SDIST} (PyPI): the 1990 US Census first-name frequency lists, public domain",
        "source_sha256": SDIST_SHA256,
        "min_share": MIN_SHARE,
        **names,
    }
    Path(args.output).write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(names['f'])} she, {len(names['m'])} he → {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
