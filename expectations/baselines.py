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

from expectations.build import Suite
from expectations.contract_suites import current_revisions
from ingest.contract import SOURCES_BY_NAME, Source
from ingest.raw_state import TableState, newest_loads, read_states

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
class Baseline:
    """The raw source a suite guards, and each table's [newest load, rows, digest] when all its checks passed."""

    source: Source
    tables: dict[str, list]


def read_tables(con: duckdb.DuckDBPyConnection, suite: Suite, baseline: Baseline | None) -> dict[str, TableState]:
    """Each raw table the suite reads, now and up to the newest load the baseline saw."""
    return read_states(con, suite.raw_tables, newest_loads(baseline.tables) if baseline else None)


def baseline_of(con: duckdb.DuckDBPyConnection, suite: Suite, today: date) -> Baseline | None:
    """The suite's baseline, if it still reads and checks the same and it was not taken after today."""
    source = SOURCES_BY_NAME.get(suite.guards.removeprefix("raw/"))
    if source is None or suite.relation != current_revisions(source):
        return None
    con.execute(_DDL)
    known = con.execute(
        f"select definition, validated_on, tables from {TABLE} where suite = ?", [suite.name]
    ).fetchone()
    if known is None or known[0] != _definition(suite, today) or known[1] > today:
        return None
    tables = json.loads(known[2])
    return Baseline(source, tables) if sorted(tables) == suite.raw_tables else None


def batch_since(suite: Suite, baseline: Baseline | None, states: dict[str, TableState]) -> Suite | None:
    """The suite over only the current revisions loaded after its baseline, or None to judge it in full."""
    if baseline is None:
        return None
    if not all(states[table].only_grew_since(rows, digest) for table, (_, rows, digest) in baseline.tables.items()):
        return None
    newest_seen = baseline.tables[baseline.source.table.removeprefix("raw.")][0]
    if newest_seen is None:
        return None
    return replace(suite, relation=current_revisions(baseline.source, loaded_after=newest_seen))


def remember_baseline(con: duckdb.DuckDBPyConnection, suite: Suite, today: date, states: dict[str, TableState]) -> None:
    """Every check of `suite` passed on the raw tables as `states` found them."""
    con.execute(_DDL)
    tables = {table: state.recorded for table, state in states.items()}
    con.execute(
        f"insert or replace into {TABLE} values (?, ?, ?, ?)",
        [suite.name, _definition(suite, today), today, json.dumps(tables)],
    )
