"""core.periods.one_year_back: the day `--as-reported` reads 去年同期 as known on."""

from __future__ import annotations

from datetime import date

import pytest

from core.periods import one_year_back


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 6, 10), date(2024, 6, 10)),
        (date(2024, 2, 29), date(2023, 2, 28)),  # 29 February maps to 28 February
        (date(2025, 2, 28), date(2024, 2, 28)),
        (date(2025, 1, 1), date(2024, 1, 1)),
    ],
)
def test_one_year_back(day, expected):
    assert one_year_back(day) == expected
