"""The published snapshot: the last asset of every run, after every blocking check."""

from datetime import UTC, datetime

import dagster as dg

from pipelines.defs.dbt.assets import claimhouse_dbt_assets
from pipelines.defs.partitions import daily_partitions, single_run_backfill
from pipelines.defs.resources import WarehouseResource
from pipelines.storage import dbt_builds

MART_KEYS = [key for key in claimhouse_dbt_assets.keys if key.path[0] == "marts"]


@dg.asset(
    key=["warehouse", "published_snapshot"],
    deps=MART_KEYS,
    group_name="publish",
    partitions_def=daily_partitions,
    backfill_policy=single_run_backfill,
    automation_condition=dg.AutomationCondition.eager(),
    description="The read-only snapshot readers query: replaced atomically once the marts and their checks pass.",
)
def published_snapshot(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    started = datetime.now(UTC).replace(tzinfo=None)
    size = warehouse.publish()
    # Recorded in the working copy once readers have it: articles loaded before
    # `started` are published; a run stopped before here leaves them pending.
    with warehouse.connect() as con:
        dbt_builds.record_publish(con, started)
    context.log.info(f"published {warehouse.working_path} to {warehouse.path} ({size:,} bytes)")
    return dg.MaterializeResult(metadata={"path": warehouse.path, "bytes": size})
