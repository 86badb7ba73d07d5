import json
import shutil
from pathlib import Path

import pytest

from extractor import prompts
from extractor.analysis import analyse
from extractor.errors import PromptError, PromptLockError, PromptNotFoundError
from extractor.proposals.attributions import propose_attributions
from extractor.questions import build

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = Path(__file__).parents[1] / "examples" / "harbour-strike.txt"


def test_every_released_prompt_matches_the_lock():
    assert prompts.lock_problems() == []


@pytest.mark.parametrize("ref", sorted(prompts.read_lock()))
def test_released_prompts_load_and_name_their_hash(ref):
    p = prompts.load_prompt(ref)
    assert p.ref == ref
    assert p.sha256 == prompts.read_lock()[ref]


def test_latest_and_bare_name_resolve_to_highest_version():
    latest = prompts.versions("guided")[-1]
    assert prompts.load_prompt("guided@latest").spec.version == latest
    assert prompts.load_prompt("guided").spec.version == latest


def test_unknown_prompt_and_version_are_clear_errors():
    with pytest.raises(PromptNotFoundError, match="no prompt named"):
        prompts.load_prompt("nope@v1")
    with pytest.raises(PromptNotFoundError, match="no version"):
        prompts.load_prompt("guided@v999")


@pytest.fixture
def prompt_copy(tmp_path):
    root = tmp_path / "prompts"
    shutil.copytree(prompts.prompts_dir(), root)
    return root


def test_editing_a_released_prompt_fails_the_lock(prompt_copy):
    path = prompt_copy / "guided" / "v1.yaml"
    path.write_text(path.read_text().replace("choose answers", "pick answers"))
    with pytest.raises(PromptLockError, match="immutable"):
        prompts.load_prompt("guided@v1", prompt_copy)
    assert any("changed after release" in p for p in prompts.lock_problems(prompt_copy))


def test_a_new_version_is_a_draft_until_locked(prompt_copy):
    src = (prompt_copy / "guided" / "v1.yaml").read_text()
    (prompt_copy / "guided" / "v99.yaml").write_text(src.replace("version: v1", "version: v99"))
    assert any("guided@v99 is not in" in p for p in prompts.lock_problems(prompt_copy))
    assert prompts.lock_new_versions(prompt_copy) == ["guided@v99"]
    assert prompts.lock_problems(prompt_copy) == []
    assert "v99" in prompts.diff("guided@v1", "guided@v99", prompt_copy)


def test_unknown_keys_and_wrong_path_are_rejected(prompt_copy):
    path = prompt_copy / "guided" / "v1.yaml"
    path.write_text(path.read_text() + "\nsurprise: 1\n")
    with pytest.raises(PromptError, match="not a valid prompt file"):
        prompts.load_prompt("guided@v1", prompt_copy, check_lock=False)


def test_missing_template_variable_is_an_error():
    with pytest.raises(PromptError, match="variable"):
        prompts.load_prompt("extract@v1").render()


def _rendered(ref: str) -> list[dict[str, str]]:
    p = prompts.load_prompt(ref)
    text = EXAMPLE.read_text()
    if p.spec.strategy == "full":
        return p.render(article=text)
    analysis = analyse(text)
    attributions, speakers = propose_attributions(analysis)
    questions = build(analysis, attributions, speakers, [], [])
    return p.render(**questions.speaker[0].variables())


@pytest.mark.parametrize("ref", sorted(prompts.read_lock()))
def test_rendered_messages_match_golden_file(ref):
    """Drift in a prompt or its rendering shows up as a diff of tests/golden/<ref>.json."""
    golden = GOLDEN / f"{ref}.json"
    rendered = _rendered(ref)
    if not golden.exists():
        pytest.fail(f"no golden file for {ref}: run `python -m tests.make_golden` and review it")
    assert rendered == json.loads(golden.read_text())
