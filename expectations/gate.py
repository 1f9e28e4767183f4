"""Validate a suite against a warehouse file, and keep its outcomes in the warehouse of an EMSTAT_HOME."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path

import duckdb

from emstat.build_inputs import raw_digest
from emstat.settings import Home
from expectations.gx_duckdb import ExpectationOutcome, validate_table
from expectations.results import outcomes_for_inputs, record_outcomes, remember_inputs
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


def validate_suite(home: Home, suite: Suite, run_id: str,
                   now: datetime) -> tuple[list[ExpectationOutcome], str | None]:
    """The suite's outcomes, and the run they were found by when this is the same validation again: a raw
    suite whose definition, rows and day are those it was last validated on gives the same answer, so that
    answer is recorded for this run without GX reading the tables again."""
    inputs_key = None
    if suite.guards.startswith("raw/"):
        with duckdb.connect(str(home.warehouse)) as con:
            inputs_key = _raw_inputs_key(con, suite, now.date())
            earlier = outcomes_for_inputs(con, suite.name, inputs_key)
            if earlier is not None:
                record_outcomes(con, run_id, suite.name, suite.guards, earlier[1], now)
                return earlier[1], earlier[0]
    outcomes = validate_suite_file(home.warehouse, suite, home.gx)
    # GX has closed its read-only connections by now; DuckDB allows this writer again.
    with duckdb.connect(str(home.warehouse)) as con:
        record_outcomes(con, run_id, suite.name, suite.guards, outcomes, now)
        if inputs_key is not None:
            remember_inputs(con, suite.name, inputs_key, run_id)
    return outcomes, None


def _raw_inputs_key(con: duckdb.DuckDBPyConnection, suite: Suite, today: date) -> str:
    definition = json.dumps([suite.relation, suite.id_column, [e.json() for e in suite.expectations]])
    tables = set(re.findall(r"\braw\.(\w+)", definition))
    return hashlib.sha256(f"{definition}\0{raw_digest(con, tables)}\0{today.isoformat()}".encode()).hexdigest()
