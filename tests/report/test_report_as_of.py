"""Reports as known on an earlier day: `--as-of` gives back exactly the report made before later revisions
arrived; `--as-reported` compares with 去年同期 as it was reported a year before."""

from __future__ import annotations

import pytest

from tests.report.conftest import FIXTURES, Home
from tests.runner import run_emstat

pytestmark = pytest.mark.slow

REPORTS = [
    ("990221", "2025-01-01", "2025-05-31"),  # the county, year to date
    ("990221001", "2025-01-01", "2025-05-31"),  # a township the 补报 touches
    ("990200", "2025-01-01", "2025-05-31"),  # the prefecture
    ("990221", "2025-05-01", "2025-05-31"),  # May alone: the revised flood, the late accident
]


@pytest.mark.parametrize(("region", "start", "end"), REPORTS)
def test_as_of_reproduces_the_report_made_before_the_revisions(first_home, revised_home, region, start, end):
    args = ("--region", region, "--from", start, "--to", end)
    made_then = first_home.report(*args)
    rebuilt = revised_home.report(*args, "--as-of", "2025-06-10")
    now = revised_home.report(*args)
    assert rebuilt["as_of"] == "2025-06-10" and made_then["as_of"] is None
    # As known at the end of 10 June, the records run through that day; made today, through yesterday's build.
    assert rebuilt["data_through"] == "2025-06-10"
    # and by the region tree as known and in force that day
    assert rebuilt["boundaries"] == {
        "basis": "comparable",
        "valid_on": "2025-06-10",
        "known_on": "2025-06-10",
        "changes": [],
    }
    differ = {"as_of", "data_through", "boundaries"}
    assert {k: v for k, v in rebuilt.items() if k not in differ} == {
        k: v for k, v in made_then.items() if k not in differ
    }
    assert now["totals"] != made_then["totals"] or now["disasters"] != made_then["disasters"]  # revised since


def test_the_day_a_revision_arrives_counts_it(revised_home):
    args = ("--region", "990221", "--from", "2025-01-01", "--to", "2025-05-31")
    assert revised_home.report(*args, "--as-of", "2025-06-19")["totals"]["deaths"]["value"] == 4
    assert revised_home.report(*args, "--as-of", "2025-06-20")["totals"]["deaths"]["value"] == 6


def test_as_reported_compares_with_what_was_known_a_year_before(tmp_path):
    """2024's accidents arrived on 5 June 2024; a 补报 of 20 June 2025 adds a death to B04 (3 → 4)."""
    home = Home(tmp_path / "home")
    landing = FIXTURES / "landing"
    first = run_emstat(
        home.root,
        "ingest",
        str(landing / "regions.csv"),
        str(landing / "denominators.csv"),
        str(landing / "accidents_2024.csv"),
        "--received-on",
        "2024-06-05",
    )
    assert first.returncode == 0, first.stderr
    revision = tmp_path / "accidents_2024_补报.csv"
    revision.write_text(
        (landing / "accidents_2024.csv").read_text(encoding="utf-8").splitlines()[0]
        + "\n"
        + "B04,2024-03-20 10:15,2024-03-20 10:40,990221003,construction,collapse,山前建安公司,,4,0,0,0,"
        "1200000.00,较大,否,补报：死亡4人\n",
        encoding="utf-8",
    )
    late = run_emstat(home.root, "ingest", str(revision), "--received-on", "2025-06-20")
    assert late.returncode == 0, late.stderr
    assert run_emstat(home.root, "build").returncode == 0

    args = ("--region", "990221", "--from", "2025-01-01", "--to", "2025-05-31", "--as-of", "2025-06-25")
    as_known = home.report(*args)
    as_reported = home.report(*args, "--as-reported")
    assert as_known["comparison_as_of"] is None
    assert as_reported["comparison_as_of"] == "2024-06-25"
    # The county's 2024 January–May deaths: 6 as first reported (HAND_COUNT.md), 7 after the 补报.
    assert as_known["totals"]["deaths"] == {"value": 0, "previous": 7, "change": -7, "change_pct": -100.0}
    assert as_reported["totals"]["deaths"] == {"value": 0, "previous": 6, "change": -6, "change_pct": -100.0}
    assert (
        as_reported["by_industry"]["construction"]["deaths"]["previous"]
        == as_known["by_industry"]["construction"]["deaths"]["previous"] - 1
    )
