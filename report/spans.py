"""What a report reads: the region tree of both sides (Boundaries), the report macros' rows for a range and its
去年同期 (Comparison), and the 区划调整 between them.

The macros read a region and every region below it in the tree. With `as_of`, the revision history replaces the
current facts: each record counts with the revision that was current at the end of that day (kpi-rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb


@dataclass(frozen=True)
class Boundaries:
    """The region tree a report reads, one for both sides of its comparison (可比口径): as known on `known_on`
    (None: as known now) and in force on `valid_on` (docs/kpi-rules.md). As known now it is the build's own
    dim_region and dim_region_ancestry (in force on data_through, which is then `valid_on`); on an earlier day the
    table macros made by the same rules."""

    known_on: date | None
    valid_on: date

    def tree(self, on: date | None = None) -> str:
        """The regions, one row per code (in force on `on` instead of valid_on when given)."""
        return self._relation("marts.dim_region", "marts.region_tree", on)

    def ancestry(self, on: date | None = None) -> str:
        return self._relation("marts.dim_region_ancestry", "marts.region_ancestry", on)

    def _relation(self, built: str, macro: str, on: date | None) -> str:
        if self.known_on is None and on is None:
            return built
        return f"{macro}({_day(self.known_on)}, {_day(on or self.valid_on)})"


def _day(day: date | None) -> str:
    return "null" if day is None else f"date '{day.isoformat()}'"


@dataclass(frozen=True)
class Comparison:
    """A region's range of days and its 去年同期, each side as known on its own day, both over one region tree:
    the parameters of every report macro (dbt/macros/report_figures.sql)."""

    region: str
    start: date
    end: date
    comparison_start: date
    comparison_end: date
    as_of: date | None
    comparison_as_of: date | None
    boundaries: Boundaries

    def rows(self, con: duckdb.DuckDBPyConnection, section: str, places: int) -> list[dict[str, object]]:
        """The rows of the section's macro, each a dict of its columns."""
        parameters = (
            self.region,
            self.start,
            self.end,
            self.comparison_start,
            self.comparison_end,
            self.as_of,
            self.comparison_as_of,
            self.boundaries.known_on,
            self.boundaries.valid_on,
        )
        con.execute(
            f"select * from marts.report_{section}_{places}dp(?::varchar, {', '.join(['?::date'] * 8)})", parameters
        )
        names = [column[0] for column in con.description]
        return [dict(zip(names, row, strict=True)) for row in con.fetchall()]


def boundary_changes(con, region: str, boundaries: Boundaries, since: date) -> list[dict[str, object]]:
    """Regions that changed parent between `since` and the tree's day and were, before or after, inside
    `region`: the 区划调整 the comparable basis carries back into 去年同期."""
    (dated,) = con.execute(
        "select count(*) from marts.dim_region_versions where valid_from > ? and valid_from <= ? "
        "or valid_to >= ? and valid_to < ?",
        [since, boundaries.valid_on, since, boundaries.valid_on],
    ).fetchone()
    if not dated:  # no version starts or ends in between: no parent can have changed
        return []
    later, earlier = boundaries.tree(), boundaries.tree(on=since)
    rows = con.execute(
        f"""
        with moved as (
            select later.region_code, later.region_name, later.valid_from,
                   earlier.parent_code as from_code, later.parent_code as to_code
            from {later} as later
            inner join {earlier} as earlier on earlier.region_code = later.region_code
            where later.parent_code is distinct from earlier.parent_code
        )
        select moved.region_code, moved.region_name, moved.valid_from, moved.from_code, from_names.region_name,
               moved.to_code, to_names.region_name
        from moved
        left join {earlier} as from_names on from_names.region_code = moved.from_code
        left join {later} as to_names on to_names.region_code = moved.to_code
        where exists (select 1 from {boundaries.ancestry()} as now
                      where now.region_code = moved.region_code and now.ancestor_code = $region and now.depth > 0)
           or exists (select 1 from {boundaries.ancestry(on=since)} as before
                      where before.region_code = moved.region_code and before.ancestor_code = $region
                        and before.depth > 0)
        order by moved.valid_from, moved.region_code
    """,
        {"region": region},
    ).fetchall()
    names = ("region_code", "region_name", "valid_from", "from_code", "from_name", "to_code", "to_name")
    return [dict(zip(names, row, strict=True)) for row in rows]
