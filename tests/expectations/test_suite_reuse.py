"""A raw suite that meets the rows it was last validated on, the same day, gives that validation's answer
for the new run without GX reading the tables again; one changed value and it is validated afresh. A suite
that passed judges only the current revisions of later loads, with the same answer as judging them all."""

from __future__ import annotations

import shutil
from datetime import datetime, time, timedelta
from pathlib import Path

import duckdb
import pytest

from core.settings import Home
from expectations.baselines import baseline_of, batch_since, read_tables
from expectations.build import Suite
from expectations.gate import validate_suite, validate_suite_file
from expectations.policy import load_policy
from expectations.suites import suite_named
from ingest.loader import load_file

NEXT_MONTH = Path(__file__).parent / "fixtures" / "next_month" / "accidents_2025_07.csv"

pytestmark = pytest.mark.slow


def _day_of_build(home: Home) -> datetime:
    """Noon of the day the fixture's build validated the accidents: a session that runs past midnight
    (Beijing time) would otherwise compare that validation with another day's."""
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        (day,) = con.execute(
            "select validated_on from quality.suite_baselines where suite = 'batch_accidents'"
        ).fetchone()
    return datetime.combine(day, time(12))


def _stored(home: Home, run_id: str, suite: str) -> list[tuple]:
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        return con.execute(
            "select position, expectation, severity, is_success, observed, failing_ids "
            "from quality.validation_results where run_id = ? and suite = ? order by position",
            [run_id, suite],
        ).fetchall()


def test_a_raw_suite_is_validated_again_only_when_its_rows_change(clean_home: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(clean_home, home.root)
    now = _day_of_build(home)
    suite = suite_named("batch_accidents", load_policy(), now.date())

    # The fixture's build validated these rows that day: its answer is this run's, all 18 expectations passed.
    outcomes, earlier = validate_suite(home, suite, "run-a", now)
    assert earlier is not None and earlier != "run-a"
    assert [(o.success, o.failing_ids) for o in outcomes] == [(True, ())] * len(suite.expectations) == [(True, ())] * 18
    assert _stored(home, "run-a", suite.name) == _stored(home, earlier, suite.name)

    with duckdb.connect(str(home.warehouse)) as con:
        broken = con.execute(
            "update raw.accidents set deaths = -5 where accident_id = (select min(accident_id) "
            "from raw.accidents) returning accident_id"
        ).fetchone()[0]
    outcomes, earlier = validate_suite(home, suite, "run-b", now)
    assert earlier is None
    assert [(o.expectation, o.failing_ids) for o in outcomes if not o.success] == [
        ("expect_column_values_to_be_between(deaths)", (broken,))
    ]

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
    now = _day_of_build(home)
    suite = suite_named("fct_accidents", load_policy(), now.date())
    assert validate_suite(home, suite, "run-a", now)[1] is None
    assert validate_suite(home, suite, "run-b", now)[1] is None


def _judged_ids(home: Home, suite: Suite, today) -> list[str] | None:
    with duckdb.connect(str(home.warehouse)) as con:
        baseline = baseline_of(con, suite, today)
        since = batch_since(suite, baseline, read_tables(con, suite, baseline))
        if since is None:
            return None
        return [i for (i,) in con.execute(f"select _record_id from ({since.relation}) order by 1").fetchall()]


def test_a_suite_that_passed_judges_only_what_later_loads_brought(clean_home: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(clean_home, home.root)
    now = _day_of_build(home)
    suite = suite_named("batch_accidents", load_policy(), now.date())
    assert _judged_ids(home, suite, now.date()) == []

    # July's file brings A14 and a 补报 of A01 (3 injured, not 2): those two are judged, not the other 12.
    with duckdb.connect(str(home.warehouse)) as con:
        loaded = load_file(con, NEXT_MONTH, now)
    assert (loaded.rows_new, loaded.rows_revised) == (1, 1)
    assert _judged_ids(home, suite, now.date()) == ["A01", "A14"]
    outcomes, earlier = validate_suite(home, suite, "run-a", now)
    assert earlier is None
    assert outcomes == validate_suite_file(home.warehouse, suite)
    assert [o.success for o in outcomes] == [True] * 18
    assert _judged_ids(home, suite, now.date()) == []

    # A row written around the loader after that is judged, and its finding is the whole table's.
    with duckdb.connect(str(home.warehouse)) as con:
        con.execute(
            "insert into raw.accidents by name select * replace ('A15' as accident_id, -1 as deaths, "
            "_load_id + 1 as _load_id) from raw.accidents where accident_id = 'A14'"
        )
    assert _judged_ids(home, suite, now.date()) == ["A15"]
    outcomes, _ = validate_suite(home, suite, "run-b", now)
    assert [(o.expectation, o.observed, o.failing_ids) for o in outcomes if not o.success] == [
        ("expect_column_values_to_be_between(deaths)", 1, ("A15",))
    ]
    assert outcomes == validate_suite_file(home.warehouse, suite)


def test_an_edited_row_or_an_earlier_day_judges_everything(clean_home: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    shutil.copytree(clean_home, home.root)
    now = _day_of_build(home)
    suite = suite_named("batch_accidents", load_policy(), now.date())
    yesterday = (now - timedelta(days=1)).date()
    assert _judged_ids(home, suite, now.date()) == []
    assert _judged_ids(home, suite_named("batch_accidents", load_policy(), yesterday), yesterday) is None

    for number, edit in enumerate(
        [
            "update raw.accidents set injuries = 3 where accident_id = 'A02'",
            "update raw.files set received_on = received_on - 1 where source = 'accidents'",
            "delete from raw.regions where region_code = '990121101'",
        ]
    ):
        edited = Home(tmp_path / f"edited{number}")
        shutil.copytree(clean_home, edited.root)
        with duckdb.connect(str(edited.warehouse)) as con:
            con.execute(edit)
        assert _judged_ids(edited, suite, now.date()) is None, edit
