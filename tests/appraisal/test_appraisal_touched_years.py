"""A build groups again only the years a load touched (int_appraisal__record_groups), and the groups it keeps
equal those a rebuild from every record makes, a year the load emptied included."""

from __future__ import annotations

import duckdb
import pytest

from tests.pipeline.conftest import FIXTURES, run_dbt
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

GROUPS = "intermediate.int_appraisal__record_groups"


def _years_by_load(home) -> dict[int, set[int]]:
    """Each year grouped, under the last load its groups saw."""
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(f"select built_through_load_id, list(distinct year) from {GROUPS} group by 1").fetchall()
    return {load: set(years) for load, years in rows}


def _groups(home) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(f"select * exclude (built_through_load_id) from {GROUPS} order by all").fetchall()


def _build(home) -> None:
    built = run_emstat(home, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select rebuilt_because from ops.build_inputs").fetchone()[0] is None


def test_a_load_regroups_the_years_it_touched_and_a_year_it_emptied_is_gone(shelf, tmp_path):
    # pipeline_revised: the landing files (accidents of 2024 and 2025) built, then the 补报 of C2 (2025) built.
    home = shelf.get("pipeline_revised").copy_to(tmp_path / "home")
    first = _years_by_load(home)
    assert sorted(first.values(), key=min) == [{2024}, {2025}]
    assert max(first, key=lambda load: min(first[load])) == max(first), "2025 was grouped again, 2024 was not"

    # Every 2024 accident revised into 2025 (B6 of 29 February to the 28th): 2024 has no record left.
    landing = (FIXTURES / "landing" / "accidents_2024.csv").read_text(encoding="utf-8")
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "accidents_2024_moved.csv").write_text(
        landing.replace("2024-02-29", "2025-02-28").replace("2024-", "2025-"), encoding="utf-8"
    )
    ingested = run_emstat(home, "ingest", str(moved))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    _build(home)

    after = _years_by_load(home)
    assert list(after.values()) == [{2025}]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert (
            con.execute(f"select sum(accidents) from {GROUPS}").fetchone()[0]
            == con.execute(
                "select count(*) from marts.fct_accidents where not is_written_off and year(occurred_on) = 2025"
            ).fetchone()[0]
        )
    kept = _groups(home)

    rebuilt = run_dbt(
        home, tmp_path / "target", "run", "--full-refresh", "--quiet", "--select", "int_appraisal__record_groups"
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert _groups(home) == kept
