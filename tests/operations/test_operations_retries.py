"""Which failures are retried: a warehouse held by another process, however the library reading it wraps the
error; a check that cannot be evaluated is not."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import great_expectations as gx
import pytest
from dagster import RetryRequested

from dagster_project.retries import backoff_seconds, is_transient, transient_retries
from expectations.gx_duckdb import validate_table


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select 1 as a")
    return path


@pytest.fixture
def held(warehouse):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()",
            str(warehouse),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    yield warehouse
    holder.communicate("", timeout=30)


def _raised(action) -> BaseException:
    with pytest.raises(Exception) as caught:
        action()
    return caught.value


def test_a_held_warehouse_is_transient_when_met_directly_or_through_gx(held):
    direct = _raised(lambda: duckdb.connect(str(held)))
    through_gx = _raised(
        lambda: validate_table(held, "main", "t", "s", [gx.expectations.ExpectColumnValuesToNotBeNull(column="a")])
    )
    assert not isinstance(through_gx, duckdb.IOException)  # GX wraps it: the chain must be followed
    assert is_transient(direct) and is_transient(through_gx)

    with pytest.raises(RetryRequested) as retry:
        with transient_retries(retry_number=2):
            duckdb.connect(str(held))
    assert (retry.value.max_retries, retry.value.seconds_to_wait) == (4, 8.0)


def test_other_failures_are_not_retried(warehouse):
    unevaluated = _raised(
        lambda: validate_table(warehouse, "main", "t", "s", [gx.expectations.ExpectColumnValuesToNotBeNull(column="b")])
    )
    assert not is_transient(unevaluated)
    with pytest.raises(duckdb.CatalogException):
        with transient_retries(retry_number=0), duckdb.connect(str(warehouse)) as con:
            con.execute("select * from missing")
    assert [backoff_seconds(n) for n in range(4)] == [2.0, 4.0, 8.0, 16.0]
