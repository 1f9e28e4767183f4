"""去年同期 for an arbitrary date range, the same rule as the dbt macro same_period_last_year_end
(tests hold the two together over every period of the warehouse)."""

from __future__ import annotations

import calendar
from datetime import date


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def one_year_back(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def same_period_last_year(start: date, end: date) -> tuple[date, date]:
    """A span ending on a month's last day compares with that whole month a year earlier."""
    comparison_end = (
        _last_day(end.year - 1, end.month) if end == _last_day(end.year, end.month) else one_year_back(end)
    )
    return one_year_back(start), comparison_end
