"""Validation results kept in the warehouse (schema `quality`), so `emstat quality` and the quality dashboard
read what the last run found: which suite, which expectation, how severe, what was observed, which records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from core.catalog import insert_rows, table_exists
from expectations.gx_duckdb import ExpectationOutcome

SUITE_INPUTS = "quality.suite_inputs"
DDL = f"""
create schema if not exists quality;
create table if not exists quality.validation_runs (
    run_id varchar primary key,
    started_at timestamp not null,   -- when its first suite was validated, Beijing time
    published_at timestamp           -- set when the run published the warehouse; null while it has not
);
create table if not exists quality.validation_results (
    run_id varchar not null,
    validated_at timestamp not null,
    suite varchar not null,
    guards varchar not null,          -- the asset the suite stands in front of: raw/<source> or a dbt model
    position integer not null,        -- the expectation's place in its suite
    expectation varchar not null,
    check_name varchar,               -- its entry in expectations/policy.yaml
    severity varchar not null,        -- error blocks publish; warning publishes
    is_success boolean not null,
    observed varchar,                 -- JSON
    failing_ids varchar[] not null,
    hint varchar,                     -- what to do about a failure
    primary key (run_id, suite, position)
);
create table if not exists {SUITE_INPUTS} (
    suite varchar primary key,
    inputs_key varchar not null,      -- what the suite last read: its definition, its tables' rows, the day
    run_id varchar not null           -- the run whose results those inputs gave
);
"""


@dataclass(frozen=True)
class StoredResult:
    suite: str
    guards: str
    expectation: str
    check: str | None
    severity: str
    success: bool
    observed: Any
    failing_ids: list[str]
    hint: str | None


@dataclass(frozen=True)
class QualityRun:
    run_id: str
    started_at: datetime
    published: bool
    results: list[StoredResult]

    def as_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "published": self.published,
            "results": [
                {
                    "suite": r.suite,
                    "expectation": r.expectation,
                    "severity": r.severity,
                    "success": r.success,
                    "observed": r.observed,
                    "failing_ids": r.failing_ids,
                }
                for r in self.results
            ],
        }


def record_outcomes(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    suite: str,
    guards: str,
    outcomes: Sequence[ExpectationOutcome],
    validated_at: datetime,
) -> None:
    """Keep a suite's outcomes for the run; validating the suite again in the same run replaces them."""
    con.execute(DDL)
    con.execute(
        "insert into quality.validation_runs (run_id, started_at) values (?, ?) on conflict do nothing",
        [run_id, validated_at],
    )
    con.execute("delete from quality.validation_results where run_id = ? and suite = ?", [run_id, suite])
    if not outcomes:
        return
    insert_rows(
        con,
        "quality.validation_results",
        [
            [
                run_id,
                validated_at,
                suite,
                guards,
                position,
                o.expectation,
                o.check,
                o.severity,
                o.success,
                json.dumps(o.observed, ensure_ascii=False, default=str),
                list(o.failing_ids),
                o.hint,
            ]
            for position, o in enumerate(outcomes)
        ],
    )


def mark_published(con: duckdb.DuckDBPyConnection, run_id: str, published_at: datetime) -> None:
    con.execute(DDL)
    con.execute(
        "insert into quality.validation_runs (run_id, started_at, published_at) values (?, ?, ?) "
        "on conflict (run_id) do update set published_at = excluded.published_at",
        [run_id, published_at, published_at],
    )


def latest_run(con: duckdb.DuckDBPyConnection) -> QualityRun | None:
    """The run that validated last, with its results in the order they were validated."""
    if not table_exists(con, "quality.validation_results"):
        return None
    run = con.execute(
        "select runs.run_id, runs.started_at, runs.published_at is not null from quality.validation_runs as runs "
        "where exists (select 1 from quality.validation_results as results where results.run_id = runs.run_id) "
        "order by (select max(validated_at) from quality.validation_results as results "
        "where results.run_id = runs.run_id) desc, runs.started_at desc limit 1"
    ).fetchone()
    if run is None:
        return None
    rows = con.execute(
        "select suite, guards, expectation, check_name, severity, is_success, observed, failing_ids, hint "
        "from quality.validation_results where run_id = ? order by validated_at, suite, position",
        [run[0]],
    ).fetchall()
    results = [
        StoredResult(
            suite,
            guards,
            expectation,
            check,
            severity,
            success,
            json.loads(observed) if observed is not None else None,
            list(ids),
            hint,
        )
        for suite, guards, expectation, check, severity, success, observed, ids, hint in rows
    ]
    return QualityRun(run[0], run[1], bool(run[2]), results)


def remember_inputs(con: duckdb.DuckDBPyConnection, suite: str, inputs_key: str, run_id: str) -> None:
    con.execute(DDL)
    con.execute(f"insert or replace into {SUITE_INPUTS} values (?, ?, ?)", [suite, inputs_key, run_id])


def outcomes_for_inputs(
    con: duckdb.DuckDBPyConnection, suite: str, inputs_key: str
) -> tuple[str, list[ExpectationOutcome]] | None:
    """The run that last validated `suite` on exactly these inputs, and what it found; None if there is none."""
    con.execute(DDL)
    known = con.execute(
        f"select run_id from {SUITE_INPUTS} where suite = ? and inputs_key = ?", [suite, inputs_key]
    ).fetchone()
    if known is None:
        return None
    rows = con.execute(
        "select expectation, severity, is_success, observed, failing_ids, check_name, hint "
        "from quality.validation_results where run_id = ? and suite = ? order by position",
        [known[0], suite],
    ).fetchall()
    if not rows:
        return None
    return known[0], [
        ExpectationOutcome(
            suite,
            expectation,
            severity,
            success,
            json.loads(observed) if observed is not None else None,
            tuple(ids),
            check,
            hint,
        )
        for expectation, severity, success, observed, ids, check, hint in rows
    ]
