"""Benchmark files: N accidents over a decade of months, with inspections, penalties, relief and disasters in
proportion, one CSV per source per month as township returns arrive. Each month is drawn from its own random
stream and written before the next is drawn, so memory stays that of one month whatever N is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from devtools.demo_data import region_rows
from ingest.codes import FUND_SOURCES, HAZARDS, INDUSTRIES, PARTY_TYPES, RELIEF_PROGRAMS

# Records of each source per accident, about as a province's registers run.
PER_ACCIDENT = {"inspections": 0.5, "penalties": 0.1, "relief": 0.05, "disasters": 0.01}
FIRST_MONTH = date(2015, 11, 1)
MONTHS = 120  # a decade; the incremental run adds the month after
SEED = 2026


@dataclass(frozen=True)
class BenchFiles:
    folder: Path
    accidents: int
    rows: int  # every record row of every source, the regions reference not counted
    months: int


def month_start(index: int) -> date:
    months = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + index
    return date(months // 12, months % 12 + 1, 1)


def townships() -> list[str]:
    return [code for code, _, level, _ in region_rows() if level in ("乡", "镇", "乡镇", "街道")]


def accidents_in(month: int, total: int, months: int = MONTHS) -> int:
    """The accidents of month `month`: N spread evenly, the remainder to the first months."""
    return total // months + (1 if month < total % months else 0)


def month_start_after(start: date) -> date:
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _dates(rng: np.random.Generator, start: date, n: int) -> pl.Series:
    span = (month_start_after(start) - start).days
    return pl.Series(np.datetime64(start, "D") + rng.integers(0, span, n).astype("timedelta64[D]"))


def _pick(rng: np.random.Generator, values: list[str], n: int) -> pl.Series:
    return pl.Series(values).gather(rng.integers(0, len(values), n))


def month_frames(index: int, accidents: int, seed: int = SEED) -> dict[str, pl.DataFrame]:
    rng = np.random.default_rng([seed, index])
    start = month_start(index)
    tag = f"{start:%Y%m}"
    places = townships()
    industries = [c.code for c in INDUSTRIES.codes]
    counts = {"accidents": accidents} | {name: round(accidents * share) for name, share in PER_ACCIDENT.items()}

    def base(n: int, prefix: str) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "id": pl.Series([f"{prefix}{tag}-"] * n) + pl.Series(np.arange(n)).cast(pl.String).str.zfill(7),
                "region_code": _pick(rng, places, n),
            }
        )

    n = counts["accidents"]
    minutes = pl.Series(rng.integers(0, 24 * 60, n))
    frames = {
        "accidents": base(n, "A")
        .rename({"id": "accident_id"})
        .with_columns(
            occurred_at=(_dates(rng, start, n).cast(pl.Datetime("us")) + pl.duration(minutes=minutes)).dt.strftime(
                "%Y-%m-%d %H:%M"
            ),
            industry=_pick(rng, industries, n),
            deaths=pl.Series(rng.poisson(0.08, n)),
            injuries=pl.Series(rng.poisson(0.6, n)),
            direct_loss=pl.Series(rng.integers(0, 200_000, n)),
        )
    }
    n = counts["inspections"]
    frames["inspections"] = (
        base(n, "I")
        .rename({"id": "inspection_id"})
        .with_columns(
            inspected_on=_dates(rng, start, n),
            enterprise_name=pl.Series(["企业"] * n) + pl.Series(rng.integers(0, 50_000, n)).cast(pl.String),
            industry=_pick(rng, industries, n),
            hazards_found=pl.Series(rng.poisson(1.5, n)),
        )
    )
    n = counts["penalties"]
    frames["penalties"] = (
        base(n, "P")
        .rename({"id": "penalty_id"})
        .with_columns(
            case_id=pl.Series([f"C{tag}-"] * n) + pl.Series(np.arange(n)).cast(pl.String),
            decided_on=_dates(rng, start, n),
            party_type=_pick(rng, [c.code for c in PARTY_TYPES.codes], n),
            party_name=pl.Series(["当事人"] * n) + pl.Series(rng.integers(0, 50_000, n)).cast(pl.String),
            industry=_pick(rng, industries, n),
            fine_amount=pl.Series(rng.integers(1, 2_000, n) * 100),
        )
    )
    n = counts["relief"]
    frames["relief"] = (
        base(n, "R")
        .rename({"id": "disbursement_id"})
        .with_columns(
            disbursed_on=_dates(rng, start, n),
            fund_source=_pick(rng, [c.code for c in FUND_SOURCES.codes], n),
            program=_pick(rng, [c.code for c in RELIEF_PROGRAMS.codes], n),
            persons=pl.Series(rng.integers(1, 30, n)),
            amount=pl.Series(rng.integers(1, 500, n) * 100),
        )
    )
    n = counts["disasters"]
    frames["disasters"] = (
        base(n, "D")
        .rename({"id": "disaster_id"})
        .with_columns(
            hazard=_pick(rng, [c.code for c in HAZARDS.codes], n),
            started_on=_dates(rng, start, n),
            affected_people=pl.Series(rng.integers(0, 5_000, n)),
            direct_loss=pl.Series(rng.integers(0, 5_000_000, n)),
        )
    )
    return frames


def write_regions(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(region_rows(), schema=["region_code", "name", "level", "parent_code"], orient="row").write_csv(
        folder / "regions.csv"
    )


def write_month(folder: Path, index: int, accidents: int, seed: int = SEED) -> int:
    """One month's returns, one file per source; the rows written."""
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"{month_start(index):%Y_%m}"
    rows = 0
    for source, frame in month_frames(index, accidents, seed).items():
        frame.write_csv(folder / f"{source}_{tag}.csv")
        rows += frame.height
    return rows


def write_bench_files(folder: Path, accidents: int, months: int = MONTHS, seed: int = SEED) -> BenchFiles:
    write_regions(folder)
    rows = sum(write_month(folder, m, accidents_in(m, accidents, months), seed) for m in range(months))
    return BenchFiles(folder, accidents, rows, months)
