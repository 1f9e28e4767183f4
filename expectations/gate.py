"""Validate one suite against the warehouse of an EMSTAT_HOME and keep its outcomes there."""

from __future__ import annotations

from datetime import datetime

import duckdb

from emstat.settings import Home
from expectations.gx_duckdb import ExpectationOutcome, validate_table
from expectations.results import record_outcomes
from expectations.suites import Suite


def validate_suite(home: Home, suite: Suite, run_id: str, now: datetime) -> list[ExpectationOutcome]:
    outcomes: list[ExpectationOutcome] = []
    if suite.expectations:
        outcomes = validate_table(home.warehouse, suite.schema, suite.table, suite.name, list(suite.expectations),
                                  id_column=suite.id_column, query=suite.relation if suite.is_query else None,
                                  docs_root=home.gx)
    # GX has closed its read-only connections by now; DuckDB allows this writer again.
    with duckdb.connect(str(home.warehouse)) as con:
        record_outcomes(con, run_id, suite.name, suite.guards, outcomes, now)
    return outcomes
