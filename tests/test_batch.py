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
from extractor.batch import BatchItem, ResultFile, read_items, run_batch
from extractor.pricing import cost_usd, load_prices
from tests.cassettes import server

BRANDT = "Port director Tomas Brandt said the stoppage was costing the port $2.5 million a day."


def lines(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), "partial last line"
    return [json.loads(x) for x in raw.splitlines()]


def test_read_jsonl_csv_and_folder(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": 1, "text": "One.", "outlet": "x"}\n\n{"id": "b", "text": "Two."}\n')
    items = list(read_items(tmp_path / "a.jsonl"))
    assert [(i.id, i.metadata) for i in items] == [("1", {"outlet": "x"}), ("b", None)]
    (tmp_path / "a.csv").write_text("doc,body,lang\nd1,Hello there.,en\n")
    [item] = read_items(tmp_path / "a.csv", id_column="doc", text_column="body")
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
    assert rf.done == {("a", "h1"), ("b", "h1")}


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
