"""Publish: the read-only copy readers use, written only after every blocking check upstream passed."""

from functools import cache

import duckdb
from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, asset

from core.clock import local_now
from dagster_project.publish.publication import publish
from dagster_project.resources import WAREHOUSE_POOL, EmstatHome
from dagster_project.retries import transient_retries
from dagster_project.runs.history import publishing_record, record_finished_runs, write_records
from dagster_project.warehouse.assets import build_warehouse_models
from dagster_project.warehouse.build_inputs import mark_build_published
from expectations.results import mark_published


@cache
def build_published_warehouse() -> AssetsDefinition:
    @asset(deps=[*build_warehouse_models().keys], group_name="publish", pool=WAREHOUSE_POOL)
    def published_warehouse(context: AssetExecutionContext, emstat: EmstatHome) -> MaterializeResult:
        now = local_now()
        # Marked before the copy, so the published file itself says which run's checks it passed and lists
        # this run in its history.
        with transient_retries(context.retry_number):
            with duckdb.connect(str(emstat.paths.warehouse)) as con:
                mark_published(con, context.run_id, now)
                mark_build_published(con, now)
                record_finished_runs(con, context.instance)
                write_records(con, [publishing_record(context.instance, context.run_id, now)])
            publication = publish(emstat.paths.warehouse, emstat.paths.published, now)
        return MaterializeResult(
            metadata={
                "path": str(publication.path),
                "published_at": publication.published_at.isoformat(timespec="seconds"),
                "size_bytes": publication.size_bytes,
            }
        )

    return published_warehouse
