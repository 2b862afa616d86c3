"""Schedules: the daily refresh of the landing folder, and feed polling."""

import dagster as dg

from pipelines.defs.ingest.sensors import REFRESH_JOB_NAME
from pipelines.settings import feeds_path, landing_path

refresh_job = dg.define_asset_job(
    REFRESH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Ingest, extract, build the marts, check, publish.",
)


@dg.schedule(
    job=refresh_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    description="Every day at 05:00 UTC: the whole graph over the landing folder (already-seen files change nothing).",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def daily_refresh_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(run_config={"ops": {"raw_articles": {"config": {"paths": [str(landing_path())]}}}})


@dg.schedule(
    job=refresh_job,
    cron_schedule="*/15 * * * *",
    execution_timezone="UTC",
    description="Every 15 minutes: poll the feeds listed in $CLAIMHOUSE_FEEDS that are due.",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def feed_poll_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    feeds = feeds_path()
    if not feeds.exists():
        return dg.SkipReason(f"no feed list at {feeds}; copy warehouse/feeds.example.toml there to start")
    return dg.RunRequest(
        run_config={"ops": {"raw_articles": {"config": {"paths": [], "feeds_file": str(feeds)}}}}
    )
