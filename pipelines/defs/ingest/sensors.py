"""The landing-folder sensor: one run per new or changed file dropped into the landing folder.

The cursor maps each file seen to its size and modification time, so a
restarted sensor neither misses nor repeats a file.  Bad files still get a
run: ingestion quarantines them, and the sensor moves on.
"""

import json
from pathlib import Path

import dagster as dg

from pipelines.settings import landing_path

REFRESH_JOB_NAME = "refresh_warehouse"
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
    job_name=REFRESH_JOB_NAME,
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
