"""Runs the daemon launched (schedules, the landing sensor, the web UI) are written to the run history here;
the command line writes its own runs as it ends them."""

from __future__ import annotations

from datetime import datetime, timezone

from dagster import DagsterRunStatus, DefaultSensorStatus, RunsFilter, SensorEvaluationContext, SkipReason, sensor

from dagster_project.operations.retries import is_transient
from dagster_project.resources import EmstatHome
from emstat.retention import prune
from emstat.run_history import record_after_run
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
