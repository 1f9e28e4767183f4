"""A build groups again only the years a load touched (int_appraisal__record_groups), and the groups it keeps
equal those a rebuild from every record makes, a year the load emptied included."""

from __future__ import annotations

import duckdb
import pytest

from tests.pipeline.conftest import FIXTURES, run_dbt
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

GROUPS = "intermediate.int_appraisal__record_groups"
# A revision of C2 (2025) after its 补报: one more injury.
C2_AGAIN = (
    "accident_id,occurred_at,reported_at,region_code,industry,deaths,missing,serious_injuries,injuries,direct_loss,"
    "written_off\nC2,2025-02-10 07:45,,990121101,road_traffic,2,0,1,3,,否\n"
)


def _query(home, sql: str) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def _load_and_group(home, folder, target) -> None:
    """Load the folder, then build the groups and what they read as the pipeline's dbt step would (not its
    checks, KPI models or publication, which this test does not read)."""
    ingested = run_emstat(home, "ingest", str(folder))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    built = run_dbt(home, target, "run", "--quiet", "--select", "+int_appraisal__record_groups")
    assert built.returncode == 0, built.stdout + built.stderr


def test_a_load_regroups_the_years_it_touched_and_a_year_it_emptied_is_gone(shelf, tmp_path):
    # pipeline_revised: the landing files (accidents of 2024 and 2025) built, then the 补报 of C2 (2025) built.
    home = shelf.get("pipeline_revised").copy_to(tmp_path / "home")
    # A mark no build would write, on 2024's groups: a build that groups 2024 again erases it.
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(f"update {GROUPS} set deaths = -1000 where year = 2024")
    loads = dict(_query(home, f"select year, max(newest_load_id) from {GROUPS} group by all"))

    again = tmp_path / "again"
    again.mkdir()
    (again / "accidents_c2_again.csv").write_text(C2_AGAIN, encoding="utf-8")
    _load_and_group(home, again, tmp_path / "target")
    assert _query(home, f"select distinct deaths from {GROUPS} where year = 2024") == [(-1000,)]
    newer = dict(_query(home, f"select year, max(newest_load_id) from {GROUPS} group by all"))
    assert newer[2024] == loads[2024] and newer[2025] > loads[2025]

    # Every 2024 accident revised into 2025 (B6 of 29 February to the 28th): 2024 has no record left.
    landing = (FIXTURES / "landing" / "accidents_2024.csv").read_text(encoding="utf-8")
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "accidents_2024_moved.csv").write_text(
        landing.replace("2024-02-29", "2025-02-28").replace("2024-", "2025-"), encoding="utf-8"
    )
    _load_and_group(home, moved, tmp_path / "target")
    assert _query(home, f"select distinct year from {GROUPS}") == [(2025,)]
    assert _query(home, f"select sum(accidents) from {GROUPS}") == _query(
        home, "select count(*) from marts.fct_accidents where not is_written_off and year(occurred_on) = 2025"
    )
    kept = _query(home, f"select * from {GROUPS} order by all")

    rebuilt = run_dbt(
        home, tmp_path / "target", "run", "--full-refresh", "--quiet", "--select", "int_appraisal__record_groups"
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert _query(home, f"select * from {GROUPS} order by all") == kept
