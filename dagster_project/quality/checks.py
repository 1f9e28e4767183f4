"""Great Expectations suites as blocking asset checks: an error-severity failure stops what is downstream
(dbt after a raw source, publish after a model); a warning is reported and lets the run publish."""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from core.clock import local_now
from dagster_project.ingest.assets import RAW_KEYS
from dagster_project.resources import WAREHOUSE_POOL, EmstatHome
from dagster_project.retries import transient_retries
from dagster_project.warehouse.assets import model_key
from expectations.gate import validate_suite
from expectations.gx_duckdb import ExpectationOutcome
from expectations.policy import load_policy
from expectations.suites import suite_guards, suite_named


def check_result(outcomes: list[ExpectationOutcome], data_docs: str, validated_in_run: str) -> AssetCheckResult:
    failed = [o for o in outcomes if not o.success]
    blocking = [o for o in failed if o.severity == "error"]
    return AssetCheckResult(
        passed=not failed,
        severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
        description="; ".join(o.expectation for o in failed) or None,
        metadata={
            "expectations": len(outcomes),
            "failed": len(failed),
            "failures": MetadataValue.json(
                [
                    {
                        "expectation": o.expectation,
                        "severity": o.severity,
                        "observed": o.observed,
                        "failing_ids": list(o.failing_ids),
                        "hint": o.hint,
                    }
                    for o in failed
                ]
            ),
            "data_docs": MetadataValue.path(data_docs),
            # Another run's id when this suite met the very rows it was last validated on, the same day.
            "validated_in_run": validated_in_run,
        },
    )


def _guarded_key(guards: str) -> AssetKey:
    if guards.startswith("raw/"):
        return RAW_KEYS[guards.removeprefix("raw/")]
    return model_key(guards)


def suite_check(suite_name: str, guards: str) -> AssetChecksDefinition:
    # In the writers' pool: GX reads the file while no step writes it, then the outcomes are written.
    @asset_check(
        asset=_guarded_key(guards),
        name=f"{suite_name}_expectations",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"Great Expectations suite {suite_name} (severities in expectations/policy.yaml).",
    )
    def _check(context: AssetCheckExecutionContext, emstat: EmstatHome) -> AssetCheckResult:
        now = local_now()
        suite = suite_named(suite_name, load_policy(), now.date())
        with transient_retries(context.op_execution_context.retry_number):
            outcomes, earlier_run = validate_suite(emstat.paths, suite, context.run.run_id, now)
        return check_result(outcomes, str(emstat.paths.data_docs), earlier_run or context.run.run_id)

    return _check


def build_quality_checks() -> list[AssetChecksDefinition]:
    """One blocking check per suite, made when the definitions load."""
    return [suite_check(name, guards) for name, guards in suite_guards()]


def raw_checked() -> list[AssetKey]:
    """The raw tables a suite guards, which a build checks again before the models."""
    return [RAW_KEYS[guards.removeprefix("raw/")] for _, guards in suite_guards() if guards.startswith("raw/")]
