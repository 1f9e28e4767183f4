"""The same year-over-year marts as the floor, done the way a statistician without this project would: pandas
reads every CSV, keeps the latest row of each record, rolls townships up and sums each period against the same
period last year. `python -m devtools.bench.pandas_way FILES OUT_FOLDER` (one Parquet file per mart)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from devtools.bench.floor import SUBJECTS
from ingest.codes import INDUSTRIES


def ancestry(regions: pd.DataFrame) -> pd.DataFrame:
    parent = dict(zip(regions.region_code, regions.parent_code))
    pairs = []
    for code in regions.region_code:
        up = code
        while isinstance(up, str):
            pairs.append((code, up))
            up = parent.get(up)
    return pd.DataFrame(pairs, columns=["region_code", "ancestor_code"])


def periods(first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Each period's months as rows (role current) and its same months a year before (role previous)."""
    rows = []
    for month in pd.date_range(first.to_period("Y").to_timestamp(), last, freq="MS"):
        spans = [(f"{month:%Y-%m}", month, 1)]
        if month.month in (1, 4, 7, 10):
            spans.append((f"{month:%Y}-Q{month.quarter}", month, 3))
        if month.month in (1, 7):
            spans.append((f"{month:%Y}-H{1 if month.month == 1 else 2}", month, 6))
        if month.month == 1:
            spans.append((f"{month:%Y}", month, 12))
        spans.append((f"{month:%Y}-YTD{month:%m}", month.replace(month=1), month.month))
        for key, start, length in spans:
            for k in range(length):
                rows.append((key, start + pd.DateOffset(months=k), "current"))
                rows.append((key, start + pd.DateOffset(months=k - 12), "previous"))
    return pd.DataFrame(rows, columns=["period_key", "month_start", "role"])


def yoy(
    frame: pd.DataFrame,
    day: str,
    measures: dict[str, str],
    up: pd.DataFrame,
    spans: pd.DataFrame,
    scopes: list[tuple[str, str | None]],
) -> pd.DataFrame:
    frame = frame.assign(month_start=pd.to_datetime(frame[day]).dt.to_period("M").dt.to_timestamp())
    sums = {name: sql.removeprefix("sum(").removesuffix(")") for name, sql in measures.items() if sql != "count(*)"}
    counted = [name for name, sql in measures.items() if sql == "count(*)"]
    parts = []
    for scope, column in scopes:
        keyed = frame.assign(scope=scope, scope_key=frame[column] if column else "all")
        grouped = keyed.groupby(["region_code", "scope", "scope_key", "month_start"])
        leaf = grouped[list(sums.values())].sum().rename(columns={v: k for k, v in sums.items()})
        for name in counted:
            leaf[name] = grouped.size()
        parts.append(leaf.reset_index())
    leaf = pd.concat(parts)
    monthly = (
        leaf.merge(up, on="region_code")
        .drop(columns="region_code")
        .rename(columns={"ancestor_code": "region_code"})
        .groupby(["region_code", "scope", "scope_key", "month_start"], as_index=False)[list(measures)]
        .sum()
    )
    summed = (
        monthly.merge(spans, on="month_start")
        .groupby(["period_key", "region_code", "scope", "scope_key", "role"])[list(measures)]
        .sum()
        .unstack("role", fill_value=0)
        .reindex(columns=pd.MultiIndex.from_product([list(measures), ["current", "previous"]]), fill_value=0)
    )
    out = pd.DataFrame(index=summed.index)
    for m in measures:
        current, previous = summed[(m, "current")], summed[(m, "previous")]
        out[m], out[f"{m}_previous"] = current, previous
        out[f"{m}_change"] = current - previous
        out[f"{m}_change_pct"] = ((current - previous) * 100 / previous.where(previous != 0)).round(2)
    return out.reset_index()


def main(files: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    regions = pd.read_csv(files / "regions.csv", dtype=str)
    up = ancestry(regions)
    groups = pd.DataFrame([(c.code, c.group) for c in INDUSTRIES.codes], columns=["industry", "industry_group"])
    frames, bounds = {}, []
    for source, (key, day, _) in SUBJECTS.items():
        parts = [
            pd.read_csv(path, dtype={"region_code": str}).assign(_file=path.name)
            for path in sorted(files.glob(f"{source}_*.csv"))
        ]
        frame = pd.concat(parts, ignore_index=True).sort_values("_file").drop_duplicates(key, keep="last")
        frame = frame.rename(columns={"occurred_at": "occurred_on"}) if source == "accidents" else frame
        frames[source] = frame
        dates = pd.to_datetime(frame["occurred_on" if source == "accidents" else day])
        bounds += [dates.min(), dates.max()]
    spans = periods(min(bounds), max(bounds))
    for source, (_, day, measures) in SUBJECTS.items():
        frame = frames[source]
        scopes: list[tuple[str, str | None]] = [("all", None)]
        if source == "accidents":
            frame = frame.merge(groups, on="industry", how="left")
            scopes += [("industry_group", "industry_group"), ("industry", "industry")]
        column = "occurred_on" if source == "accidents" else day
        yoy(frame, column, measures, up, spans, scopes).to_parquet(out / f"yoy_{source}.parquet")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
