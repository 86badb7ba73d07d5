"""Reports: rich tables for the terminal, one self-contained HTML file per run (no CDN)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import jinja2
from rich.console import Console
from rich.table import Table

from evals.datasets import GoldArticle

COLOURS = {"attributions": "#f4c542", "figures": "#5ab4f0", "claims": "#9ad17a"}


def fmt(metric: dict[str, Any] | None) -> str:
    if not metric or metric.get("value") is None:
        return "n/a"
    ci = metric.get("ci")
    return f"{metric['value']:.3f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")


def summary_table(record: dict[str, Any]) -> Table:
    s = record["summary"]
    t = Table(title=f"{record['dataset']}: {record['prompt']['ref']} on {record['backend']}:{record['model']} "
              f"({s['articles']} articles)")  # fmt: skip
    for col in ("layer", "row", "precision", "recall", "F1 [95% CI]", "macro F1", "partial F1", "fields"):
        t.add_column(col)
    rows = [("model", s["layers"])] + ([("baseline", s["baseline"]["layers"])] if "baseline" in s else [])
    for layer in ("attributions", "figures", "claims"):
        for label, layers in rows:
            if layer not in layers:
                continue
            m = layers[layer]
            fields = ", ".join(f"{k} {v['value']:.2f}" for k, v in m["fields"].items())
            if "per_article" in m:
                fields += f", per article {m['per_article']['value']:.1f}"
            t.add_row(layer, label, fmt(m["precision"]), fmt(m["recall"]), fmt(m["f1"]), fmt(m["macro_f1"]),
                      fmt(m["partial_f1"]), fields)  # fmt: skip
    return t


def print_summary(record: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    s = record["summary"]
    console.print(summary_table(record))
    console.print(f"model calls: {s['calls']['model_calls']}, cache hits: {s['calls']['cache_hits']}, "
                  f"tokens: {s['tokens']['prompt']}+{s['tokens']['completion']}, {s['seconds']:.1f}s, "
                  f"errors: {s['errors']}")  # fmt: skip


def _marks(gold: GoldArticle, article: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, css class) for every gold and predicted span, with misses and false positives."""
    marks: list[tuple[int, int, str]] = []
    pred = article["prediction"]
    scores = article["scores"]
    for layer, short in (("attributions", "att"), ("figures", "fig"), ("claims", "clm")):
        if layer not in scores:
            continue
        matched_p = {p for p, _, _ in scores[layer]["pairs"]}
        matched_g = {g for _, g, _ in scores[layer]["pairs"]}
        items = getattr(gold, layer)
        if layer == "attributions":
            items = [a for a in items if a.content is not None]
        for j, item in enumerate(items):
            span = item.content if layer == "attributions" else item.span
            if span is not None:
                marks.append((span.start, span.end, f"g-{short}" + ("" if j in matched_g else " miss")))
        for i, item in enumerate(pred.get(layer, [])):
            span = {"attributions": "content", "figures": "span", "claims": "evidence"}[layer]
            sp = item[span]
            marks.append((sp["start"], sp["end"], f"p-{short}" + ("" if i in matched_p else " fp")))
    return marks


def highlight(text: str, marks: list[tuple[int, int, str]]) -> str:
    """HTML of ``text`` with nested-safe highlighting: each character carries every class over it."""
    bounds = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        classes = sorted({cls for s, e, c in marks if s <= a and b <= e for cls in c.split()})
        chunk = html.escape(text[a:b]).replace("\n", "<br>")
        out.append(f'<span class="{" ".join(classes)}">{chunk}</span>' if classes else chunk)
    return "".join(out)


TEMPLATE = jinja2.Template(
    """<!doctype html><html><head><meta charset="utf-8"><title>{{ r.id }}</title><style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;line-height:1.5;color:#222}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}
.article{border:1px solid #ddd;padding:1em;margin:1em 0;border-radius:6px}.meta{color:#666;font-size:.85em}
.p-att{background:{{ c.attributions }}66}.p-fig{background:{{ c.figures }}66}.p-clm{background:{{ c.claims }}44}
.g-att{border-bottom:3px solid {{ c.attributions }}}.g-fig{border-bottom:3px solid {{ c.figures }}}
.g-clm{border-bottom:3px solid {{ c.claims }}}
.miss{text-decoration:underline wavy #d33;text-decoration-thickness:2px}.fp{outline:1px dashed #d33}
.legend span{padding:0 .4em;margin-right:.5em}
</style></head><body>
<h1>{{ r.dataset }} · {{ r.prompt.ref }} · {{ r.backend }}:{{ r.model }}</h1>
<p class="meta">run {{ r.id }} · prompt sha256 {{ r.prompt.sha256[:12] }} · {{ r.summary.articles }} articles ·
{{ r.summary.calls.model_calls }} model calls, {{ r.summary.calls.cache_hits }} cache hits ·
{{ r.summary.seconds }} s</p>
<table><tr><th>layer</th><th>row</th><th>precision</th><th>recall</th><th>F1 [95% CI]</th><th>macro F1</th>
<th>partial F1</th><th>fields</th></tr>
{% for layer, label, m in rows %}<tr><td>{{ layer }}</td><td>{{ label }}</td><td>{{ fmt(m.precision) }}</td>
<td>{{ fmt(m.recall) }}</td><td>{{ fmt(m.f1) }}</td><td>{{ fmt(m.macro_f1) }}</td><td>{{ fmt(m.partial_f1) }}</td>
<td>{% for k, v in m.fields.items() %}{{ k }} {{ '%.2f' % v.value }} {% endfor %}</td></tr>{% endfor %}</table>
<p class="legend">Predicted: <span class="p-att">attribution</span><span class="p-fig">figure</span>
<span class="p-clm">claim</span> Gold: <span class="g-att">attribution</span><span class="g-fig">figure</span>
<span class="g-clm">claim</span> <span class="miss">missed gold</span><span class="fp">false positive</span></p>
{% for a in articles %}<div class="article"><h3>{{ a.id }}</h3><p class="meta">
{% for layer, sc in a.scores.items() %}{{ layer }}: {{ sc.tp }} matched, {{ sc.pred }} predicted, {{ sc.gold }} gold.
{% endfor %}{% if a.error %}<b>error:</b> {{ a.error }}{% endif %}</p><div>{{ a.html }}</div></div>{% endfor %}
</body></html>"""
)


def write_html(record: dict[str, Any], gold: list[GoldArticle], path: Path) -> Path:
    """One self-contained HTML file: summary table on top, each article with spans highlighted."""
    by_id = {g.id: g for g in gold}
    s = record["summary"]
    rows = []
    for layer in ("attributions", "figures", "claims"):
        for label, layers in [("model", s["layers"])] + (
            [("baseline", s["baseline"]["layers"])] if "baseline" in s else []
        ):
            if layer in layers:
                rows.append((layer, label, layers[layer]))
    articles = []
    for a in record["articles"]:
        g = by_id.get(a["id"])
        if g is None:
            continue
        articles.append({**a, "html": highlight(g.text, _marks(g, a))})
    path.write_text(TEMPLATE.render(r=record, rows=rows, articles=articles, c=COLOURS, fmt=fmt), encoding="utf-8")
    return path
