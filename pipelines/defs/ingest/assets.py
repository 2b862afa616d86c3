"""Ingestion: files and folders into raw.articles, raw.article_sources, raw.quarantine."""

import uuid

import dagster as dg
from pydantic import Field

from pipelines.defs.resources import WarehouseResource
from pipelines.ingestion import read_articles
from pipelines.settings import SAMPLE_CORPUS_DIR
from pipelines.storage import articles as article_store


class IngestConfig(dg.Config):
    paths: list[str] = Field(
        default_factory=lambda: [str(SAMPLE_CORPUS_DIR)],
        description="Files and folders to ingest; defaults to the bundled sample corpus.",
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "articles"], description="One row per distinct article; idempotent upsert."),
        dg.AssetSpec(["raw", "article_sources"], description="Every sighting of an article: publisher and URL."),
        dg.AssetSpec(["raw", "quarantine"], description="Every input record that could not be loaded, with why."),
    ],
    group_name="ingestion",
)
def raw_articles(context: dg.AssetExecutionContext, config: IngestConfig, warehouse: WarehouseResource):
    """Read the configured paths and load them in one transaction."""
    run_id = getattr(context, "run_id", None) or uuid.uuid4().hex
    with warehouse.connect() as con:
        article_store.ensure_schema(con)
        summary = article_store.load_records(con, read_articles(config.paths), run_id=run_id)
        totals = dict(
            zip(
                ("articles", "article_sources", "quarantine"),
                con.execute(
                    "select (select count(*) from raw.articles), (select count(*) from raw.article_sources), "
                    "(select count(*) from raw.quarantine)"
                ).fetchone(),
            )
        )
    context.log.info(f"ingested {summary}")
    yield dg.MaterializeResult(
        asset_key=["raw", "articles"],
        metadata={
            "records_read": summary.n_read,
            "new_articles": summary.n_new_articles,
            "duplicates": summary.n_duplicate_articles,
            "dagster/row_count": totals["articles"],
        },
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "article_sources"],
        metadata={"new_sources": summary.n_new_sources, "dagster/row_count": totals["article_sources"]},
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "quarantine"],
        metadata={
            "new_quarantined": summary.n_quarantined_new,
            "reasons": dg.MetadataValue.json(summary.quarantine_reasons),
            "dagster/row_count": totals["quarantine"],
        },
    )
