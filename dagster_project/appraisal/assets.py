"""The annual appraisal, scored by the shipped rules files from the marts it reads."""

from functools import cache

import duckdb
from dagster import AssetsDefinition, MaterializeResult, asset

from appraisal.store import write_appraisal
from core.settings import duckdb_memory_limit
from dagster_project.resources import WAREHOUSE_POOL, EmstatHome
from dagster_project.warehouse.assets import model_key

SCORED_FROM = (
    "fct_accidents",
    "fct_inspections",
    "fct_penalties",
    "fct_targets",
    "fct_appraisal_manual",
    "dim_region",
    "dim_region_ancestry",
)


@cache
def build_appraisal_scores() -> AssetsDefinition:
    @asset(
        key=["appraisal", "appraisal_scores"],
        deps=[model_key(model) for model in SCORED_FROM],
        group_name="appraisal",
        pool=WAREHOUSE_POOL,
        description="appraisal.appraisal_scores, appraisal_sections and appraisal_lines: every region scored among "
        "its siblings for each year a shipped rules file covers, each point with its evidence.",
    )
    def appraisal_scores(emstat: EmstatHome) -> MaterializeResult:
        with duckdb.connect(str(emstat.paths.warehouse), config={"memory_limit": duckdb_memory_limit()}) as con:
            scored, rescored = write_appraisal(con)
        return MaterializeResult(
            metadata={
                **{f"regions_scored_{year}": count for year, count in scored.items()},
                "years_scored_again": ", ".join(map(str, rescored)) or "none: no year's records changed",
            }
        )

    return appraisal_scores
