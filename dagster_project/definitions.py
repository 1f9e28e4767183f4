"""Assembles the emstat code location; every piece is defined in its domain folder. The dbt project is parsed
(when stale) and the checks are made here, when the definitions load, not when a module is imported."""

from dagster import Definitions
from dagster_dbt import DbtCliResource

from core.settings import DBT_EXECUTABLE
from dagster_project.dashboards.assets import build_superset_dashboards
from dagster_project.ingest.assets import raw_tables
from dagster_project.jobs import build_jobs
from dagster_project.operations.history import run_history_sensor
from dagster_project.operations.notifications import failure_notifier
from dagster_project.operations.schedules import daily_refresh, landing_sensor, monthly_close
from dagster_project.publish.assets import build_published_warehouse
from dagster_project.quality.checks import build_quality_checks
from dagster_project.resources import EmstatHome
from dagster_project.warehouse.assets import build_warehouse_models
from dagster_project.warehouse.project import emstat_dbt

defs = Definitions(
    assets=[
        raw_tables,
        build_warehouse_models(),
        build_published_warehouse(),
        build_superset_dashboards(),
    ],
    asset_checks=build_quality_checks(),
    jobs=build_jobs(),
    schedules=[monthly_close, daily_refresh],
    sensors=[landing_sensor, failure_notifier, run_history_sensor],
    resources={"emstat": EmstatHome(), "dbt": DbtCliResource(project_dir=emstat_dbt, dbt_executable=DBT_EXECUTABLE)},
)
