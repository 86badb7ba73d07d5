"""The eval runner and reports with the rule baseline (no model): record shape, HTML, compare, CLI gate."""

import json

from typer.testing import CliRunner

from evals import datasets
from evals.compare import compare
from evals.report import write_html
from evals.runner import RunOptions, load_record, run
from extractor import Settings
from extractor.cli import app


def test_run_record_has_the_documented_shape(tmp_path):
    record, path = run(Settings.resolve(backend="baseline"), RunOptions("project", progress=False, out_dir=tmp_path))
    assert json.loads(path.read_text())["schema"] == "extractor.eval.run/1"
    s = record["summary"]
    assert set(s) >= {"layers", "articles", "errors", "calls", "tokens", "seconds"}
    for layer in ("attributions", "figures", "claims"):
        for metric in ("precision", "recall", "f1", "macro_f1", "partial_f1"):
            assert set(s["layers"][layer][metric]) >= {"value", "ci"}
        assert "fields" in s["layers"][layer] and "counts" in s["layers"][layer]
    assert load_record(str(path))["id"] == record["id"]


def test_html_report_is_self_contained_and_marks_misses(tmp_path):
    record, path = run(Settings.resolve(backend="baseline"), RunOptions("project", progress=False, out_dir=tmp_path))
    html = write_html(record, datasets.load("project"), path.with_suffix(".html")).read_text()
    assert "http://" not in html and "https://" not in html and "<script" not in html and "<link" not in html
    assert 'class="g-att' in html and "p-fig" in html and "miss" in html
    assert "project/kerman" in html


def test_compare_a_run_with_itself_shows_no_change(tmp_path):
    record, _ = run(Settings.resolve(backend="baseline"), RunOptions("project", progress=False, out_dir=tmp_path))
    result = compare(record, record)
    assert result["worse"] == []
    assert all(d["f1"]["delta"] == 0 for d in result["layers"].values())


def test_cli_gate_fails_below_threshold(tmp_path):
    runner = CliRunner()
    base = ["eval", "run", "--dataset", "project", "--backend", "baseline", "--out", str(tmp_path)]
    ok = runner.invoke(app, [*base, "--fail-under", "figures.f1=0.5"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, [*base, "--fail-under", "attributions.f1=0.99"])
    assert bad.exit_code == 1 and "gate failed" in bad.output
