"""Every dbt seed, model and test as Dagster assets and checks, built with `dbt build`.

Partitioned by article day like extraction: incremental models replace only
the run's days (``CLAIMHOUSE_MIN_DAY``/``CLAIMHOUSE_MAX_DAY`` in dbt's
environment, read by the macro ``in_run_days``); when the project's models or
lexicons changed since the last build, or the run asks for it (tag
``claimhouse/full_refresh``: ``claimhouse run --full-refresh``), the build is a
full refresh.

What a small run pays whatever its size is kept down without checking less:
- dbt re-parses only what changed: the days reach dbt through its environment
  rather than ``--vars`` (new vars every run made dbt parse the whole project
  again), and each warehouse keeps its own dbt target folder, whose
  ``partial_parse.msgpack`` matches its profile (the database path is part of
  the profile: a shared folder re-parsed in full whenever the path changed);
- seeds and dbt's unit tests run only in a full refresh: both depend on the
  project alone (its files, which the fingerprint covers), not on the data, so
  an unchanged project has nothing new for them to load or check.  Every data
  test runs in every build; a test that groups or joins every row of an
  incremental model (the contradiction pairs' keys and references, the
  mentions' key) reads the rows from the run's first day on when the last
  build of this warehouse passed, which checked the rows before it as they
  are (``CLAIMHOUSE_CHECK_FROM_DAY``; dbt macros rows_this_build_wrote and
  get_where_subquery).
"""

import hashlib
import json
import os
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipelines.defs.dbt.project import dbt_project, project_fingerprint
from pipelines.defs.jobs import FULL_REFRESH_TAG
from pipelines.defs.partitions import daily_partitions, day_window, single_run_backfill
from pipelines.defs.resources import WarehouseResource
from pipelines.engines import spark_runner
from pipelines.settings import DBT_DATABASE_ENV_VAR, DBT_PROJECT_DIR, engine
from pipelines.storage import dbt_builds

# Read by the dbt macro rows_this_build_wrote: the first day whose rows a build's tests must read.
CHECK_FROM_DAY_ENV_VAR = "CLAIMHOUSE_CHECK_FROM_DAY"


class SchemaQualifiedTranslator(DagsterDbtTranslator):
    """Asset key = table: ``marts/fct_claims`` for model fct_claims in schema marts.

    Sources keep the default ``[source, table]`` (``raw/articles``), which is the
    key of the Python asset that writes them, so the graph joins up.
    """

    def get_asset_key(self, dbt_resource_props):  # noqa: ANN001 - dagster-dbt's own signature
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_automation_condition(self, dbt_resource_props):  # noqa: ANN001 - dagster-dbt's own signature
        """Models follow their upstream: rebuilt when new raw rows or seed edits land."""
        return dg.AutomationCondition.eager()


def warehouse_target_path(working_path: Path) -> Path:
    """dbt's target folder for builds of one warehouse (under the project's ``target/``): its
    ``partial_parse.msgpack`` was written with this warehouse's profile, so the next build of the
    same warehouse parses only what changed."""
    digest = hashlib.sha256(str(Path(working_path).resolve()).encode()).hexdigest()[:12]
    return DBT_PROJECT_DIR / "target" / f"warehouse-{digest}"


def last_build_passed(target_path: Path) -> bool:
    """Whether dbt's last build in ``target_path`` ran every node without an error or a failed test."""
    try:
        results = json.loads((target_path / "run_results.json").read_text())["results"]
    except (OSError, ValueError, KeyError):
        return False
    return all(result.get("status") in ("success", "pass", "skipped") for result in results)


translator = SchemaQualifiedTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    project=dbt_project,
    partitions_def=daily_partitions,
    backfill_policy=single_run_backfill,
)
def claimhouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Seeds, staging, intermediate and marts, with their dbt tests as asset checks."""
    window = day_window(context)
    on_spark = engine() == "spark"
    # The other engine's tables are not this one's: switching engines rebuilds in full,
    # and so does a Spark catalog that is missing (a new or moved handoff root).
    fingerprint = project_fingerprint() + ("-spark" if on_spark else "")
    with warehouse.connect() as con:
        project_changed = dbt_builds.last_fingerprint(con) != fingerprint
    refresh_reason = (
        "the project changed since the last build" if project_changed
        else "requested" if context.run.tags.get(FULL_REFRESH_TAG) == "true"
        else "the Spark catalog is missing" if on_spark and not spark_runner.spark_catalog_exists()
        else None
    )
    full_refresh = refresh_reason is not None
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    else:
        # The fingerprint covers the seeds and the unit tests' SQL: unchanged, the seeds are
        # already loaded and the unit tests passed in the build that recorded it.
        args += ["--exclude", "resource_type:seed resource_type:unit_test"]  # one value: a union
    context.log.info(f"dbt build of {window}" + (f" as a full refresh: {refresh_reason}" if full_refresh else ""))
    # dbt reads the database path from its profile, which reads this variable:
    # set it so dbt writes the working copy the Python assets wrote.
    os.environ[DBT_DATABASE_ENV_VAR] = str(warehouse.working_path)
    # The run's days, read by the in_run_days macro (the environment, unlike --vars, leaves
    # dbt's partial parsing valid).
    os.environ.update(window.as_dbt_env())
    target_path = warehouse_target_path(warehouse.working_path)
    # Tests of the models rebuilt from the run's first day on read only the rows this build
    # writes, when the rows before it passed the last build's tests (macro rows_this_build_wrote).
    scoped = not full_refresh and window.first is not None and last_build_passed(target_path)
    os.environ[CHECK_FROM_DAY_ENV_VAR] = window.first.isoformat() if scoped else ""
    if on_spark:  # the raw tables go to Spark's catalog; dbt builds there
        args += spark_runner.prepare_dbt(warehouse)
    yield from dbt.cli(args, context=context, target_path=target_path).stream()
    with warehouse.connect() as con:
        if on_spark:  # readers keep querying marts.* in DuckDB: views over the Spark marts
            views = spark_runner.expose_marts(con)
            context.log.info(f"{len(views)} DuckDB views over the Spark marts: {', '.join(views)}")
        dbt_builds.record_build(con, fingerprint, full_refresh, window.first, window.last)
