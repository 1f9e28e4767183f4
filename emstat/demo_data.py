"""A small, realistic demo county: its township reference and three years of accident files.

Files come in the forms real clerks send: English and Chinese headers, UTF-8 with and without BOM, GBK,
losses in 万元, a later 补报 file revising casualty counts, and a few rows with the defects real files carry.
Deterministic for a given seed and date.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ingest.credit_code import ALPHABET, check_character

PROVINCE = ("990000", "示范省", "省", "")
PREFECTURE = ("990100", "示范市", "市", "990000")
COUNTY = ("990121", "青山县", "县", "990100")
TOWNSHIPS = (
    ("990121001", "东城街道"), ("990121002", "西城街道"), ("990121100", "城关镇"), ("990121101", "河口镇"),
    ("990121102", "石桥镇"), ("990121200", "龙潭乡"), ("990121201", "白沙乡"), ("990121202", "马鞍山乡"),
)
# Where accidents happen: the town centres and the trunk road through 河口镇 carry most of them.
TOWNSHIP_WEIGHTS = (14, 12, 18, 16, 10, 8, 6, 5)

# (industry label as clerks write it, yearly count, chance of a death, monthly weights Jan..Dec)
INDUSTRY_PROFILES = (
    ("道路交通", 70, 0.16, (12, 13, 8, 8, 11, 8, 9, 8, 9, 12, 8, 9)),  # Spring Festival, May Day, National Day
    ("火灾", 26, 0.05, (16, 15, 14, 12, 7, 4, 4, 4, 5, 6, 9, 14)),  # dry season, winter heating
    ("建筑施工", 9, 0.35, (3, 3, 9, 11, 11, 11, 10, 10, 11, 11, 7, 3)),
    ("工贸", 8, 0.25, (7, 5, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7)),
    ("危险化学品", 2, 0.3, (8, 8, 8, 8, 9, 9, 9, 9, 8, 8, 8, 8)),
    ("非煤矿山", 2, 0.4, (6, 6, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7)),
    ("燃气", 3, 0.2, (14, 12, 10, 8, 6, 5, 5, 5, 6, 8, 10, 11)),
    ("农业机械", 3, 0.3, (4, 4, 10, 12, 14, 12, 6, 6, 12, 12, 6, 2)),
    ("其他", 4, 0.2, (8, 8, 8, 8, 8, 9, 9, 9, 9, 8, 8, 8)),
)

ENGLISH_HEADERS = (
    "accident_id", "occurred_at", "reported_at", "region_code", "industry", "enterprise_name", "credit_code",
    "deaths", "missing", "serious_injuries", "injuries", "direct_loss", "written_off", "description",
)
CHINESE_HEADERS = (
    "事故编号", "发生时间", "报告时间", "行政区划代码", "行业领域", "事故单位", "统一社会信用代码",
    "死亡人数", "失踪人数", "重伤人数", "受伤人数", "直接经济损失(万元)", "是否核销", "简要经过",
)


@dataclass(frozen=True)
class DemoFiles:
    folder: Path
    files: tuple[Path, ...]
    county_code: str
    first_year: int
    through: date  # the last day with records


def _credit_code(rng: random.Random) -> str:
    body = "91" + "990121" + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def _accident_rows(rng: random.Random, year: int, through: date) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for industry, per_year, death_chance, month_weights in INDUSTRY_PROFILES:
        count = max(0, round(rng.gauss(per_year, per_year ** 0.5)))
        for _ in range(count):
            month = rng.choices(range(1, 13), weights=month_weights)[0]
            day = rng.randint(1, 28)
            occurred = datetime(year, month, day, rng.randint(0, 23), rng.choice((0, 10, 20, 30, 40, 50)))
            if occurred.date() > through:
                continue
            deaths = 0
            if rng.random() < death_chance:
                deaths = rng.choices((1, 2, 3, 4), weights=(80, 14, 5, 1))[0]
            serious = rng.choices((0, 1, 2, 3), weights=(70, 20, 7, 3))[0]
            injuries = serious + rng.choices((0, 1, 2, 4), weights=(40, 35, 20, 5))[0]
            loss_yuan = rng.choice((0, 0, 2_000, 8_500, 15_000, 42_000, 120_000, 380_000))
            township = rng.choices(TOWNSHIPS, weights=TOWNSHIP_WEIGHTS)[0]
            rows.append({
                "occurred": occurred,
                "reported": occurred + timedelta(minutes=rng.choice((15, 25, 40, 55, 90))),
                "region_code": township[0],
                "industry": industry,
                "enterprise": "" if industry in ("道路交通", "火灾") else f"青山县{township[1]}某{industry}企业",
                "credit_code": "" if industry in ("道路交通", "火灾") else _credit_code(rng),
                "deaths": deaths,
                "missing": 0,
                "serious": serious,
                "injuries": injuries,
                "loss_yuan": loss_yuan,
                "written_off": "否",
                "description": f"{township[1]}发生一起{industry}事故",
            })
    rows.sort(key=lambda r: r["occurred"])
    for n, row in enumerate(rows, start=1):
        row["id"] = f"QS{year}{n:04d}"
    return rows


def _as_cells(row: dict[str, object], chinese: bool) -> list[object]:
    loss = row["loss_yuan"]
    return [
        row["id"],
        f"{row['occurred']:%Y年%-m月%-d日%H时%M分}" if chinese else f"{row['occurred']:%Y-%m-%d %H:%M}",
        f"{row['reported']:%Y/%-m/%-d %H:%M}",
        row["region_code"],
        row["industry"],
        row["enterprise"],
        row["credit_code"],
        row["deaths"],
        row["missing"] or ("无" if chinese else 0),
        row["serious"],
        row["injuries"],
        f"{loss / 10_000:g}" if chinese else loss,  # type: ignore[operator]
        row["written_off"],
        row["description"],
    ]


def _write_csv(path: Path, headers: tuple[str, ...], rows: list[list[object]], encoding: str) -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def _defective_rows(year: int) -> list[list[object]]:
    """One row per defect a township file really carries; each must end in the quarantine."""
    base = [f"QS{year}9901", f"{year}-03-05 10:00", "", "990121100", "道路交通", "", "", 0, 0, 0, 0, 0, "否", ""]
    defects = []
    negative = list(base)
    negative[0], negative[7] = f"QS{year}9901", -1
    defects.append(negative)
    unknown_region = list(base)
    unknown_region[0], unknown_region[3] = f"QS{year}9902", "990121999"
    defects.append(unknown_region)
    bad_date = list(base)
    bad_date[0], bad_date[1] = f"QS{year}9903", f"{year}年13月5日"
    defects.append(bad_date)
    bad_credit = list(base)
    bad_credit[0], bad_credit[4], bad_credit[6] = f"QS{year}9904", "建筑施工", "91990121MA0000000X"
    defects.append(bad_credit)
    return defects


def write_demo_files(folder: Path, *, today: date, seed: int = 7) -> DemoFiles:
    """Write the demo county's files into `folder`: the current year up to yesterday and the two before."""
    rng = random.Random(seed)  # the same records every day; only the cut-off moves
    folder.mkdir(parents=True, exist_ok=True)
    through = today - timedelta(days=1)
    first_year = through.year - 2
    files: list[Path] = []

    regions = [PROVINCE, PREFECTURE, COUNTY] + [(code, name, "乡镇", COUNTY[0]) for code, name in TOWNSHIPS]
    files.append(_write_csv(folder / "区划_青山县.csv", ("区划代码", "名称", "级别", "上级代码"),
                            [list(r) for r in regions], "utf-8"))

    for year in range(first_year, through.year + 1):
        rows = _accident_rows(rng, year, through)
        if year == first_year:  # an older system's export: English headers, losses in yuan
            files.append(_write_csv(folder / f"accidents_{year}.csv", ENGLISH_HEADERS,
                                    [_as_cells(r, False) for r in rows], "utf-8"))
        elif year < through.year:  # saved from WPS on a Chinese Windows desktop: GBK
            files.append(_write_csv(folder / f"事故_{year}.csv", CHINESE_HEADERS,
                                    [_as_cells(r, True) for r in rows], "gb18030"))
        else:
            cells = [_as_cells(r, True) for r in rows]
            files.append(_write_csv(folder / f"事故_{year}.csv", CHINESE_HEADERS,
                                    cells + _defective_rows(year), "utf-8-sig"))
            files.append(_write_csv(folder / f"事故_{year}_补报.csv", CHINESE_HEADERS,
                                    _late_reports(rows, rng), "utf-8-sig"))
    return DemoFiles(folder, tuple(files), COUNTY[0], first_year, through)


def _late_reports(rows: list[dict[str, object]], rng: random.Random) -> list[list[object]]:
    """补报: a few injured people of this year's accidents died later; the accident is sent again."""
    revised = []
    for row in rng.sample(rows, k=min(3, len(rows))):
        later = dict(row)
        later["deaths"] = int(row["deaths"]) + 1  # type: ignore[call-overload]
        later["injuries"] = max(int(row["injuries"]) - 1, int(row["serious"]))  # type: ignore[call-overload]
        revised.append(_as_cells(later, True))
    return revised
