"""Copying finished runs into the warehouse reads only the runs Dagster updated since the last copy: its cost
follows what happened, not the length of the instance's history. Real runs of a one-op job on an ephemeral
Dagster instance; the instance's run listing is watched to count what each copy reads."""

from __future__ import annotations

import duckdb
from dagster import DagsterInstance, job, op

from dagster_project.runs.history import record_finished_runs


@op
def count() -> int:
    return 1


@job
def tiny():
    count()


def _watched(instance, seen: list[int]):
    listing = instance.get_run_records

    def get_run_records(*args, **kwargs):
        records = listing(*args, **kwargs)
        seen.append(len(records))
        return records

    instance.get_run_records = get_run_records
    return instance


def test_each_copy_reads_only_the_runs_since_the_last(tmp_path):
    with DagsterInstance.ephemeral() as instance, duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        seen: list[int] = []
        _watched(instance, seen)
        for _ in range(3):
            assert tiny.execute_in_process(instance=instance).success
        first = record_finished_runs(con, instance)
        assert len(first) == 3 and seen == [3]
        # Nothing ran since: nothing is read again (it used to read all three, and more every day).
        assert record_finished_runs(con, instance) == [] and seen == [3, 0]
        tiny.execute_in_process(instance=instance)
        (new,) = record_finished_runs(con, instance)
        assert seen == [3, 0, 1]
        assert con.execute("select count(*) from ops.runs").fetchone() == (4,)
        assert new.run_id not in {r.run_id for r in first}
