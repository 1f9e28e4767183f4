"""Jobs the command line and schedules run."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from dagster_project.appraisal.assets import appraisal_scores
from dagster_project.ingest.assets import raw_tables
from dagster_project.publish.assets import published_warehouse
from dagster_project.quality.checks import RAW_CHECKED
from dagster_project.warehouse.assets import warehouse_models

RAW = AssetSelection.assets(raw_tables)
# A build re-checks the raw sources too, so a defect found there still stops the models and publish.
BUILD = (AssetSelection.assets(warehouse_models, appraisal_scores, published_warehouse)
         | AssetSelection.checks_for_assets(*RAW_CHECKED))

ingest_job = define_asset_job("ingest", selection=RAW, description="Load landing files into the raw schema.")
build_job = define_asset_job("build", selection=BUILD, description="dbt build, checks, publish.")
pipeline_job = define_asset_job("pipeline", selection=RAW | BUILD, description="Ingest, build, check, publish.")
