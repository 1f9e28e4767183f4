"""The bench's stages: each step's time from the run's events, gathered by stage, with dbt's appraisal models
taken out of dbt and the command's remaining wall time as its start."""

from __future__ import annotations

import pytest

from devtools.bench.stages import STAGES, stage_of, stages, step_seconds


def test_a_step_lasts_from_its_start_to_its_end_and_an_unfinished_one_is_not_counted():
    events = [
        ("raw_tables", "STEP_START", 100.0),
        ("raw_tables", "ASSET_MATERIALIZATION", 130.0),
        ("raw_tables", "STEP_SUCCESS", 140.5),
        ("raw__accidents_batch_accidents_expectations", "STEP_START", 141.0),
        ("raw__accidents_batch_accidents_expectations", "STEP_FAILURE", 143.0),
        ("warehouse_models", "STEP_START", 144.0),
    ]
    assert step_seconds(events) == {"raw_tables": 40.5, "raw__accidents_batch_accidents_expectations": 2.0}


@pytest.mark.parametrize(
    ("step", "stage"),
    [
        ("raw_tables", "ingest"),
        ("raw__inspections_batch_inspections_expectations", "raw_checks"),
        ("warehouse_models", "dbt"),
        ("marts__fct_accidents_fct_accidents_expectations", "mart_checks"),
        ("kpi__kpi_rates_kpi_rates_expectations", "mart_checks"),
        ("published_warehouse", "publish"),
        ("superset_dashboards", "publish"),
    ],
)
def test_each_step_of_the_pipeline_job_has_its_stage(step, stage):
    assert stage_of(step) == stage


def test_the_stages_add_up_to_the_wall_time():
    steps = {
        "raw_tables": 40.0,
        "raw__accidents_batch_accidents_expectations": 5.0,
        "raw__files_files_expectations": 1.0,
        "warehouse_models": 30.0,
        "marts__fct_accidents_fct_accidents_expectations": 2.5,
        "published_warehouse": 1.5,
    }
    spent = stages(steps, wall_seconds=95.0, appraisal_seconds=1.75)
    assert spent == {
        "start": 15.0,
        "ingest": 40.0,
        "raw_checks": 6.0,
        "dbt": 28.25,
        "appraisal": 1.75,
        "mart_checks": 2.5,
        "publish": 1.5,
    }
    assert tuple(spent) == STAGES and sum(spent.values()) == 95.0


def test_a_command_that_started_no_run_is_all_start():
    assert stages({}, wall_seconds=2.2, appraisal_seconds=0.0) == dict.fromkeys(STAGES, 0.0) | {"start": 2.2}
