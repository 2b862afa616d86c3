"""The extraction library: plain functions from article text to rows.

No Dagster here; the assets in ``pipelines.defs`` wrap it.
"""

from pipelines.extraction.extractor import Extractor, ExtractionResult
from pipelines.extraction.records import ArticleText, Attribution, Mention, Sentence

__all__ = ["ArticleText", "Attribution", "ExtractionResult", "Extractor", "Mention", "Sentence"]
