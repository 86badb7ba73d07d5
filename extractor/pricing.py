"""Token prices (USD per million tokens) for cost estimates; users override with a JSON file."""

from __future__ import annotations

import json
from pathlib import Path

# model → (prompt, completion) USD per 1M tokens; a local model costs nothing.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}


def load_prices(path: str | Path | None = None) -> dict[str, tuple[float, float]]:
    """Defaults, updated from ``{"model": [prompt_price, completion_price], …}`` if a file is given."""
    prices = dict(DEFAULT_PRICES)
    if path:
        for model, pair in json.loads(Path(path).read_text()).items():
            prices[model] = (float(pair[0]), float(pair[1]))
    return prices


def cost_usd(
    prices: dict[str, tuple[float, float]], backend: str, model: str, prompt: int, completion: int
) -> float | None:
    """Cost of the tokens, 0 for the embedded model, None when the model has no price."""
    if backend in ("local", "baseline"):
        return 0.0
    if model not in prices:
        return None
    p, c = prices[model]
    return round((prompt * p + completion * c) / 1_000_000, 8)
