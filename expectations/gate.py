"""Validate a suite against a warehouse file, and keep its outcomes in the warehouse of an EMSTAT_HOME."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import duckdb

from core.settings import Home
from expectations.baselines import baseline_of, batch_since, read_tables, remember_baseline
from expectations.build import BATCH_SCHEMA, Suite
from expectations.gx_duckdb import MEMORY_LIMIT, ExpectationOutcome, validate_table
from expectations.results import outcomes_for_inputs, record_outcomes, remember_inputs
from ingest.raw_state import TableState


def validate_suite_file(
    database: Path, suite: Suite, docs_root: Path | None = None, stored: bool = False
) -> list[ExpectationOutcome]:
    """With `stored`, a query suite's rows are computed once into a table, dropped after: GX reads its batch
    once or twice per expectation, and each read of a view computes the query again (ranking a decade of
    revisions, or picking a few new rows out of it)."""
    if not suite.expectations:
        return []
    stored = stored and suite.is_query  # a table suite reads its own table, which is never dropped
    if suite.is_query:
        # GX learns a query asset's columns by running the query in full: a view is described by the catalog.
        with duckdb.connect(str(database), config={"memory_limit": MEMORY_LIMIT}) as con:
            con.execute(f"create schema if not exists {BATCH_SCHEMA}")
            _drop_batch(con, suite)
            con.execute(f"create {'table' if stored else 'view'} {suite.schema}.{suite.table} as {suite.relation}")
    try:
        return validate_table(
            database,
            suite.schema,
            suite.table,
            suite.name,
            list(suite.expectations),
            id_column=suite.id_column,
            docs_root=docs_root,
        )
    finally:
        if stored:
            with duckdb.connect(str(database)) as con:
                _drop_batch(con, suite)


def _drop_batch(con: duckdb.DuckDBPyConnection, suite: Suite) -> None:
    kind = con.execute(
        "select table_type from information_schema.tables where table_schema = ? and table_name = ?",
        [suite.schema, suite.table],
    ).fetchone()
    if kind is not None:
        con.execute(f"drop {'view' if kind[0] == 'VIEW' else 'table'} {suite.schema}.{suite.table}")


def validate_suite(home: Home, suite: Suite, run_id: str, now: datetime) -> tuple[list[ExpectationOutcome], str | None]:
    """The suite's outcomes, and the run they were found by when this is the same validation again: a raw
    suite whose definition, rows and day are those it was last validated on gives the same answer, so that
    answer is recorded for this run without GX reading the tables again. A raw suite that passed before
    judges only what was loaded since (expectations/baselines.py) and, should that fail, everything."""
    today = now.date()
    inputs_key = since_baseline = states = None
    if suite.guards.startswith("raw/"):
        with duckdb.connect(str(home.warehouse)) as con:
            baseline = baseline_of(con, suite, today)
            states = read_tables(con, suite, baseline)
            inputs_key = _raw_inputs_key(suite, states, today)
            earlier = outcomes_for_inputs(con, suite.name, inputs_key)
            if earlier is not None:
                record_outcomes(con, run_id, suite.name, suite.guards, earlier[1], now)
                return earlier[1], earlier[0]
            since_baseline = batch_since(suite, baseline, states)
    outcomes = None
    if since_baseline is not None:
        outcomes = validate_suite_file(home.warehouse, since_baseline, home.gx, stored=True)
        # Counts and ids of a failure are the whole table's: those are found by judging it all.
        if not all(o.success for o in outcomes):
            outcomes = None
    if outcomes is None:
        # A raw suite's current revisions are ranked once, not once per expectation (batch_accidents at 10
        # million: 9.8 s instead of 30.9 s); a mart suite's query only names the rows of one table.
        outcomes = validate_suite_file(home.warehouse, suite, home.gx, stored=suite.guards.startswith("raw/"))
    # GX has closed its read-only connections by now; DuckDB allows this writer again.
    with duckdb.connect(str(home.warehouse)) as con:
        record_outcomes(con, run_id, suite.name, suite.guards, outcomes, now)
        if inputs_key is not None:
            remember_inputs(con, suite.name, inputs_key, run_id)
            if all(o.success for o in outcomes):
                remember_baseline(con, suite, today, states)
    return outcomes, None


def _raw_inputs_key(suite: Suite, states: dict[str, TableState], today: date) -> str:
    rows = [(table, state.rows, state.digest) for table, state in states.items()]
    return hashlib.sha256(f"{suite.definition}\0{rows}\0{today.isoformat()}".encode()).hexdigest()
