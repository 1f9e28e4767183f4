"""What a home keeps of each run's leftovers: run logs and GX results for EMSTAT_KEEP_DAYS days, the newest
result of each suite always, the error log and Superset's log whatever their age."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from core.settings import Home, SettingError
from dagster_project.operations.retention import prune

DAY = 86_400
NOW = 1_800_000_000.0
VALIDATIONS = Path("gx/gx/uncommitted/validations")
DOCS = Path("gx/gx/uncommitted/data_docs/local_site/validations")


def _file(root: Path, relative: str, age_days: float) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")
    os.utime(path, (NOW - age_days * DAY, NOW - age_days * DAY))
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    for age in (200, 100, 10):
        _file(tmp_path, f"{VALIDATIONS}/batch_accidents/__none__/run{age}/result.json", age)
        _file(tmp_path, f"{DOCS}/batch_accidents/__none__/run{age}/page.html", age)
    _file(tmp_path, f"{VALIDATIONS}/fct_accidents/__none__/run300/result.json", 300)  # its only result
    for name, age in (
        ("pipeline-20250101-020000.log", 120),
        ("build-20261101-020000.log", 5),
        ("emstat-errors.log", 400),
        ("superset.log", 400),
    ):
        _file(tmp_path, f"logs/{name}", age)
    return tmp_path


def _left(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_older_than_the_retention_goes_the_newest_of_each_suite_stays(home, monkeypatch):
    monkeypatch.delenv("EMSTAT_KEEP_DAYS", raising=False)  # 90 days
    assert prune(Home(home), now=NOW) == 5
    assert _left(home) == [
        f"{DOCS}/batch_accidents/__none__/run10/page.html",
        f"{VALIDATIONS}/batch_accidents/__none__/run10/result.json",
        f"{VALIDATIONS}/fct_accidents/__none__/run300/result.json",
        "logs/build-20261101-020000.log",
        "logs/emstat-errors.log",
        "logs/superset.log",
    ]
    assert not (home / VALIDATIONS / "batch_accidents" / "__none__" / "run200").exists()  # no empty folders left


def test_the_retention_is_a_setting(home, monkeypatch):
    monkeypatch.setenv("EMSTAT_KEEP_DAYS", "150")
    assert prune(Home(home), now=NOW) == 2  # the 200-day result and page
    monkeypatch.setenv("EMSTAT_KEEP_DAYS", "ninety")
    with pytest.raises(
        SettingError, match="^EMSTAT_KEEP_DAYS must be a whole number of days, at least 1, not 'ninety'$"
    ):
        prune(Home(home), now=time.time())
