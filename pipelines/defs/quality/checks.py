"""Dagster asset checks: one per Great Expectations suite file in ``expectations/``.

Each check runs its suite (``pipelines.quality.suites.run_suite``) on a
read-only connection to the warehouse. The suite file decides the asset (its
table, ``raw.articles`` -> ``raw/articles``), whether the check blocks
downstream assets, and its description; the checks here are thin wiring.

A check reads the rows its run wrote (``rows_this_run_wrote``), as the dbt tests of the
incremental models do, so its cost follows the run rather than the warehouse: the rows
before them passed this check's last evaluation.
"""

from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.jobs import FULL_REFRESH_TAG
from pipelines.defs.partitions import run_tags_day_window
from pipelines.defs.resources import WarehouseResource
from pipelines.quality.suites import RowScope, Suite, SuiteResult, load_suite, run_suite, suite_paths
from pipelines.storage.check_results import last_result_passed, record_check_result

__all__ = ["build_suite_check", "check_result", "quality_checks", "rows_this_run_wrote"]


def rows_this_run_wrote(
    context: dg.AssetCheckExecutionContext, con: duckdb.DuckDBPyConnection, check_name: str
) -> RowScope | None:
    """The rows a check of this run reads: those of the run's days, or those it loaded.  None (every
    row) on a full refresh, and when the check's last evaluation on this warehouse failed or never ran:
    rows it did not pass are read again until they do."""
    if not last_result_passed(con, check_name):
        return None
    run = context.run
    if run.tags.get(FULL_REFRESH_TAG) == "true":
        return None
    window = run_tags_day_window(run.tags)
    return RowScope(first_day=window.first, last_day=window.last, run_id=run.run_id)


def check_result(result: SuiteResult) -> dg.AssetCheckResult:
    """Turn a suite's result into an ERROR-severity check result with the failures as metadata."""
    failures = result.failures_as_json()
    metadata: dict[str, object] = {
        "suite": result.suite,
        "n_rows": result.n_rows,
        "rows_read": result.scope or "every row",
        "n_expectations": len(result.expectations),
        "n_failed_expectations": len(failures),
        "failing_expectations": dg.MetadataValue.text(
            ", ".join(f"{f['type']}({f['column']})" for f in failures) or "none"
        ),
        "failures": dg.MetadataValue.json(failures),
        "summary": dg.MetadataValue.md(f"```\n{result.summary()}\n```"),
    }
    if result.error:
        metadata["error"] = result.error
    if result.success:
        description = f"{result.suite}: all {len(result.expectations)} expectations met over {result.rows_read}."
    elif result.error:
        description = f"{result.suite}: {result.error}"
    else:
        description = f"{result.suite} failed {len(failures)} expectation(s): " + "; ".join(
            f"{f['type']}({f['column']}) {f['unexpected_count']} unexpected, e.g. {f['unexpected_sample'][:3]}"
            + (f" in rows {f['unexpected_ids'][:3]}" if f["unexpected_ids"] else "")
            + (f" ({f['error']})" if "error" in f else "")
            for f in failures
        )
    return dg.AssetCheckResult(
        passed=result.success,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata=metadata,
        description=description,
    )


def build_suite_check(suite_path: Path) -> dg.AssetChecksDefinition:
    """The asset check for one suite file, named ``gx_<suite name>``."""
    suite: Suite = load_suite(suite_path)
    # Recorded under this name, and read back to decide which rows the next run's check reads.
    check_name = f"gx_{suite.name}"

    @dg.asset_check(
        asset=dg.AssetKey(suite.table.split(".")),
        name=check_name,
        blocking=suite.blocking,
        description=f"Great Expectations suite expectations/{suite_path.name}: {suite.description}",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        try:
            with warehouse.connect(read_only=True) as con:
                result = run_suite(con, suite_path, rows_this_run_wrote(context, con, check_name))
        except duckdb.IOException as error:
            result = SuiteResult(
                suite=suite.name, table=suite.table, success=False, n_rows=0,
                error=f"cannot open the warehouse {warehouse.path}: {error}",
                blocking=suite.blocking, description=suite.description,
            )
        evaluation = check_result(result)
        # Dagster logs a check's evaluation as a debug event; its verdict belongs in the run's log.
        (context.log.info if evaluation.passed else context.log.error)(evaluation.description)
        with warehouse.connect() as con:
            record_check_result(con, check_name, suite.table, evaluation.passed,
                                evaluation.severity.value, evaluation.description or "")
        return evaluation

    return _check


quality_checks: list[dg.AssetChecksDefinition] = [build_suite_check(path) for path in suite_paths()]
