"""Every expectation of every suite, on real DuckDB files and real GX: it passes on the clean fixture
warehouse, and fails, naming exactly the records at fault, once one record (or one month, file, total)
is broken. A new expectation without a way to break it fails here until one is written."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from core.clock import local_now
from expectations.build import Suite
from expectations.gate import validate_suite_file
from expectations.gx_duckdb import ExpectationOutcome, _name
from expectations.kpi_checks import KPI_MODELS
from expectations.policy import load_policy
from expectations.record_checks import RECORD_MARTS
from expectations.suites import all_suites
from ingest.contract import SOURCES_BY_NAME

pytestmark = pytest.mark.slow

TODAY = local_now().date()
SUITES = {s.name: s for s in all_suites(load_policy(), TODAY)}
KPI = {m.model: m for m in KPI_MODELS}
# The row a generic breaker changes in a KPI table: a township's month, whole scope.
KPI_ROW = "period_key = '2025-03' and region_code = '990121100'"


def validate(database: Path, suite: Suite, index: int | None = None) -> list[ExpectationOutcome]:
    if index is not None:
        suite = replace(suite, expectations=(suite.expectations[index],))
    return validate_suite_file(database, suite)


@pytest.fixture
def warehouse(clean_home: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(clean_home / "warehouse.duckdb", copy)
    return copy


@pytest.mark.parametrize("suite_name", sorted(n for n, s in SUITES.items() if s.expectations))
def test_every_expectation_passes_on_the_clean_warehouse(warehouse: Path, suite_name: str) -> None:
    outcomes = validate(warehouse, SUITES[suite_name])
    assert [(o.expectation, o.success, o.failing_ids) for o in outcomes] == [
        (o.expectation, True, ()) for o in outcomes
    ]
    assert len(outcomes) == len(SUITES[suite_name].expectations)


CASES = [
    pytest.param(suite.name, index, id=f"{suite.name}:{_name(e.configuration)}")
    for suite in SUITES.values()
    for index, e in enumerate(suite.expectations)
]


@pytest.mark.parametrize(("suite_name", "index"), CASES)
def test_every_expectation_fails_naming_the_broken_records(warehouse: Path, suite_name: str, index: int) -> None:
    suite = SUITES[suite_name]
    expectation = suite.expectations[index]
    with duckdb.connect(str(warehouse)) as con:
        expected_ids = break_for(con, suite, expectation)
    [outcome] = validate(warehouse, suite, index)
    assert (outcome.success, outcome.failing_ids) == (False, tuple(expected_ids))
    assert outcome.severity == expectation.meta["severity"]
    assert outcome.hint


# Breakers ------------------------------------------------------------------------------------------------------
# Each changes the copy of the clean warehouse so that one expectation must fail, and returns the ids it must name.


def break_for(con: duckdb.DuckDBPyConnection, suite: Suite, expectation) -> list[str]:
    name = _name(expectation.configuration)
    for pattern, breaker in MART_BREAKERS.items():
        found = re.fullmatch(pattern, name)
        if found:
            return breaker(con, *found.groups())
    table, row_filter = target_of(suite)
    rowid = con.execute(f"select min(rowid) from {table} where {row_filter}").fetchone()[0]
    return ROW_BREAKERS[name.split("(")[0]](con, table, rowid, expectation, name)


def target_of(suite: Suite) -> tuple[str, str]:
    if suite.guards.startswith("raw/"):
        # A township's record where the source has one; the reference's first row otherwise.
        return f"raw.{suite.guards.removeprefix('raw/')}", "true"
    scope = KPI[suite.name].scope
    return f"kpi.{suite.name}", KPI_ROW + (f" and {scope[0]} = 'all'" if scope else "")


def record_id(con: duckdb.DuckDBPyConnection, table: str, rowid: int) -> str:
    """The id a suite must name for a row, by the rule the suites document."""
    if table.startswith("raw."):
        source = SOURCES_BY_NAME[table.removeprefix("raw.")]
        values = con.execute(
            f"select {', '.join(source.key)}, _file_name, _row_number from {table} where rowid = ?", [rowid]
        ).fetchone()
        if values[0] is None:
            return f"{values[-2]} row {values[-1]}"
        return "/".join("(blank)" if v is None else str(v) for v in values[: len(source.key)])
    model = KPI[table.removeprefix("kpi.")]
    columns = ["period_key", "region_code", *(model.scope or ())]
    values = [
        "(blank)" if v is None else v
        for v in con.execute(f"select {', '.join(columns)} from {table} where rowid = ?", [rowid]).fetchone()
    ]
    return " ".join(values[:2] + ([":".join(values[2:])] if model.scope else []))


def column_type(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    schema, name = table.split(".")
    return con.execute(
        "select data_type from information_schema.columns where table_schema = ? and "
        "table_name = ? and column_name = ?",
        [schema, name, column],
    ).fetchone()[0]


def set_values(con, table: str, rowid: int, **values) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    con.execute(f"update {table} set {assignments} where rowid = ?", [*values.values(), rowid])


def a_value_below(con, table: str, column: str) -> tuple[object, object]:
    """(higher, lower) values of the column's type."""
    kind = column_type(con, table, column)
    if kind == "DATE":
        return date(2025, 3, 10), date(2025, 3, 9)
    if kind.startswith("TIMESTAMP"):
        return "2025-03-10 10:00:00", "2025-03-10 09:00:00"
    return 5, 4


def not_null(con, table, rowid, expectation, name) -> list[str]:
    set_values(con, table, rowid, **{expectation.column: None})
    return [record_id(con, table, rowid)]


def between(con, table, rowid, expectation, name) -> list[str]:
    low, high = expectation.min_value, expectation.max_value
    if low is None:
        value = high + 1
    elif expectation.strict_min:
        value = low
    else:
        value = low - 1
    set_values(con, table, rowid, **{expectation.column: value})
    return [record_id(con, table, rowid)]


def in_set(con, table, rowid, expectation, name) -> list[str]:
    set_values(con, table, rowid, **{expectation.column: "not_a_code"})
    return [record_id(con, table, rowid)]


def pair(con, table, rowid, expectation, name) -> list[str]:
    higher, lower = a_value_below(con, table, expectation.column_A)
    set_values(con, table, rowid, **{expectation.column_A: lower, expectation.column_B: higher})
    return [record_id(con, table, rowid)]


def duplicate_key(con, table, rowid, expectation, name) -> list[str]:
    con.execute(f"insert into {table} select * from {table} where rowid = ?", [rowid])
    return [record_id(con, table, rowid)] * 2


def column_of(name: str) -> str:
    return name.split("(")[1].split(",")[0].rstrip(")")


def bad_pattern(con, table, rowid, expectation, name) -> list[str]:
    set_values(con, table, rowid, **{column_of(name): "99012A"})
    return [record_id(con, table, rowid)]


def unknown_region(con, table, rowid, expectation, name) -> list[str]:
    set_values(con, table, rowid, **{column_of(name): "990121999"})
    return [record_id(con, table, rowid)]


def in_future(con, table, rowid, expectation, name) -> list[str]:
    set_values(con, table, rowid, **{column_of(name): TODAY + timedelta(days=30)})
    return [record_id(con, table, rowid)]


def only_for(con, table, rowid, expectation, name) -> list[str]:
    field, when = name.removeprefix("only_for(").rstrip(")").split(", ")
    set_values(con, table, rowid, **{field: 1, when: "flood"})
    return [record_id(con, table, rowid)]


def dangling_link(con, table, rowid, expectation, name) -> list[str]:
    set_values(con, table, rowid, **{column_of(name): "NO-SUCH-RECORD"})
    return [record_id(con, table, rowid)]


ROW_BREAKERS: dict[str, Callable[..., list[str]]] = {
    "expect_column_values_to_not_be_null": not_null,
    "expect_column_values_to_be_between": between,
    "expect_column_values_to_be_in_set": in_set,
    "expect_column_pair_values_a_to_be_greater_than_b": pair,
    "expect_compound_columns_to_be_unique": duplicate_key,
    "matches_pattern": bad_pattern,
    "region_in_reference": unknown_region,
    "not_in_future": in_future,
    "only_for": only_for,
    "links_to": dangling_link,
}


def stale(con, source: str) -> list[str]:
    con.execute("update raw.files set received_on = date '2020-01-01' where source = ?", [source])
    return [source]


def mart_and_day(source: str) -> tuple[str, str]:
    mart = RECORD_MARTS[source]
    return f"marts.{mart.model}", mart.date_column


def month_missing(con, source: str) -> list[str]:
    table, day = mart_and_day(source)
    con.execute(f"delete from {table} where {day} between date '2025-03-01' and date '2025-03-31'")
    return ["2025-03"]


def month_quadrupled(con, source: str) -> list[str]:
    table, day = mart_and_day(source)
    for _ in range(2):
        con.execute(
            f"insert into {table} select * from {table} where {day} between date '2025-06-01' and date '2025-06-30'"
        )
    return ["2025-06"]


def file_off_by_100(con, source: str, column: str) -> list[str]:
    table, _ = mart_and_day(source)
    first_five = f"select rowid from {table} order by rowid limit 5"
    con.execute(
        f"update {table} set file_name = 'late.csv', loaded_at = loaded_at + interval 1 day, "
        f"{column} = {column} * 100 where rowid in ({first_five})"
    )
    return ["late.csv"]


def grade_disagrees(con) -> list[str]:
    con.execute("update marts.fct_accidents set has_grade_mismatch = true where accident_id = 'A04'")
    return ["A04"]


def relief_beyond_approved(con) -> list[str]:
    con.execute("update marts.fct_targets set relief_approved_yuan = 1000 where region_code = '990121'")
    return ["990121 2025"]


def township_silent(con) -> list[str]:
    for source in ("accidents", "inspections"):
        table, day = mart_and_day(source)
        con.execute(
            f"delete from {table} where region_code = '990121101' "
            f"and {day} between date '2025-04-01' and date '2025-04-30'"
        )
    return ["990121101 2025-04"]


def whole_row(model: str, period: str, region: str) -> str:
    scope = KPI[model].scope
    return f"period_key = '{period}' and region_code = '{region}'" + (f" and {scope[0]} = 'all'" if scope else "")


def whole_id(model: str, period: str, region: str) -> str:
    return f"{period} {region}" + (" all:all" if KPI[model].scope else "")


def county_off_by_one(con, model: str) -> list[str]:
    metric = KPI[model].metrics[0]
    con.execute(f"update kpi.{model} set {metric} = {metric} + 1 where {whole_row(model, '2025-03', '990121')}")
    return [whole_id(model, "2025-03", "990121")]


def quarter_off_by_one(con, model: str) -> list[str]:
    metric = KPI[model].metrics[0]
    con.execute(f"update kpi.{model} set {metric} = {metric} + 1 where {whole_row(model, '2025-Q1', '990121100')}")
    return [whole_id(model, "2025-Q1", "990121100")]


BREAKDOWNS = {"kpi_accident_yoy": "industry", "kpi_relief_yoy": "program", "kpi_disaster_yoy": "hazard"}


def breakdown_off_by_one(con, model: str) -> list[str]:
    scope, metric = KPI[model].scope[0], KPI[model].metrics[0]
    changed = con.execute(
        f"update kpi.{model} set {metric} = {metric} + 1 where period_key = '2025-01' "
        f"and region_code = '990121100' and {scope} = '{BREAKDOWNS[model]}'"
    ).fetchone()[0]
    assert changed >= 1
    return [f"{whole_id(model, '2025-01', '990121100')} by {BREAKDOWNS[model]}"]


MART_BREAKERS: dict[str, Callable[..., list[str]]] = {
    r"freshness\((\w+)\)": stale,
    r"month_without_records\((\w+)\)": month_missing,
    r"volume_shift\((\w+)\)": month_quadrupled,
    r"value_shift\((\w+)\.(\w+)\)": file_off_by_100,
    r"grade_mismatch\(accidents\)": grade_disagrees,
    r"relief_over_approved\(relief\)": relief_beyond_approved,
    r"silent_township": township_silent,
    r"region_sums\((\w+)\)": county_off_by_one,
    r"period_sums\((\w+)\)": quarter_off_by_one,
    r"scope_sums\((\w+)\)": breakdown_off_by_one,
}
