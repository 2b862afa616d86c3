"""Freshness: did any new article arrive within the window?"""

from datetime import UTC, datetime, timedelta

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.settings import FRESHNESS_ENV_VAR, freshness_hours
from pipelines.storage.check_results import record_check_result


@dg.asset_check(
    asset=dg.AssetKey(["raw", "articles"]),
    description=f"Fails when no new article was loaded within ${FRESHNESS_ENV_VAR} hours (default 48).",
)
def articles_are_fresh(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    window = timedelta(hours=freshness_hours())
    with warehouse.connect(read_only=True) as con:
        [(latest,)] = con.execute("select max(first_loaded_at) from raw.articles").fetchall()
    now = datetime.now(UTC).replace(tzinfo=None)
    passed = latest is not None and now - latest <= window
    age = "never" if latest is None else f"{(now - latest).total_seconds() / 3600:.1f} hours ago"
    description = f"latest new article loaded {age}; the window is {window.total_seconds() / 3600:g} hours"
    with warehouse.connect() as con:
        record_check_result(con, "articles_are_fresh", "raw.articles", passed, "WARN", description)
    return dg.AssetCheckResult(
        passed=passed,
        severity=dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={"latest_loaded_at": str(latest), "window_hours": window.total_seconds() / 3600},
    )
