"""Run an OpenAI Batch API input file against an OpenAI-compatible server, one request at a time,
and write the Batch API output file (what OpenAI's batch endpoint or vLLM's run-batch returns).

    python scripts/run_batch_requests.py requests.jsonl results.jsonl --base-url http://127.0.0.1:8000/v1
"""

from __future__ import annotations

import argparse
import json
import urllib.error
import urllib.request
import uuid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("requests")
    parser.add_argument("results")
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args()
    root = args.base_url.rstrip("/").removesuffix("/v1")
    with open(args.requests) as src, open(args.results, "w") as out:
        for line in src:
            if not line.strip():
                continue
            row = json.loads(line)
            req = urllib.request.Request(root + row["url"], data=json.dumps(row["body"]).encode(),
                                         headers={"content-type": "application/json"}, method="POST")  # fmt: skip
            try:
                with urllib.request.urlopen(req, timeout=600) as resp:
                    status, body, error = resp.status, json.loads(resp.read()), None
            except urllib.error.HTTPError as e:
                status, body, error = e.code, None, {"code": str(e.code), "message": e.read().decode()[:500]}
            record = {"id": f"batch_req_{uuid.uuid4().hex[:12]}", "custom_id": row["custom_id"],
                      "response": {"status_code": status, "body": body}, "error": error}  # fmt: skip
            out.write(json.dumps(record) + "\n")
            out.flush()


if __name__ == "__main__":
    main()
