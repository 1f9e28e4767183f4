"""Validate a suite against a warehouse file, and keep its outcomes in the warehouse of an EMSTAT_HOME."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from emstat.settings import Home
from expectations.gx_duckdb import ExpectationOutcome, validate_table
from expectations.results import record_outcomes
from expectations.suites import VIEW_SCHEMA, Suite


def validate_suite_file(database: Path, suite: Suite, docs_root: Path | None = None) -> list[ExpectationOutcome]:
    if not suite.expectations:
        return []
    if suite.is_query:
        # GX learns a query asset's columns by running the query in full: a view is described by the catalog.
        with duckdb.connect(str(database)) as con:
            con.execute(f"create schema if not exists {VIEW_SCHEMA}")
            con.execute(f"create or replace view {suite.schema}.{suite.table} as {suite.relation}")
    return validate_table(database, suite.schema, suite.table, suite.name, list(suite.expectations),
                          id_column=suite.id_column, docs_root=docs_root)


def validate_suite(home: Home, suite: Suite, run_id: str, now: datetime) -> list[ExpectationOutcome]:
    outcomes = validate_suite_file(home.warehouse, suite, home.gx)
    # GX has closed its read-only connections by now; DuckDB allows this writer again.
    with duckdb.connect(str(home.warehouse)) as con:
        record_outcomes(con, run_id, suite.name, suite.guards, outcomes, now)
    return outcomes
