"""The two jobs every schedule, sensor and ``claimhouse run`` launches.

Ingestion is not partitioned (one file or feed poll brings articles of many
days), so a refresh is two runs: ``ingest_articles`` loads what arrived, then
``process_days`` extracts, builds and publishes the days that got new
articles, as one run over that range of daily partitions.
"""

import dagster as dg

from pipelines.defs.partitions import PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, daily_partitions

INGESTION = dg.AssetSelection.groups("ingestion")

ingest_job = dg.define_asset_job(
    "ingest_articles",
    selection=INGESTION,
    description="Load files, folders and due feeds into raw.articles / raw.quarantine.",
)

process_days_job = dg.define_asset_job(
    "process_days",
    selection=dg.AssetSelection.all() - INGESTION,
    partitions_def=daily_partitions,
    description="Extract, build the marts, check and publish a range of article days.",
)


# A process_days run with this tag set to "true" rebuilds every dbt model from every day (``claimhouse run
# --full-refresh``, or the tag added when launching the job in the UI): earlier days' claims and mentions are
# resolved again with the actors of today.
FULL_REFRESH_TAG = "claimhouse/full_refresh"


def day_range_tags(first_key: str, last_key: str, full_refresh: bool = False) -> dict[str, str]:
    """Run tags that make one run cover the partitions first_key..last_key (and rebuild every model)."""
    return {
        PARTITION_RANGE_START_TAG: first_key,
        PARTITION_RANGE_END_TAG: last_key,
        **({FULL_REFRESH_TAG: "true"} if full_refresh else {}),
    }
