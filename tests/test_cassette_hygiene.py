"""Cassettes hold no secrets, and a changed request fails with a re-record instruction."""

import re

import pytest
import yaml

from extractor import Extractor
from tests.cassettes import CASSETTES, describe_change, make_vcr, mismatch_in
from tests.test_cassettes import REASK

SECRET = re.compile(
    r"sk-[A-Za-z0-9_-]{16,}|Bearer\s+[A-Za-z0-9._-]{8,}|(?i:\b(authorization|api-key|x-api-key|cookie|"
    r"openai-organization|openai-project)\b\s*:)|[?&](api_key|key|token)="
)
REASK_CASSETTE = CASSETTES / "test_cassettes" / "test_code_rejects_a_choice_and_the_reask_succeeds.yaml"


def cassette_files():
    return sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes():
    assert len(cassette_files()) >= 5


@pytest.mark.parametrize("path", cassette_files(), ids=lambda p: p.stem)
def test_no_secret_in_any_cassette(path):
    text = path.read_text()
    assert not SECRET.search(text), f"{path} holds something that looks like a secret"
    for interaction in yaml.safe_load(text)["interactions"]:
        names = {h.lower() for h in interaction["request"]["headers"]}
        assert not names & {"authorization", "api-key", "cookie", "openai-organization", "openai-project"}


def test_scrubbing_removes_keys_before_writing(tmp_path):
    from tests.cassettes import SECRET_HEADERS, SECRET_QUERY

    assert {"authorization", "api-key", "cookie", "openai-organization", "openai-project"} <= set(SECRET_HEADERS)
    assert {"api_key", "key"} <= set(SECRET_QUERY)


def test_describe_change_names_what_changed():
    a = {"messages": [{"role": "system", "content": "a"}], "model": "m", "temperature": 0.0, "tools": [1]}
    assert "prompt text changed (messages[0])" in describe_change(a, {**a, "messages": [{"role": "system"}]})
    assert "response schema changed (tools)" in describe_change(a, {**a, "tools": [2]})
    assert "model changed" in describe_change(a, {**a, "model": "n"})
    assert "parameter temperature changed" in describe_change(a, {**a, "temperature": 0.5})
    assert "scripts/record.sh" in describe_change(a, {**a, "model": "n"})


def test_editing_a_prompt_is_a_mismatch_that_says_how_to_rerecord(server_settings):
    with make_vcr().use_cassette(str(REASK_CASSETTE)), Extractor(server_settings(prompt="guided@v1")) as ex:
        spec = ex.chooser.prompt.spec.model_copy(update={"system": ex.chooser.prompt.spec.system + "\nBe brief."})
        ex.chooser.prompt = ex.chooser.prompt.model_copy(update={"spec": spec})
        with pytest.raises(Exception) as info:
            ex.extract(REASK)
    found = mismatch_in(info.value)
    assert found is not None
    assert "prompt text changed" in str(found) and "scripts/record.sh" in str(found)


def test_changing_a_sampling_parameter_is_a_mismatch(server_settings):
    with make_vcr().use_cassette(str(REASK_CASSETTE)), Extractor(server_settings(prompt="guided@v1")) as ex:
        prompt = ex.chooser.prompt
        sampling = prompt.spec.sampling.model_copy(update={"temperature": 0.7})
        ex.chooser.prompt = prompt.model_copy(update={"spec": prompt.spec.model_copy(update={"sampling": sampling})})
        with pytest.raises(Exception) as info:
            ex.extract(REASK)
    assert "parameter temperature changed" in str(mismatch_in(info.value))
