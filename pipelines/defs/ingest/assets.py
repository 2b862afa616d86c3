"""Ingestion: files, folders and feeds into raw.articles, raw.article_sources, raw.quarantine."""

import uuid
from itertools import chain
from pathlib import Path

import dagster as dg
from pydantic import Field

from pipelines.defs.days_to_process import days_to_process
from pipelines.defs.resources import WarehouseResource
from pipelines.ingestion import read_articles
from pipelines.ingestion.feeds import FeedState, is_due, load_feed_config, poll_feeds
from pipelines.ingestion.http import Fetcher
from pipelines.settings import SAMPLE_CORPUS_DIR
from pipelines.storage import articles as article_store
from pipelines.storage.feed_state import load_feed_states, save_feed_states

PREVIEW_ROWS = 5
# Metadata keys the days-to-process sensor and `claimhouse run` read back.
DAYS_FIRST_KEY = "days_to_process_first"
DAYS_LAST_KEY = "days_to_process_last"


class IngestConfig(dg.Config):
    paths: list[str] = Field(
        default_factory=lambda: [str(SAMPLE_CORPUS_DIR)],
        description="Files and folders to ingest; defaults to the bundled sample corpus.",
    )
    feeds_file: str = Field(
        default="", description="A TOML list of RSS/Atom feeds to poll (only those due); empty: no feeds."
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
    """Read the configured paths (and due feeds) and load them, a transaction per chunk of records."""
    run_id = getattr(context, "run_id", None) or uuid.uuid4().hex
    with warehouse.connect() as con:
        article_store.ensure_schema(con)
        feed_records, feed_states = [], {}
        if config.feeds_file:
            feeds = load_feed_config(Path(config.feeds_file))
            states = load_feed_states(con)
            due = [feed for feed in feeds if is_due(feed, states.get(feed.name, FeedState()))]
            context.log.info(f"polling {len(due)} of {len(feeds)} feeds")
            feed_records, feed_states = poll_feeds(due, states, Fetcher())
        summary = article_store.load_records(con, chain(read_articles(config.paths), feed_records), run_id=run_id)
        if feed_states:
            save_feed_states(con, feed_states)
        totals = dict(zip(("articles", "article_sources", "quarantine"), con.execute(
            "select (select count(*) from raw.articles), (select count(*) from raw.article_sources), "
            "(select count(*) from raw.quarantine)"
        ).fetchone()))
        to_process = days_to_process(con)
        preview = con.execute(
            "select article_id, source, published_at, title from raw.articles "
            "order by first_loaded_at desc, article_id limit ?", [PREVIEW_ROWS]
        ).fetchall()
    context.log.info(f"ingested {summary}; days to process: {to_process or 'none'}")
    yield dg.MaterializeResult(
        asset_key=["raw", "articles"],
        metadata={
            "records_read": summary.n_read,
            "new_articles": summary.n_new_articles,
            "duplicates": summary.n_duplicate_articles,
            "dagster/row_count": totals["articles"],
            **(
                {DAYS_FIRST_KEY: to_process.first_key, DAYS_LAST_KEY: to_process.last_key,
                 "days_to_process_reason": to_process.reason}
                if to_process else {}
            ),
            "preview": dg.MetadataValue.md(_markdown_table(["article_id", "source", "published_at", "title"], preview)),
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


def _markdown_table(columns: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(v).replace("|", "\\|")[:80] for v in row) + " |" for row in rows]
    return "\n".join(lines)
