"""The dbt models: staging, intermediate, marts and KPI tables, built with `dbt build` (tests included)."""

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from dagster_project.operations.retries import wait_for_writer_slot
from dagster_project.resources import WAREHOUSE_POOL, EmstatHome
from dagster_project.warehouse.project import emstat_dbt


@dbt_assets(manifest=emstat_dbt.manifest_path, project=emstat_dbt, pool=WAREHOUSE_POOL)
def warehouse_models(context: AssetExecutionContext, dbt: DbtCliResource, emstat: EmstatHome):
    wait_for_writer_slot(emstat.paths.warehouse, context.retry_number)
    yield from dbt.cli(["build"], context=context).stream()
