"""Every returned span matches the article, on several articles (the core promise)."""

import json

import pytest

from extractor import extract
from tests.conftest import EXAMPLES, SHARED


def articles() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text()) for p in sorted(EXAMPLES.glob("*.txt"))]
    if (SHARED / "kerman-article.txt").exists():
        out.append(("kerman", (SHARED / "kerman-article.txt").read_text()))
    for name in ("polnear-dev.jsonl", "newsclaims-dev.jsonl"):
        path = SHARED / "datasets" / name
        if path.exists():
            with path.open() as f:
                for _, line in zip(range(5), f, strict=False):
                    row = json.loads(line)
                    out.append((row["id"], row["text"]))
    return out


@pytest.mark.parametrize("name, text", articles(), ids=[a[0] for a in articles()])
def test_every_span_matches_the_article(name, text):
    result = extract(text, backend="baseline")
    assert result.spans(), name
    for span in result.spans():
        assert result.text[span.start : span.end] == span.text
    assert result.meta.prompt == "baseline" and len(result.meta.prompt_sha256) == 64
