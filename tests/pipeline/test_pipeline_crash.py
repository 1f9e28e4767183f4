"""Kill `emstat ingest` half-way for real; the re-run must give the warehouse an uninterrupted load gives."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from tests.pipeline.conftest import FIXTURES
from tests.runner import EMSTAT

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

TOWNSHIPS = ["990121100", "990121101", "990122001"]
INDUSTRIES = ["road_traffic", "fire", "construction", "industry_trade"]


def write_accidents(path: Path, year: int, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 365, rows)
    pl.DataFrame(
        {
            "accident_id": [f"K{year}-{n:07d}" for n in range(rows)],
            "occurred_at": (
                pl.Series([f"{year}-01-01"] * rows).str.to_date() + pl.Series(days).cast(pl.Duration("ms")) * 86_400_000
            ).cast(pl.String),
            "region_code": [TOWNSHIPS[i] for i in rng.integers(0, len(TOWNSHIPS), rows)],
            "industry": [INDUSTRIES[i] for i in rng.integers(0, len(INDUSTRIES), rows)],
            "deaths": rng.integers(0, 2, rows),
            "injuries": rng.integers(0, 4, rows),
        }
    ).write_csv(path)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("landing")
    (folder / "regions.csv").write_bytes((FIXTURES / "landing" / "regions.csv").read_bytes())
    write_accidents(folder / "accidents_2024.csv", 2024, 5_000, seed=1)
    # Big enough that the kill lands while this file is being loaded.
    write_accidents(folder / "accidents_2025.csv", 2025, 600_000, seed=2)
    return folder


def ingest(home: Path, landing: Path) -> subprocess.Popen:
    env = {**os.environ, "EMSTAT_HOME": str(home)}
    return subprocess.Popen(
        [str(EMSTAT), "ingest", str(landing)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def warehouse_content(home: Path) -> dict[str, list[tuple]]:
    """What a load leaves, without what legitimately differs between runs (load ids and clock times)."""
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return {
            "accidents": con.execute(
                "select * exclude (_load_id, _loaded_at) from raw.accidents order by accident_id, _row_number"
            ).fetchall(),
            "regions": con.execute("select * exclude (_load_id, _loaded_at) from raw.regions order by 1").fetchall(),
            "files": con.execute(
                "select file_name, file_sha256, status, rows_total, rows_new, rows_quarantined from raw.files order by 1"
            ).fetchall(),
            "quarantine": con.execute(
                "select file_name, row_number, reason from raw.quarantine order by 1, 2"
            ).fetchall(),
        }


def test_a_killed_load_resumes_to_the_same_warehouse(landing, tmp_path):
    clean = tmp_path / "clean"
    done = ingest(clean, landing)
    assert done.wait(timeout=600) == 0, done.stderr.read()

    crashed = tmp_path / "crashed"
    run = ingest(crashed, landing)
    # The run log tells when the first accidents file has committed; kill -9 then, mid second file.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        logs = list((crashed / "logs").glob("ingest-*.log")) if (crashed / "logs").exists() else []
        if logs and "accidents_2024.csv [accidents]" in logs[0].read_text(encoding="utf-8", errors="replace"):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the first file never finished loading")
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL

    # Nothing of the file being loaded at the kill is there; the one before is complete.
    half = warehouse_content(crashed)
    assert [f[0] for f in half["files"]] == ["accidents_2024.csv", "regions.csv"]
    assert len(half["accidents"]) == 5_000

    resumed = ingest(crashed, landing)
    assert resumed.wait(timeout=600) == 0, resumed.stderr.read()
    out = resumed.stdout.read()
    assert "accidents_2024.csv: already loaded, nothing to do" in out
    assert "accidents_2025.csv [accidents]: 600000 rows: 600000 new" in out
    assert warehouse_content(crashed) == warehouse_content(clean)
