"""`emstat appraise` against what it printed before the appraisal moves into SQL (issue: every counting rule in
one place): the ranking, every line with its points, explanation and evidence ids, and the vetoes, for the demo
prefecture's two complete years and for the hand-counted townships.

The golden files (fixtures/golden/) were written by the Python scoring engine at the commit that added them. A
difference is a changed figure: explain it, or fix the change that made it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.settings import REPO_ROOT
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
CASES = [
    ("demo", "demo_2024", ("--year", "2024")),
    ("demo", "demo_2025", ("--year", "2025")),
    ("appraisal", "fixture_2025", ("--year", "2025")),
    ("appraisal", "fixture_2025_county", ("--year", "2025", "--region", "990321")),
]


@pytest.mark.parametrize(("recipe", "golden", "args"), CASES, ids=[golden for _, golden, _ in CASES])
def test_the_appraisal_prints_what_it_printed_before(shelf, recipe: str, golden: str, args: tuple[str, ...]):
    done = run_emstat(shelf.get(recipe).root, "appraise", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    printed["rules"] = Path(printed["rules"]).relative_to(REPO_ROOT).as_posix()
    expected = json.loads((GOLDEN / f"{golden}.json").read_text(encoding="utf-8"))
    assert [(r["code"], r["total"], r["grade"], r["rank"], r["vetoes"]) for r in printed["regions"]] == [
        (r["code"], r["total"], r["grade"], r["rank"], r["vetoes"]) for r in expected["regions"]
    ]
    assert printed == expected
