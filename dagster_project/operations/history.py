"""Runs the daemon launched (schedules, the landing sensor, the web UI) are written to the run history here;
the command line writes its own runs as it ends them."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb
from dagster import DagsterRunStatus, DefaultSensorStatus, RunsFilter, SensorEvaluationContext, SkipReason, sensor

from dagster_project.operations.retention import prune
from dagster_project.publish.publication import refresh_operational_tables
from dagster_project.resources import EmstatHome
from dagster_project.retries import is_transient
from dagster_project.runs.history import RunRecord, record_finished_runs
from expectations.gx_duckdb import update_data_docs

FINISHED = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]


@sensor(minimum_interval_seconds=30, default_status=DefaultSensorStatus.RUNNING)
def run_history_sensor(context: SensorEvaluationContext, emstat: EmstatHome) -> SkipReason:
    """Copy finished runs into ops.runs of the warehouse and the published copy, and render their validation
    results into the data docs."""
    since = datetime.fromtimestamp(float(context.cursor or 0), timezone.utc)
    finished = context.instance.get_run_records(filters=RunsFilter(statuses=FINISHED, updated_after=since))
    if not finished:
        return SkipReason("no run has finished since the last record")
    if not emstat.paths.warehouse.exists():
        return SkipReason("no warehouse yet")
    try:
        records = record_after_run(context.instance, emstat.paths.warehouse, emstat.paths.published)
    except Exception as exc:
        if not is_transient(exc):
            raise
        # The cursor stays: the next tick records these runs.
        return SkipReason("the warehouse is being written; the runs are recorded on the next tick")
    if starts := [r.start_time for r in finished if r.start_time]:
        update_data_docs(emstat.paths.gx, datetime.fromtimestamp(min(starts), timezone.utc))
    prune(emstat.paths)
    context.update_cursor(str(max(r.update_timestamp.timestamp() for r in finished)))
    return SkipReason(f"recorded {len(records)} finished runs")


def record_after_run(instance, warehouse: Path, published: Path) -> list[RunRecord]:
    """After a run: its record and any missed before it, in the warehouse; in the published copy too when the
    newest did not publish (a publishing run put itself in the copy it made)."""
    with duckdb.connect(str(warehouse)) as con:
        records = record_finished_runs(con, instance)
        if records and records[0].status != "published" and published.exists():
            refresh_operational_tables(con, published)
    return records
