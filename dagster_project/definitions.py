"""Assembles the emstat code location; every piece is defined in its domain folder."""

from dagster import Definitions

from dagster_project.appraisal.assets import appraisal_scores
from dagster_project.ingest.assets import raw_tables
from dagster_project.jobs import build_job, ingest_job, pipeline_job
from dagster_project.operations.history import run_history_sensor
from dagster_project.operations.notifications import failure_notifier
from dagster_project.operations.schedules import daily_refresh, landing_sensor, monthly_close
from dagster_project.publish.assets import published_warehouse
from dagster_project.quality.checks import quality_checks
from dagster_project.resources import build_resources
from dagster_project.warehouse.assets import warehouse_models

defs = Definitions(
    assets=[raw_tables, warehouse_models, appraisal_scores, published_warehouse],
    asset_checks=quality_checks,
    jobs=[ingest_job, build_job, pipeline_job],
    schedules=[monthly_close, daily_refresh],
    sensors=[landing_sensor, failure_notifier, run_history_sensor],
    resources=build_resources(),
)
