"""Jobs the command line and schedules run, by name: ingest, build, pipeline."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from dagster_project.dashboards.assets import build_superset_dashboards
from dagster_project.ingest.assets import raw_tables
from dagster_project.publish.assets import build_published_warehouse
from dagster_project.quality.checks import raw_checked
from dagster_project.warehouse.assets import build_warehouse_models

PIPELINE_JOB = "pipeline"  # what the schedules and the landing sensor start


def build_jobs() -> list:
    raw = AssetSelection.assets(raw_tables)
    # A build re-checks the raw sources too, so a defect found there still stops the models and publish.
    build = AssetSelection.assets(
        build_warehouse_models(), build_published_warehouse(), build_superset_dashboards()
    ) | AssetSelection.checks_for_assets(*raw_checked())
    return [
        define_asset_job("ingest", selection=raw, description="Load landing files into the raw schema."),
        define_asset_job("build", selection=build, description="dbt build, checks, publish, dashboards."),
        define_asset_job(PIPELINE_JOB, selection=raw | build, description="Ingest, build, check, publish."),
    ]
