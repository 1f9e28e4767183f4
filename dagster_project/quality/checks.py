"""Great Expectations suites run as blocking asset checks: an error-severity failure stops publish."""

from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check
from dagster_dbt import get_asset_key_for_model

from dagster_project.ingest.assets import RAW_KEYS
from dagster_project.resources import EmstatHome
from dagster_project.warehouse.assets import warehouse_models
from expectations import suites
from expectations.gx_duckdb import ExpectationOutcome, validate_table


def run_suite(suite: suites.Suite, emstat: EmstatHome) -> AssetCheckResult:
    outcomes = validate_table(emstat.paths.warehouse, suite.schema, suite.table, suite.name,
                              list(suite.expectations), id_column=suite.id_column)
    return check_result(outcomes)


def check_result(outcomes: list[ExpectationOutcome]) -> AssetCheckResult:
    failed = [o for o in outcomes if not o.success]
    blocking = [o for o in failed if o.severity == "error"]
    return AssetCheckResult(
        passed=not failed,
        severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
        description="; ".join(o.expectation for o in failed) or None,
        metadata={
            "expectations": len(outcomes),
            "failed": len(failed),
            "failures": MetadataValue.json([
                {"expectation": o.expectation, "severity": o.severity, "observed": o.observed,
                 "failing_ids": list(o.failing_ids)}
                for o in failed
            ]),
        },
    )


@asset_check(asset=RAW_KEYS["accidents"], blocking=True, name="accidents_batch_expectations",
             description="GX suite on raw.accidents, generated from the contract.")
def raw_accidents_expectations(emstat: EmstatHome) -> AssetCheckResult:
    return run_suite(suites.raw_accidents(), emstat)


@asset_check(asset=get_asset_key_for_model([warehouse_models], "kpi_accident_yoy"), blocking=True, name="kpi_expectations",
             description="GX suite on kpi.kpi_accident_yoy: keys unique, counts plausible.")
def kpi_accident_yoy_expectations(emstat: EmstatHome) -> AssetCheckResult:
    return run_suite(suites.kpi_accident_yoy(), emstat)
