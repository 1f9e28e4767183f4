"""What a raw suite passed on, so a month's new files are judged without judging a decade again.

A raw source only grows: the loader appends each file's rows under a new load id and never rewrites a row. A
record's current revision passes or fails on its own values, on today (not_in_future) and on rows of raw
tables that only grow. So once every check of a suite has passed, while the rows of the loads it saw are still
exactly those, the suite checks the same and the day is not earlier, those rows still pass: only the current
revisions that later loads brought need judging. A hand edit of one earlier row changes its table's digest,
and the suite is judged in full.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date

import duckdb

from expectations.contract_suites import current_revisions
from expectations.suites import Suite
from ingest.contract import SOURCES_BY_NAME

TABLE = "quality.suite_baselines"
_DDL = f"""
create schema if not exists quality;
create table if not exists {TABLE} (
    suite varchar primary key,
    definition varchar not null,  -- the suite's checks with the day they compare dates with left out
    validated_on date not null,
    tables varchar not null       -- JSON: each raw table read, [its newest load id, rows, digest of its rows]
)
"""


def _definition(suite: Suite, today: date) -> str:
    # Only not_in_future compares with the day, and a value not after an earlier day is not after a later one.
    day_free = suite.definition.replace(f"date '{today.isoformat()}'", "date '(today)'")
    return hashlib.sha256(day_free.encode()).hexdigest()


@dataclass(frozen=True)
class TableState:
    """A raw table's rows now and, where a baseline names a load, its rows up to that load."""

    newest_load: int | None
    rows: int
    digest: str
    rows_then: int | None = None
    digest_then: str | None = None


def read_tables(con: duckdb.DuckDBPyConnection, suite: Suite,
                baseline: dict[str, list] | None) -> dict[str, TableState]:
    """One scan of each raw table the suite reads: a load adds rows, and even a hand edit of one value changes
    its digest."""
    states = {}
    for table in suite.raw_tables:
        column = "load_id" if table == "files" else "_load_id"
        then = f"{column} <= {int(baseline[table][0])}" if baseline and baseline[table][0] is not None else "false"
        row = con.execute(
            f"select max({column}), count(*), coalesce(sum(hash(t)), 0), count(*) filter (where {then}), "
            f"coalesce(sum(hash(t)) filter (where {then}), 0) from raw.{table} as t").fetchone()
        states[table] = TableState(row[0], row[1], str(row[2]), *((row[3], str(row[4])) if baseline else ()))
    return states


def baseline_of(con: duckdb.DuckDBPyConnection, suite: Suite, today: date) -> dict[str, list] | None:
    """Each table's [newest load, rows, digest] when every check of the suite last passed, if the suite still
    reads and checks the same and that was not after today."""
    source = SOURCES_BY_NAME.get(suite.guards.removeprefix("raw/"))
    if source is None or suite.relation != current_revisions(source):
        return None
    con.execute(_DDL)
    known = con.execute(f"select definition, validated_on, tables from {TABLE} where suite = ?",
                        [suite.name]).fetchone()
    if known is None or known[0] != _definition(suite, today) or known[1] > today:
        return None
    tables = json.loads(known[2])
    return tables if sorted(tables) == suite.raw_tables else None


def batch_since(suite: Suite, baseline: dict[str, list] | None, states: dict[str, TableState]) -> Suite | None:
    """The suite over only the current revisions loaded after its baseline, or None to judge it in full."""
    if baseline is None:
        return None
    for table, (newest, rows, digest) in baseline.items():
        if newest is None or (states[table].rows_then, states[table].digest_then) != (rows, digest):
            return None
    source = SOURCES_BY_NAME[suite.guards.removeprefix("raw/")]
    newest_seen = baseline[source.table.removeprefix("raw.")][0]
    return replace(suite, relation=current_revisions(source, loaded_after=newest_seen))


def remember_baseline(con: duckdb.DuckDBPyConnection, suite: Suite, today: date,
                      states: dict[str, TableState]) -> None:
    """Every check of `suite` passed on the raw tables as `states` found them."""
    con.execute(_DDL)
    tables = {table: [state.newest_load, state.rows, state.digest] for table, state in states.items()}
    con.execute(f"insert or replace into {TABLE} values (?, ?, ?, ?)",
                [suite.name, _definition(suite, today), today, json.dumps(tables)])
