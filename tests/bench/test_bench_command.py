"""`emstat bench` end to end on a small decade: every stage measured, the JSON the issue names, and the three
implementations agreeing on the figures."""

from __future__ import annotations

import json

import pytest

from tests.runner import run_emstat

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

KEYS = {
    "rows",
    "rows_all_sources",
    "full_s",
    "incremental_s",
    "floor_s",
    "pandas_s",
    "peak_rss_mb",
    "full_over_floor",
    "incremental_over_full",
    "empty_run_s",
    "appraisal_s",
    "figures_compared",
    "incremental_over_floor",
    "stages",
}


def test_bench_measures_every_stage_and_writes_the_json(tmp_path):
    done = run_emstat(
        tmp_path / "home",
        "bench",
        "--rows",
        "12000",
        "--json",
        str(tmp_path / "bench.json"),
        "--work",
        str(tmp_path / "work"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert set(result) == KEYS
    assert set(result["peak_rss_mb"]) == {"full", "incremental", "floor", "pandas"}
    # 100 accidents a month and, per accident, 0.5 inspections, 0.1 penalties, 0.05 relief and 0.01 disasters.
    assert result["rows"] == 12000 and result["rows_all_sources"] == 120 * (100 + 50 + 10 + 5 + 1)
    # The ratios are of the measured times, the seconds are shown rounded to the hundredth.
    assert result["full_over_floor"] == pytest.approx(result["full_s"] / result["floor_s"], rel=0.02)
    assert result["incremental_over_full"] == pytest.approx(result["incremental_s"] / result["full_s"], rel=0.02)
    assert all(v > 0 for v in (result["full_s"], result["floor_s"], result["pandas_s"], result["empty_run_s"]))
    assert result["figures_compared"] > 0
    # Each run's stages add up to its wall time; the empty month starts no run, so it is all start.
    assert set(result["stages"]) == {"full", "incremental", "empty"}
    for run, wall in (("full", "full_s"), ("incremental", "incremental_s"), ("empty", "empty_run_s")):
        assert list(result["stages"][run]) == [
            "start",
            "ingest",
            "raw_checks",
            "dbt",
            "appraisal",
            "mart_checks",
            "publish",
        ]
        assert sum(result["stages"][run].values()) == pytest.approx(result[wall], abs=0.05)
        assert all(seconds >= 0 for seconds in result["stages"][run].values())
    assert all(result["stages"][run][stage] > 0 for run in ("full", "incremental") for stage in ("ingest", "dbt"))
    assert result["stages"]["full"]["appraisal"] == result["appraisal_s"]["full"]
    assert set(result["stages"]["empty"].values()) - {0} == {result["stages"]["empty"]["start"]}
    # dbt built the appraisal models in both runs, and timed them
    assert set(result["appraisal_s"]) == {"full", "incremental"} and all(v > 0 for v in result["appraisal_s"].values())
    assert done.stdout.splitlines()[-2] == (
        f"appraisal (its dbt models): {result['appraisal_s']['full']:.2f} s of the full run, "
        f"{result['appraisal_s']['incremental']:.2f} s of the incremental one"
    )
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split() == ["wall", "s", "peak", "MB", "rows/s"])
    table = [line.split() for line in lines[header + 1 : header + 6]]
    assert [row[0] for row in table] == ["full", "incremental", "empty", "floor", "pandas"]
    assert float(table[0][1]) == pytest.approx(result["full_s"], abs=0.06)
    assert lines[-1] == f"the pipeline, the floor and pandas agree on {result['figures_compared']:,} accident figures"
