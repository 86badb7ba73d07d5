"""Prompt files → validated spec → rendered messages. Released versions are immutable.

A prompt lives in ``prompts/<name>/<version>.yaml``. ``prompts/prompts.lock`` maps every
released ``name@version`` to the SHA-256 of its file; a released file that changes is an error.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractor.errors import PromptError, PromptLockError, PromptNotFoundError
from extractor.sampling import Sampling

__all__ = ["Prompt", "PromptSpec", "Sampling", "load_prompt"]

LOCK_NAME = "prompts.lock"
_VERSION = re.compile(r"^v(\d+)$")


class PromptSpec(BaseModel):
    """One prompt version as written in its file; unknown keys are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    description: str
    changelog: str
    strategy: Literal["full", "guided"]
    sampling: Sampling = Field(default_factory=Sampling)
    max_retries: int = Field(2, ge=0, le=10, description="validation re-asks after the first attempt")
    system: str
    user: str
    examples: list[dict[str, Any]] = Field(default_factory=list)
    questions: list[Literal["speaker", "counts", "main_claim"]] = Field(
        default_factory=lambda: ["speaker", "counts"],
        description="guided prompts: the decisions its template can ask (guided@v1/v2 predate main_claim)",
    )


class Prompt(BaseModel):
    """A loaded prompt: its spec, the file it came from and that file's SHA-256."""

    model_config = ConfigDict(frozen=True)

    spec: PromptSpec
    path: Path
    sha256: str
    source: str

    @property
    def ref(self) -> str:
        return f"{self.spec.name}@{self.spec.version}"

    @cached_property
    def _env(self) -> jinja2.Environment:
        return jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """System and user messages for these variables; a missing variable is a ``PromptError``."""
        variables.setdefault("examples", self.spec.examples)
        try:
            system = self._env.from_string(self.spec.system).render(**variables).strip()
            user = self._env.from_string(self.spec.user).render(**variables).strip()
        except jinja2.UndefinedError as e:
            raise PromptError(f"{self.ref}: template needs a variable that was not given: {e}", original=e) from e
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def prompts_dir() -> Path:
    """``EXTRACTOR_PROMPTS_DIR``, else the prompts shipped in the wheel, else the repo's ``prompts/``."""
    env = os.environ.get("EXTRACTOR_PROMPTS_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    shipped = here / "_prompts"
    return shipped if shipped.is_dir() else here.parent / "prompts"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def versions(name: str, root: Path | None = None) -> list[str]:
    """Released and draft versions of a prompt, oldest first."""
    folder = (root or prompts_dir()) / name
    found = [p.stem for p in folder.glob("v*.yaml") if _VERSION.match(p.stem)]
    return sorted(found, key=lambda v: int(v[1:]))


def names(root: Path | None = None) -> list[str]:
    root = root or prompts_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and versions(p.name, root))


def load_prompt(ref: str, root: Path | None = None, *, check_lock: bool = True) -> Prompt:
    """Load ``name@vN``, ``name@latest`` or ``name`` (latest), verifying it against the lock."""
    root = root or prompts_dir()
    name, _, version = ref.partition("@")
    available = versions(name, root)
    if not available:
        raise PromptNotFoundError(f"no prompt named {name!r} in {root} (have: {', '.join(names(root)) or 'none'})")
    if version in ("", "latest"):
        version = available[-1]
    if version not in available:
        raise PromptNotFoundError(f"{name} has no version {version!r} (have: {', '.join(available)})")
    path = root / name / f"{version}.yaml"
    source = path.read_text(encoding="utf-8")
    try:
        spec = PromptSpec.model_validate(yaml.safe_load(source))
    except (yaml.YAMLError, ValidationError) as e:
        raise PromptError(f"{path} is not a valid prompt file: {e}", original=e) from e
    if (spec.name, spec.version) != (name, version):
        raise PromptError(f"{path} declares {spec.name}@{spec.version}; it must match its path {name}@{version}")
    prompt = Prompt(spec=spec, path=path, sha256=sha256_file(path), source=source)
    if check_lock:
        locked = read_lock(root).get(prompt.ref)
        if locked is not None and locked != prompt.sha256:
            raise PromptLockError(
                f"{prompt.ref} was released with sha256 {locked[:12]}… but {path} now hashes to "
                f"{prompt.sha256[:12]}…: released prompts are immutable; restore the file and write the "
                f"change as {name}/v{int(version[1:]) + 1}.yaml"
            )
    return prompt


def read_lock(root: Path | None = None) -> dict[str, str]:
    path = (root or prompts_dir()) / LOCK_NAME
    return json.loads(path.read_text()) if path.exists() else {}


def lock_new_versions(root: Path | None = None) -> list[str]:
    """Release every prompt version not yet in the lock; returns the refs added."""
    root = root or prompts_dir()
    lock = read_lock(root)
    added = []
    for name in names(root):
        for version in versions(name, root):
            ref = f"{name}@{version}"
            if ref not in lock:
                lock[ref] = sha256_file(root / name / f"{version}.yaml")
                added.append(ref)
    (root / LOCK_NAME).write_text(json.dumps(dict(sorted(lock.items())), indent=2) + "\n")
    return added


def lock_problems(root: Path | None = None) -> list[str]:
    """Every way the prompt files disagree with the lock (changed, missing, or unreleased)."""
    root = root or prompts_dir()
    lock = read_lock(root)
    problems = []
    for ref, digest in lock.items():
        name, _, version = ref.partition("@")
        path = root / name / f"{version}.yaml"
        if not path.exists():
            problems.append(f"{ref} is released but {path} is missing")
        elif sha256_file(path) != digest:
            problems.append(f"{ref} changed after release (file {path})")
    for name in names(root):
        for version in versions(name, root):
            if f"{name}@{version}" not in lock:
                problems.append(f"{name}@{version} is not in {LOCK_NAME}: run `extractor prompts lock` to release it")
    return problems


def diff(a: str, b: str, root: Path | None = None) -> str:
    """Unified diff between two prompt versions' files."""
    pa, pb = load_prompt(a, root, check_lock=False), load_prompt(b, root, check_lock=False)
    lines = difflib.unified_diff(
        pa.source.splitlines(keepends=True), pb.source.splitlines(keepends=True), fromfile=pa.ref, tofile=pb.ref
    )
    return "".join(lines)
