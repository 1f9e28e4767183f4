"""Run the Dagster jobs in-process for the command line, against the instance under EMSTAT_HOME."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import date, datetime, timezone

from core.clock import local_now
from core.settings import Home
from dagster_project.runs.outcome import RunOutcome, outcome_of

RUN_LOG_LEVEL = {"loggers": {"console": {"config": {"log_level": "DEBUG"}}}}
# Offline machines: no telemetry. One pool slot: DuckDB allows a single writer (stack-notes.md).
INSTANCE_SETTINGS = """\
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
"""


def prepare_instance(home: Home) -> None:
    """Point Dagster at EMSTAT_HOME/dagster, writing its settings there on first use."""
    home.dagster.mkdir(parents=True, exist_ok=True)
    settings = home.dagster / "dagster.yaml"
    if not settings.exists():
        settings.write_text(INSTANCE_SETTINGS, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home.dagster)


@contextmanager
def readable_instance(home: Home) -> Iterator[object]:
    """The Dagster instance under EMSTAT_HOME for reading its runs. SQLite and Dagster write even to read, so a
    home that cannot be written (a read-only mount, a backup being looked at) is read from a copy."""
    from dagster import DagsterInstance

    if os.access(home.dagster, os.W_OK):
        prepare_instance(home)
        with DagsterInstance.get() as instance:
            yield instance
        return
    with tempfile.TemporaryDirectory(prefix="emstat-runs-") as copy:
        shutil.copytree(home.dagster, copy, dirs_exist_ok=True)
        os.environ["DAGSTER_HOME"] = copy
        try:
            with DagsterInstance.get() as instance:
                yield instance
        finally:
            os.environ["DAGSTER_HOME"] = str(home.dagster)


LAUNCHED_BY = {"emstat/launched_by": "cli"}


class PipelineBusy(Exception):
    """Another emstat command is writing the warehouse."""


@contextmanager
def writer_lock(home: Home) -> Iterator[None]:
    """One writing command at a time per EMSTAT_HOME (DuckDB allows one writer); the lock dies with the process."""
    home.root.mkdir(parents=True, exist_ok=True)
    with (home.root / "pipeline.lock").open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineBusy(f"another emstat command is running on {home.root}; try again when it has finished")
        yield


def is_writing(home: Home) -> bool:
    """Whether a writing command holds the writer lock now: read without taking it, even on a read-only home."""
    try:
        with (home.root / "pipeline.lock").open("r") as fh:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except FileNotFoundError:
        return False
    except BlockingIOError:
        return True
    return False


def release_abandoned_runs(instance) -> list[str]:
    """Runs this command line started that never finished: their process died (a crash, a kill). Holding the
    writer lock proves it. Fail them and free their pool slot, or the next run waits for it forever."""
    from dagster import DagsterRunStatus, RunsFilter

    unfinished = [DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED]
    abandoned = instance.get_run_records(RunsFilter(statuses=unfinished, tags=LAUNCHED_BY))
    for record in abandoned:
        run = record.dagster_run
        instance.report_run_failed(run, "abandoned: the emstat command running it ended before it finished")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
    return [r.dagster_run.run_id for r in abandoned]


def run_job(
    job_name: str,
    home: Home,
    paths: list[str] | None = None,
    received_on: date | None = None,
    dated_by_file: bool = False,
    data_through: date | None = None,
) -> RunOutcome:
    """`dated_by_file`: each file is dated by its modification time and loaded oldest first (a backfill).
    `data_through`: the last day the figures run through (the day before today by default)."""
    with writer_lock(home):
        return _run_job(job_name, home, paths, received_on, dated_by_file, data_through)


def _run_job(
    job_name: str,
    home: Home,
    paths: list[str] | None,
    received_on: date | None,
    dated_by_file: bool,
    data_through: date | None,
) -> RunOutcome:
    prepare_instance(home)
    from dagster import DagsterInstance  # noqa: I001 - after DAGSTER_HOME is set

    from dagster_project.definitions import defs
    from dagster_project.operations.retention import keep_days, prune
    from dagster_project.operations.history import record_after_run
    from expectations.gx_duckdb import update_data_docs

    days = keep_days()  # a setting that cannot be used stops the command before any work
    run_config: dict = dict(RUN_LOG_LEVEL)
    ops: dict = {}
    if paths is not None:
        ingest_config = {"paths": paths, "dated_by_file": dated_by_file} | (
            {"received_on": received_on.isoformat()} if received_on else {}
        )
        ops["raw_tables"] = {"config": ingest_config}
    job = defs.resolve_job_def(job_name)
    if data_through is not None and job.graph.has_node_named("warehouse_models"):
        ops["warehouse_models"] = {"config": {"data_through": data_through.isoformat()}}
    if ops:
        run_config["ops"] = ops
    home.logs.mkdir(parents=True, exist_ok=True)
    log = home.logs / f"{job_name}-{local_now():%Y%m%d-%H%M%S}.log"
    # Dagster's event log and dbt's progress lines (echoed by dagster-dbt) belong in the run log; the
    # terminal gets the summary the command prints.
    with (
        DagsterInstance.get() as instance,
        log.open("w", encoding="utf-8") as fh,
        redirect_stdout(fh),
        redirect_stderr(fh),
    ):
        for run_id in release_abandoned_runs(instance):
            print(f"released abandoned run {run_id}")
        started = datetime.now(timezone.utc)
        result = job.execute_in_process(
            run_config=run_config, instance=instance, raise_on_error=False, tags=LAUNCHED_BY
        )
        if home.warehouse.exists():
            record_after_run(instance, home.warehouse, home.published)
        update_data_docs(home.gx, started)
        print(f"retention: {prune(home)} files older than {days} days removed")
    return outcome_of(result.all_events, result.success, log)
