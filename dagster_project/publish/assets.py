"""Publish: the read-only copy readers use, written only after every blocking check upstream passed."""

import duckdb
from dagster import AssetExecutionContext, MaterializeResult, asset

from dashboards.service import refresh_after_publish
from dagster_project.appraisal.assets import appraisal_scores
from dagster_project.operations.retries import transient_retries
from dagster_project.resources import WAREHOUSE_POOL, EmstatHome
from dagster_project.warehouse.assets import warehouse_models
from emstat.build_inputs import mark_build_published
from emstat.publish import publish
from emstat.run_history import publishing_record, record_finished_runs, write_records
from expectations.results import mark_published
from ingest.loader import local_now


@asset(deps=[*warehouse_models.keys, appraisal_scores], group_name="publish", pool=WAREHOUSE_POOL)
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
    dashboards = refresh_after_publish(emstat.paths)
    return MaterializeResult(metadata={
        "dashboards_refreshed": dashboards is not None,
        "path": str(publication.path),
        "published_at": publication.published_at.isoformat(timespec="seconds"),
        "size_bytes": publication.size_bytes,
    })
