"""The dbt models: staging, intermediate, marts and KPI tables, built with `dbt build` and their data tests.
The incremental models add the loads since the last published build, unless dagster_project/warehouse/build_inputs.py finds a
reason to rebuild them from every record."""

import json
from datetime import date
from functools import cache

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, Config
from dagster_dbt import DbtCliResource, dbt_assets, get_asset_key_for_model

from appraisal.rule_rows import write_rule_tables
from appraisal.rules import shipped_schemes
from core.clock import local_now
from core.periods import default_data_through
from dagster_project.resources import WAREHOUSE_POOL, EmstatHome
from dagster_project.retries import transient_retries
from dagster_project.warehouse.build_inputs import record_build_started
from dagster_project.warehouse.project import dbt_manifest, emstat_dbt


class WarehouseConfig(Config):
    data_through: str = ""  # YYYY-MM-DD, the last day the figures run through; the day before today when empty


@cache
def build_warehouse_models() -> AssetsDefinition:
    """The dbt models as assets, made once per process when the definitions load (the manifest is parsed first
    if it is missing or stale)."""

    @dbt_assets(manifest=dbt_manifest(), project=emstat_dbt, pool=WAREHOUSE_POOL)
    def warehouse_models(
        context: AssetExecutionContext, config: WarehouseConfig, dbt: DbtCliResource, emstat: EmstatHome
    ):
        now = local_now()
        through = date.fromisoformat(config.data_through) if config.data_through else default_data_through(now.date())
        # Taking the file to record what this build is made of also shows dbt will find it free.
        with transient_retries(context.retry_number), duckdb.connect(str(emstat.paths.warehouse)) as con:
            rebuild_because = record_build_started(con, now.date(), now, through)
            # The shipped appraisal schemes as rows, which the appraisal models score from.
            write_rule_tables(con, [(scheme, scheme.years) for scheme in shipped_schemes()])
        if rebuild_because:
            context.log.info(f"dbt rebuilds its incremental models from every record: {rebuild_because}")
        # The unit tests' inputs are fixed, so the test suite runs them (tests/pipeline/test_dbt_unit_tests.py);
        # a build runs the data tests, which read what the records made.
        # One target folder per home, not a new one per run: dbt keeps its parsed project there and reparses only
        # what changed (3 s of a small build), and the project folder does not fill with a folder per build.
        # A period still in progress is cut at data_through (dbt/macros/periods.sql).
        yield from dbt.cli(
            [
                "build",
                "--exclude-resource-type",
                "unit_test",
                "--vars",
                json.dumps({"data_through": through.isoformat()}),
                *(["--full-refresh"] if rebuild_because else []),
            ],
            context=context,
            target_path=emstat.paths.dbt_target,
        ).stream()

    return warehouse_models


def model_key(model: str) -> AssetKey:
    return get_asset_key_for_model([build_warehouse_models()], model)
