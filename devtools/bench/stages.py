"""Where a measured pipeline run spent its time, by stage: each Dagster step's time from the run's event log (the
steps run one at a time), gathered into the stages the bench reports. `start` is the rest of the command's wall
time: the process starting, Dagster and dbt loading, and what the command does around its run."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from core.settings import Home

STAGES = ("start", "ingest", "raw_checks", "dbt", "appraisal", "mart_checks", "publish")


def step_seconds(events: Iterable[tuple[str, str, float]]) -> dict[str, float]:
    """Each step's seconds from its start to its end (success or failure), from (step, event, unix time) in the
    order they happened."""
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for step, event, at in events:
        if event == "STEP_START":
            started[step] = at
        elif event in ("STEP_SUCCESS", "STEP_FAILURE") and step in started:
            seconds[step] = seconds.get(step, 0.0) + at - started.pop(step)
    return seconds


def stage_of(step: str) -> str:
    """The stage a step of the pipeline job belongs to: the checks are named after the table they read."""
    if step == "raw_tables":
        return "ingest"
    if step.startswith("raw__"):
        return "raw_checks"
    if step == "warehouse_models":
        return "dbt"
    if step.startswith(("marts__", "kpi__")):
        return "mart_checks"
    return "publish"  # the published copy and the dashboards' refresh


def stages(steps: dict[str, float], wall_seconds: float, appraisal_seconds: float) -> dict[str, float]:
    """The run's seconds by stage; the appraisal models' time is taken out of dbt's."""
    spent = dict.fromkeys(STAGES, 0.0)
    for step, seconds in steps.items():
        spent[stage_of(step)] += seconds
    spent["dbt"] -= appraisal_seconds
    spent["appraisal"] = appraisal_seconds
    spent["start"] = wall_seconds - sum(steps.values())
    return {stage: round(seconds, 2) for stage, seconds in spent.items()}


def run_steps_since(home: Path, since: float) -> dict[str, float]:
    """The steps of the newest run recorded under the home's Dagster storage if it started after `since` (unix
    time); none when the command started no run (an empty month has nothing to load or build)."""
    os.environ["DAGSTER_HOME"] = str(Home(home).dagster)
    from dagster import DagsterInstance  # noqa: I001 - after DAGSTER_HOME is set

    with DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=1)
        if not runs or (instance.get_run_stats(runs[0].run_id).start_time or 0) < since:
            return {}
        return step_seconds(
            (entry.step_key, entry.dagster_event.event_type_value, entry.timestamp)
            for entry in instance.all_logs(runs[0].run_id)
            if entry.is_dagster_event and entry.step_key
        )
