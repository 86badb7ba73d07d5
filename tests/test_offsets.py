"""--offsets: every span re-expressed in UTF-16 code units or UTF-8 bytes, exact on the same text."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from extractor import extract
from extractor.offsets import convert, offset_table

TEXT = 'Zoë 😀 said\r\n"we need 300 nurses", officials said 40 schools closed. 東京 e\u0301 1,000 km.'


@pytest.mark.parametrize("unit, encode", [("utf16", lambda s: s.encode("utf-16-le")), ("byte", str.encode)])
def test_every_span_slices_the_encoded_text(unit, encode):
    result = json.loads(extract(TEXT, backend="baseline").model_dump_json())
    converted = convert(result, unit)
    assert converted["offsets"] == unit and result.get("offsets") is None
    width = 2 if unit == "utf16" else 1
    spans = []

    def walk(node):
        if isinstance(node, dict):
            if {"start", "end", "text"} <= node.keys():
                spans.append(node)
            for k, v in node.items():
                if k not in ("rejected", "meta", "metadata"):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk({k: v for k, v in converted.items() if k != "text"})
    assert spans, "the baseline finds spans in TEXT"
    data, codec = encode(TEXT), "utf-16-le" if unit == "utf16" else "utf-8"
    for s in spans:
        assert data[s["start"] * width : s["end"] * width].decode(codec) == s["text"]


def test_codepoint_is_the_identity_and_tables_count_right():
    result = {"text": "a😀é", "figures": []}
    assert convert(result, "codepoint") is result
    assert offset_table("a😀é", "utf16") == [0, 1, 3, 4]
    assert offset_table("a😀é", "byte") == [0, 1, 5, 7]
    with pytest.raises(ValueError, match="unknown offset unit"):
        convert(result, "bytes")


def test_extract_cli_byte_offsets_slice_the_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode())
    run = subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(path), "--backend", "baseline", "--format", "jsonl",
         "--offsets", "byte"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    data = json.loads(run.stdout)
    raw = path.read_bytes()
    assert data["offsets"] == "byte" and data["figures"]
    for f in data["figures"]:
        assert raw[f["span"]["start"] : f["span"]["end"]].decode() == f["span"]["text"]
