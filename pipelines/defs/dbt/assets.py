"""Every dbt seed, model and test as Dagster assets and checks, built with `dbt build`."""

import os

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from pipelines.defs.dbt.project import dbt_project
from pipelines.defs.resources import WarehouseResource
from pipelines.settings import DBT_DATABASE_ENV_VAR

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


translator = SchemaQualifiedTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, project=dbt_project)
def claimhouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Seeds, staging, intermediate and marts, with their dbt tests as asset checks."""
    # dbt reads the database path from its profile, which reads this variable:
    # set it so dbt writes the working copy the Python assets wrote.
    os.environ[DBT_DATABASE_ENV_VAR] = str(warehouse.working_path)
    yield from dbt.cli(["build"], context=context).stream()
