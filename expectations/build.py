"""The building blocks of the suites: a Suite, and how an expectation is tagged (the policy check it belongs to,
its severity, what to tell the statistician)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

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


def meta(policy: Policy, check: str, hint: str, name: str | None = None) -> dict[str, Any]:
    found = {"severity": policy.severity(check), "check": check, "hint": hint}
    return found | ({"name": name} if name else {})


def sql_expectation(policy: Policy, check: str, name: str, hint: str, query: str) -> gxe.UnexpectedRowsExpectation:
    """A finding per row of `query`, named in its failing_id column; `{batch}` stands for the suite's table."""
    return gxe.UnexpectedRowsExpectation(unexpected_rows_query=query, meta=meta(policy, check, hint, name))
