"""The last day a run's records cover. Spans, their 去年同期 and the day a year earlier are counted in SQL: the
build's marts.report_span (dbt/macros/periods.sql)."""

from __future__ import annotations

from datetime import date, timedelta


def default_data_through(today: date) -> date:
    """The last day the records of a run on `today` cover: the day before (kpi-definitions.md, Periods)."""
    return today - timedelta(days=1)
