"""Export/import round trip through the OpenAI Batch file format.

tests/data/batch/results.jsonl is real: the exported requests were run against
`python -m llama_cpp.server` (Gemma 3 270M) with scripts/run_batch_requests.py. To redo it:
  extractor batch export tests/data/batch/articles.jsonl tests/data/batch/requests.jsonl \
      --prompt guided@v3 --model gemma-3-270m-q4_k_m --model-decisions speaker,counts,main_claim
  python scripts/run_batch_requests.py tests/data/batch/requests.jsonl tests/data/batch/results.jsonl \
      --base-url http://127.0.0.1:PORT/v1
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app

DATA = Path(__file__).parent / "data" / "batch"
MODEL = "gemma-3-270m-q4_k_m"
DECISIONS = ["--model-decisions", "speaker,counts,main_claim"]  # every question the model can be asked


def test_export_matches_the_requests_that_were_run(tmp_path):
    out = tmp_path / "requests.jsonl"
    r = CliRunner().invoke(app, ["batch", "export", str(DATA / "articles.jsonl"), str(out), "--prompt", "guided@v3",
                                 "--model", MODEL, *DECISIONS])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert out.read_text() == (DATA / "requests.jsonl").read_text(), "export changed: redo the round trip (see top)"
    for line in out.read_text().splitlines():
        row = json.loads(line)
        assert row["method"] == "POST" and row["url"] == "/v1/chat/completions" and "::" in row["custom_id"]


def test_import_grounds_every_item_and_lists_what_needs_another_round(tmp_path):
    out = tmp_path / "out.jsonl"
    args = ["batch", "import", str(DATA / "articles.jsonl"), str(DATA / "requests.jsonl"), str(DATA / "results.jsonl"),
            str(out), "--prompt", "guided@v3", "--model", MODEL, *DECISIONS]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    texts = {json.loads(x)["id"]: json.loads(x)["text"] for x in (DATA / "articles.jsonl").read_text().splitlines()}
    rows = {json.loads(x)["id"]: json.loads(x) for x in out.read_text().splitlines()}
    assert set(rows) == set(texts)
    answered = 0
    for aid, row in rows.items():
        answered += row["meta"]["usage"]["calls"]
        for kind in ("attributions", "figures", "claims"):
            for item in row[kind]:
                for key in ("content", "source", "cue", "span", "evidence"):
                    s = item.get(key)
                    if s:
                        assert texts[aid][s["start"] : s["end"]] == s["text"]
        for rej in row["rejected"]:
            assert "another round" in rej["reason"]
    assert answered == len((DATA / "results.jsonl").read_text().splitlines())
    assert {f["value"] for f in rows["lanholm"]["figures"]} == {4.2e9, 3.9e9}
    assert "item(s) failed" in r.output
