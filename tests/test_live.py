"""The embedded model end to end (slow): structure and grounding, not exact content."""

import pytest

pytestmark = pytest.mark.live
llama_cpp = pytest.importorskip("llama_cpp")


@pytest.fixture(scope="module")
def local_extractor():
    from extractor import Extractor, Settings

    # every decision the model can make, so that these tests exercise it (the default makes none)
    with Extractor(Settings.resolve(backend="local", model_decisions="speaker,counts,main_claim")) as ex:
        yield ex


def test_reference_article_through_the_embedded_model(local_extractor, kerman):
    result = local_extractor.extract(kerman, article_id="kerman")
    assert result.meta.backend == "local" and result.meta.strategy == "guided"
    assert result.meta.usage.calls > 0 and result.meta.usage.completion_tokens > 0
    assert result.attributions and result.figures and result.claims
    for span in result.spans():
        assert kerman[span.start : span.end] == span.text
    values = {f.value for f in result.figures}
    assert {284.0, 100.0} <= values
    option_names = {a.speaker for a in result.attributions if a.speaker}
    assert option_names, "the model chose no speaker at all"
    for name in option_names:
        assert name.split()[-1] in kerman, f"speaker {name!r} is not a name from the article"


def test_the_default_local_path_asks_the_model_nothing_and_never_loads_it(kerman):
    """The ablation kept no model decision: the default path is the rules, under the local backend's name."""
    from extractor import Extractor, Settings

    with Extractor(Settings.resolve(backend="local")) as ex:
        result = ex.extract(kerman)
        assert ex.backend is not None and ex.backend._llm is None
    assert result.meta.backend == "local" and result.meta.decisions == "" and result.meta.usage.calls == 0
    assert result.attributions and result.figures and sum(c.main for c in result.claims) == 1


def test_cli_extract_prints_grounded_items(kerman, tmp_path):
    from typer.testing import CliRunner

    from extractor.cli import app

    path = tmp_path / "kerman.txt"
    path.write_text(kerman)
    result = CliRunner().invoke(app, ["extract", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output.strip().splitlines()[-1])
    assert data["meta"]["backend"] == "local"
    for fig in data["figures"]:
        assert kerman[fig["span"]["start"] : fig["span"]["end"]] == fig["span"]["text"]


def test_options_with_quotes_and_backslashes_reach_the_model_safely(local_extractor):
    """llama.cpp's schema-to-grammar conversion crashes on an escaped quote inside an option."""
    from extractor.choosers import ModelChooser, Question

    chooser = ModelChooser(local_extractor.prompt, local_extractor.backend, frozenset({"main_claim"}))
    question = Question(
        kind="main_claim",
        options=('"We will not go back," the union said.', 'The port\\dock "closed" early.\nIt reopened.'),
        sentence='"We will not go back," the union said.',
    )
    answer = chooser.choose(question)
    assert answer.index in (0, 1) and answer.error is None
