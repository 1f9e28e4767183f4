"""The run history: one row per pipeline run (ops.runs) and one per file it read (ops.run_files).

Dagster's run storage under EMSTAT_HOME/dagster is where runs are recorded as they happen; each writer of the
warehouse (the command line after its run, the daemon's history sensor) copies the runs that finished into the
warehouse, and into the published copy, so the quality dashboard also shows the runs that did not publish.
`emstat status` reads the run storage itself: it works while a run holds the warehouse.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone

import duckdb

from core.catalog import insert_rows
from core.clock import LOCAL_TZ
from dagster_project.runs.outcome import outcome_of

DDL = """
create schema if not exists ops;
create table if not exists ops.runs (
    run_id varchar primary key,
    job varchar not null,
    launched_by varchar not null,   -- cli | monthly_close | daily_refresh | landing_sensor | dagster (its UI)
    started_at timestamp,           -- Beijing time; null while queued
    ended_at timestamp,             -- null while running
    status varchar not null,        -- running | loaded | published | blocked | failed | canceled
    rows_loaded bigint not null,    -- new and revised rows
    rows_quarantined bigint not null,
    checks_failed integer not null, -- failed expectations and dbt tests, warnings included
    published_at timestamp,
    failure varchar                 -- why the run stopped short, in one line
);
create table if not exists ops.run_files (
    run_id varchar not null,
    position integer not null,
    file_name varchar not null,
    source varchar,
    status varchar not null,        -- loaded | unchanged | rejected
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    reason varchar,                 -- why the file was rejected
    primary key (run_id, position)
);
create table if not exists ops.run_sync (
    updated_after double not null   -- the next copy reads only runs Dagster updated after this (unix seconds)
);
"""

SYNC_TABLE = "ops.run_sync"  # where the copy of the run history got to


@dataclass(frozen=True)
class RunFile:
    file: str
    source: str | None
    status: str
    rows_loaded: int
    rows_quarantined: int
    reason: str | None


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    job: str
    launched_by: str
    started_at: datetime | None
    ended_at: datetime | None
    status: str
    files: list[RunFile] = field(default_factory=list)
    rows_loaded: int = 0
    rows_quarantined: int = 0
    checks_failed: int = 0
    published_at: datetime | None = None
    failure: str | None = None

    def as_json(self) -> dict:
        def stamp(value: datetime | None) -> str | None:
            return value.isoformat(timespec="seconds") if value else None

        return asdict(self) | {
            "started_at": stamp(self.started_at),
            "ended_at": stamp(self.ended_at),
            "published_at": stamp(self.published_at),
        }


def _local(timestamp: float | None) -> datetime | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def _launched_by(tags: dict[str, str]) -> str:
    return tags.get("emstat/launched_by") or tags.get("emstat/trigger") or "dagster"


def record_of(instance, run_id: str) -> RunRecord:
    """The run as its events tell it; for a run still going, what it has done so far."""
    from dagster import DagsterEventType, DagsterRunStatus

    run_record = instance.get_run_record_by_id(run_id)
    run = run_record.dagster_run
    events = [
        r.event_log_entry.dagster_event
        for r in instance.get_records_for_run(run_id).records
        if r.event_log_entry.is_dagster_event
    ]
    outcome = outcome_of(events, success=run.status == DagsterRunStatus.SUCCESS)
    files = [
        RunFile(
            f["file"], f["source"], f["status"], f["rows_new"] + f["rows_revised"], f["rows_quarantined"], f["reason"]
        )
        for f in outcome.files
    ]
    failures = [f"{f.suite}: {f.expectation}" for f in outcome.errors] + [f"step {s}" for s in outcome.failed_steps]
    run_failure = next((e.message for e in events if e.event_type == DagsterEventType.RUN_FAILURE), None)
    if run.status in (
        DagsterRunStatus.QUEUED,
        DagsterRunStatus.NOT_STARTED,
        DagsterRunStatus.STARTING,
        DagsterRunStatus.STARTED,
        DagsterRunStatus.CANCELING,
    ):
        status = "running"
    elif outcome.published:
        status = "published"
    elif outcome.blocked:
        status = "blocked"
    elif run.status == DagsterRunStatus.CANCELED:
        status = "canceled"
    elif run.status == DagsterRunStatus.FAILURE:
        status = "failed"
        if not outcome.failed_steps and run_failure:
            failures.append(run_failure.splitlines()[0])
    else:
        status = "loaded"
    return RunRecord(
        run_id=run_id,
        job=run.job_name,
        launched_by=_launched_by(run.tags),
        started_at=_local(run_record.start_time),
        ended_at=_local(run_record.end_time),
        status=status,
        files=files,
        rows_loaded=sum(f.rows_loaded for f in files),
        rows_quarantined=sum(f.rows_quarantined for f in files),
        checks_failed=len(outcome.findings) + len(outcome.failed_tests),
        published_at=datetime.fromisoformat(outcome.published_at) if outcome.published_at else None,
        failure="; ".join(failures) or None,
    )


def publishing_record(instance, run_id: str, published_at: datetime) -> RunRecord:
    """The record a publishing run writes just before it copies the warehouse, so the copy lists it."""
    return replace(record_of(instance, run_id), status="published", ended_at=published_at, published_at=published_at)


def recent_runs(instance, limit: int) -> list[RunRecord]:
    return [record_of(instance, r.dagster_run.run_id) for r in instance.get_run_records(limit=limit)]


def write_records(con: duckdb.DuckDBPyConnection, records: list[RunRecord]) -> None:
    con.execute(DDL)
    for record in records:
        con.execute("delete from ops.run_files where run_id = ?", [record.run_id])
        con.execute(
            "insert or replace into ops.runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                record.run_id,
                record.job,
                record.launched_by,
                record.started_at,
                record.ended_at,
                record.status,
                record.rows_loaded,
                record.rows_quarantined,
                record.checks_failed,
                record.published_at,
                record.failure,
            ],
        )
        if record.files:
            insert_rows(
                con,
                "ops.run_files",
                [
                    [record.run_id, i, f.file, f.source, f.status, f.rows_loaded, f.rows_quarantined, f.reason]
                    for i, f in enumerate(record.files, start=1)
                ],
            )


def record_finished_runs(con: duckdb.DuckDBPyConnection, instance) -> list[RunRecord]:
    """Copy into the warehouse every finished run it does not hold as finished yet; newest first. Only the runs
    Dagster updated since the last copy are read, so a copy costs what happened since, not the whole history: a
    run still going then is updated again when it ends."""
    from dagster import RunsFilter

    con.execute(DDL)
    (after,) = con.execute(f"select max(updated_after) from {SYNC_TABLE}").fetchone()
    finished = {row[0] for row in con.execute("select run_id from ops.runs where status <> 'running'").fetchall()}
    changed = instance.get_run_records(
        filters=None if after is None else RunsFilter(updated_after=datetime.fromtimestamp(after, timezone.utc))
    )
    # A run still going is not read at all: its events are read once it has ended.
    records = [
        record_of(instance, r.dagster_run.run_id)
        for r in changed
        if r.dagster_run.is_finished and r.dagster_run.run_id not in finished
    ]
    write_records(con, records)
    if changed:  # the latest update read: one writer at a time, so no run is updated out of turn
        con.execute(f"delete from {SYNC_TABLE}")
        con.execute(f"insert into {SYNC_TABLE} values (?)", [max(r.update_timestamp.timestamp() for r in changed)])
    return records
