"""The published snapshot: the last asset of every run, after every blocking check."""

import dagster as dg

from pipelines.defs.dbt.assets import claimhouse_dbt_assets
from pipelines.defs.partitions import daily_partitions, single_run_backfill
from pipelines.defs.resources import WarehouseResource

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
    size = warehouse.publish()
    context.log.info(f"published {warehouse.working_path} to {warehouse.path} ({size:,} bytes)")
    return dg.MaterializeResult(metadata={"path": warehouse.path, "bytes": size})
