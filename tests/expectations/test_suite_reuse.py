"""A raw suite that meets the rows it was last validated on, the same day, gives that validation's answer
for the new run without GX reading the tables again; one changed value and it is validated afresh."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from emstat.settings import Home
from expectations.gate import validate_suite
from expectations.policy import load_policy
from expectations.suites import suite_named
from ingest.loader import local_now

pytestmark = pytest.mark.slow


def _stored(home: Home, run_id: str, suite: str) -> list[tuple]:
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        return con.execute("select position, expectation, severity, is_success, observed, failing_ids "
                           "from quality.validation_results where run_id = ? and suite = ? order by position",
                           [run_id, suite]).fetchall()


def test_a_raw_suite_is_validated_again_only_when_its_rows_change(clean_home: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(clean_home, home.root)
    now = local_now()
    suite = suite_named("batch_accidents", load_policy(), now.date())

    # The fixture's build validated these rows today: its answer is this run's, all 18 expectations passed.
    outcomes, earlier = validate_suite(home, suite, "run-a", now)
    assert earlier is not None and earlier != "run-a"
    assert [(o.success, o.failing_ids) for o in outcomes] == [(True, ())] * len(suite.expectations) == [(True, ())] * 18
    assert _stored(home, "run-a", suite.name) == _stored(home, earlier, suite.name)

    with duckdb.connect(str(home.warehouse)) as con:
        broken = con.execute("update raw.accidents set deaths = -5 where accident_id = (select min(accident_id) "
                             "from raw.accidents) returning accident_id").fetchone()[0]
    outcomes, earlier = validate_suite(home, suite, "run-b", now)
    assert earlier is None
    assert [(o.expectation, o.failing_ids) for o in outcomes if not o.success] == [
        ("expect_column_values_to_be_between(deaths)", (broken,))]

    outcomes_again, earlier = validate_suite(home, suite, "run-c", now)
    assert (earlier, outcomes_again) == ("run-b", outcomes)
    assert _stored(home, "run-c", suite.name) == _stored(home, "run-b", suite.name)

    # Another day's checks compare dates with that day: validated afresh.
    yesterday = now - timedelta(days=1)
    suite = suite_named("batch_accidents", load_policy(), yesterday.date())
    assert validate_suite(home, suite, "run-d", yesterday)[1] is None


def test_a_mart_suite_is_always_validated(clean_home: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(clean_home, home.root)
    now = local_now()
    suite = suite_named("fct_accidents", load_policy(), now.date())
    assert validate_suite(home, suite, "run-a", now)[1] is None
    assert validate_suite(home, suite, "run-b", now)[1] is None
