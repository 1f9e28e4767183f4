"""Every expectation suite emstat runs, assembled from the contract, the policy and the marts.

A suite guards one Dagster asset: a raw source (`raw/<source>`, checked before dbt builds on it) or a dbt
model (checked before publish). Each expectation carries in its meta the policy check it belongs to, its
severity, a display name and a hint telling the statistician what to do.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations.expectations as gxe  # noqa: E402

from expectations.policy import Policy  # noqa: E402


# GX reads a query suite's rows from a view of the suite's name in this schema, or from a table while a
# few new rows are judged (gate.validate_suite_file).
BATCH_SCHEMA = "quality"


@dataclass(frozen=True)
class Suite:
    name: str
    guards: str  # "raw/<source>" or the name of a dbt model
    relation: str  # schema.table, or a SELECT when `is_query`
    id_column: str | None  # names failing rows of column expectations
    expectations: tuple[gxe.Expectation, ...]
    is_query: bool = False

    @property
    def schema(self) -> str:
        return BATCH_SCHEMA if self.is_query else self.relation.split(".")[0]

    @property
    def table(self) -> str:
        return self.name if self.is_query else self.relation.split(".")[1]

    @property
    def definition(self) -> str:
        """What the suite reads and checks, as text: equal text, equal checks."""
        return json.dumps([self.relation, self.id_column, [e.json() for e in self.expectations]])

    @property
    def raw_tables(self) -> list[str]:
        return sorted(set(re.findall(r"\braw\.(\w+)", self.definition)))


def suite_guards() -> list[tuple[str, str]]:
    """(suite, the asset it guards) for every suite, whatever the policy says: one Dagster check each."""
    from expectations.kpi_checks import KPI_MODELS
    from expectations.record_checks import RECORD_MARTS
    from ingest.contract import SOURCES

    return [
        *[(f"batch_{s.name}", f"raw/{s.name}") for s in SOURCES],
        ("files", "raw/files"),
        *[(m.model, m.model) for m in RECORD_MARTS.values()],
        ("dim_region", "dim_region"),
        *[(m.model, m.model) for m in KPI_MODELS],
    ]


def all_suites(policy: Policy, today: date) -> list[Suite]:
    from expectations.contract_suites import batch_suites
    from expectations.kpi_checks import kpi_suites
    from expectations.record_checks import mart_suites

    return [*batch_suites(policy, today), *mart_suites(policy, today), *kpi_suites(policy)]


def suite_named(name: str, policy: Policy, today: date) -> Suite:
    for suite in all_suites(policy, today):
        if suite.name == name:
            return suite
    raise KeyError(name)
