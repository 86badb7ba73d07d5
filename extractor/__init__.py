"""Grounded claims, attributions and figures from news articles."""

from extractor.config import Settings
from extractor.errors import ExtractorError
from extractor.extract import Extractor, aextract, extract
from extractor.schema import ArticleExtraction, Attribution, Claim, Figure, Span
from extractor.version import __version__

__all__ = [
    "ArticleExtraction",
    "Attribution",
    "Claim",
    "Extractor",
    "ExtractorError",
    "Figure",
    "Settings",
    "Span",
    "__version__",
    "aextract",
    "extract",
]
