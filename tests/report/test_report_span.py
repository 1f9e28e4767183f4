"""marts.report_span, the range a report counts and its 去年同期: the build makes it from the dbt macros that
cut and compare every named period (dbt/macros/periods.sql), so a report and the KPI marts use one rule."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

pytestmark = pytest.mark.slow

LONG_AFTER = (2099, 12, 31)  # records that run far past the range: nothing is cut


@pytest.mark.parametrize(
    ("start", "end", "through", "expected"),
    [
        # 29 February maps to 28 February
        ((2024, 1, 1), (2024, 2, 29), LONG_AFTER, ((2024, 2, 29), False, (2023, 1, 1), (2023, 2, 28))),
        # a span ending on a month's last day compares with that whole month: 2024 has 29 February
        ((2025, 1, 1), (2025, 2, 28), LONG_AFTER, ((2025, 2, 28), False, (2024, 1, 1), (2024, 2, 29))),
        ((2025, 2, 1), (2025, 2, 28), LONG_AFTER, ((2025, 2, 28), False, (2024, 2, 1), (2024, 2, 29))),
        # mid-month end: the same day
        ((2025, 3, 1), (2025, 3, 15), LONG_AFTER, ((2025, 3, 15), False, (2024, 3, 1), (2024, 3, 15))),
        ((2025, 1, 1), (2025, 3, 15), LONG_AFTER, ((2025, 3, 15), False, (2024, 1, 1), (2024, 3, 15))),
        # start on 29 February
        ((2024, 2, 29), (2024, 3, 31), LONG_AFTER, ((2024, 3, 31), False, (2023, 2, 28), (2023, 3, 31))),
        # full year, quarter, month
        ((2024, 1, 1), (2024, 12, 31), LONG_AFTER, ((2024, 12, 31), False, (2023, 1, 1), (2023, 12, 31))),
        ((2025, 4, 1), (2025, 6, 30), LONG_AFTER, ((2025, 6, 30), False, (2024, 4, 1), (2024, 6, 30))),
        ((2025, 5, 1), (2025, 5, 31), LONG_AFTER, ((2025, 5, 31), False, (2024, 5, 1), (2024, 5, 31))),
        # a range crossing the new year
        ((2024, 12, 1), (2025, 2, 28), LONG_AFTER, ((2025, 2, 28), False, (2023, 12, 1), (2024, 2, 29))),
        # the year in progress on 4 December 2026: cut at 3 December on both sides
        ((2026, 1, 1), (2026, 12, 31), (2026, 12, 3), ((2026, 12, 3), True, (2025, 1, 1), (2025, 12, 3))),
        # cut on 29 February: compared through 28 February; cut on 28 February after a leap year: all February
        ((2024, 1, 1), (2024, 12, 31), (2024, 2, 29), ((2024, 2, 29), True, (2023, 1, 1), (2023, 2, 28))),
        ((2025, 1, 1), (2025, 3, 31), (2025, 2, 28), ((2025, 2, 28), True, (2024, 1, 1), (2024, 2, 29))),
        # a part of February ending on the 28th of a common year compares with the same days, each end on its
        # own; one ending on the 29th ends on the 28th; one holding the whole month compares with the whole month
        ((2025, 2, 28), (2025, 2, 28), LONG_AFTER, ((2025, 2, 28), False, (2024, 2, 28), (2024, 2, 28))),
        ((2025, 2, 15), (2025, 2, 28), LONG_AFTER, ((2025, 2, 28), False, (2024, 2, 15), (2024, 2, 28))),
        ((2024, 2, 15), (2024, 2, 29), LONG_AFTER, ((2024, 2, 29), False, (2023, 2, 15), (2023, 2, 28))),
        ((2024, 2, 29), (2024, 2, 29), LONG_AFTER, ((2024, 2, 29), False, (2023, 2, 28), (2023, 2, 28))),
        ((2025, 1, 15), (2025, 2, 28), LONG_AFTER, ((2025, 2, 28), False, (2024, 1, 15), (2024, 2, 29))),
        ((2029, 1, 1), (2029, 3, 31), (2029, 2, 28), ((2029, 2, 28), True, (2028, 1, 1), (2028, 2, 29))),
        # one day: the same day a year earlier (what `report --as-reported` reads 去年同期 as known on)
        ((2025, 6, 10), (2025, 6, 10), LONG_AFTER, ((2025, 6, 10), False, (2024, 6, 10), (2024, 6, 10))),
        ((2025, 1, 1), (2025, 1, 1), LONG_AFTER, ((2025, 1, 1), False, (2024, 1, 1), (2024, 1, 1))),
        # other months are the same length every year: a part of one ending on its last day ends on the same day
        ((2025, 4, 15), (2025, 4, 30), LONG_AFTER, ((2025, 4, 30), False, (2024, 4, 15), (2024, 4, 30))),
        # records through the range's last day: not cut
        ((2026, 11, 1), (2026, 11, 30), (2026, 11, 30), ((2026, 11, 30), False, (2025, 11, 1), (2025, 11, 30))),
    ],
)
def test_the_span_a_report_counts_and_compares_with(shelf, start, end, through, expected):
    with duckdb.connect(str(shelf.get("pipeline").published), read_only=True) as con:
        got = con.execute(
            "select counted_end, is_cut, comparison_start, comparison_end from marts.report_span(?, ?, ?)",
            [date(*start), date(*end), date(*through)],
        ).fetchone()
    counted, cut, compared_start, compared_end = expected
    assert got == (date(*counted), cut, date(*compared_start), date(*compared_end))
