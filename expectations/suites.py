"""Every expectation suite emstat runs, assembled from the contract, the policy and the marts.

A suite guards one Dagster asset: a raw source (`raw/<source>`, checked before dbt builds on it) or a dbt
model (checked before publish). Each expectation carries in its meta the policy check it belongs to, its
severity, a display name and a hint telling the statistician what to do.
"""

from __future__ import annotations

from datetime import date

from expectations.build import Suite
from expectations.contract_suites import batch_suites
from expectations.kpi_checks import KPI_MODELS, kpi_suites
from expectations.policy import Policy
from expectations.record_checks import RECORD_MARTS, mart_suites
from ingest.contract import SOURCES


def suite_guards() -> list[tuple[str, str]]:
    """(suite, the asset it guards) for every suite, whatever the policy says: one Dagster check each."""
    return [
        *[(f"batch_{s.name}", f"raw/{s.name}") for s in SOURCES],
        ("files", "raw/files"),
        *[(m.model, m.model) for m in RECORD_MARTS.values()],
        ("dim_region", "dim_region"),
        *[(m.model, m.model) for m in KPI_MODELS],
    ]


def all_suites(policy: Policy, today: date) -> list[Suite]:
    return [*batch_suites(policy, today), *mart_suites(policy, today), *kpi_suites(policy)]


def suite_named(name: str, policy: Policy, today: date) -> Suite:
    for suite in all_suites(policy, today):
        if suite.name == name:
            return suite
    raise KeyError(name)
