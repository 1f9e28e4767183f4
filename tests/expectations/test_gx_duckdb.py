"""validate_table against real DuckDB files and real Great Expectations (no mocks)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import great_expectations.expectations as gxe
import pytest
from great_expectations.execution_engine import sqlalchemy_execution_engine

from expectations import gx_duckdb
from expectations.gx_duckdb import ExpectationOutcome, validate_table

# accident_id, region, year, deaths, injured, kind. Each violation hits two rows whose ids
# sort differently as numbers and as strings (4 < 10 but "10" < "4").
DIRTY_ROWS = [
    (1, "north", 2020, 0, 0, "fire"),
    (2, "north", 2021, 1, 3, "flood"),
    (3, "south", 2020, 2, 2, "quake"),
    (4, "south", 2021, None, 1, "fire"),  # deaths NULL
    (5, "east", 2020, -1, 0, "fire"),  # deaths < 0
    (6, "east", 2021, 0, 0, "meteor"),  # kind not in set
    (7, "west", 2020, 3, 1, "fire"),  # injured < deaths
    (8, "west", 2021, 0, 0, "fire"),
    (9, "north", 2022, -2, 0, "flood"),  # deaths < 0; (north, 2022) twice
    (10, "north", 2022, None, 0, "hail"),  # deaths NULL; kind not in set; (north, 2022) twice
    (11, "west", None, 4, 2, "fire"),  # injured < deaths; (west, NULL) twice, which GX ignores
    (12, "west", None, 0, 0, "fire"),
]
CLEAN_IDS = (1, 2, 3, 8)  # includes injured == deaths, so or_equal matters
SCHEMA = "main_marts"


def expectation_set() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="deaths"),
        gxe.ExpectColumnValuesToBeBetween(column="deaths", min_value=0),
        gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=["fire", "flood", "quake"]),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["region", "year"]),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="injured", column_B="deaths", or_equal=True),
        gxe.ExpectTableRowCountToBeBetween(min_value=1, max_value=10),
    ]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        for schema in (SCHEMA, "raw"):
            con.execute(f"create schema if not exists {schema}")
        con.execute(
            f"create table {SCHEMA}.accidents (accident_id integer, region varchar,"
            " year integer, deaths integer, injured integer, kind varchar)"
        )
        con.executemany(f"insert into {SCHEMA}.accidents values (?, ?, ?, ?, ?, ?)", DIRTY_ROWS)
        for schema in (SCHEMA, "raw", "main"):
            con.execute(
                f"create table {schema}.clean as select * from {SCHEMA}.accidents where accident_id in {CLEAN_IDS}"
            )
    return path


def outcome(expectation: str, success: bool, observed: object, failing_ids: tuple[str, ...] = ()) -> ExpectationOutcome:
    return ExpectationOutcome("accidents", expectation, "error", success, observed, failing_ids)


def test_failing_expectations_report_exact_counts_and_ids(database: Path) -> None:
    outcomes = validate_table(database, SCHEMA, "accidents", "accidents", expectation_set(), id_column="accident_id")

    assert outcomes == [
        outcome("expect_column_values_to_not_be_null(deaths)", False, 2, ("4", "10")),
        outcome("expect_column_values_to_be_between(deaths)", False, 2, ("5", "9")),
        outcome("expect_column_values_to_be_in_set(kind)", False, 2, ("6", "10")),
        outcome("expect_compound_columns_to_be_unique(region, year)", False, 2, ("9", "10")),
        outcome(
            "expect_column_pair_values_a_to_be_greater_than_b(injured, deaths)",
            False,
            2,
            ("7", "11"),
        ),
        outcome("expect_table_row_count_to_be_between()", False, 12),
    ]


@pytest.mark.parametrize("schema", [SCHEMA, "raw", "main"])
def test_passing_expectations(database: Path, schema: str) -> None:
    outcomes = validate_table(database, schema, "clean", "accidents", expectation_set(), id_column="accident_id")

    assert [(o.success, o.observed, o.failing_ids) for o in outcomes] == [
        (True, 0, ()),
        (True, 0, ()),
        (True, 0, ()),
        (True, 0, ()),
        (True, 0, ()),
        (True, 4, ()),
    ]


def test_failing_ids_are_capped_at_max_ids(database: Path) -> None:
    outcomes = validate_table(
        database, SCHEMA, "accidents", "accidents", expectation_set()[:4], "accident_id", max_ids=1
    )

    not_null, between, in_set, compound = outcomes
    assert (not_null.observed, len(not_null.failing_ids)) == (2, 1)
    assert set(not_null.failing_ids) < {"4", "10"}
    assert set(between.failing_ids) < {"5", "9"}
    assert set(in_set.failing_ids) < {"6", "10"}
    assert compound.failing_ids == ("9",)


def test_without_id_column_counts_but_lists_no_ids(database: Path) -> None:
    outcomes = validate_table(database, SCHEMA, "accidents", "accidents", expectation_set())

    assert [(o.success, o.observed, o.failing_ids) for o in outcomes] == [
        (False, 2, ()),
        (False, 2, ()),
        (False, 2, ()),
        (False, 2, ()),
        (False, 2, ()),
        (False, 12, ()),
    ]


def test_severity_comes_from_meta_and_defaults_to_error(database: Path) -> None:
    expectations = [
        gxe.ExpectColumnValuesToNotBeNull(column="deaths", meta={"severity": "warning"}),
        gxe.ExpectColumnValuesToNotBeNull(column="kind", meta={"severity": "error"}),
        gxe.ExpectColumnValuesToNotBeNull(column="region"),
    ]

    outcomes = validate_table(database, SCHEMA, "accidents", "accidents", expectations)

    assert [(o.expectation, o.severity) for o in outcomes] == [
        ("expect_column_values_to_not_be_null(deaths)", "warning"),
        ("expect_column_values_to_not_be_null(kind)", "error"),
        ("expect_column_values_to_not_be_null(region)", "error"),
    ]


def test_unknown_severity_is_rejected(database: Path) -> None:
    typo = gxe.ExpectColumnValuesToNotBeNull(column="deaths", meta={"severity": "warn"})

    with pytest.raises(ValueError, match="severity"):
        validate_table(database, SCHEMA, "accidents", "accidents", [typo])


def test_expectation_objects_can_be_reused_across_calls(database: Path) -> None:
    expectations = expectation_set()

    first = validate_table(database, SCHEMA, "accidents", "accidents", expectations)
    second = validate_table(database, SCHEMA, "accidents", "accidents", expectations)

    assert first == second
    assert all(e.id is None for e in expectations)


def test_expectation_gx_cannot_evaluate_raises(database: Path) -> None:
    missing_column = gxe.ExpectColumnValuesToNotBeNull(column="no_such_column")

    expected = r"expect_column_values_to_not_be_null\(no_such_column\)"
    with pytest.raises(RuntimeError, match=expected):
        validate_table(database, SCHEMA, "accidents", "accidents", [missing_column])


def assert_lock_released(database: Path) -> None:
    # The caller's next step is dbt in a subprocess, opening the file read-write.
    write = f"import duckdb; duckdb.connect({str(database)!r}).execute('create table t2 as select 1')"
    subprocess.run([sys.executable, "-c", write], check=True, capture_output=True)
    # Also within this process: DuckDB refuses a read-write connection while a read-only
    # one to the same file is still open.
    duckdb.connect(str(database)).close()


def test_file_lock_is_released_after_validation(database: Path) -> None:
    validate_table(database, SCHEMA, "accidents", "accidents", expectation_set(), "accident_id")

    assert_lock_released(database)


@pytest.mark.parametrize(("table", "column"), [("accidents", "no_such_column"), ("no_such_table", "deaths")])
def test_file_lock_is_released_when_validation_raises(database: Path, table: str, column: str) -> None:
    with pytest.raises(Exception, match="no_such_"):
        validate_table(database, SCHEMA, table, "accidents", [gxe.ExpectColumnValuesToNotBeNull(column=column)])

    assert_lock_released(database)


def test_validation_writes_nothing(database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = hashlib.sha256(database.read_bytes()).hexdigest()

    validate_table(database, SCHEMA, "accidents", "accidents", expectation_set(), "accident_id")

    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [database.name]


# The module relies on GX's private _PERSISTED_CONNECTION_DIALECTS. These tests fail loudly
# if a GX upgrade breaks that workaround, or makes it unnecessary.


def test_persisted_connection_patch_is_what_makes_gx_compute_results(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expectations = [
        gxe.ExpectColumnValuesToNotBeNull(column="deaths"),
        gxe.ExpectColumnValuesToNotBeNull(column="accident_id"),
    ]

    outcomes = validate_table(database, SCHEMA, "accidents", "accidents", expectations)

    assert [(o.success, o.observed) for o in outcomes] == [(False, 2), (True, 0)]

    unpatched = tuple(d for d in sqlalchemy_execution_engine._PERSISTED_CONNECTION_DIALECTS if d != "duckdb")
    monkeypatch.setattr(sqlalchemy_execution_engine, "_PERSISTED_CONNECTION_DIALECTS", unpatched)
    # If this stops raising, GX fixed the bug and the workaround can be removed.
    with pytest.raises(RuntimeError, match="list index out of range"):
        validate_table(database, SCHEMA, "accidents", "accidents", expectations)


def test_patch_refuses_an_unrecognised_gx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlalchemy_execution_engine, "_PERSISTED_CONNECTION_DIALECTS", {"sqlite"})
    with pytest.raises(RuntimeError, match="_PERSISTED_CONNECTION_DIALECTS"):
        gx_duckdb._persist_duckdb_connections()

    monkeypatch.delattr(sqlalchemy_execution_engine, "_PERSISTED_CONNECTION_DIALECTS")
    with pytest.raises(RuntimeError, match="_PERSISTED_CONNECTION_DIALECTS"):
        gx_duckdb._persist_duckdb_connections()


# One GX context per process: it is reused from call to call, so nothing of one call may leak into the next.


def test_a_reused_context_judges_each_database_on_its_own_rows(database: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.duckdb"
    with duckdb.connect(str(clean)) as con:
        con.execute(f"attach '{database}' as dirty (read_only)")
        con.execute(f"create schema {SCHEMA}")
        con.execute(f"create table {SCHEMA}.accidents as select * from dirty.{SCHEMA}.clean")
    expectations = [gxe.ExpectColumnValuesToBeBetween(column="deaths", min_value=0)]

    for path, failing in ((database, ("5", "9")), (clean, ()), (database, ("5", "9"))):
        (result,) = validate_table(path, SCHEMA, "accidents", "accidents", expectations, "accident_id")
        assert result.failing_ids == failing


def test_results_are_kept_again_after_the_project_folder_is_removed(database: Path, tmp_path: Path) -> None:
    docs_root = tmp_path / "docs"
    since = datetime.now(timezone.utc)
    expectations = [gxe.ExpectColumnValuesToNotBeNull(column="deaths")]

    validate_table(database, SCHEMA, "clean", "clean", expectations, docs_root=docs_root)
    assert gx_duckdb.update_data_docs(docs_root, since) == 1
    shutil.rmtree(docs_root)  # a home removed and made again at the same path
    validate_table(database, SCHEMA, "accidents", "accidents", expectations, docs_root=docs_root)

    assert gx_duckdb.update_data_docs(docs_root, since) == 1
    assert len(list((docs_root / "gx" / "uncommitted" / "data_docs").rglob("*.html"))) >= 2
