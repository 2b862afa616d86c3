"""Sensors: one ingestion run per file dropped into the landing folder, and
one processing run for the days each successful ingestion brought.

The landing cursor maps each file seen to its size and modification time, so
a restarted sensor neither misses nor repeats a file.  Bad files still get a
run: ingestion quarantines them, and the sensor moves on.
"""

import json
from pathlib import Path

import dagster as dg

from pipelines.defs.ingest.assets import DAYS_FIRST_KEY, DAYS_LAST_KEY
from pipelines.defs.jobs import day_range_tags, ingest_job, process_days_job
from pipelines.settings import landing_path
SUPPORTED = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".parquet"})


def file_signature(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def landed_files(folder: Path) -> dict[str, str]:
    """Every regular file under ``folder`` (hidden ones skipped) with its signature."""
    if not folder.is_dir():
        return {}
    return {
        str(path): file_signature(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    }


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=30,
    description="Runs the pipeline once for each new or changed file in the landing folder ($CLAIMHOUSE_LANDING).",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    current = landed_files(landing_path())
    requests = [
        dg.RunRequest(
            run_key=f"{path}@{signature}",
            run_config={"ops": {"raw_articles": {"config": {"paths": [path]}}}},
            tags={"claimhouse/landed_file": path},
        )
        for path, signature in current.items()
        if seen.get(path) != signature
    ]
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(current, sort_keys=True))


def days_ingested(instance: dg.DagsterInstance, run_id: str) -> tuple[str, str] | None:
    """The partition range an ingestion run reported in its raw/articles metadata."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    for record in records:
        materialization = record.event_log_entry.asset_materialization
        if materialization and materialization.asset_key == dg.AssetKey(["raw", "articles"]):
            metadata = materialization.metadata
            if DAYS_FIRST_KEY in metadata:
                return metadata[DAYS_FIRST_KEY].value, metadata[DAYS_LAST_KEY].value
    return None


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=process_days_job,
    description="After each successful ingestion, one run over the days that got new articles.",
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def process_new_days_sensor(context: dg.RunStatusSensorContext):
    days = days_ingested(context.instance, context.dagster_run.run_id)
    if days is None:
        return dg.SkipReason("that ingestion brought no article to process")
    return dg.RunRequest(run_key=context.dagster_run.run_id, tags=day_range_tags(*days))
