"""The appraisal kept in the warehouse is brought up to date year by year: a year is scored again only when
what it is scored from changed, and the result is the same as scoring every year from nothing."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from appraisal.store import write_appraisal

pytestmark = pytest.mark.slow

TABLES = ("appraisal_scores", "appraisal_sections", "appraisal_lines")


def _appraisal(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: con.execute(f"select * from appraisal.{table} order by all").fetchall() for table in TABLES}


def _of_year(tables: dict[str, list[tuple]], year: int) -> dict[str, list[tuple]]:
    return {table: [row for row in rows if row[0] == year] for table, rows in tables.items()}


def test_only_the_year_whose_records_changed_is_scored_again(built_home, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_home.root / "warehouse.duckdb", warehouse)
    with duckdb.connect(str(warehouse)) as con:
        built = _appraisal(con)
        assert write_appraisal(con) == ({2024: 6, 2025: 6}, [])  # the build scored these very records
        assert _appraisal(con) == built

        # A 2025 accident's death toll revised from 1 to 3: that township's 2025 score and its county's change.
        accident, township = con.execute(
            "update marts.fct_accidents set deaths = 3 where accident_id = (select min(accident_id) "
            "from marts.fct_accidents where year(occurred_on) = 2025 and not is_written_off and deaths = 1) "
            "returning accident_id, region_code"
        ).fetchone()
        assert write_appraisal(con) == ({2024: 6, 2025: 6}, [2025])
        revised = _appraisal(con)
        assert _of_year(revised, 2024) == _of_year(built, 2024)
        assert revised != built
        lines = [row for row in revised["appraisal_lines"] if row[1] == township and accident in row[6]]
        assert lines, f"no 2025 line of {township} names {accident}"

        con.execute("drop schema appraisal cascade")
        assert write_appraisal(con) == ({2024: 6, 2025: 6}, [2024, 2025])
        assert _appraisal(con) == revised
