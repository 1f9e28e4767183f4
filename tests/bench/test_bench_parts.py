"""The bench's parts, each against numbers worked out by hand: the generated files, the floor and pandas marts,
and the measurement of time and memory."""

from __future__ import annotations

import sys
from decimal import Decimal

import duckdb
import polars as pl
import pytest

from devtools.bench import floor, pandas_way
from devtools.bench.generate import MONTHS, PER_ACCIDENT, accidents_in, month_frames, write_bench_files
from devtools.bench.measure import CommandFailed, measure
from devtools.demo_data import region_rows

# Two county-level accidents a year apart, in two townships of 青山县 (990121) under 示范市 and 示范省.
ACCIDENTS = {
    "accidents_2024_01.csv": "accident_id,occurred_at,region_code,industry,deaths,injuries,direct_loss\n"
    "A1,2024-01-05 08:00,990121100,road_traffic,1,2,1000\n"
    "A2,2024-01-20 09:00,990121101,fire,0,1,500\n",
    # A2 re-sent with a death: the later file's row stands.
    "accidents_2025_01.csv": "accident_id,occurred_at,region_code,industry,deaths,injuries,direct_loss\n"
    "A3,2025-01-11 10:00,990121100,road_traffic,2,0,3000\n"
    "A2,2024-01-20 09:00,990121101,fire,1,1,500\n",
}
OTHERS = {
    "inspections_2025_01.csv": "inspection_id,inspected_on,region_code,enterprise_name,industry,hazards_found\n"
    "I1,2025-01-03,990121100,企业1,fire,3\n",
    "penalties_2025_01.csv": "penalty_id,case_id,decided_on,region_code,party_type,party_name,industry,fine_amount\n"
    "P1,C1,2025-01-04,990121100,organization,企业1,fire,20000\n",
    "relief_2024_01.csv": "disbursement_id,disbursed_on,region_code,fund_source,program,persons,amount\n"
    "R1,2024-01-09,990121101,central,emergency,4,800\n",
    "relief_2025_01.csv": "disbursement_id,disbursed_on,region_code,fund_source,program,persons,amount\n"
    "R2,2025-01-09,990121101,central,emergency,6,1000\n",
    "disasters_2025_01.csv": "disaster_id,hazard,started_on,region_code,affected_people,direct_loss\n"
    "D1,flood,2025-01-15,990121100,100,50000\n",
}


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    pl.DataFrame(region_rows(), schema=["region_code", "name", "level", "parent_code"], orient="row").write_csv(
        folder / "regions.csv"
    )
    for name, text in {**ACCIDENTS, **OTHERS}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_generated_decade_has_n_accidents_and_the_other_sources_in_proportion(tmp_path):
    made = write_bench_files(tmp_path / "files", 2_400)
    counts = {source: 0 for source in ("accidents", *PER_ACCIDENT)}
    for path in (tmp_path / "files").glob("*_*.csv"):
        counts[path.name.rsplit("_", 2)[0]] += pl.read_csv(path).height
    per_month = [accidents_in(m, 2_400) for m in range(MONTHS)]
    assert counts == {
        "accidents": 2_400,
        **{s: sum(round(n * share) for n in per_month) for s, share in PER_ACCIDENT.items()},
    }
    assert made.rows == sum(counts.values()) and len(list((tmp_path / "files").iterdir())) == 1 + 5 * MONTHS
    assert sorted(p.name for p in (tmp_path / "files").glob("*_2015_11.csv"))[0] == "accidents_2015_11.csv"
    first = month_frames(0, 25)["accidents"]
    assert first.equals(month_frames(0, 25)["accidents"]) and first["accident_id"].n_unique() == 25
    assert first["occurred_at"].str.starts_with("2015-11-").all()


def _floor(files, tmp_path, sql):
    floor.main(files, tmp_path / "floor.duckdb")
    with duckdb.connect(str(tmp_path / "floor.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_floor_counts_the_latest_rows_against_the_same_period_last_year(files, tmp_path):
    rows = _floor(
        files,
        tmp_path,
        """
        select period_key, region_code, accidents, accidents_previous, deaths, deaths_previous, deaths_change_pct,
               injuries, injuries_previous, injuries_change_pct
        from yoy_accidents where scope = 'all' and period_key in ('2025-01', '2025-Q1', '2025', '2025-YTD01')
            and region_code in ('990000', '990121100', '990121101') order by 1, 2""",
    )
    # 2025-01: A3 (2 deaths) against A1 (1 death, 2 injured) and A2 (1 death as re-sent, 1 injured).
    expected = {
        "990000": (1, 2, 2, 2, Decimal("0.00"), 0, 3, Decimal("-100.00")),
        "990121100": (1, 1, 2, 1, Decimal("100.00"), 0, 2, Decimal("-100.00")),
        "990121101": (0, 1, 0, 1, Decimal("-100.00"), 0, 1, Decimal("-100.00")),
    }
    assert rows == [
        (period, region, *expected[region])
        for period in ("2025", "2025-01", "2025-Q1", "2025-YTD01")
        for region in sorted(expected)
    ]
    relief = _floor(
        files,
        tmp_path,
        "select amount_yuan, amount_yuan_previous, amount_yuan_change_pct, persons "
        "from yoy_relief where period_key = '2025-01' and region_code = '990000'",
    )
    assert relief == [(1000, 800, Decimal("25.00"), 6)]


def test_pandas_computes_the_floors_marts(files, tmp_path):
    floor.main(files, tmp_path / "floor.duckdb")
    pandas_way.main(files, tmp_path / "pandas")
    with duckdb.connect(str(tmp_path / "floor.duckdb"), read_only=True) as con:
        for source, (_, _, measures) in floor.SUBJECTS.items():
            columns = ", ".join(
                [
                    "period_key",
                    "region_code",
                    "scope",
                    "scope_key",
                    *[f"{m}{suffix}" for m in measures for suffix in ("", "_previous", "_change")],
                ]
            )
            ours = con.execute(f"select {columns} from yoy_{source} order by all").fetchall()
            theirs = con.execute(f"select {columns} from '{tmp_path}/pandas/yoy_{source}.parquet' order by all")
            assert ours and theirs.fetchall() == ours, source


def test_time_and_the_peak_memory_of_the_whole_process_tree(tmp_path):
    # A child that holds 300 MB for a second, started by the measured process.
    child = "import time; b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    measured = measure([sys.executable, "-c", parent])
    assert measured.seconds >= 1.0
    assert 300 <= measured.peak_rss_mb < 500
    with pytest.raises(CommandFailed, match="exited with 3"):
        measure([sys.executable, "-c", "import sys; sys.exit(3)"], log=tmp_path / "log")
