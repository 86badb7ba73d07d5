import json

import pytest

from evals import build_gold, datasets
from evals.runner import gate


def test_project_jsonl_is_built_from_the_yaml():
    assert build_gold.TARGET.read_text() == build_gold.build(), "run `python -m evals.build_gold`"


def test_project_set_covers_every_layer_and_spans_match():
    arts = datasets.load("project")
    assert len(arts) >= 5 and arts[0].id == "project/kerman"
    for a in arts:
        assert set(a.layers) == {"attributions", "figures", "claims"}
        for att in a.attributions:
            assert a.text[att.content.start : att.content.end].strip()


def test_shared_gold_sets_read_as_is():
    for name in ("polnear-dev", "newsquant-dev", "newsclaims-dev"):
        try:
            arts = datasets.load(name, limit=3)
        except datasets.DatasetError:
            pytest.skip("../shared/datasets is not beside the checkout")
        assert len(arts) == 3 and all(a.layers for a in arts)


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(datasets.DatasetError, match="project"):
        datasets.resolve("nope")


def test_bad_row_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "x"}) + "\n")
    with pytest.raises(datasets.DatasetError, match="bad.jsonl:1"):
        datasets.load(str(path))


def test_brat_standoff(tmp_path):
    text = "The mayor said the bridge will reopen."
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "a.ann").write_text(
        "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 37\tthe bridge will reopen\n"
        "R1\tSOURCE Arg1:T2 Arg2:T1\nR2\tCONTENT Arg1:T2 Arg2:T3\n"
    )
    [article] = datasets.load(str(tmp_path))
    [att] = article.attributions
    assert text[att.source.start : att.source.end] == "The mayor"
    assert text[att.cue.start : att.cue.end] == "said"
    assert text[att.content.start : att.content.end] == "the bridge will reopen"


def test_gate_thresholds():
    summary = {"layers": {"attributions": {"f1": {"value": 0.35}, "fields": {"speaker": {"value": 0.9}}}}}
    assert gate(summary, {"attributions.f1": 0.3, "attributions.fields.speaker": 0.5}) == []
    assert gate(summary, {"attributions.f1": 0.4}) == ["attributions.f1 = 0.350 < 0.4"]
    assert "not in this run" in gate(summary, {"claims.f1": 0.1})[0]
