"""The warehouses the suite reads, each built once per session by the real pipeline and shared.

A build costs half a minute; a copy of a built home costs milliseconds. So each distinct warehouse state the
tests need is named here once, with the commands that make it, and built the first time a test asks for it.
Under pytest-xdist the workers share one shelf: the first worker to ask builds the home under a file lock, the
others wait for it and then read the same folder. A test that reads a home uses it as it is; a test that
changes one works on `copy_to(tmp_path / ...)`.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
from filelock import FileLock

from core.clock import local_now
from tests.runner import run_emstat

TESTS = Path(__file__).parent


@dataclass(frozen=True)
class Recipe:
    """A home: `steps` (emstat arguments, each expected to succeed) run on a copy of `base`, or on nothing.
    The built home remembers the day it was built on (Beijing time)."""

    steps: tuple[tuple[str, ...], ...]
    base: str | None = None


def _ingest(folder: Path, *options: str) -> tuple[str, ...]:
    return ("ingest", str(folder), *options)


BUILD = ("build",)

DEMO_DAY = date(2026, 6, 15)

RECIPES: dict[str, Recipe] = {
    # tests/pipeline/fixtures/landing: regions and hand-counted accidents of 2024 and 2025, four defective rows.
    "pipeline": Recipe((_ingest(TESTS / "pipeline" / "fixtures" / "landing"), BUILD)),
    # tests/expectations/fixtures/landing: every source, on which every expectation passes.
    "quality": Recipe((_ingest(TESTS / "expectations" / "fixtures" / "landing"), BUILD)),
    # tests/report/fixtures: the month's returns received on 5 June 2025, then the 补报 of 20 June.
    "report_first": Recipe((_ingest(TESTS / "report" / "fixtures" / "landing", "--received-on", "2025-06-05"), BUILD)),
    "report_revised": Recipe(
        (_ingest(TESTS / "report" / "fixtures" / "revisions", "--received-on", "2025-06-20"), BUILD),
        base="report_first",
    ),
    # The same after a boundary change announced on 25 June 2025: 城关镇 moves from 东湖县 to 西城区 on 1 July.
    "report_moved": Recipe(
        (_ingest(TESTS / "report" / "fixtures" / "boundary_change", "--received-on", "2025-06-25", "--build"),),
        base="report_revised",
    ),
    # tests/appraisal/fixtures/landing: the hand-scored townships of townships_2025.md as a county sends them.
    "appraisal": Recipe((_ingest(TESTS / "appraisal" / "fixtures" / "landing"), BUILD)),
    # The pipeline home after the 补报 of C2 (tests/pipeline/fixtures/revision).
    "pipeline_revised": Recipe((_ingest(TESTS / "pipeline" / "fixtures" / "revision"), BUILD), base="pipeline"),
    # The pipeline home built again with figures through 1 June 2025: 2025, its second quarter, first half and
    # June are in progress, cut at that day.
    "pipeline_through": Recipe((("build", "--through", "2025-06-01"),), base="pipeline"),
    # `emstat demo --on 2026-06-15`: the demo prefecture's records up to 14 June 2026 (the middle of a month),
    # through the whole pipeline; the year, its second quarter, first half and June are in progress.
    "demo": Recipe((("demo", "--on", DEMO_DAY.isoformat()),)),
}


@dataclass(frozen=True)
class BuiltHome:
    root: Path
    day: date  # the day it was built on
    outputs: tuple[str, ...]  # what each step of the recipe printed

    @property
    def published(self) -> Path:
        return self.root / "published" / "warehouse.duckdb"

    def copy_to(self, target: Path) -> Path:
        """A copy that is current today: should midnight (Beijing time) have passed since the session's build,
        the copy is built again, as the first build of a new day would, or tests that expect nothing to build
        would find the day changed."""
        shutil.copytree(self.root, target)
        with duckdb.connect(str(target / "warehouse.duckdb"), read_only=True) as con:
            started_at, through = con.execute(
                "select started_at, (select max(data_through) from marts.dim_period) from ops.build_inputs"
            ).fetchone()
        if started_at.date() != local_now().date():
            # A home built with `--through` keeps its day; the others run through the new yesterday.
            kept = [] if through in (None, started_at.date() - timedelta(days=1)) else ["--through", str(through)]
            built = run_emstat(target, "build", *kept)
            assert built.returncode == 0, built.stdout + built.stderr
        return target


class Shelf:
    """The built homes of this session, in a folder every xdist worker of the session sees."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def get(self, name: str) -> BuiltHome:
        recipe = RECIPES[name]
        place = self.folder / name
        done = place / "outputs.json"
        with FileLock(str(place) + ".lock"):
            if not done.exists():
                shutil.rmtree(place, ignore_errors=True)
                place.mkdir()
                day = local_now().date()
                outputs: list[str] = []
                if recipe.base is not None:
                    shutil.copytree(self.get(recipe.base).root, place / "home")
                for args in recipe.steps:
                    result = run_emstat(place / "home", *args)
                    assert result.returncode == 0, f"{name}: emstat {' '.join(args)}\n{result.stdout}{result.stderr}"
                    outputs.append(result.stdout)
                done.write_text(
                    json.dumps({"day": day.isoformat(), "outputs": outputs}, ensure_ascii=False), encoding="utf-8"
                )
        built = json.loads(done.read_text(encoding="utf-8"))
        return BuiltHome(place / "home", date.fromisoformat(built["day"]), tuple(built["outputs"]))


def shelf_folder(session_base: Path) -> Path:
    """Under xdist each worker has its own base below the session's: the shelf lives in the session's."""
    return (session_base.parent if os.environ.get("PYTEST_XDIST_WORKER") else session_base) / "homes"


def published_figures(published: Path) -> dict[str, list[tuple]]:
    """Every table and view of a published copy but the run history and check results, which a run that does
    not publish still refreshes there, what the pipeline notes of its own inputs and runs, and when the copy was
    published: what readers' figures are made of."""
    import duckdb

    from dagster_project.publish.publication import OPERATIONAL_TABLES, PUBLICATION_TABLE
    from dagster_project.runs.history import SYNC_TABLE
    from dagster_project.warehouse import build_inputs
    from expectations import baselines
    from expectations.results import SUITE_INPUTS

    bookkeeping = {
        *OPERATIONAL_TABLES,
        build_inputs.TABLE,
        SUITE_INPUTS,
        baselines.TABLE,
        SYNC_TABLE,
        PUBLICATION_TABLE,
    }

    with duckdb.connect(str(published), read_only=True) as con:
        relations = [
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() union all "
                "select schema_name, view_name from duckdb_views() where not internal order by 1, 2"
            ).fetchall()
        ]
        return {
            r: sorted(con.execute(f"select * from {r}").fetchall(), key=repr) for r in relations if r not in bookkeeping
        }
