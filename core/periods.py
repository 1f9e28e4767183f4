"""The day one year before another, for `report --as-reported` (what was known a year earlier). Spans and their
去年同期 are counted in SQL: the build's marts.report_span (dbt/macros/periods.sql)."""

from __future__ import annotations

from datetime import date, timedelta


def one_year_back(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def default_data_through(today: date) -> date:
    """The last day the records of a run on `today` cover: the day before (kpi-definitions.md, Periods)."""
    return today - timedelta(days=1)
