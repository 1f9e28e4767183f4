"""A build with nothing new: it says so in one line and leaves the published copy alone; a new load, a hand
edit of a raw row or `--force` builds again."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from core.clock import local_now
from dagster_project.warehouse.build_inputs import code_digest, raw_digest
from tests.pipeline.conftest import FIXTURES, published_at_text
from tests.runner import run_emstat


def _idle_line(home) -> str:
    return (
        f"nothing to build: no record, code or day has changed since the build published at "
        f"{published_at_text(home)} (`emstat build --force` rebuilds it)"
    )


@pytest.mark.slow
def test_a_build_with_nothing_new_publishes_nothing_until_something_changes(built_home, tmp_path):
    home = built_home.copy_to(tmp_path / "home")
    published = home / "published" / "warehouse.duckdb"
    copied_at, runs = published.stat().st_mtime_ns, set((home / "logs").glob("build-*.log"))

    idle = run_emstat(home, "build")
    assert (idle.returncode, idle.stdout.splitlines(), idle.stderr) == (0, [_idle_line(home)], "")
    assert set((home / "logs").glob("build-*.log")) == runs  # no Dagster run was started
    assert published.stat().st_mtime_ns == copied_at

    assert run_emstat(home, "ingest", str(FIXTURES / "revision")).returncode == 0
    started = local_now()
    revised = run_emstat(home, "build")
    assert revised.returncode == 0, revised.stdout + revised.stderr
    assert revised.stdout.splitlines()[-1] == f"published {published}"
    # The run log is named by Beijing time, as the published_at the clerk is shown.
    (log,) = set((home / "logs").glob("build-*.log")) - runs
    assert started <= datetime.strptime(log.stem, "build-%Y%m%d-%H%M%S") <= local_now()
    assert run_emstat(home, "build").stdout.splitlines() == [_idle_line(home)]

    forced = run_emstat(home, "build", "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert forced.stdout.splitlines()[-1] == f"published {published}"
    assert len(set((home / "logs").glob("build-*.log")) - runs) == 2


def test_the_raw_digest_follows_every_row_and_value():
    con = duckdb.connect()
    con.execute("create schema raw; create table raw.accidents (accident_id varchar, deaths integer)")
    con.execute("insert into raw.accidents values ('A1', 1), ('A2', 0)")
    loaded = raw_digest(con)
    assert raw_digest(con) == loaded
    con.execute("update raw.accidents set deaths = 2 where accident_id = 'A1'")
    edited = raw_digest(con)
    assert edited != loaded
    con.execute("insert into raw.accidents values ('A2', 0)")  # the same row once more
    assert raw_digest(con) not in (loaded, edited)
    con.execute("create table raw.fines (fine_id varchar)")
    assert raw_digest(con) != edited


def test_the_code_digest_follows_the_models_and_checks_not_the_docs(tmp_path):
    (tmp_path / "dbt" / "models").mkdir(parents=True)
    (tmp_path / "expectations").mkdir()
    model = tmp_path / "dbt" / "models" / "fct_accidents.sql"
    model.write_text("select 1 as accident_id\n")
    (tmp_path / "expectations" / "policy.yaml").write_text("checks: {}\n")
    before = code_digest(tmp_path)
    (tmp_path / "dbt" / "models" / "README.md").write_text("notes\n")
    assert code_digest(tmp_path) == before
    model.write_text("select 2 as accident_id\n")
    changed = code_digest(tmp_path)
    assert changed != before
    (tmp_path / "expectations" / "policy.yaml").write_text("checks: {deaths: warning}\n")
    assert code_digest(tmp_path) not in (before, changed)


# What a build publishes from the records, without the load times that differ between two homes.
_PUBLISHED_FIGURES = [
    "select * exclude (loaded_at) from marts.fct_accidents order by accident_id",
    "select * from kpi.kpi_accident_yoy order by all",
]


def _figures(published) -> list[list[tuple]]:
    with duckdb.connect(str(published), read_only=True) as con:
        return [con.execute(sql).fetchall() for sql in _PUBLISHED_FIGURES]


@pytest.mark.slow
def test_ingest_with_build_loads_builds_and_publishes_in_one_run(built_home, shelf, tmp_path):
    two_commands = shelf.get("pipeline_revised").root  # `emstat ingest fixtures/revision`, then `emstat build`

    home = built_home.copy_to(tmp_path / "one")
    runs = set((home / "logs").glob("*.log"))
    done = run_emstat(home, "ingest", "--build", str(FIXTURES / "revision"))
    assert done.returncode == 0, done.stdout + done.stderr
    published = home / "published" / "warehouse.duckdb"
    lines = done.stdout.splitlines()
    assert lines[0] == "事故_2025_补报.csv [accidents]: 1 rows: 0 new, 1 revised, 0 unchanged, 0 quarantined"
    assert lines[-1] == f"published {published}"
    assert [p.name.split("-")[0] for p in set((home / "logs").glob("*.log")) - runs] == ["pipeline"]
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute(
            "select job, status, rows_loaded from ops.runs order by started_at desc limit 1"
        ).fetchall() == [("pipeline", "published", 1)]
    assert _figures(published) == _figures(two_commands / "published" / "warehouse.duckdb")

    again = run_emstat(home, "ingest", "--build", str(FIXTURES / "revision"))
    assert again.stdout.splitlines()[-1] == (
        "nothing to ingest: every file was loaded before, and the figures published at "
        f"{published_at_text(home)} are current"
    )
