"""The leadership dashboards, refreshed after each publication: charts read the new file on their next query, and
a running Superset is provisioned again so the dashboards open on the new period. Its own asset downstream of the
publication, so a refresh that fails never undoes a publication (dashboards/service.py logs it)."""

from functools import cache

from dagster import AssetsDefinition, MaterializeResult, asset

from dagster_project.publish.assets import build_published_warehouse
from dagster_project.resources import EmstatHome
from dashboards.service import refresh_after_publish


@cache
def build_superset_dashboards() -> AssetsDefinition:
    @asset(
        deps=[build_published_warehouse()],
        group_name="dashboards",
        description="The Superset dashboards, provisioned again after a publication when Superset is running.",
    )
    def superset_dashboards(emstat: EmstatHome) -> MaterializeResult:
        provisioned = refresh_after_publish(emstat.paths)
        return MaterializeResult(
            metadata={
                "refreshed": provisioned is not None,
                "objects_updated": len(provisioned.updated) if provisioned else 0,
            }
        )

    return superset_dashboards
