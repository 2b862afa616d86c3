"""Schedules: the daily refresh of the landing folder, and feed polling."""

import dagster as dg

from pipelines.defs.jobs import ingest_job, process_days_job
from pipelines.settings import feeds_path, landing_path


@dg.schedule(
    job=ingest_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    description=(
        "Every day at 05:00 UTC: ingest the landing folder (already-seen files change nothing); "
        "process_new_days_sensor then processes the days that got new articles."
    ),
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def daily_refresh_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(run_config={"ops": {"raw_articles": {"config": {"paths": [str(landing_path())]}}}})


@dg.schedule(
    job=ingest_job,
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


# Every day at 06:00 UTC, rebuild the latest day's partition, so late
# articles of that day are counted even without a landing-folder event.
daily_partition_schedule = dg.build_schedule_from_partitioned_job(
    process_days_job,
    hour_of_day=6,
    name="daily_partition_schedule",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
