"""Extraction: raw.articles into raw.sentences, raw.mentions and raw.attributions.

Incremental: only articles not yet extracted by the current extractor
version are read, in batches, each batch written in one transaction.
"""

import dagster as dg
from pydantic import Field

from pipelines.defs.resources import WarehouseResource
from pipelines.extraction import Extractor
from pipelines.storage import extractions as extraction_store


class ExtractConfig(dg.Config):
    batch_size: int = Field(default=500, description="Articles per extraction batch and per transaction.")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "sentences"], deps=[["raw", "articles"]], description="Sentences with offsets."),
        dg.AssetSpec(["raw", "mentions"], deps=[["raw", "articles"]], description="Named-entity mentions."),
        dg.AssetSpec(
            ["raw", "attributions"], deps=[["raw", "articles"]], description="Speaker, cue and content spans."
        ),
        dg.AssetSpec(
            ["raw", "extracted_articles"],
            deps=[["raw", "articles"]],
            description="Which article was extracted by which extractor version, and when.",
        ),
    ],
    group_name="extraction",
)
def raw_extractions(context: dg.AssetExecutionContext, config: ExtractConfig, warehouse: WarehouseResource):
    """Extract every article the current extractor version has not seen."""
    extractor = Extractor()
    totals = {"articles": 0, "sentences": 0, "mentions": 0, "attributions": 0}
    with warehouse.connect() as con:
        context.log.info(f"extracting the articles extractor {extractor.version} has not seen")
        # Read one batch at a time: each written batch leaves the pending set, and
        # only a batch of article texts is ever held in memory.
        while batch := extraction_store.articles_to_extract(con, extractor.version, limit=config.batch_size):
            summary = extraction_store.write_extractions(con, batch, extractor.extract(batch), extractor.version)
            for name in totals:
                totals[name] += getattr(summary, f"n_{name}")
            context.log.info(f"extracted {totals['articles']} articles so far")
    common = {"extractor_version": extractor.version, "articles_extracted": totals["articles"]}
    for name in ("sentences", "mentions", "attributions"):
        yield dg.MaterializeResult(asset_key=["raw", name], metadata={**common, f"new_{name}": totals[name]})
    yield dg.MaterializeResult(asset_key=["raw", "extracted_articles"], metadata=common)
