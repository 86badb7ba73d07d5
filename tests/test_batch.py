"""Batch runs: inputs, error records, resume, cost, and a real run killed mid-way then resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.recorded_server import RecordedServer
from extractor import Extractor, Settings
from extractor.batch import BatchItem, BatchStats, Columns, ResultFile, read_items, run_batch
from extractor.cli.render import batch_summary
from extractor.errors import OutputLockedError
from extractor.identity import rules_identity
from extractor.outputlock import hold_output, holder_pid, lock_path
from extractor.pricing import cost_usd, load_prices
from extractor.schema import Usage
from tests.cassettes import server
from tests.faults import PROMPT, FaultServer, Reply, brandt_completion

BRANDT = "Port director Tomas Brandt said the stoppage was costing the port $2.5 million a day."


def lines(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), "partial last line"
    return [json.loads(x) for x in raw.splitlines()]


def test_read_jsonl_csv_and_folder(tmp_path):
    rows = (
        '{"id": 1, "text": "One.", "outlet": "x", "gold": [1, 2], "title": "A headline"}\n\n'
        '{"id": "b", "text": "Two."}\n'
    )
    (tmp_path / "a.jsonl").write_text(rows)
    items = list(read_items(tmp_path / "a.jsonl"))
    assert [(i.id, i.metadata, i.title) for i in items] == [("1", None, "A headline"), ("b", None, None)]
    kept = list(read_items(tmp_path / "a.jsonl", Columns(keep=("outlet", "url"))))
    assert [i.metadata for i in kept] == [{"outlet": "x"}, None], "only the columns asked for; gold never echoed"
    (tmp_path / "a.csv").write_text("doc,body,lang\nd1,Hello there.,en\n")
    [item] = read_items(tmp_path / "a.csv", Columns(id="doc", text="body", keep=("lang",)))
    assert (item.id, item.text, item.metadata) == ("d1", "Hello there.", {"lang": "en"})
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "x.txt").write_text("Text.")
    (folder / "y.html").write_text("<p>Html.</p>")
    assert [i.id for i in read_items(folder)] == ["x.txt", "y.html"]


def test_bad_articles_become_error_records_and_the_batch_goes_on(tmp_path):
    items = [BatchItem("ok", BRANDT), BatchItem("empty", "   "), BatchItem("binary", b"\x00\x01\x02"),
             BatchItem("ok2", "Officials said 40 schools closed.")]  # fmt: skip
    out = tmp_path / "out.jsonl"
    with Extractor(Settings.resolve(backend="baseline")) as ex:
        stats = run_batch(ex, iter(items), out, prices=load_prices())
    rows = lines(out)
    assert (stats.done, stats.errors) == (2, 2)
    errors = {r["id"]: r["error"]["type"] for r in rows if "error" in r}
    assert errors == {"empty": "EmptyArticleError", "binary": "BinaryInputError"}


def test_stats_add_sums_usage_and_cost_and_counts_server_failures_in_a_row():
    usage = {"calls": 3, "cached_calls": 1, "retries": 1, "prompt_tokens": 100, "completion_tokens": 20}
    result = {"id": "a", "meta": {"usage": usage, "latency_s": 0.5, "cost_usd": 0.01}}
    stats = BatchStats()
    assert stats.add(result) is None
    assert stats.add({"id": "b", "error": {"type": "TransportError", "cause": "timeout"}}) == "timeout"
    assert stats.add({"id": "c", "error": {"type": "EmptyArticleError", "cause": "input"}}) == "input"
    assert stats.consecutive_failures == 1, "an unusable article says nothing about the server"
    assert stats.add({"id": "d", "meta": {**result["meta"], "cost_usd": None}}) is None
    assert stats.usage == Usage(calls=6, cached_calls=2, retries=2, prompt_tokens=200, completion_tokens=40)
    assert (stats.done, stats.errors, stats.model_calls, stats.unpriced, stats.consecutive_failures) == (2, 2, 4, 1, 0)
    assert batch_summary(stats, "o.jsonl", 1.0) == (
        "done 2, errors 2 (timeout 1, input 1), skipped (already in o.jsonl) 0; tokens 200+40; "
        "cost $0.0100 (1 unpriced); model calls 4, cached 2; 1.0s"
    )


def test_resume_skips_done_articles_and_repairs_a_torn_line(tmp_path):
    out = tmp_path / "out.jsonl"
    items = [BatchItem(str(i), f"Officials said {i + 2} schools closed.") for i in range(6)]
    with Extractor(Settings.resolve(backend="baseline")) as ex:
        run_batch(ex, iter(items[:3]), out, prices=load_prices())
        with out.open("ab") as f:
            f.write(b'{"id": "torn", "meta": {"prompt_sha')
        stats = run_batch(ex, iter(items), out, prices=load_prices())
    assert (stats.skipped, stats.done) == (3, 3)
    assert sorted(r["id"] for r in lines(out)) == [str(i) for i in range(6)]


def test_result_file_indexes_by_id_and_prompt_hash(tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text('{"id": "a", "meta": {"prompt_sha256": "h1"}}\n{"id": "b", "prompt_sha256": "h1", "error": {}}\n')
    rf = ResultFile(out)
    rf.close()
    assert rf.done == {("a", "h1")}
    assert rf.failed == {("b", "h1"): "unknown"}


def test_a_newer_record_supersedes_an_older_one_and_the_file_is_compacted(tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text('{"id": "a", "prompt_sha256": "h1", "error": {"cause": "timeout"}}\n'
                   '{"id": "b", "meta": {"prompt_sha256": "h1"}}\n')  # fmt: skip
    rf = ResultFile(out)
    assert rf.failed == {("a", "h1"): "timeout"}
    rf.append({"id": "a", "meta": {"prompt_sha256": "h1"}, "n": 2})
    rf.close()
    assert [(r["id"], r.get("n")) for r in lines(out)] == [("b", None), ("a", 2)]
    assert list(tmp_path.iterdir()) == [out]


def test_cost_from_price_table_and_override(tmp_path):
    assert cost_usd(load_prices(), "openai", "gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert cost_usd(load_prices(), "local", "gemma", 10, 10) == 0.0
    assert cost_usd(load_prices(), "openai", "unknown-model", 10, 10) is None
    prices = tmp_path / "p.json"
    prices.write_text('{"default": [1.0, 2.0]}')
    assert cost_usd(load_prices(prices), "openai", "default", 1_000_000, 500_000) == pytest.approx(2.0)


def test_a_run_killed_mid_way_resumes_to_the_same_set_without_duplicates(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i:03d}", "text": BRANDT}) + "\n" for i in range(40)))
    out = tmp_path / "out.jsonl"
    info = server()
    env = {**os.environ, "EXTRACTOR_CACHE_DIR": str(tmp_path / "cache")}
    with RecordedServer(delay=0.25) as srv:
        cmd = [sys.executable, "-m", "extractor", "batch", str(source), str(out), "--base-url", srv.url,
               "--model", info["model"], "--prompt", "guided@v1", "--concurrency", "4", "--no-cache"]  # fmt: skip
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and (not out.exists() or len(out.read_bytes().splitlines()) < 8):
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        first = len(lines(out))
        assert 8 <= first < 40, "the kill should land mid-way"
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = lines(out)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == 40
    assert all("error" not in r for r in rows)
    assert all(r["attributions"][0]["speaker"] == "Tomas Brandt" for r in rows)


def broken_then_fixed_run(tmp_path, ex_settings, items, **kw):
    out = tmp_path / "out.jsonl"
    with FaultServer([], then=Reply(200, "<html>502 Bad Gateway</html>")) as srv:
        with Extractor(ex_settings(srv.url)) as ex:
            broken = run_batch(ex, iter(items), out, prices=load_prices(), **kw)
        first = lines(out)
        srv.fix()
        with Extractor(ex_settings(srv.url)) as ex:
            fixed = run_batch(ex, iter(items), out, prices=load_prices(), **kw)
    return broken, first, fixed, lines(out)


def server_settings_at(url: str) -> Settings:
    return Settings.resolve(backend="openai", base_url=url, model=server()["model"], prompt=PROMPT,
                            transport_retries=1)  # fmt: skip


def test_a_server_answering_non_json_fails_every_article_and_a_rerun_completes_them(tmp_path):
    items = [BatchItem(f"a{i}", BRANDT) for i in range(5)]
    broken, first, fixed, final = broken_then_fixed_run(tmp_path, server_settings_at, items, concurrency=2)
    assert (broken.done, broken.errors, dict(broken.causes)) == (0, 5, {"bad_response": 5})
    assert broken.failed() and broken.stopped is None
    assert {r["error"]["cause"] for r in first} == {"bad_response"} and len(first) == 5
    assert (fixed.retried, fixed.done, fixed.errors, fixed.skipped) == (5, 5, 0, 0)
    assert not fixed.failed()
    assert sorted(r["id"] for r in final) == [f"a{i}" for i in range(5)], "every id once"
    assert all(r["attributions"][0]["speaker"] == "Tomas Brandt" for r in final)


def test_no_retry_errors_keeps_error_records_as_they_are(tmp_path):
    items = [BatchItem(f"a{i}", BRANDT) for i in range(2)]
    broken, first, fixed, final = broken_then_fixed_run(tmp_path, server_settings_at, items, retry_errors=False)
    assert (fixed.skipped, fixed.retried, fixed.done) == (2, 0, 0)
    assert final == first


def test_the_circuit_breaker_stops_after_consecutive_failures_and_keeps_what_is_done(tmp_path):
    items = [BatchItem(f"a{i:02d}", BRANDT) for i in range(30)]
    out = tmp_path / "out.jsonl"
    with (
        FaultServer([], then=Reply(503, "{}", {"retry-after": "0"})) as srv,
        Extractor(server_settings_at(srv.url)) as ex,
    ):
        stats = run_batch(ex, iter(items), out, prices=load_prices(), concurrency=1, max_consecutive_failures=4)
    assert stats.stopped and "4 consecutive server failures" in stats.stopped and "http_503" in stats.stopped
    assert stats.errors in (4, 5), "the fourth failure stops new articles; the one already queued finishes"
    assert dict(stats.causes) == {"http_503": stats.errors} and stats.failed()
    assert len(lines(out)) == stats.errors, "the articles not started are left for the next run"


def test_input_errors_do_not_trip_the_breaker_and_fail_the_run_unless_tolerated(tmp_path):
    items = [BatchItem(f"e{i}", "   ") for i in range(5)] + [BatchItem("ok", BRANDT)]
    with Extractor(Settings.resolve(backend="baseline")) as ex:
        stats = run_batch(ex, iter(items), tmp_path / "o.jsonl", prices=load_prices(), max_consecutive_failures=2)
    assert stats.stopped is None and (stats.done, stats.errors) == (1, 5)
    assert dict(stats.causes) == {"input": 5}
    assert stats.failed() and stats.failed(max_errors=4)
    assert not stats.failed(max_errors=5)


def test_run_batch_refuses_an_output_another_process_holds(tmp_path):
    out = tmp_path / "o.jsonl"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from extractor.outputlock import "
         "hold_output\nwith hold_output(Path(sys.argv[1])):\n print('held', flush=True); time.sleep(30)", str(out)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.perf_counter()
        with Extractor(Settings.resolve(backend="baseline")) as ex, pytest.raises(OutputLockedError) as caught:
            run_batch(ex, iter([BatchItem("a", BRANDT)]), out, prices=load_prices())
        assert time.perf_counter() - started < 1.0
        assert caught.value.pid == holder.pid and str(holder.pid) in str(caught.value)
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    with hold_output(out):
        assert lock_path(out).read_text().strip() == str(os.getpid())
    assert not lock_path(out).exists()


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "extractor", *args]


def cli_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "EXTRACTOR_CACHE_DIR": str(tmp_path / "cache"), "EXTRACTOR_TRANSPORT_RETRIES": "1"}


def test_cli_batch_against_a_non_json_server_exits_1_and_a_rerun_with_the_server_fixed_completes(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i}", "text": BRANDT}) + "\n" for i in range(5)))
    out = tmp_path / "out.jsonl"
    with FaultServer([], then=Reply(200, "<html>502 Bad Gateway</html>")) as srv:
        cmd = cli("batch", "run", str(source), str(out), "--base-url", srv.url, "--model", server()["model"],
                  "--prompt", PROMPT, "--no-cache")  # fmt: skip
        broken = subprocess.run(cmd, env=cli_env(tmp_path), capture_output=True, text=True, timeout=120)
        assert broken.returncode == 1, broken.stderr
        assert "done 0, errors 5 (bad_response 5)" in broken.stderr
        assert [r["error"]["cause"] for r in lines(out)] == ["bad_response"] * 5
        srv.fix()
        fixed = subprocess.run(cmd, env=cli_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert fixed.returncode == 0, fixed.stderr
    assert "done 5, errors 0, retried 5 earlier errors" in fixed.stderr
    rows = lines(out)
    assert sorted(r["id"] for r in rows) == [f"a{i}" for i in range(5)] and all("error" not in r for r in rows)


def test_cli_batch_stops_when_the_server_keeps_failing_and_names_the_cause(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i}", "text": BRANDT}) + "\n" for i in range(12)))
    out = tmp_path / "out.jsonl"
    with FaultServer([], then=Reply(503, "{}", {"retry-after": "0"})) as srv:
        cmd = cli("batch", str(source), str(out), "--base-url", srv.url, "--model", server()["model"], "--prompt",
                  PROMPT, "--no-cache", "--concurrency", "1", "--max-consecutive-failures", "3")  # fmt: skip
        run = subprocess.run(cmd, env=cli_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "error: stopped after 3 consecutive server failures; the last (http_503)" in run.stderr
    assert 3 <= len(lines(out)) < 12


def test_a_second_run_on_the_same_output_exits_2_at_once_and_the_first_writes_every_id_once(tmp_path):
    source = tmp_path / "big.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i:02d}", "text": BRANDT}) + "\n" for i in range(24)))
    out = tmp_path / "same.jsonl"
    env = cli_env(tmp_path)
    slow = Reply(200, brandt_completion(), delay=0.25)
    with FaultServer([], then=slow) as srv:
        first = subprocess.Popen(
            cli("batch", "run", str(source), str(out), "--base-url", srv.url, "--model", server()["model"],
                "--prompt", PROMPT, "--no-cache", "--concurrency", "2"),
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline and not lock_path(out).exists():
            time.sleep(0.02)
        assert holder_pid(out) == first.pid
        started = time.perf_counter()
        second = subprocess.run(cli("batch", "run", str(source), str(out), "--backend", "baseline"), env=env,
                                capture_output=True, text=True, timeout=60)  # fmt: skip
        took = time.perf_counter() - started
        assert first.poll() is None, "the first run must still be going"
        _, first_err = first.communicate(timeout=120)
    assert second.returncode == 2, second.stderr
    assert f"being written by process {first.pid}" in second.stderr
    assert took < 10  # the lock is checked before anything slow; most of this is the interpreter starting
    assert first.returncode == 0, first_err
    ids = [r["id"] for r in lines(out)]
    assert sorted(ids) == [f"a{i:02d}" for i in range(24)], "every id once"
    assert not lock_path(out).exists()


def test_a_changed_recipe_is_done_again_and_the_same_recipe_is_skipped(tmp_path):
    """Resume keys on the run identity (prompt, backend, model, decisions, rules' fingerprint)."""
    out = tmp_path / "out.jsonl"
    items = [BatchItem(f"a{i}", BRANDT) for i in range(2)]
    with Extractor(Settings.resolve(backend="baseline")) as ex:
        assert run_batch(ex, iter(items), out, prices=load_prices()).done == 2
        assert run_batch(ex, iter(items), out, prices=load_prices()).skipped == 2
    fingerprint = rules_identity().rules_sha256
    out.write_text(out.read_text().replace(fingerprint, "an older version of the rules"))
    with Extractor(Settings.resolve(backend="baseline")) as ex:
        assert run_batch(ex, iter(items), out, prices=load_prices()).done == 2


def test_a_repeated_id_in_the_input_is_extracted_once_and_nothing_is_lost(tmp_path):
    out = tmp_path / "out.jsonl"
    items = [BatchItem("a", BRANDT), BatchItem("a", "Another text entirely, said the mayor."), BatchItem("b", BRANDT)]
    with Extractor(Settings.resolve(backend="baseline")) as ex:
        stats = run_batch(ex, iter(items), out, prices=load_prices())
    assert (stats.done, stats.duplicates) == (2, 1)
    written = lines(out)
    rows = {r["id"]: r for r in written}  # written as they finish: either order
    assert len(written) == 2 and sorted(rows) == ["a", "b"] and rows["a"]["text"] == BRANDT
