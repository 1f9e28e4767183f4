"""`emstat backfill`: an archive of past returns loads in the order the returns arrived, each dated by the day
it was saved, so the latest correction stands whatever the files are called; then one run builds and publishes."""

from __future__ import annotations

import os
import shutil
from datetime import datetime

import duckdb
import pytest

from core.clock import LOCAL_TZ
from tests.pipeline.conftest import FIXTURES
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

HEADER = "accident_id,occurred_at,region_code,industry,deaths,injuries\n"
# (file, saved at, content). The correction sorts first by name but was saved last.
ARCHIVE = [
    ("regions.csv", "2024-01-02 09:00", None),
    (
        "accidents_b_march.csv",
        "2025-04-05 10:00",
        HEADER + "H1,2025-03-10 07:00,990121100,road_traffic,1,0\nH2,2025-03-21,990121101,fire,0,2\n",
    ),
    ("accidents_a_correction.csv", "2025-04-20 16:30", HEADER + "H1,2025-03-10 07:00,990121100,road_traffic,2,1\n"),
]


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name, saved_at, content in ARCHIVE:
        path = folder / name
        if content is None:
            shutil.copy(FIXTURES / "landing" / name, path)
        else:
            path.write_text(content, encoding="utf-8")
        stamp = datetime.fromisoformat(saved_at).replace(tzinfo=LOCAL_TZ).timestamp()
        os.utime(path, (stamp, stamp))
    return folder


def test_backfill_loads_in_arrival_order_with_each_files_date_and_publishes(archive, tmp_path):
    home = tmp_path / "home"
    run = run_emstat(home, "backfill", str(archive))
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[:3] == [
        "regions.csv [regions]: 7 rows: 7 new, 0 revised, 0 unchanged, 0 quarantined",
        "accidents_b_march.csv [accidents]: 2 rows: 2 new, 0 revised, 0 unchanged, 0 quarantined",
        "accidents_a_correction.csv [accidents]: 1 rows: 0 new, 1 revised, 0 unchanged, 0 quarantined",
    ]
    assert lines[-1] == f"published {home / 'published' / 'warehouse.duckdb'}"

    with duckdb.connect(str(home / "published" / "warehouse.duckdb"), read_only=True) as con:
        received = con.execute("select file_name, cast(received_on as varchar) from raw.files order by load_id")
        assert received.fetchall() == [
            ("regions.csv", "2024-01-02"),
            ("accidents_b_march.csv", "2025-04-05"),
            ("accidents_a_correction.csv", "2025-04-20"),
        ]
        assert con.execute("select accident_id, deaths, injuries from marts.fct_accidents order by 1").fetchall() == [
            ("H1", 2, 1),
            ("H2", 0, 2),
        ]
        assert con.execute("select job, status from ops.runs").fetchall() == [("pipeline", "published")]
