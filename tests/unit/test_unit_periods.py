"""emstat.periods.same_period_last_year (去年同期)."""

from __future__ import annotations

from datetime import date

import pytest

from emstat.periods import same_period_last_year


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # 29 February maps to 28 February
        ((2024, 1, 1), (2024, 2, 29), ((2023, 1, 1), (2023, 2, 28))),
        # a span ending on a month's last day compares with that whole month: 2024 has 29 February
        ((2025, 1, 1), (2025, 2, 28), ((2024, 1, 1), (2024, 2, 29))),
        ((2025, 2, 1), (2025, 2, 28), ((2024, 2, 1), (2024, 2, 29))),
        # mid-month end: the same day
        ((2025, 3, 1), (2025, 3, 15), ((2024, 3, 1), (2024, 3, 15))),
        ((2025, 1, 1), (2025, 3, 15), ((2024, 1, 1), (2024, 3, 15))),
        # start on 29 February
        ((2024, 2, 29), (2024, 3, 31), ((2023, 2, 28), (2023, 3, 31))),
        # full year, quarter, month
        ((2024, 1, 1), (2024, 12, 31), ((2023, 1, 1), (2023, 12, 31))),
        ((2025, 4, 1), (2025, 6, 30), ((2024, 4, 1), (2024, 6, 30))),
        ((2025, 5, 1), (2025, 5, 31), ((2024, 5, 1), (2024, 5, 31))),
        # a range crossing the new year
        ((2024, 12, 1), (2025, 2, 28), ((2023, 12, 1), (2024, 2, 29))),
    ],
)
def test_same_period_last_year(start, end, expected):
    expected_start, expected_end = expected
    assert same_period_last_year(date(*start), date(*end)) == (date(*expected_start), date(*expected_end))
