"""The run history: `emstat status` tells each run's files, rows, checks and publication, and the warehouse
and the published copy keep the same rows; a warehouse held by another process is waited for, not failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import duckdb
import pytest

from tests.runner import EMSTAT, run_emstat

pytestmark = pytest.mark.slow

FILES = [
    {
        "file": "regions.csv",
        "source": "regions",
        "status": "loaded",
        "rows_loaded": 7,
        "rows_quarantined": 0,
        "reason": None,
    },
    {
        "file": "accidents_2024.csv",
        "source": "accidents",
        "status": "loaded",
        "rows_loaded": 7,
        "rows_quarantined": 0,
        "reason": None,
    },
    {
        "file": "accidents_2025_township_returns.csv",
        "source": "accidents",
        "status": "loaded",
        "rows_loaded": 1,
        "rows_quarantined": 4,
        "reason": None,
    },
    {
        "file": "事故_2025.csv",
        "source": "accidents",
        "status": "loaded",
        "rows_loaded": 6,
        "rows_quarantined": 0,
        "reason": None,
    },
]


def status_json(home) -> list[dict]:
    shown = run_emstat(home, "status", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)["runs"]


def history_rows(path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select run_id, status, rows_loaded, rows_quarantined, checks_failed, published_at "
            "from ops.runs order by started_at desc"
        ).fetchall()


def test_status_lists_each_run_and_the_warehouse_keeps_the_same(built_home, tmp_path):
    home = built_home.copy_to(tmp_path / "home")
    build, ingest = status_json(home)
    assert (ingest["job"], ingest["status"], ingest["launched_by"]) == ("ingest", "loaded", "cli")
    assert ingest["files"] == FILES
    # 7 + 7 + 1 + 6 accepted; 4 township rows sent back; six sources without a file: six freshness warnings.
    assert (ingest["rows_loaded"], ingest["rows_quarantined"], ingest["checks_failed"]) == (21, 4, 6)
    assert ingest["published_at"] is None and ingest["failure"] is None
    assert (build["job"], build["status"], build["files"], build["failure"]) == ("build", "published", [], None)
    assert build["published_at"] is not None and build["started_at"] <= build["published_at"] <= build["ended_at"]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        warnings = con.execute(
            "select count(*) from quality.validation_results where run_id = ? and not is_success", [build["run_id"]]
        ).fetchone()[0]
    assert build["checks_failed"] == warnings

    expected = [
        (r["run_id"], r["status"], r["rows_loaded"], r["rows_quarantined"], r["checks_failed"], r["published_at"])
        for r in (build, ingest)
    ]
    for path in (home / "warehouse.duckdb", home / "published" / "warehouse.duckdb"):
        assert [(*row[:5], row[5].isoformat() if row[5] else None) for row in history_rows(path)] == expected

    text = run_emstat(home, "status").stdout.splitlines()
    assert text[0].startswith(f"{build['started_at'].replace('T', ' ')}  build  published  run {build['run_id'][:8]}")
    assert "    accidents_2025_township_returns.csv [accidents]: 1 loaded, 4 quarantined" in text


def test_a_blocked_run_is_in_the_published_history_and_a_held_warehouse_is_waited_for(built_home, tmp_path):
    home = built_home.copy_to(tmp_path / "home")
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            "update raw.accidents set deaths = -5 where accident_id = (select min(accident_id) from raw.accidents)"
        )
    # Another process holds the warehouse until the build has met the lock and gone up for a retry.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); sys.stdin.read()",
            str(home / "warehouse.duckdb"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    earlier = set((home / "logs").glob("build-*.log"))
    build = subprocess.Popen(
        [str(EMSTAT), "build"],
        env={**os.environ, "EMSTAT_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and build.poll() is None:
        logs = set((home / "logs").glob("build-*.log")) - earlier
        if logs and "STEP_UP_FOR_RETRY" in logs.pop().read_text(encoding="utf-8", errors="replace"):
            break
        time.sleep(0.1)
    holder.communicate("", timeout=30)
    out, err = build.communicate(timeout=600)
    blocked = subprocess.CompletedProcess(build.args, build.returncode, out, err)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    latest = status_json(home)[0]
    assert latest["status"] == "blocked"
    assert latest["failure"] == "batch_accidents: expect_column_values_to_be_between(deaths)"
    assert latest["published_at"] is None
    assert history_rows(home / "published" / "warehouse.duckdb")[0][:2] == (latest["run_id"], "blocked")

    env = {**os.environ, "DAGSTER_HOME": str(home / "dagster")}
    events = subprocess.run(
        [
            sys.executable,
            "-c",
            f"""
from dagster import DagsterInstance
instance = DagsterInstance.get()
for entry in instance.all_logs("{latest["run_id"]}"):
    if entry.dagster_event and entry.dagster_event.step_key:
        print(entry.dagster_event.step_key, entry.dagster_event.event_type_value)
""",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    # The lock made the steps retry; the check that blocked the run was evaluated once and not retried after.
    assert any(e.endswith(" STEP_UP_FOR_RETRY") for e in events)
    accidents = [e.split()[1] for e in events if e.startswith("raw__accidents_batch_accidents_expectations ")]
    assert accidents.count("ASSET_CHECK_EVALUATION") == 1
    assert "STEP_UP_FOR_RETRY" not in accidents[accidents.index("ASSET_CHECK_EVALUATION") :]
