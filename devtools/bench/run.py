"""`emstat bench`: the pipeline against the floor (DuckDB alone) and pandas on the same generated files, in one
run; and a check that all three computed the same accident figures, so the comparison is of equal work."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.settings import Home
from devtools.bench.generate import MONTHS, accidents_in, write_bench_files, write_month
from devtools.bench.measure import Measured, measure
from devtools.bench.stages import STAGES, run_steps_since, stages

# The headline figures compared between the three: every period × region × the all-industries scope.
COMPARED = ["accidents", "accidents_previous", "deaths", "deaths_previous", "injuries", "injuries_previous"]


@dataclass(frozen=True)
class BenchResult:
    rows: int  # accidents, as asked
    rows_total: int  # records of every source loaded by the full run
    rows_month: int  # records of the incremental month
    full: Measured
    incremental: Measured
    empty: Measured
    floor: Measured
    pandas: Measured
    figures_compared: int
    appraisal_full_s: float  # the appraisal models' share of the full run's dbt build, as dbt timed them
    appraisal_incremental_s: float
    stages: dict[str, dict[str, float]]  # for the full, incremental and empty runs: seconds by stage

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "rows_all_sources": self.rows_total,
            "full_s": round(self.full.seconds, 2),
            "incremental_s": round(self.incremental.seconds, 2),
            "floor_s": round(self.floor.seconds, 2),
            "pandas_s": round(self.pandas.seconds, 2),
            "peak_rss_mb": {
                name: round(getattr(self, name).peak_rss_mb, 1) for name in ("full", "incremental", "floor", "pandas")
            },
            "full_over_floor": round(self.full.seconds / self.floor.seconds, 2),
            "incremental_over_full": round(self.incremental.seconds / self.full.seconds, 3),
            "incremental_over_floor": round(self.incremental.seconds / self.floor.seconds, 2),
            "empty_run_s": round(self.empty.seconds, 2),
            "appraisal_s": {
                "full": round(self.appraisal_full_s, 2),
                "incremental": round(self.appraisal_incremental_s, 2),
            },
            "figures_compared": self.figures_compared,
            "stages": self.stages,
        }

    def table(self) -> list[str]:
        lines = [f"{'':<13}{'wall s':>9}{'peak MB':>10}{'rows/s':>12}"]
        for name, measured, rows in (
            ("full", self.full, self.rows_total),
            ("incremental", self.incremental, self.rows_month),
            ("empty month", self.empty, 0),
            ("floor", self.floor, self.rows_total),
            ("pandas", self.pandas, self.rows_total),
        ):
            rate = f"{rows / measured.seconds:,.0f}" if rows else "-"
            lines.append(f"{name:<13}{measured.seconds:>9.1f}{measured.peak_rss_mb:>10,.0f}{rate:>12}")
        data = self.as_json()
        lines.append(
            f"pipeline/floor {data['full_over_floor']:.2f}x, incremental/full {data['incremental_over_full']:.1%}"
            f"; {self.rows:,} accidents, {self.rows_total:,} records of every source"
        )
        runs = ("full", "incremental", "empty")
        lines.append(f"{'seconds by stage':<17}" + "".join(f"{run:>13}" for run in runs))
        for stage in STAGES:
            lines.append(f"{stage:<17}" + "".join(f"{self.stages[run][stage]:>13.1f}" for run in runs))
        appraisal = data["appraisal_s"]
        lines.append(
            f"appraisal (its dbt models): {appraisal['full']:.2f} s of the full run, "
            f"{appraisal['incremental']:.2f} s of the incremental one"
        )
        lines.append(f"the pipeline, the floor and pandas agree on {self.figures_compared:,} accident figures")
        return lines


class FiguresDiffer(Exception):
    pass


class WorkNotEmpty(Exception):
    pass


def _accident_figures_of(con: duckdb.DuckDBPyConnection, relation: str, scope_column: str) -> set[tuple]:
    return set(
        con.execute(
            f"select period_key, region_code, {', '.join(COMPARED)} from {relation} "
            f"where {scope_column} = 'all' and accidents + accidents_previous > 0"
        ).fetchall()
    )


def compare_figures(published: Path, floor: Path, pandas_out: Path) -> int:
    with duckdb.connect(str(published), read_only=True) as con:
        pipeline = _accident_figures_of(con, "kpi.kpi_accident_yoy", "industry_scope")
    with duckdb.connect(str(floor), read_only=True) as con:
        floor_figures = _accident_figures_of(con, "yoy_accidents", "scope")
        pandas_figures = _accident_figures_of(con, f"'{pandas_out / 'yoy_accidents.parquet'}'", "scope")
    for name, figures in (("the floor", floor_figures), ("pandas", pandas_figures)):
        if figures != pipeline:
            example = sorted(figures ^ pipeline)[:3]
            raise FiguresDiffer(f"{name} and the pipeline differ on {len(figures ^ pipeline)} rows, e.g. {example}")
    return len(pipeline) * len(COMPARED)


# The models that score the appraisal (fct_appraisal_manual is an input mart, built with the other marts).
APPRAISAL_MODELS = {
    f"model.emstat.{name}"
    for name in (
        "int_appraisal__records",
        "int_appraisal__record_groups",
        "int_appraisal__counts",
        "int_appraisal__vetoes",
        "int_appraisal__matches",
        "int_appraisal__manual_items",
        "int_appraisal__measures",
        "fct_appraisal_lines",
        "fct_appraisal_evidence",
        "fct_appraisal_scores",
    )
}


def appraisal_seconds(home: Path) -> float:
    """What dbt's last build in `home` spent on the appraisal models, by its own run_results.json."""
    results = json.loads((Home(home).dbt_target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return sum(r["execution_time"] for r in results if r["unique_id"] in APPRAISAL_MODELS)


def run_bench(rows: int, work: Path, say=print) -> BenchResult:
    python, emstat = sys.executable, str(Path(sys.executable).with_name("emstat"))
    files, month, empty, home = work / "files", work / "next_month", work / "empty_month", work / "home"
    env = {**os.environ, "EMSTAT_HOME": str(home)}
    log = work / "bench.log"
    say(f"generating {rows:,} accidents over {MONTHS} months, with the other sources in proportion …")
    generated = write_bench_files(files, rows)
    rows_month = write_month(month, MONTHS, accidents_in(0, rows))
    empty.mkdir(parents=True, exist_ok=True)

    say("floor: DuckDB alone …")
    floor = measure([python, "-m", "devtools.bench.floor", str(files), str(work / "floor.duckdb")], log=log)
    say("pandas …")
    pandas = measure([python, "-m", "devtools.bench.pandas_way", str(files), str(work / "pandas")], log=log)
    say("full pipeline: ingest, dbt, checks, publish …")
    since = time.time()
    full = measure([emstat, "ingest", "--build", str(files)], env=env, log=log)
    appraisal_full = appraisal_seconds(home)
    full_stages = stages(run_steps_since(home, since), full.seconds, appraisal_full)
    compared = compare_figures(home / "published" / "warehouse.duckdb", work / "floor.duckdb", work / "pandas")
    say("incremental: one more month …")
    since = time.time()
    incremental = measure([emstat, "ingest", "--build", str(month)], env=env, log=log)
    appraisal_incremental = appraisal_seconds(home)
    incremental_stages = stages(run_steps_since(home, since), incremental.seconds, appraisal_incremental)
    say("a run on an empty month …")
    since = time.time()
    empty_run = measure([emstat, "ingest", "--build", str(empty)], env=env, log=log)
    # With nothing to load the command starts no run, and dbt's last results are the month's, not this run's.
    empty_stages = stages(run_steps_since(home, since), empty_run.seconds, 0.0)
    return BenchResult(
        rows,
        generated.rows,
        rows_month,
        full,
        incremental,
        empty_run,
        floor,
        pandas,
        compared,
        appraisal_full,
        appraisal_incremental,
        {"full": full_stages, "incremental": incremental_stages, "empty": empty_stages},
    )


def bench(rows: int, work: Path | None = None, say=print) -> BenchResult:
    """In `work` when given (kept), else in a temporary folder removed afterwards."""
    if work is not None:
        # A home left by an earlier bench would take this run's files as one more load and mix both.
        if work.exists() and any(work.iterdir()):
            raise WorkNotEmpty(f"--work {work} is not empty: give a new or empty folder")
        work.mkdir(parents=True, exist_ok=True)
        return run_bench(rows, work, say)
    folder = Path(tempfile.mkdtemp(prefix="emstat-bench-"))
    try:
        return run_bench(rows, folder, say)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
