"""The CLI's one error policy, for every command, and the thin commands' output.

Bad input or usage: exactly one line ``error: …`` on stderr, exit 2. Any other failure: one line,
exit 1. Never a traceback unless ``--debug``. No model runs here: ``--backend baseline``, or the
failing piece is replaced.
"""

from __future__ import annotations

import json
from pathlib import Path

import instructor
import pytest
from typer.testing import CliRunner

from extractor.cli import app, main
from extractor.cli.batch import HANDOFF_URL, handoff_target
from extractor.config import Settings, cache_root
from extractor.errors import BackendError, BackendUnavailableError, PromptError

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "harbour-strike.txt"
BATCH = Path(__file__).parent / "data" / "batch"


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def assert_one_error_line(r, code: int) -> str:
    assert r.exit_code == code, f"exit {r.exit_code}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ") and len(lines[0]) > len("error: ")
    assert "Traceback" not in r.output
    return lines[0]


@pytest.fixture
def files(tmp_path):
    """Small inputs, good and bad, written once per test."""
    good = tmp_path / "articles.jsonl"
    good.write_text(json.dumps({"id": "a1", "text": ARTICLE.read_text()}) + "\n")
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text("{not json\n")
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("doc,body\n1,x\n")
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("this is not a batch output\n")
    record = tmp_path / "record.json"
    record.write_text("{broken")
    return {"good": good, "bad_jsonl": bad_jsonl, "bad_csv": bad_csv, "garbage": garbage, "record": record,
            "missing": tmp_path / "missing.jsonl", "out": tmp_path / "out.jsonl", "dir": tmp_path}  # fmt: skip


# ---- bad input or usage: exit 2 ------------------------------------------------------------

BAD_INPUT = {
    "no-command": ["frobnicate"],
    "unknown-option": ["extract", "--bogus", "x"],
    "extract-missing-file": ["extract", "{missing}", "--backend", "baseline"],
    "extract-bad-backend": ["extract", str(ARTICLE), "--backend", "nope"],
    "extract-bad-format": ["extract", str(ARTICLE), "--backend", "baseline", "--format", "xml"],
    "extract-unknown-prompt": ["extract", str(ARTICLE), "--backend", "local", "--prompt", "nope@v1"],
    "extract-missing-argument": ["extract"],
    "batch-run-missing-input": ["batch", "run", "{missing}", "{out}", "--backend", "baseline"],
    "batch-default-missing-input": ["batch", "{missing}", "{out}", "--backend", "baseline"],
    "batch-run-bad-jsonl": ["batch", "run", "{bad_jsonl}", "{out}", "--backend", "baseline"],
    "batch-run-bad-csv": ["batch", "run", "{bad_csv}", "{out}", "--backend", "baseline"],
    "batch-run-bad-concurrency": ["batch", "run", "{good}", "{out}", "--concurrency", "many"],
    "batch-run-output-is-a-folder": ["batch", "run", "{good}", "{dir}", "--backend", "baseline"],
    "batch-export-missing-input": ["batch", "export", "{missing}", "{out}"],
    "batch-export-unknown-prompt": ["batch", "export", "{good}", "{out}", "--prompt", "nope@v1"],
    "batch-import-missing-requests": ["batch", "import", "{good}", "{missing}", "{garbage}", "{out}"],
    "batch-import-not-batch-output": ["batch", "import", "{good}", "{garbage}", "{garbage}", "{out}"],
    "prompts-show-unknown": ["prompts", "show", "nope@v1"],
    "prompts-diff-unknown": ["prompts", "diff", "nope@v1", "guided@v1"],
    "prompts-show-missing-argument": ["prompts", "show"],
    "eval-run-unknown-dataset": ["eval", "run", "--dataset", "no-such-dataset", "--backend", "baseline"],
    "eval-run-bad-threshold": ["eval", "run", "--dataset", "project", "--backend", "baseline", "--fail-under", "f1"],
    "eval-run-threshold-not-a-number": ["eval", "run", "--dataset", "project", "--fail-under", "figures.f1=high"],
    "eval-compare-unknown-run": ["eval", "compare", "no-such-run", "no-such-run"],
    "eval-compare-broken-record": ["eval", "compare", "{record}", "{record}"],
}


@pytest.mark.parametrize("args", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_one_line_on_stderr_and_exit_2(files, args):
    r = invoke(*[a.format(**files) for a in args])
    assert_one_error_line(r, 2)
    assert not files["missing"].exists()


def test_an_empty_article_on_stdin_is_bad_input():
    line = assert_one_error_line(invoke("extract", "-", "--backend", "baseline", input="   \n"), 2)
    assert "empty" in line.lower() or "no text" in line.lower()


def test_usage_error_names_the_help_to_read():
    line = assert_one_error_line(invoke("extract", "--bogus", "x"), 2)
    assert "--bogus" in line and "extract --help" in line


def test_no_arguments_shows_the_help():
    for args in ([], ["batch"], ["prompts"], ["eval"]):
        r = invoke(*args)
        assert r.exit_code == 2 and "Usage" in r.output and "Traceback" not in r.output


# ---- failures: exit 1 ----------------------------------------------------------------------


def _raise(exc: BaseException):
    def fail(*args, **kwargs):
        raise exc

    return fail


def test_a_backend_failure_in_extract_exits_1(monkeypatch):
    from extractor.extract import Extractor

    monkeypatch.setattr(Extractor, "extract", _raise(BackendError("the server is down")))
    line = assert_one_error_line(invoke("extract", str(ARTICLE), "--backend", "baseline"), 1)
    assert line == "error: the server is down"


def test_a_bug_exits_1_with_its_type_and_a_hint(monkeypatch):
    from extractor.extract import Extractor

    monkeypatch.setattr(Extractor, "extract", _raise(RuntimeError("boom\nsecond line")))
    line = assert_one_error_line(invoke("extract", str(ARTICLE), "--backend", "baseline"), 1)
    assert "RuntimeError: boom second line" in line and "--debug" in line


FAILURES = {
    "batch-run": ("extractor.batch.run_batch", ["batch", "run", "{good}", "{out}", "--backend", "baseline"]),
    "batch-default": ("extractor.batch.run_batch", ["batch", "{good}", "{out}", "--backend", "baseline"]),
    "batch-export": ("extractor.batchfile.export_requests", ["batch", "export", "{good}", "{out}"]),
    "batch-import": ("extractor.batchfile.import_results",
                     ["batch", "import", str(BATCH / "articles.jsonl"), str(BATCH / "requests.jsonl"),
                      str(BATCH / "results.jsonl"), "{out}", "--prompt", "guided@v1"]),
    "prompts-list": ("extractor.prompts.load_prompt", ["prompts", "list"]),
    "prompts-show": ("extractor.prompts.load_prompt", ["prompts", "show", "guided@v1"]),
    "prompts-diff": ("extractor.prompts.diff", ["prompts", "diff", "guided@v1", "guided@v2"]),
    "prompts-lock": ("extractor.prompts.lock_new_versions", ["prompts", "lock"]),
    "setup": ("extractor.backends.local.default_model_path", ["setup"]),
    "eval-run": ("evals.runner.run", ["eval", "run", "--dataset", "project", "--backend", "baseline"]),
    "eval-compare": ("evals.runner.load_record", ["eval", "compare", "a", "b"]),
}  # fmt: skip


@pytest.mark.parametrize(("target", "args"), FAILURES.values(), ids=FAILURES.keys())
def test_a_failure_is_one_line_on_stderr_and_exit_1(monkeypatch, files, target, args):
    import importlib

    module, name = target.rsplit(".", 1)
    error = BackendUnavailableError if name == "default_model_path" else PromptError if "prompts" in module else None
    monkeypatch.setattr(importlib.import_module(module), name, _raise((error or BackendError)("it failed")))
    line = assert_one_error_line(invoke(*[a.format(**files) for a in args]), 1)
    assert line == "error: it failed"


def test_prompts_check_exits_1_listing_the_problems(monkeypatch):
    import extractor.prompts

    monkeypatch.setattr(extractor.prompts, "lock_problems", lambda: ["guided@v1 changed since release"])
    r = invoke("prompts", "check")
    assert r.exit_code == 1 and "guided@v1 changed" in r.stderr and "Traceback" not in r.output


def test_eval_gate_failure_exits_1_on_stderr(tmp_path):
    base = ["eval", "run", "--dataset", "project", "--backend", "baseline", "--limit", "1", "--out", str(tmp_path)]
    r = invoke(*base, "--fail-under", "figures.f1=1.01")
    assert r.exit_code == 1 and "gate failed: figures.f1" in r.stderr and "record:" in r.stdout


# ---- --debug -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["extract", "missing.txt"], ["eval", "compare", "no-such-run", "x"], ["prompts", "show", "nope@v1"]],
    ids=["extract", "eval-compare", "prompts-show"],
)
def test_debug_shows_the_traceback_and_keeps_the_exit_code(args):
    r = invoke("--debug", *args)
    assert r.exit_code == 2
    assert "Traceback (most recent call last)" in r.stderr
    assert r.stderr.splitlines()[-1].startswith("error: ")


def test_debug_after_the_command_means_the_same():
    r = invoke("batch", "run", "missing.jsonl", "out.jsonl", "--backend", "baseline", "--debug")
    assert r.exit_code == 2 and "Traceback" in r.stderr and r.stderr.splitlines()[-1].startswith("error: ")


def test_debug_from_the_environment(monkeypatch):
    from extractor.extract import Extractor

    monkeypatch.setenv("EXTRACTOR_DEBUG", "1")
    monkeypatch.setattr(Extractor, "extract", _raise(BackendError("down")))
    r = invoke("extract", str(ARTICLE), "--backend", "baseline")
    assert r.exit_code == 1 and "Traceback" in r.stderr and "BackendError: down" in r.stderr


def test_debug_does_not_leak_into_the_next_invocation():
    assert "Traceback" in invoke("--debug", "extract", "missing.txt").stderr
    assert_one_error_line(invoke("extract", "missing.txt"), 2)


# ---- what works ----------------------------------------------------------------------------


def test_extract_jsonl_is_one_line_and_nothing_on_stderr():
    r = invoke("extract", str(ARTICLE), "--backend", "baseline", "--format", "jsonl")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "" and len(r.stdout.splitlines()) == 1
    assert json.loads(r.stdout)["meta"]["backend"] == "baseline"


def test_extract_reads_standard_input():
    r = invoke("extract", "-", "--backend", "baseline", "--format", "json", input=ARTICLE.read_text())
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["id"] is None


def test_tables_are_wide_when_stdout_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    r = invoke("prompts", "list")
    assert r.exit_code == 0, r.stderr
    widths = [len(line) for line in r.stdout.splitlines()]
    assert 80 < max(widths) <= 160
    assert sum(1 for line in r.stdout.splitlines() if "@v1" in line) >= 2  # one row per line, not wrapped


def test_pretty_extract_does_not_wrap_at_80(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    r = invoke("extract", str(ARTICLE), "--backend", "baseline")
    assert r.exit_code == 0, r.stderr
    assert max(len(line) for line in r.stdout.splitlines()) > 80


def test_batch_run_by_default_writes_results_and_a_summary(files):
    r = invoke("batch", str(files["good"]), str(files["out"]), "--backend", "baseline")
    assert r.exit_code == 0, r.stderr
    assert [json.loads(x)["id"] for x in files["out"].read_text().splitlines()] == ["a1"]
    assert "done 1, errors 0" in r.stderr
    again = invoke("batch", "run", str(files["good"]), str(files["out"]), "--backend", "baseline", "--no-cache")
    assert again.exit_code == 0 and "skipped (already in out.jsonl) 1" in again.stderr


def test_prompts_show_and_diff():
    show = invoke("prompts", "show", "guided@v1")
    assert show.exit_code == 0 and show.stdout.startswith("# guided@v1  sha256 ")
    same = invoke("prompts", "diff", "guided@v1", "guided@v1")
    assert same.exit_code == 0 and same.stdout == "(no differences)\n"


def test_main_is_the_console_script():
    assert 'extractor = "extractor.cli:main"' in (ROOT / "pyproject.toml").read_text()
    with pytest.raises(SystemExit) as e:
        import sys

        argv, sys.argv = sys.argv, ["extractor", "prompts", "show", "nope@v1"]
        try:
            main()
        finally:
            sys.argv = argv
    assert e.value.code == 2


# ---- what export/import compute instead of building a client -------------------------------


@pytest.mark.parametrize(
    ("base_url", "model", "mode_env", "expected"),
    [
        (None, None, None, ("default", instructor.Mode.TOOLS)),
        (None, "gemma", None, ("gemma", instructor.Mode.TOOLS)),
        ("https://api.openai.com/v1", "gpt-4o-mini", None, ("gpt-4o-mini", instructor.Mode.TOOLS_STRICT)),
        ("http://127.0.0.1:8000/v1", None, "json_schema_mode", ("default", instructor.Mode.JSON_SCHEMA)),
    ],
)
def test_handoff_target_is_what_the_openai_backend_would_use(monkeypatch, base_url, model, mode_env, expected):
    from extractor.backends.openai_compat import OpenAIBackend

    if mode_env:
        monkeypatch.setenv("EXTRACTOR_MODE", mode_env)
    settings = Settings.resolve(backend="openai", model=model, base_url=base_url or HANDOFF_URL)
    backend = OpenAIBackend(settings)
    try:
        assert handoff_target(settings) == (backend.model, backend.mode, backend.context_tokens)
        assert handoff_target(settings)[:2] == expected
    finally:
        backend.close()


def test_response_cache_default_lives_in_settings(tmp_path):
    assert Settings.resolve(backend="local").with_response_cache().cache_dir == cache_root() / "responses"
    assert Settings.resolve(backend="local").with_response_cache(False).cache_dir is None
    assert Settings.resolve(backend="baseline").with_response_cache().cache_dir is None
    assert Settings.resolve(backend="local", cache_dir=tmp_path).with_response_cache().cache_dir == tmp_path
