"""Shared helpers: run the real `emstat` command of this venv against a throwaway EMSTAT_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EMSTAT = Path(sys.executable).with_name("emstat")


def run_emstat(home: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EMSTAT_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run([str(EMSTAT), *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def emstat_home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def published_figures(published: Path) -> dict[str, list[tuple]]:
    """Every table and view of a published copy but the run history and check results, which a run that does
    not publish still refreshes there, and what the pipeline notes of its own inputs: what readers' figures
    are made of."""
    import duckdb

    from emstat import build_inputs
    from emstat.publish import OPERATIONAL_TABLES
    from expectations import baselines
    from expectations.results import SUITE_INPUTS

    bookkeeping = {*OPERATIONAL_TABLES, build_inputs.TABLE, SUITE_INPUTS, baselines.TABLE}

    with duckdb.connect(str(published), read_only=True) as con:
        relations = [f"{schema}.{name}" for schema, name in con.execute(
            "select schema_name, table_name from duckdb_tables() union all "
            "select schema_name, view_name from duckdb_views() where not internal order by 1, 2").fetchall()]
        return {r: sorted(con.execute(f"select * from {r}").fetchall(), key=repr)
                for r in relations if r not in bookkeeping}
