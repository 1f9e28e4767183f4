"""A build counts again only the days a load touched (int_accidents__daily), the day an accident left included,
and the rows it keeps equal those a rebuild from every record makes."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tests.pipeline.conftest import run_dbt
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

DAILY = "intermediate.int_accidents__daily"
# C2 after its 补报 (2 deaths, 10 February 2025) moved to 12 February, with one more injury.
C2_MOVED = (
    "accident_id,occurred_at,reported_at,region_code,industry,deaths,missing,serious_injuries,injuries,direct_loss,"
    "written_off\nC2,2025-02-12 07:45,,990121101,road_traffic,2,0,1,3,,否\n"
)


def _query(home, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _days(home, where: str) -> list[tuple]:
    return _query(
        home,
        f"select occurred_on, region_code, industry_code, accidents, deaths, injuries from {DAILY} where {where} "
        "order by all",
    )


def test_a_load_counts_again_the_days_it_touched_and_a_day_it_emptied_is_gone(shelf, tmp_path):
    # pipeline_revised: the landing files (accidents of 2024 and 2025) built, then the 补报 of C2 (2025) built.
    home = shelf.get("pipeline_revised").copy_to(tmp_path / "home")
    assert _days(home, "occurred_on = '2025-02-10'") == [(date(2025, 2, 10), "990121101", "road_traffic", 1, 2, 2)]
    # A mark no build would write, on every other day: a build that counts such a day again erases it.
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(f"update {DAILY} set injuries = -1000 where occurred_on <> '2025-02-10'")
    others = "occurred_on not in ('2025-02-10', '2025-02-12')"
    marked = _query(home, f"select * from {DAILY} where {others} order by all")

    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "accidents_c2_moved.csv").write_text(C2_MOVED, encoding="utf-8")
    ingested = run_emstat(home, "ingest", str(moved))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    built = run_dbt(home, tmp_path / "target", "run", "--quiet", "--select", "+int_accidents__daily")
    assert built.returncode == 0, built.stdout + built.stderr

    # C2 was 10 February's only accident: that day is gone, 12 February counts it, every other day keeps the mark.
    assert _days(home, "occurred_on in ('2025-02-10', '2025-02-12')") == [
        (date(2025, 2, 12), "990121101", "road_traffic", 1, 2, 3)
    ]
    assert _query(home, f"select * from {DAILY} where {others} order by all") == marked
    touched = _query(home, f"select * from {DAILY} where not ({others}) order by all")

    rebuilt = run_dbt(home, tmp_path / "target", "run", "--full-refresh", "--quiet", "--select", "int_accidents__daily")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert _query(home, f"select * from {DAILY} where not ({others}) order by all") == touched
    # The rebuild counts every day from the accidents, so the mark is gone.
    assert _query(home, f"select count(*) from {DAILY} where injuries < 0") == [(0,)]
