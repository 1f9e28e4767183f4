"""Publish: the read-only copy readers use, written only after every blocking check upstream passed."""

from dagster import MaterializeResult, asset

from dagster_project.appraisal.assets import appraisal_scores
from dagster_project.resources import WAREHOUSE_POOL, EmstatHome
from dagster_project.warehouse.assets import warehouse_models
from emstat.publish import publish
from ingest.loader import local_now


@asset(deps=[*warehouse_models.keys, appraisal_scores], group_name="publish", pool=WAREHOUSE_POOL)
def published_warehouse(emstat: EmstatHome) -> MaterializeResult:
    publication = publish(emstat.paths.warehouse, emstat.paths.published, local_now())
    return MaterializeResult(metadata={
        "path": str(publication.path),
        "published_at": publication.published_at.isoformat(timespec="seconds"),
        "size_bytes": publication.size_bytes,
    })
