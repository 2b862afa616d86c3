"""The Dagster code location: every asset, check and resource of Claimhouse.

Load it with ``dagster dev -m pipelines.definitions`` or ``claimhouse ui``.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.defs.dbt.assets import claimhouse_dbt_assets
from pipelines.defs.dbt.project import DBT_EXECUTABLE, dbt_project
from pipelines.defs.dbt.resource import LeanDbtCliResource
from pipelines.defs.extract.assets import raw_extractions
from pipelines.defs.ingest.assets import raw_articles
from pipelines.defs.ingest.checks import articles_are_fresh
from pipelines.defs.ingest.schedules import daily_partition_schedule, daily_refresh_schedule, feed_poll_schedule
from pipelines.defs.ingest.sensors import landing_folder_sensor, process_new_days_sensor
from pipelines.defs.jobs import ingest_job, process_days_job
from pipelines.defs.publish.assets import published_snapshot
from pipelines.defs.quality.checks import quality_checks
from pipelines.defs.resources import WarehouseResource
from pipelines.settings import warehouse_path

ALL_ASSETS = [raw_articles, raw_extractions, claimhouse_dbt_assets, published_snapshot]


def build_resources(warehouse: Path) -> dict[str, object]:
    """The resources every asset needs, for one warehouse file."""
    return {
        "warehouse": WarehouseResource(path=str(warehouse)),
        "dbt": LeanDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    }


def build_definitions(warehouse: Path) -> dg.Definitions:
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=[*quality_checks, articles_are_fresh],
        jobs=[ingest_job, process_days_job],
        schedules=[daily_refresh_schedule, feed_poll_schedule, daily_partition_schedule],
        sensors=[landing_folder_sensor, process_new_days_sensor, dg.AutomationConditionSensorDefinition(
            "claimhouse_automation", target=dg.AssetSelection.all(), default_status=dg.DefaultSensorStatus.STOPPED
        )],
        resources=build_resources(warehouse),
        # DuckDB has one writer per file: steps run one after another in one process.
        executor=dg.in_process_executor,
    )


defs = build_definitions(warehouse_path())
