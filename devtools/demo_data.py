"""A small, realistic demo prefecture: its region reference and three years of every source of the contract.

示范市 (990100) with three counties, each with its townships. The files come in the forms real clerks send:
English and Chinese headers, UTF-8 with and without BOM, GBK, XLSX with a cover sheet before the data, units
in headers (万元, 亩, 万吨) and dates in several forms. The records are linked as in life: relief follows
disasters, penalties follow inspections that filed a case and fatal accidents in enterprises, the current
year's accidents get a 补报 file. A few rows carry the defects real files carry; each is listed in
`DemoFiles.planted_defects`, and nothing else is refused by the loader.

Deterministic: every year of every county is drawn from its own random stream, as a whole year, and only
then cut at yesterday, so the same seed gives the same records every day and a later day only adds records.
Vectorised (numpy and Polars), so `accidents_per_year=1_000_000` builds a benchmark set in seconds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, partial
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from ingest.codes import (
    ACCIDENT_TYPES,
    FUND_SOURCES,
    HAZARDS,
    INDUSTRIES,
    INSPECTION_METHODS,
    PARTY_TYPES,
    PENALTY_STATUSES,
    RELIEF_PROGRAMS,
    CodeList,
)
from ingest.credit_code import ALPHABET, WEIGHTS

# --------------------------------------------------------------------------------------------------------------
# The prefecture
# --------------------------------------------------------------------------------------------------------------

PROVINCE = ("990000", "示范省", "省", "")
PREFECTURE = ("990100", "示范市", "市", "990000")


@dataclass(frozen=True)
class Profile:
    """How one industry's accidents fall in one county: yearly count, chance of a death, monthly weights."""

    industry: str
    per_year: float
    death_chance: float
    months: tuple[int, ...]


@dataclass(frozen=True)
class County:
    code: str
    name: str
    level: str  # 县 or 区, as the region reference spells it
    abbr: str  # in the ids of its accidents, inspections and relief: QS2025001, QSJC20250001, QSJZ2025-0001
    short: str  # in the numbers of its documents: 青应急罚〔2025〕12号
    townships: tuple[tuple[str, str], ...]
    weights: tuple[int, ...]  # where accidents outside enterprises (road, fire …) happen
    accidents: tuple[Profile, ...]
    enterprises: dict[str, int] = field(hash=False)  # industry -> share of the enterprises inspectors visit
    centre: tuple[float, float] = (28.0, 110.5)  # latitude, longitude


# Road: a flat year plus the holiday peaks (Spring Festival travel, May Day, National Day) added by day.
ROAD = (10, 10, 8, 8, 9, 8, 9, 9, 9, 9, 8, 9)
FIRE = (16, 15, 14, 12, 7, 4, 4, 4, 5, 6, 9, 14)  # dry season, winter heating
BUILD = (3, 3, 9, 11, 11, 11, 10, 10, 11, 11, 7, 3)  # sites stop over Spring Festival
STEADY = (8, 8, 8, 8, 9, 9, 9, 9, 8, 8, 8, 8)
WORKS = (7, 5, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7)
HEATING = (14, 12, 10, 8, 6, 5, 5, 5, 6, 8, 10, 11)
FARMING = (4, 4, 10, 12, 14, 12, 6, 6, 12, 12, 6, 2)  # spring ploughing, autumn harvest
FESTIVE = (18, 22, 6, 5, 5, 5, 5, 5, 6, 6, 6, 11)  # fireworks before Spring Festival

COUNTIES = (
    County(
        "990121",
        "青山县",
        "县",
        "QS",
        "青",
        (
            ("990121001", "东城街道"),
            ("990121002", "西城街道"),
            ("990121100", "城关镇"),
            ("990121101", "河口镇"),
            ("990121102", "石桥镇"),
            ("990121200", "龙潭乡"),
            ("990121201", "白沙乡"),
            ("990121202", "马鞍山乡"),
        ),
        # the town centres and the trunk road through 河口镇 carry most accidents
        (14, 12, 18, 16, 10, 8, 6, 5),
        (
            Profile("road_traffic", 70, 0.16, ROAD),
            Profile("fire", 26, 0.05, FIRE),
            Profile("construction", 9, 0.35, BUILD),
            Profile("industry_trade", 8, 0.25, WORKS),
            Profile("hazardous_chemicals", 2, 0.3, STEADY),
            Profile("non_coal_mining", 2, 0.4, WORKS),
            Profile("gas", 3, 0.2, HEATING),
            Profile("agricultural_machinery", 3, 0.3, FARMING),
            Profile("other", 4, 0.2, STEADY),
        ),
        {
            "construction": 22,
            "industry_trade": 30,
            "hazardous_chemicals": 12,
            "non_coal_mining": 8,
            "fireworks": 8,
            "gas": 8,
            "special_equipment": 6,
        },
        (28.12, 110.31),
    ),
    County(
        "990122",
        "白水区",
        "区",
        "BS",
        "白",
        (
            ("990122001", "新华街道"),
            ("990122002", "人民路街道"),
            ("990122003", "滨江街道"),
            ("990122004", "白鹭洲街道"),
            ("990122005", "高新街道"),
            ("990122100", "柳林镇"),
            ("990122101", "沙湾镇"),
        ),
        (16, 15, 13, 11, 14, 9, 8),
        (
            Profile("road_traffic", 75, 0.12, ROAD),
            Profile("fire", 34, 0.04, FIRE),
            Profile("construction", 14, 0.35, BUILD),
            Profile("industry_trade", 9, 0.25, WORKS),
            Profile("hazardous_chemicals", 2, 0.3, STEADY),
            Profile("special_equipment", 3, 0.3, STEADY),
            Profile("gas", 5, 0.2, HEATING),
            Profile("other", 3, 0.2, STEADY),
        ),
        {
            "construction": 28,
            "industry_trade": 32,
            "hazardous_chemicals": 14,
            "gas": 10,
            "special_equipment": 12,
            "fireworks": 4,
        },
        (28.25, 110.52),
    ),
    County(
        "990123",
        "石门县",
        "县",
        "SM",
        "石",
        (
            ("990123100", "石门镇"),
            ("990123101", "三岔镇"),
            ("990123102", "铁炉镇"),
            ("990123103", "黄土镇"),
            ("990123200", "杉木乡"),
            ("990123201", "鹰嘴岩乡"),
            ("990123202", "大坪乡"),
        ),
        (20, 14, 16, 12, 8, 6, 6),
        (
            Profile("road_traffic", 32, 0.2, ROAD),
            Profile("fire", 16, 0.05, FIRE),
            Profile("coal_mining", 6, 0.45, WORKS),
            Profile("non_coal_mining", 5, 0.4, WORKS),
            Profile("construction", 5, 0.35, BUILD),
            Profile("industry_trade", 3, 0.25, WORKS),
            Profile("fireworks", 1, 0.4, FESTIVE),
            Profile("hazardous_chemicals", 1, 0.3, STEADY),
            Profile("agricultural_machinery", 5, 0.3, FARMING),
            Profile("other", 4, 0.2, STEADY),
        ),
        {
            "coal_mining": 14,
            "non_coal_mining": 16,
            "construction": 18,
            "industry_trade": 20,
            "hazardous_chemicals": 10,
            "fireworks": 10,
            "gas": 6,
            "special_equipment": 6,
        },
        (27.86, 110.74),
    ),
)
COAL_TOWNSHIPS = {"990123102": 0.82, "990123101": 0.46}  # 铁炉镇, 三岔镇: 原煤产量, 百万吨
PREFECTURE_CODE = PREFECTURE[0]

# Industries whose accidents happen in an enterprise the inspectors know (gas: half of them; the rest in homes).
ENTERPRISE_SHARE = {
    "construction": 1.0,
    "industry_trade": 1.0,
    "hazardous_chemicals": 1.0,
    "non_coal_mining": 1.0,
    "coal_mining": 1.0,
    "fireworks": 1.0,
    "special_equipment": 1.0,
    "gas": 0.5,
}
MINING = ("coal_mining", "non_coal_mining")
# How much more often inspectors visit an industry's enterprises than its share of them says.
INSPECTION_FOCUS = {
    "hazardous_chemicals": 1.6,
    "coal_mining": 1.8,
    "non_coal_mining": 1.5,
    "fireworks": 1.4,
    "gas": 1.2,
    "construction": 1.1,
}

# Volumes of the other sources, per accident of the prefecture (accidents_per_year scales them all).
INSPECTIONS_PER_ACCIDENT = 3.0
PENALTIES_PER_ACCIDENT = 0.5
DISASTER_ROWS_PER_ACCIDENT = 0.05
RELIEF_PER_ACCIDENT = 0.1
DOUBLE_PENALTY_SHARE = 0.3  # 一案双罚 after an inspection; always after a fatal accident
ENTERPRISES_PER_TOWNSHIP = 14
XLSX_MAX_ROWS = 50_000  # beyond this a clerk's "Excel" file is sent as CSV (and xlsxwriter gets slow)

BASE_ACCIDENTS = sum(p.per_year for c in COUNTIES for p in c.accidents)  # ≈ 350 a year

# --------------------------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------------------------

SPRING_FESTIVAL = {
    2015: (2, 19),
    2016: (2, 8),
    2017: (1, 28),
    2018: (2, 16),
    2019: (2, 5),
    2020: (1, 25),
    2021: (2, 12),
    2022: (2, 1),
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
    2031: (1, 23),
    2032: (2, 11),
    2033: (1, 31),
    2034: (2, 19),
    2035: (2, 8),
    2036: (1, 28),
    2037: (2, 15),
    2038: (2, 4),
    2039: (1, 24),
    2040: (2, 12),
}


def spring_festival(year: int) -> date:
    return date(year, *SPRING_FESTIVAL.get(year, (2, 5)))


def _days(year: int) -> np.ndarray:
    return np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"), dtype="datetime64[D]")


def _window(days: np.ndarray, start: date, end: date) -> np.ndarray:
    return (days >= np.datetime64(start)) & (days <= np.datetime64(end))


def day_weights(year: int, months: Sequence[float], kind: str | None = None) -> np.ndarray:
    """Probability of each day of `year`: monthly weights spread over the month's days, then holidays."""
    days = _days(year)
    month = days.astype("datetime64[M]").astype(int) % 12
    in_month = np.bincount(month, minlength=12)
    w = np.asarray(months, dtype=float)[month] / in_month[month]
    sf = spring_festival(year)
    may_day = _window(days, date(year, 5, 1), date(year, 5, 5))
    national_day = _window(days, date(year, 10, 1), date(year, 10, 7))
    if kind == "road":  # 春运 and the two golden weeks
        w[_window(days, sf - timedelta(days=10), sf + timedelta(days=7))] *= 1.6
        w[may_day] *= 1.8
        w[national_day] *= 1.8
    elif kind == "office":  # inspectors: weekdays, little over the holidays
        weekday = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
        w[weekday >= 5] *= 0.12
        w[_window(days, sf - timedelta(days=5), sf + timedelta(days=9))] *= 0.08
        w[may_day] *= 0.15
        w[national_day] *= 0.1
    return w / w.sum()


HOURS = {  # when in the day accidents happen
    "road": (2, 1.5, 1, 1, 1, 2, 4, 8, 9, 6, 5, 6, 6, 5, 5, 6, 7, 9, 9, 7, 5, 4, 3, 2),
    "fire": (4, 3, 3, 2, 2, 2, 2, 3, 4, 4, 5, 6, 6, 5, 5, 5, 5, 6, 7, 8, 8, 7, 6, 5),
    "work": (1, 0.5, 0.5, 0.5, 0.5, 1, 2, 5, 9, 10, 10, 8, 4, 6, 9, 10, 9, 7, 4, 2, 2, 1.5, 1, 1),
}


def _hour_kind(industry: str) -> str:
    return {"road_traffic": "road", "fire": "fire", "gas": "fire"}.get(industry, "work")


# --------------------------------------------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------------------------------------------

SOURCE_STREAMS = {
    "enterprises": 1,
    "accidents": 2,
    "disasters": 3,
    "inspections": 4,
    "inspection_cases": 5,
    "accident_cases": 6,
    "relief": 7,
    "winter_spring": 8,
    "denominators": 9,
    "appraisal": 10,
    "targets": 11,
}


def _rng(seed: int, stream: str, *keys: int) -> np.random.Generator:
    """An independent stream per source, year and county: a year's records never depend on the cut-off."""
    return np.random.default_rng([seed, SOURCE_STREAMS[stream], *keys])


def _p(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def credit_codes(rng: np.random.Generator, county_code: str, n: int) -> np.ndarray:
    """GB 32100 codes of enterprises registered in the county: 91 + county code + 9 characters + check."""
    alphabet = np.array(list(ALPHABET))
    head = np.array([ALPHABET.index(ch) for ch in "91" + county_code])
    body = rng.integers(0, len(ALPHABET), size=(n, 9))
    digits = np.hstack([np.broadcast_to(head, (n, len(head))), body])
    check = (31 - (digits * np.array(WEIGHTS)).sum(axis=1) % 31) % 31
    chars = alphabet[np.hstack([digits, check[:, None]])]
    return np.array(["".join(row) for row in chars]) if n else np.array([], dtype=str)


def _serials(
    frame: pl.DataFrame, group: list[str], name: str, make: Callable[[pl.Expr], pl.Expr], min_width: int = 4
) -> pl.DataFrame:
    """Number the rows (in their order) within each group and build the id. Serials are zero-padded to
    `min_width` and stay below 10**min_width - 100, so the planted defects' 99xx serials never collide;
    a bigger group gets wider serials."""
    n = pl.int_range(1, pl.len() + 1)
    count = pl.len()
    if group:
        n, count = n.over(group), count.over(group)
    width = (
        pl.when(count < 10**min_width - 100)
        .then(pl.lit(min_width))
        .otherwise(pl.max_horizontal(pl.lit(min_width + 1), count.cast(pl.String).str.len_chars()))
    )
    return frame.with_columns(make(n.cast(pl.String).str.zfill(width)).alias(name))


def defect_serial(k: int, min_width: int = 4) -> str:
    return str(10**min_width - 100 + k)


def _to_datetime(days: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    return (days.astype("datetime64[m]") + minutes.astype("timedelta64[m]")).astype("datetime64[us]")


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
    return np.asarray(median) * rng.lognormal(0.0, sigma, n)


def _round_to(values: np.ndarray, step: int) -> np.ndarray:
    return (np.round(values / step) * step).astype(np.int64)


TOWNSHIPS = tuple((code, name, ci) for ci, c in enumerate(COUNTIES) for code, name in c.townships)
TOWNSHIP_NAME = {code: name for code, name, _ in TOWNSHIPS}
TOWNSHIP_COUNTY = np.array([ci for _, _, ci in TOWNSHIPS])
TOWNSHIP_CODES = np.array([code for code, _, _ in TOWNSHIPS])
# 街道 (urban), 镇 (town), 乡 (rural): exposure to the disasters of the countryside
TOWNSHIP_KIND = np.array([0 if name.endswith("街道") else 1 if name.endswith("镇") else 2 for _, name, _ in TOWNSHIPS])


def _township_coordinates() -> dict[str, tuple[float, float]]:
    out = {}
    for county in COUNTIES:
        lat0, lon0 = county.centre
        for i, (code, _) in enumerate(county.townships):
            angle = 2 * np.pi * i / len(county.townships)
            ring = 0.0 if i == 0 else 0.09 + 0.02 * (i % 3)
            out[code] = (round(lat0 + ring * np.sin(angle), 4), round(lon0 + ring * np.cos(angle), 4))
    return out


COORDINATES = _township_coordinates()

# --------------------------------------------------------------------------------------------------------------
# Enterprises: whom inspectors visit, penalties punish and industrial accidents happen in
# --------------------------------------------------------------------------------------------------------------

BRANDS = (
    "宏达",
    "鑫源",
    "永安",
    "华兴",
    "金辉",
    "恒通",
    "顺发",
    "天成",
    "瑞丰",
    "众鑫",
    "福源",
    "兴旺",
    "长盛",
    "新世纪",
    "佳和",
    "利民",
    "东方",
    "腾飞",
    "嘉禾",
    "广源",
    "汇通",
    "锦程",
    "昌隆",
    "明达",
    "安泰",
    "聚力",
    "盛世",
    "万和",
    "远航",
    "德利",
    "荣昌",
    "泰丰",
    "华美",
    "金鼎",
    "凯达",
    "富强",
    "正大",
    "隆兴",
    "信诚",
    "宝丰",
)
SUFFIXES = {
    "construction": ("建筑工程有限公司", "建设有限公司", "建筑劳务有限公司"),
    "industry_trade": (
        "机械制造有限公司",
        "木业加工厂",
        "纺织有限公司",
        "食品有限公司",
        "建材有限公司",
        "商贸有限公司",
    ),
    "hazardous_chemicals": ("加油站", "化工有限公司", "液化石油气站"),
    "non_coal_mining": ("采石场", "石料厂", "砂石有限公司"),
    "coal_mining": ("煤矿", "煤业有限公司"),
    "fireworks": ("烟花爆竹经营部", "烟花爆竹批发有限公司"),
    "gas": ("燃气有限公司", "液化气供应站"),
    "special_equipment": ("电梯工程有限公司", "起重设备有限公司", "锅炉安装有限公司"),
}
SURNAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "周",
    "吴",
    "徐",
    "孙",
    "朱",
    "马",
    "胡",
    "郭",
    "林",
    "何",
    "高",
    "罗",
    "郑",
    "梁",
    "谢",
    "唐",
    "彭",
    "曾",
    "邓",
    "田",
    "蒋",
    "向",
)


def enterprises(seed: int, scale: float) -> pl.DataFrame:
    """Each county's registered enterprises, by township and industry, with credit codes and principals."""
    frames = []
    for ci, county in enumerate(COUNTIES):
        rng = _rng(seed, "enterprises", ci)
        size = min(round(ENTERPRISES_PER_TOWNSHIP * len(county.townships) * max(1.0, scale)), 20_000)
        shares = _p(list(county.enterprises.values()))
        counts = np.maximum(1, np.round(shares * size)).astype(int)
        industry = np.repeat(np.array(list(county.enterprises)), counts)
        n = len(industry)
        codes = np.array([code for code, _ in county.townships])
        names = [name for _, name in county.townships]
        base = np.asarray(county.weights, dtype=float)
        township = np.empty(n, dtype=object)
        for ind in county.enterprises:
            sel = industry == ind
            w = base.copy()
            if ind in MINING:  # mines lie in the countryside; coal only where the seams are
                w = np.array([0.0 if nm.endswith("街道") else x for nm, x in zip(names, w, strict=True)])
                if ind == "coal_mining":
                    w = np.array([x if c in COAL_TOWNSHIPS else 0.0 for c, x in zip(codes, w, strict=True)])
            township[sel] = rng.choice(codes, sel.sum(), p=_p(w))
        brand = np.array(BRANDS)[rng.integers(0, len(BRANDS), n)]
        suffix = np.array(
            [SUFFIXES[ind][k % len(SUFFIXES[ind])] for ind, k in zip(industry, rng.integers(0, 6, n), strict=True)]
        )
        principal = np.char.add(np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)], "某某")
        frames.append(
            pl.DataFrame(
                {
                    "county": np.full(n, ci, dtype=np.int64),
                    "region_code": township.astype(str),
                    "industry": industry,
                    "enterprise_name": np.char.add(np.char.add(county.name, brand), suffix),
                    "credit_code": credit_codes(rng, county.code, n),
                    "principal": principal,
                }
            )
        )
    return pl.concat(frames).with_row_index("enterprise").with_columns(pl.col("enterprise").cast(pl.Int64))


# --------------------------------------------------------------------------------------------------------------
# Accidents
# --------------------------------------------------------------------------------------------------------------

ACCIDENT_TYPE_MIX = {
    "road_traffic": {"vehicle_injury": 1},
    "fire": {"fire": 1},
    "construction": {
        "fall_from_height": 45,
        "object_strike": 25,
        "collapse": 15,
        "lifting_injury": 10,
        "electrocution": 5,
    },
    "industry_trade": {
        "machinery_injury": 40,
        "object_strike": 20,
        "fall_from_height": 15,
        "electrocution": 10,
        "scald": 5,
        "poisoning_asphyxiation": 10,
    },
    "hazardous_chemicals": {"poisoning_asphyxiation": 40, "fire": 30, "vessel_explosion": 15, "other_explosion": 15},
    "non_coal_mining": {
        "roof_fall": 35,
        "blasting": 20,
        "object_strike": 20,
        "vehicle_injury": 15,
        "fall_from_height": 10,
    },
    "coal_mining": {
        "roof_fall": 40,
        "gas_explosion": 10,
        "water_inrush": 10,
        "vehicle_injury": 20,
        "poisoning_asphyxiation": 10,
        "machinery_injury": 10,
    },
    "fireworks": {"explosive_explosion": 1},
    "special_equipment": {"lifting_injury": 50, "boiler_explosion": 10, "vessel_explosion": 10, "machinery_injury": 30},
    "gas": {"other_explosion": 50, "poisoning_asphyxiation": 30, "fire": 20},
    "agricultural_machinery": {"vehicle_injury": 60, "machinery_injury": 40},
    "other": {"drowning": 40, "electrocution": 20, "fall_from_height": 20, "other_injury": 20},
}
LOSS_MEDIAN = {"road_traffic": 6_000, "fire": 20_000, "agricultural_machinery": 5_000, "other": 8_000}


INDUSTRY_CODES = tuple(c.code for c in INDUSTRIES.codes)
TYPE_CODES = tuple(c.code for c in ACCIDENT_TYPES.codes)


def _pick(values: Sequence[str], index: np.ndarray) -> pl.Series:
    """Strings by position: far cheaper than building millions of Python or numpy strings."""
    return pl.Series(list(values), dtype=pl.String).gather(pl.Series(index, dtype=pl.Int64))


def _stacked(parts: list[dict[str, np.ndarray]], key: str) -> dict[str, np.ndarray]:
    """The parts' columns end to end, in order of `key` (stable: ties keep the order they were drawn in)."""
    columns = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    order = np.argsort(columns[key], kind="stable")
    return {name: values[order] for name, values in columns.items()}


def _record_ids(frame: pl.DataFrame, kind: str, dash: str) -> pl.Series:
    """QS2025001-style ids from the county, year and serial columns, for frames of any size: serials are
    zero-padded to 4 digits and stay below 9900 (the planted defects use 99xx); bigger years get wider ones."""
    prefix: dict[int, str] = {}
    width: dict[int, int] = {}
    for county, year, count in frame.group_by("county", "_year").agg(pl.col("_n").max()).iter_rows():
        prefix[county * 10_000 + year] = f"{COUNTIES[county].abbr}{kind}{year}{dash}"
        width[county * 10_000 + year] = 4 if count < 9_900 else max(5, len(str(count)))
    key = pl.col("county") * 10_000 + pl.col("_year")
    # 10**width + n, less its leading 1: zero-padding by arithmetic
    padded = pl.lit(10, pl.Int64).pow(key.replace_strict(width, return_dtype=pl.Int64)) + pl.col("_n")
    return frame.select(
        pl.concat_str([key.replace_strict(prefix, return_dtype=pl.String), padded.cast(pl.String).str.slice(1)])
    ).to_series()


ENTERPRISE_COLUMNS = ("region_code", "enterprise_name", "credit_code", "industry", "principal")


def enterprise_columns(pool: pl.DataFrame, columns: Sequence[str] = ENTERPRISE_COLUMNS) -> list[pl.Expr]:
    """The enterprise's columns, looked up by its number (the pool's row): lazily, for the rows written."""
    return [pl.lit(pool[c]).gather(pl.col("enterprise")).alias(c) for c in columns]


def _with_enterprise(frame: pl.DataFrame, pool: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """The enterprise's columns by position (enterprise ids are the pool's row numbers; null: none)."""
    index = frame["enterprise"]
    return frame.with_columns(pool[c].gather(index) for c in columns)


def _in_parallel(task: Callable[..., pl.DataFrame], calls: Sequence[tuple]) -> list[pl.DataFrame]:
    """Run independent draws (one random stream each) on threads; numpy and Polars release the GIL. The
    results come back in call order, so the output does not depend on the scheduling."""
    with ThreadPoolExecutor(max_workers=min(len(calls), os.cpu_count() or 1)) as workers:
        return list(workers.map(lambda call: task(*call), calls))


def _by_day(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Counties' frames (each in order) merged into one by date or time, then county: one integer sort key."""
    key = frame.select(pl.col(column).cast(pl.Int64) * len(COUNTIES) + pl.col("county")).to_series().to_numpy()
    # each county's rows are in order already: a stable sort merges the runs
    return frame[np.argsort(key, kind="stable")]


def accidents(seed: int, years: Sequence[int], scale: float, pool: pl.DataFrame) -> pl.DataFrame:
    """Whole years of accidents of every county, in order of occurrence, with their ids."""
    first_township = np.cumsum([0] + [len(c.townships) for c in COUNTIES])

    def one(year: int, ci: int) -> pl.DataFrame:
        county = COUNTIES[ci]
        days = _days(year)
        rng = _rng(seed, "accidents", year, ci)
        parts = []
        for profile in county.accidents:
            ind = profile.industry
            n = int(rng.poisson(profile.per_year * scale))
            day = days[
                rng.choice(len(days), n, p=day_weights(year, profile.months, "road" if ind == "road_traffic" else None))
            ]
            minute = rng.choice(24, n, p=_p(HOURS[_hour_kind(ind)])) * 60 + rng.integers(0, 12, n) * 5
            occurred = _to_datetime(day, minute)
            deaths = np.where(
                rng.random(n) < profile.death_chance, rng.choice([1, 2, 3, 4], n, p=[0.8, 0.14, 0.05, 0.01]), 0
            )
            serious = rng.choice([0, 1, 2, 3], n, p=[0.7, 0.2, 0.07, 0.03])
            injuries = serious + rng.choice([0, 1, 2, 4], n, p=[0.4, 0.35, 0.2, 0.05])
            loss = _lognormal(rng, LOSS_MEDIAN.get(ind, 60_000), 1.0, n)
            loss = np.where(rng.random(n) < (0.2 if ind == "road_traffic" else 0.05), 0, loss)
            loss = loss + deaths * rng.uniform(800_000, 1_500_000, n)  # 人身伤亡后支出
            mix = ACCIDENT_TYPE_MIX[ind]
            kinds = np.array([TYPE_CODES.index(t) for t in mix])
            accident_type = kinds[rng.choice(len(kinds), n, p=_p(list(mix.values())))]
            township = first_township[ci] + rng.choice(len(county.townships), n, p=_p(county.weights))
            enterprise = np.full(n, -1, dtype=np.int64)
            if ind in ENTERPRISE_SHARE:
                known = pool.filter((pl.col("county") == ci) & (pl.col("industry") == ind))["enterprise"].to_numpy()
                picked = known[rng.integers(0, len(known), n)]
                enterprise = np.where(rng.random(n) < ENTERPRISE_SHARE[ind], picked, -1)
            u = rng.random(n)
            parts.append(
                {
                    "occurred_at": occurred,
                    "reported_at": occurred + rng.choice([15, 25, 40, 55, 90], n).astype("timedelta64[m]"),
                    "_township": township,
                    "_industry": np.full(n, INDUSTRY_CODES.index(ind)),
                    "_type": accident_type,
                    "enterprise": enterprise,
                    "deaths": deaths.astype(np.int64),
                    "missing": ((accident_type == TYPE_CODES.index("drowning")) & (rng.random(n) < 0.2)).astype(
                        np.int64
                    ),  # 溺水: not every body is found
                    "serious_injuries": serious.astype(np.int64),
                    "injuries": injuries.astype(np.int64),
                    "direct_loss": _round_to(loss, 100),
                    "written_off": u < 0.01,  # e.g. later found not to be a production-safety accident
                    "concealed": (u > 0.997) & (deaths > 0) & (enterprise >= 0),
                }
            )
        columns = _stacked(parts, "occurred_at")
        n = len(columns["occurred_at"])
        return pl.DataFrame(columns).with_columns(
            pl.lit(ci, pl.Int64).alias("county"),
            pl.lit(year, pl.Int64).alias("_year"),
            pl.Series("_n", np.arange(1, n + 1, dtype=np.int64)),
        )

    frames = _in_parallel(one, [(year, ci) for year in years for ci in range(len(COUNTIES))])
    frame = _by_day(pl.concat(frames), "occurred_at")
    frame = frame.with_columns(
        _record_ids(frame, "", "").alias("accident_id"),
        _pick(TOWNSHIP_CODES, frame["_township"].to_numpy()).alias("township"),
        _pick(INDUSTRY_CODES, frame["_industry"].to_numpy()).alias("industry"),
        _pick(TYPE_CODES, frame["_type"].to_numpy()).alias("accident_type"),
    ).drop("_township", "_industry", "_type")
    frame = frame.with_columns(pl.when(pl.col("enterprise") >= 0).then(pl.col("enterprise")).alias("enterprise"))
    frame = _with_enterprise(frame, pool, ("region_code", "enterprise_name", "credit_code", "principal"))
    frame = frame.with_columns(pl.coalesce("region_code", "township").alias("region_code"))
    place = pl.col("region_code").replace_strict(TOWNSHIP_NAME, return_dtype=pl.String)
    kind = pl.col("accident_type").replace_strict(_labels(ACCIDENT_TYPES), return_dtype=pl.String)
    toll = pl.when(pl.col("deaths") > 0).then(pl.format("，造成{}人死亡", pl.col("deaths"))).otherwise(
        pl.lit("")
    ) + pl.when(pl.col("injuries") > 0).then(pl.format("，{}人受伤", pl.col("injuries"))).otherwise(pl.lit(""))
    return frame.with_columns(
        pl.concat_str(
            [place, pl.col("enterprise_name").fill_null(""), pl.lit("发生一起"), kind, pl.lit("事故"), toll]
        ).alias("description")
    ).drop("township")


# --------------------------------------------------------------------------------------------------------------
# Disasters
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hazard:
    code: str
    rate: float  # events a year in the small demo, before normalising to DISASTER_ROWS_PER_ACCIDENT
    months: tuple[int, ...]
    days: tuple[int, int]  # how long an event lasts
    span: tuple[int, int]  # how many townships one event hits
    exposure: tuple[float, float, float]  # which county it strikes (青山县, 白水区, 石门县)
    kinds: tuple[float, float, float]  # exposure of 街道, 镇, 乡
    affected: float  # median affected people per township
    deaths: float  # Poisson mean per township
    missing: float
    relocated: tuple[float, float]  # share of the affected
    need_relief: tuple[float, float]
    collapsed: float  # collapsed houses per affected person
    crop: float  # hectares of crops per affected person; 0 = no crops affected
    forest: float  # median burned forest per township, ha


HAZARD_PROFILES = (
    Hazard(
        "flood",
        2.0,
        (0, 0, 0, 1, 4, 22, 30, 26, 14, 3, 0, 0),
        (1, 5),
        (2, 5),
        (1.2, 1.0, 0.8),
        (0.6, 1, 1),
        1_500,
        0.06,
        0.02,
        (0.05, 0.2),
        (0.1, 0.3),
        1 / 900,
        0.08,
        0,
    ),
    Hazard(
        "geological",
        1.0,
        (0, 0, 1, 2, 5, 18, 26, 24, 14, 4, 1, 0),
        (1, 2),
        (1, 2),
        (0.6, 0.2, 1.5),
        (0.05, 0.8, 1.2),
        150,
        0.25,
        0.08,
        (0.1, 0.5),
        (0.2, 0.5),
        1 / 60,
        0,
        0,
    ),
    Hazard(
        "drought",
        0.6,
        (2, 4, 24, 32, 22, 6, 2, 2, 2, 2, 1, 1),
        (20, 60),
        (4, 9),
        (1.0, 0.5, 1.2),
        (0.05, 1, 1.3),
        2_500,
        0,
        0,
        (0, 0),
        (0.15, 0.35),
        0,
        0.25,
        0,
    ),
    Hazard(
        "forest_fire",
        1.0,
        (16, 20, 24, 18, 4, 1, 1, 1, 1, 2, 4, 8),
        (1, 3),
        (1, 2),
        (1.0, 0.2, 1.6),
        (0.02, 0.7, 1.5),
        30,
        0.02,
        0,
        (0, 0.5),
        (0, 0.2),
        1 / 200,
        0,
        4.0,
    ),
    Hazard(
        "low_temperature",
        0.6,
        (35, 25, 5, 0, 0, 0, 0, 0, 0, 0, 5, 30),
        (2, 7),
        (3, 8),
        (1.0, 0.6, 1.3),
        (0.3, 1, 1.2),
        900,
        0.01,
        0,
        (0, 0.02),
        (0.03, 0.1),
        1 / 3000,
        0.12,
        0,
    ),
    Hazard(
        "wind_hail",
        1.2,
        (0, 0, 6, 20, 24, 22, 16, 10, 2, 0, 0, 0),
        (1, 1),
        (1, 3),
        (1.0, 0.8, 1.0),
        (0.4, 1, 1),
        700,
        0.02,
        0,
        (0, 0.03),
        (0.03, 0.1),
        1 / 1500,
        0.1,
        0,
    ),
    Hazard(
        "earthquake",
        0.15,
        (1,) * 12,
        (1, 1),
        (2, 4),
        (0.7, 0.5, 1.2),
        (1, 1, 1),
        1_800,
        0.15,
        0.02,
        (0.05, 0.25),
        (0.2, 0.4),
        1 / 250,
        0,
        0,
    ),
)
# Events a year per unit of `rate`, so that the expected rows are DISASTER_ROWS_PER_ACCIDENT per accident.
EVENT_SCALE = DISASTER_ROWS_PER_ACCIDENT * BASE_ACCIDENTS / sum(h.rate * sum(h.span) / 2 for h in HAZARD_PROFILES)


def _disaster_events(seed: int, year: int, scale: float) -> pl.DataFrame:
    """One row per event and township hit; events numbered by start date within the year."""
    rng = _rng(seed, "disasters", year)
    days = _days(year)
    nt = len(TOWNSHIPS)
    parts = []
    for hi, h in enumerate(HAZARD_PROFILES):
        n = int(rng.poisson(h.rate * EVENT_SCALE * scale))
        started = days[rng.choice(len(days), n, p=day_weights(year, h.months))]
        ended = started + rng.integers(h.days[0], h.days[1] + 1, n).astype("timedelta64[D]") - np.timedelta64(1, "D")
        span = rng.integers(h.span[0], h.span[1] + 1, n)
        county = rng.choice(len(COUNTIES), n, p=_p(h.exposure))
        # Townships of the struck county first, a neighbour's now and then (Gumbel top-k: weighted, no repeats).
        w = np.asarray(h.kinds)[TOWNSHIP_KIND][None, :] * np.where(TOWNSHIP_COUNTY[None, :] == county[:, None], 1, 0.04)
        keys = np.log(w) + rng.gumbel(size=(n, nt))
        order = np.argsort(-keys, axis=1, kind="stable")
        event, k = np.nonzero(np.arange(nt)[None, :] < span[:, None])
        township = order[event, k]
        magnitude = np.round(np.minimum(3.0 + rng.exponential(0.45, n), 5.0), 1)
        parts.append(
            pl.DataFrame(
                {
                    "_event": event.astype(np.int64) * len(HAZARD_PROFILES) + hi,
                    "_hazard_no": np.full(len(event), hi),
                    "hazard": np.full(len(event), h.code),
                    "started_on": started[event],
                    "ended_on": ended[event],
                    "township_no": township,
                    "magnitude": np.where(h.code == "earthquake", magnitude[event], np.nan),
                }
            )
        )
    rows = pl.concat(parts)
    rows = rows.with_columns(pl.col("magnitude").fill_nan(None))
    m = rows.height
    hz = rows["_hazard_no"].to_numpy()
    prof = HAZARD_PROFILES

    def per(attr: str) -> np.ndarray:
        return np.array([getattr(prof[i], attr) for i in range(len(prof))], dtype=float)[hz]

    def share(attr: str) -> np.ndarray:
        lo = np.array([getattr(p, attr)[0] for p in prof])[hz]
        hi = np.array([getattr(p, attr)[1] for p in prof])[hz]
        return rng.uniform(lo, hi)

    affected = np.round(per("affected") * rng.lognormal(0, 0.6, m)).astype(np.int64)
    deaths = rng.poisson(per("deaths"))
    missing = rng.poisson(per("missing"))
    relocated = np.round(affected * share("relocated")).astype(np.int64)
    need_relief = np.round(affected * share("need_relief")).astype(np.int64)
    collapsed = rng.poisson(affected * per("collapsed"))
    severe = rng.poisson(affected * per("collapsed") * 2.5)
    damaged = rng.poisson(affected * per("collapsed") * 8)
    crop = affected * per("crop") * rng.uniform(0.5, 1.5, m)
    failed = crop * rng.uniform(0.3, 0.7, m)
    lost = failed * rng.uniform(0.1, 0.5, m)
    has_crop = per("crop") > 0
    forest = np.where(per("forest") > 0, per("forest") * rng.lognormal(0, 0.8, m), np.nan)
    loss = (
        collapsed * 60_000
        + severe * 25_000
        + damaged * 4_000
        + crop * 3_000
        + np.nan_to_num(forest) * 15_000
        + affected * 20
        + rng.uniform(0, 50_000, m)
    )
    township = TOWNSHIP_CODES[rows["township_no"].to_numpy()]
    lat = np.array([COORDINATES[c][0] for c in township]) if m else np.array([])
    lon = np.array([COORDINATES[c][1] for c in township]) if m else np.array([])
    rows = rows.with_columns(
        pl.Series("region_code", township.astype(str), pl.String),
        pl.Series("affected_people", affected),
        pl.Series("deaths", deaths.astype(np.int64)),
        pl.Series("missing", missing.astype(np.int64)),
        pl.Series("relocated", relocated),
        pl.Series("need_relief", need_relief),
        pl.Series("houses_collapsed", collapsed.astype(np.int64)),
        pl.Series("houses_severe", severe.astype(np.int64)),
        pl.Series("houses_damaged", damaged.astype(np.int64)),
        pl.Series("crop_affected_ha", np.where(has_crop, np.round(crop, 2), np.nan)),
        pl.Series("crop_failed_ha", np.where(has_crop, np.round(failed, 2), np.nan)),
        pl.Series("crop_lost_ha", np.where(has_crop, np.round(lost, 2), np.nan)),
        pl.Series("forest_burned_ha", np.round(forest, 2)),
        pl.Series("latitude", lat),
        pl.Series("longitude", lon),
        pl.Series("direct_loss", _round_to(loss, 100)),
    ).with_columns(
        pl.col(c).fill_nan(None) for c in ("crop_affected_ha", "crop_failed_ha", "crop_lost_ha", "forest_burned_ha")
    )
    events = (
        rows.group_by("_event")
        .agg(pl.col("started_on").first(), pl.col("_hazard_no").first())
        .sort(["started_on", "_hazard_no", "_event"])
    )
    events = (
        _serials(events, [], "disaster_id", lambda s: pl.concat_str([pl.lit(f"ZQ{year}-"), s]))
        if events.height
        else events.with_columns(pl.lit(None, pl.String).alias("disaster_id"))
    )
    rows = rows.join(events.select("_event", "disaster_id"), on="_event", how="left")
    return rows.sort(["started_on", "disaster_id", "region_code"]).drop("_event", "_hazard_no", "township_no")


def disasters(seed: int, years: Sequence[int], scale: float) -> pl.DataFrame:
    return pl.concat([_disaster_events(seed, y, scale) for y in years], how="vertical_relaxed")


# --------------------------------------------------------------------------------------------------------------
# Inspections and penalties
# --------------------------------------------------------------------------------------------------------------

METHOD_MIX = {"routine": 50, "special": 20, "random": 12, "unannounced": 8, "joint": 6, "expert": 4}
VIOLATIONS = (
    "未按规定开展事故隐患排查治理",
    "未采取措施消除事故隐患",
    "特种作业人员未持证上岗",
    "未如实记录安全生产教育和培训情况",
    "未按规定对重大危险源登记建档",
    "安全设备未经常性维护保养",
    "未在有较大危险因素的场所设置安全警示标志",
    "未建立安全风险分级管控制度",
    "应急预案未按规定演练",
)


def _case_chance() -> float:
    """Share of inspections that file a case, so that penalties come to PENALTIES_PER_ACCIDENT per accident."""
    fatal_in_enterprises = sum(
        p.per_year * p.death_chance * ENTERPRISE_SHARE.get(p.industry, 0) for c in COUNTIES for p in c.accidents
    )
    inspection_decisions = PENALTIES_PER_ACCIDENT * BASE_ACCIDENTS - 2 * fatal_in_enterprises
    return inspection_decisions / (1 + DOUBLE_PENALTY_SHARE) / (INSPECTIONS_PER_ACCIDENT * BASE_ACCIDENTS)


CASE_CHANCE = _case_chance()


def inspections(seed: int, years: Sequence[int], scale: float, pool: pl.DataFrame) -> pl.DataFrame:
    """Whole years of inspections, with what became of the hazards found (as dates, not yet cut off)."""
    methods = list(METHOD_MIX)
    risky_industries = ("hazardous_chemicals", "coal_mining", "non_coal_mining", "fireworks", "gas")
    never = np.datetime64("NaT", "D")

    def one(year: int, ci: int) -> pl.DataFrame:
        county = COUNTIES[ci]
        days = _days(year)
        office = day_weights(year, (1,) * 12, "office")
        rng = _rng(seed, "inspections", year, ci)
        n = int(rng.poisson(INSPECTIONS_PER_ACCIDENT * sum(p.per_year for p in county.accidents) * scale))
        known = pool.filter(pl.col("county") == ci)
        # The county's enterprises lie in blocks by industry: pick a block by its weight, then one in it.
        blocks = known.group_by("industry", maintain_order=True).len()
        size = blocks["len"].to_numpy().astype(np.int64)
        start = np.concatenate([[0], np.cumsum(size)[:-1]])
        focus = np.array([INSPECTION_FOCUS.get(i, 1.0) for i in blocks["industry"]])
        block = rng.choice(len(size), n, p=_p(size * focus))
        picked = start[block] + (rng.random(n) * size[block]).astype(np.int64)
        # Days drawn as counts per day: already in order, nothing to sort.
        inspected = np.repeat(days, rng.multinomial(n, office))
        method = rng.choice(len(methods), n, p=_p(list(METHOD_MIX.values())))
        found = np.where(rng.random(n) < 0.8, 1 + rng.poisson(1.9, n), 0)
        risky = np.isin(blocks["industry"].to_numpy(), risky_industries)[block]
        major = ((rng.random(n) < np.where(risky, 0.05, 0.02)) & (found > 0)).astype(np.int64)
        on_the_spot = rng.binomial(found, 0.35)
        due_days = np.where(major > 0, rng.choice([30, 60, 90], n), rng.choice([7, 15, 30], n, p=[0.3, 0.4, 0.3]))
        u = rng.random(n)
        # 86% done in time, 7% late, 7% still open: the overdue hazards of the appraisal.
        fix_days = np.where(
            u < 0.86, rng.integers(1, due_days + 1), np.where(u < 0.93, due_days + rng.integers(1, 31, n), -1)
        )
        all_on_spot = (found > 0) & (on_the_spot == found)
        fix_days = np.where(all_on_spot, 0, fix_days)
        risk = 1 + 3 * major + 0.25 * found
        case = rng.random(n) < np.minimum(CASE_CHANCE * risk / risk.mean(), 0.95) if n else np.zeros(0, bool)
        documents = np.where(found > 0, 1 + case + major, rng.integers(0, 2, n))
        frame = pl.DataFrame(
            {
                "inspected_on": inspected,
                "enterprise": known["enterprise"].to_numpy()[picked],
                "_method": method,
                "hazards_found": found.astype(np.int64),
                "major_hazards_found": major,
                "on_the_spot": on_the_spot.astype(np.int64),
                "rectification_due": np.where(
                    (found > 0) & ~all_on_spot, inspected + due_days.astype("timedelta64[D]"), never
                ),
                "fixed_on": np.where(
                    (found > 0) & (fix_days >= 0), inspected + fix_days.astype("timedelta64[D]"), never
                ),
                "case_filed": case,
                "documents_issued": documents.astype(np.int64),
            }
        ).with_columns(
            pl.lit(ci, pl.Int64).alias("county"),
            pl.lit(year, pl.Int64).alias("_year"),
            pl.Series("_n", np.arange(1, n + 1, dtype=np.int64)),
        )
        return frame

    frames = _in_parallel(one, [(year, ci) for year in years for ci in range(len(COUNTIES))])
    frame = _by_day(pl.concat(frames), "inspected_on")  # numbers only: cheap to reorder
    frame = frame.with_columns(
        _record_ids(frame, "JC", "").alias("inspection_id"),
        _pick(methods, frame["_method"].to_numpy()).alias("method"),
    ).drop("_method")
    return frame  # the enterprise's name, code and township are looked up when written: see enterprise_columns


def as_of(inspections_: pl.LazyFrame, through: date) -> pl.LazyFrame:
    """What the inspection ledger says on `through`: hazards fixed later are still open (only the on-the-spot
    fixes count as rectified), and their rectification date is blank."""
    fixed = pl.col("fixed_on").is_not_null() & (pl.col("fixed_on") <= through)
    return inspections_.filter(pl.col("inspected_on") <= through).with_columns(
        pl.when(fixed).then(pl.col("hazards_found")).otherwise(pl.col("on_the_spot")).alias("hazards_rectified"),
        pl.when(fixed).then(pl.col("fixed_on")).alias("rectified_on"),
    )


MEASURES = ("", "责令停产停业整顿", "没收违法所得")


def _document_numbers(frame: pl.DataFrame, year: str, serial: str, name: str, word: str) -> pl.DataFrame:
    """Number documents per county and year in the frame's order: 青应急罚〔2025〕12号."""
    frame = frame.with_columns(pl.int_range(1, pl.len() + 1).over("county", year).alias(serial))
    short = pl.col("county").replace_strict({i: c.short for i, c in enumerate(COUNTIES)}, return_dtype=pl.String)
    return frame.with_columns(
        pl.concat_str(
            [
                short,
                pl.lit(f"应急{word}〔"),
                pl.col(year).cast(pl.String),
                pl.lit("〕"),
                pl.col(serial).cast(pl.String),
                pl.lit("号"),
            ]
        ).alias(name)
    )


def penalties(
    seed: int, inspections_: pl.DataFrame, accidents_: pl.DataFrame, years: Sequence[int], pool: pl.DataFrame
) -> pl.DataFrame:
    """Decisions of the cases filed after inspections and after fatal accidents in enterprises; an
    organization decision per case, plus one against its principal for 一案双罚."""
    filed = (
        inspections_.lazy()
        .filter(pl.col("case_filed"))
        .with_columns(*enterprise_columns(pool), pl.col("inspected_on").dt.year().alias("_year"))
        .collect()
    )
    fatal = accidents_.filter((pl.col("deaths") > 0) & pl.col("enterprise").is_not_null()).with_columns(
        pl.col("occurred_at").dt.year().alias("_year")
    )
    filed_parts = filed.partition_by("_year", "county", as_dict=True, maintain_order=True)
    fatal_parts = fatal.partition_by("_year", "county", as_dict=True, maintain_order=True)
    keep = ["county", "region_code", "industry", "enterprise_name", "credit_code", "principal", "_year", "_n"]
    cases = []
    for year in years:
        for ci in range(len(COUNTIES)):
            rng = _rng(seed, "inspection_cases", year, ci)
            found = filed_parts.get((year, ci), filed.clear())
            n = found.height
            major = found["major_hazards_found"].to_numpy() > 0
            measure = np.where(major & (rng.random(n) < 0.4), 1, np.where(rng.random(n) < 0.03, 2, 0))
            cases.append(
                found.select(
                    *keep,
                    "inspection_id",
                    pl.lit(None, pl.String).alias("accident_id"),
                    pl.col("inspected_on").alias("filed_on"),
                    pl.lit(0).alias("_kind"),
                ).with_columns(
                    pl.Series(
                        "decided_on",
                        found["inspected_on"].to_numpy() + rng.integers(15, 61, n).astype("timedelta64[D]"),
                    ),
                    pl.Series("double", rng.random(n) < DOUBLE_PENALTY_SHARE),
                    pl.Series(
                        "org_fine",
                        rng.choice(
                            [5_000, 10_000, 20_000, 30_000, 50_000, 80_000, 100_000],
                            n,
                            p=[0.15, 0.25, 0.25, 0.15, 0.1, 0.05, 0.05],
                        ).astype(np.int64)
                        * np.where(major, 2, 1)
                        * (rng.random(n) > 0.03),
                    ),
                    pl.Series("person_fine", rng.choice([2_000, 5_000, 10_000, 20_000], n).astype(np.int64)),
                    _pick(VIOLATIONS, rng.integers(0, len(VIOLATIONS), n)).alias("violation"),
                    _pick(MEASURES, measure).alias("measure"),
                    pl.Series("org_status", rng.random(n)),
                    pl.Series("person_status", rng.random(n)),
                )
            )
            rng = _rng(seed, "accident_cases", year, ci)
            dead = fatal_parts.get((year, ci), fatal.clear())
            n = dead.height
            occurred = dead["occurred_at"].dt.date().to_numpy()
            cases.append(
                dead.select(
                    *keep,
                    pl.lit(None, pl.String).alias("inspection_id"),
                    "accident_id",
                    pl.lit(1).alias("_kind"),
                ).with_columns(
                    pl.Series("filed_on", occurred + rng.integers(1, 4, n).astype("timedelta64[D]")),
                    pl.Series("decided_on", occurred + rng.integers(60, 151, n).astype("timedelta64[D]")),
                    pl.Series("double", np.ones(n, dtype=bool)),
                    # 安全生产法 第114条: 一般事故 30万–100万; the principal: a share of last year's income
                    pl.Series("org_fine", rng.integers(30, 101, n).astype(np.int64) * 10_000),
                    pl.Series("person_fine", rng.integers(3, 9, n).astype(np.int64) * 10_000),
                    pl.lit("对事故发生负有责任").alias("violation"),
                    _pick(MEASURES, np.where(rng.random(n) < 0.3, 1, 0)).alias("measure"),
                    pl.Series("org_status", rng.random(n)),
                    pl.Series("person_status", rng.random(n)),
                )
            )
    case = pl.concat(cases, how="diagonal_relaxed").with_columns(pl.col("filed_on").dt.year().alias("filed_year"))
    # Cases by county and filing day, inspection cases first; ties keep the order of their inspections.
    days = pl.col("filed_on").cast(pl.Int64)
    case = case.sort((pl.col("county") * 100_000 + days) * 2 + pl.col("_kind"), maintain_order=True)
    case = _document_numbers(case, "filed_year", "_case_n", "case_id", "立")

    def status(u: pl.Expr) -> pl.Expr:
        return (
            pl.when(u < 0.75)
            .then(pl.lit("paid"))
            .when(u < 0.89)
            .then(pl.lit("decided"))
            .when(u < 0.97)
            .then(pl.lit("appealed"))
            .otherwise(pl.lit("revoked"))
        )

    common = [
        "county",
        "case_id",
        "filed_year",
        "_case_n",
        "decided_on",
        "region_code",
        "industry",
        "inspection_id",
        "accident_id",
    ]
    org = case.select(
        *common,
        pl.lit("organization").alias("party_type"),
        pl.col("enterprise_name").alias("party_name"),
        "credit_code",
        "violation",
        pl.col("org_fine").alias("fine_amount"),
        pl.when(pl.col("measure") != "")
        .then(pl.col("measure"))
        .otherwise(pl.when(pl.col("org_fine") == 0).then(pl.lit("警告")))
        .alias("other_measures"),
        status(pl.col("org_status")).alias("status"),
        pl.lit(0).alias("_party"),
    )
    person = case.filter(pl.col("double")).select(
        *common,
        pl.lit("individual").alias("party_type"),
        pl.col("principal").alias("party_name"),
        pl.lit(None, pl.String).alias("credit_code"),
        pl.when(pl.col("accident_id").is_not_null())
        .then(pl.lit("主要负责人未履行安全生产管理职责，对事故发生负有责任"))
        .otherwise(pl.lit("主要负责人未履行安全生产管理职责"))
        .alias("violation"),
        pl.col("person_fine").alias("fine_amount"),
        pl.lit(None, pl.String).alias("other_measures"),
        status(pl.col("person_status")).alias("status"),
        pl.lit(1).alias("_party"),
    )
    decisions = pl.concat([org, person]).with_columns(pl.col("decided_on").dt.year().alias("decided_year"))
    # Decisions by county and day, a case's organization before its principal: one integer key.
    day = pl.col("decided_on").cast(pl.Int64)
    decisions = decisions.sort(
        (((pl.col("county") * 100_000 + day) * 256 + pl.col("filed_year") - 1900) * 2**23 + pl.col("_case_n")) * 2
        + pl.col("_party")
    )
    decisions = _document_numbers(decisions, "decided_year", "_penalty_n", "penalty_id", "罚")
    return _by_day(decisions, "decided_on").drop("_party", "_case_n", "_penalty_n")


# --------------------------------------------------------------------------------------------------------------
# Relief
# --------------------------------------------------------------------------------------------------------------

WINTER_MONTHS = (45, 20, 5, 0, 0, 0, 0, 0, 0, 0, 0, 30)  # before Spring Festival, and from December
EMERGENCY_RELIEF_FROM = 50  # people in need of relief; fewer are helped from the township's own funds
# Winter–spring batches a year, per accident, so relief comes to RELIEF_PER_ACCIDENT per accident in all
# (disaster relief makes up about 0.075 per accident, measured over seeds at scale).
WINTER_SPRING_PER_ACCIDENT = 0.025


def relief(seed: int, disasters_: pl.DataFrame, years: Sequence[int], scale: float) -> pl.DataFrame:
    """Disbursements after each disaster (3–40 days after it ended) and winter–spring relief in Dec–Mar."""
    parts = []
    for year in years:
        rng = _rng(seed, "relief", year)
        d = disasters_.filter(pl.col("started_on").dt.year() == year)
        base = d.select(
            "region_code",
            "disaster_id",
            "hazard",
            "ended_on",
            "need_relief",
            "relocated",
            "deaths",
            "houses_collapsed",
            "houses_severe",
        )

        def batch(
            rows: pl.DataFrame,
            program: str | pl.Expr,
            after: tuple[int, int],
            persons: np.ndarray,
            households: np.ndarray,
            amount: np.ndarray,
            sources: dict[str, float],
        ) -> None:
            n = rows.height
            after_days = rng.integers(after[0], after[1] + 1, n).astype("timedelta64[D]")
            parts.append(
                rows.select(
                    "region_code",
                    "disaster_id",
                    pl.Series("disbursed_on", rows["ended_on"].to_numpy() + after_days),
                    (program if isinstance(program, pl.Expr) else pl.lit(program)).alias("program"),
                    pl.Series(
                        "fund_source",
                        np.array(list(sources))[rng.choice(len(sources), n, p=_p(list(sources.values())))],
                    ),
                    pl.Series("households", np.maximum(households, 1).astype(np.int64)),
                    pl.Series("persons", np.maximum(persons, 1).astype(np.int64)),
                    pl.Series("amount", np.maximum(_round_to(amount, 100), 100)),
                    pl.col("ended_on").dt.year().cast(pl.String).alias("fund_year"),
                )
            )

        need = base.filter(pl.col("need_relief") >= EMERGENCY_RELIEF_FROM)
        persons = need["need_relief"].to_numpy()
        drought = need["hazard"].to_numpy() == "drought"
        batch(
            need,
            pl.when(pl.col("hazard") == "drought").then(pl.lit("drought")).otherwise(pl.lit("emergency")),
            (3, 12),
            persons,
            np.ceil(persons / 2.9),
            persons * np.where(drought, 150, rng.integers(3, 7, need.height) * 100),
            {"county": 35, "prefecture": 25, "provincial": 30, "central": 10},
        )
        # Where houses collapsed: rebuilding grants for the collapsed and severely damaged ones, and, where
        # people had to be moved out after floods, landslides and earthquakes, three months' living allowance.
        homes = base.filter(pl.col("houses_collapsed") > 0)
        lost = (homes["houses_collapsed"] + homes["houses_severe"]).to_numpy()
        batch(
            homes,
            "housing",
            (20, 40),
            lost * 3,
            lost,
            homes["houses_collapsed"].to_numpy() * 40_000 + homes["houses_severe"].to_numpy() * 15_000,
            {"central": 55, "provincial": 35, "donation": 10},
        )
        moved = homes.filter(
            pl.col("hazard").is_in(["flood", "geological", "earthquake"])
            & (pl.col("relocated") > 0)
            & (pl.col("houses_collapsed") >= 2)
        )
        households = moved["houses_collapsed"].to_numpy()
        stay = households * rng.integers(2, 5, moved.height)
        batch(moved, "transitional", (15, 35), stay, households, stay * 20 * 90, {"central": 60, "provincial": 40})
        dead = base.filter(pl.col("deaths") > 0)
        deaths = dead["deaths"].to_numpy()
        batch(
            dead,
            "bereavement",
            (3, 15),
            deaths * rng.integers(2, 5, dead.height),
            deaths,
            deaths * 20_000,
            {"county": 60, "donation": 40},
        )

        rng = _rng(seed, "winter_spring", year)
        days = _days(year)
        kind_weight = np.array([0.3, 1.0, 1.6])[TOWNSHIP_KIND]
        counts = rng.poisson(WINTER_SPRING_PER_ACCIDENT * BASE_ACCIDENTS * scale * _p(kind_weight))
        township = np.repeat(TOWNSHIP_CODES, counts)
        n = len(township)
        on = days[rng.choice(len(days), n, p=day_weights(year, WINTER_MONTHS))]
        december = on.astype("datetime64[M]").astype(int) % 12 == 11
        persons = rng.integers(20, 201, n)
        parts.append(
            pl.DataFrame(
                {
                    "region_code": township.astype(str),
                    "disaster_id": np.full(n, None, dtype=object),
                    "disbursed_on": on,
                    "program": np.full(n, "winter_spring"),
                    "fund_source": np.array(["central", "provincial", "county"])[rng.choice(3, n, p=[0.5, 0.3, 0.2])],
                    "households": np.ceil(persons / 2.5).astype(np.int64),
                    "persons": persons.astype(np.int64),
                    "amount": _round_to(persons * rng.integers(3, 9, n) * 100.0, 100),
                    "fund_year": np.where(december, f"{year}—{year + 1}年冬春", f"{year - 1}—{year}年冬春"),
                },
                schema_overrides={"disaster_id": pl.String},
            )
        )
    frame = pl.concat(parts, how="diagonal_relaxed").with_row_index("_gen")
    frame = frame.with_columns(
        pl.col("region_code")
        .str.slice(0, 6)
        .replace_strict({c.code: i for i, c in enumerate(COUNTIES)}, return_dtype=pl.Int64)
        .alias("county"),
        pl.col("disbursed_on").dt.year().alias("disbursed_year"),
    ).sort(["county", "disbursed_on", "_gen"])
    numbered = [
        _serials(
            part,
            ["disbursed_year"],
            "disbursement_id",
            lambda s, c=COUNTIES[ci]: pl.concat_str(
                [pl.lit(f"{c.abbr}JZ"), pl.col("disbursed_year").cast(pl.String), pl.lit("-"), s]
            ),
        )
        for (ci,), part in frame.partition_by("county", as_dict=True, maintain_order=True).items()
    ]
    return pl.concat(numbered).sort(["disbursed_on", "county", "disbursement_id"]).drop("_gen")


# --------------------------------------------------------------------------------------------------------------
# Reference data: regions, denominators, targets, appraisal items
# --------------------------------------------------------------------------------------------------------------


def region_rows() -> list[list[str]]:
    rows = [[*PROVINCE[:3], None], list(PREFECTURE)]
    for county in COUNTIES:
        rows.append([county.code, county.name, county.level, PREFECTURE_CODE])
        rows += [[code, name, "乡镇", county.code] for code, name in county.townships]
    return rows


def denominator_rows(seed: int, years: Sequence[int]) -> pl.DataFrame:
    """Statistical-yearbook figures per township, county and the prefecture; counties and the prefecture are
    the sums of what they contain. Figures follow a trend from 2020, so a year's figures never change."""
    rng = _rng(seed, "denominators")
    kind = TOWNSHIP_KIND
    population = np.round(
        np.choose(
            kind,
            [
                rng.uniform(30_000, 60_000, len(kind)),
                rng.uniform(20_000, 45_000, len(kind)),
                rng.uniform(8_000, 18_000, len(kind)),
            ],
        )
    )
    gdp = np.choose(
        kind, [rng.uniform(30, 60, len(kind)), rng.uniform(10, 30, len(kind)), rng.uniform(2, 6, len(kind))]
    )
    workers = population * rng.uniform(0.05, 0.15, len(kind))
    vehicles = population * rng.uniform(0.18, 0.3, len(kind))
    forest = np.choose(
        kind,
        [rng.uniform(50, 500, len(kind)), rng.uniform(3_000, 9_000, len(kind)), rng.uniform(8_000, 20_000, len(kind))],
    )
    coal = np.array([COAL_TOWNSHIPS.get(c, 0.0) for c in TOWNSHIP_CODES])
    rows = []
    for year in years:
        k = year - 2020
        swing = _rng(seed, "denominators", year).uniform(0.95, 1.05, len(kind))
        rows.append(
            pl.DataFrame(
                {
                    "region_code": TOWNSHIP_CODES.astype(str),
                    "year": np.full(len(kind), year),
                    "county": TOWNSHIP_COUNTY,
                    "gdp_100m_yuan": np.round(gdp * 1.05**k, 2),
                    "population": np.round(population * 0.997**k).astype(np.int64),
                    "industrial_workers": np.round(workers * 1.01**k).astype(np.int64),
                    "motor_vehicles": np.round(vehicles * 1.06**k).astype(np.int64),
                    "forest_area_ha": np.round(forest * 1.002**k, 1),
                    "coal_output_mt": np.round(coal * swing, 4),
                }
            )
        )
    townships = pl.concat(rows)
    measures = [
        "gdp_100m_yuan",
        "population",
        "industrial_workers",
        "motor_vehicles",
        "forest_area_ha",
        "coal_output_mt",
    ]
    counties = (
        townships.group_by("county", "year", maintain_order=True)
        .agg(pl.col(measures).sum())
        .with_columns(
            pl.col("county")
            .replace_strict({i: c.code for i, c in enumerate(COUNTIES)}, return_dtype=pl.String)
            .alias("region_code")
        )
    )
    prefecture = (
        townships.group_by("year", maintain_order=True)
        .agg(pl.col(measures).sum())
        .with_columns(pl.lit(PREFECTURE_CODE).alias("region_code"), pl.lit(-1, pl.Int64).alias("county"))
    )
    columns = ["region_code", "year", *measures]
    frame = pl.concat([prefecture.select(columns), counties.select(columns), townships.select(columns)])
    return frame.with_columns(
        pl.col("gdp_100m_yuan").round(2), pl.col("forest_area_ha").round(1), pl.col("coal_output_mt").round(4)
    ).sort(["year"], maintain_order=True)


NO_TARGET = ("990123202", 1)  # 大坪乡 was given no targets in the middle year: blank cells


def target_rows(years: Sequence[int], scale: float, relief_: pl.DataFrame) -> pl.DataFrame:
    """Control targets a little above what each township and county can expect, inspections a little below;
    each county's relief approved (下达额) a quarter above what it disburses, in whole 万元."""
    disbursed = {
        (county.code, year): relief_.filter(
            pl.col("region_code").str.starts_with(county.code) & (pl.col("disbursed_on").dt.year() == year)
        )["amount"].sum()
        for county in COUNTIES
        for year in years
    }
    rows = []
    for year in years:
        for county in COUNTIES:
            accidents_ = sum(p.per_year for p in county.accidents) * scale
            deaths = sum(p.per_year * p.death_chance * 1.25 for p in county.accidents) * scale
            share = _p(county.weights)
            approved = -(-int(disbursed[county.code, year] * 1.25) // 10_000) * 10_000
            rows.append(
                (
                    county.code,
                    county.name,
                    year,
                    deaths * 1.1,
                    accidents_ * 1.1,
                    accidents_ * INSPECTIONS_PER_ACCIDENT * 0.9,
                    approved,
                )
            )
            for (code, name), s in zip(county.townships, share, strict=True):
                rows.append(
                    (
                        code,
                        name,
                        year,
                        deaths * s * 1.2,
                        accidents_ * s * 1.15,
                        accidents_ * INSPECTIONS_PER_ACCIDENT * s * 0.85,
                        None,
                    )
                )
    frame = pl.DataFrame(
        rows,
        schema=["region_code", "name", "year", "max_deaths", "max_accidents", "min_inspections", "relief_approved"],
        orient="row",
    )
    frame = frame.with_columns(
        pl.col("max_deaths").ceil().cast(pl.Int64).clip(1),
        pl.col("max_accidents").ceil().cast(pl.Int64),
        pl.col("min_inspections").floor().cast(pl.Int64),
        pl.col("relief_approved").cast(pl.Int64),
    )
    blank = (pl.col("region_code") == NO_TARGET[0]) & (pl.col("year") == years[NO_TARGET[1]])
    return frame.with_columns(
        pl.when(~blank).then(pl.col(c)).alias(c) for c in ("max_deaths", "max_accidents", "min_inspections")
    )


APPRAISAL_ITEMS = (  # (item, what was counted, unit)
    ("安全生产会议", "召开", "次"),
    ("应急预案修订", "修订", "项"),
    ("应急演练", "演练", "次"),
    ("宣传培训", "培训", "场"),
)
APPRAISAL_MAX = 2.5


def appraisal_rows(seed: int, years: Sequence[int]) -> pl.DataFrame:
    rows = []
    for year in years:
        rng = _rng(seed, "appraisal", year)
        for code, name, _ in TOWNSHIPS:
            for item, verb, unit in APPRAISAL_ITEMS:
                done = int(rng.choice([0, 1, 2, 3, 4, 5], p=[0.04, 0.08, 0.18, 0.3, 0.25, 0.15]))
                score = min(APPRAISAL_MAX, 0.5 * done + (0.5 if done >= 3 else 0.0))
                rows.append((code, name, year, item, score, f"{verb}{done}{unit}" if done else f"未{verb}"))
    return pl.DataFrame(rows, schema=["region_code", "name", "year", "item", "score", "note"], orient="row")


# --------------------------------------------------------------------------------------------------------------
# File forms
# --------------------------------------------------------------------------------------------------------------


def _labels(codes: CodeList) -> dict[str, str]:
    return {c.code: c.label for c in codes.codes}


LABELS = {
    "industry": _labels(INDUSTRIES),
    "accident_type": _labels(ACCIDENT_TYPES),
    "hazard": _labels(HAZARDS),
    "method": _labels(INSPECTION_METHODS),
    "party_type": _labels(PARTY_TYPES),
    "status": _labels(PENALTY_STATUSES),
    "fund_source": _labels(FUND_SOURCES),
    "program": _labels(RELIEF_PROGRAMS),
}
TYPE_NUMBERS = {c.code: f"{n:02d}" for n, c in enumerate(ACCIDENT_TYPES.codes, start=1)}


def _wan(yuan: pl.Expr) -> pl.Expr:
    """Yuan as 万元, exactly: 1234500 -> '123.45'."""
    whole = (yuan // 10_000).cast(pl.String)
    rest = (yuan % 10_000).cast(pl.String).str.zfill(4).str.strip_chars_end("0")
    return (
        pl.when(yuan.is_null())
        .then(None)
        .when(rest == "")
        .then(whole)
        .otherwise(pl.concat_str([whole, pl.lit("."), rest]))
    )


_FIRST_DAY = (date(1990, 1, 1) - date(1970, 1, 1)).days
DATE_FORMS = {
    "d_iso": "{y}-{m:02d}-{d:02d}",
    "d_slash": "{y}/{m}/{d}",
    "d_cn": "{y}年{m}月{d}日",
    "d_dot": "{y}.{m}.{d}",
}


@cache
def _day_texts(how: str) -> pl.Series:
    """Every day from 1990 to 2099 written in one of the date forms of the contract."""
    first = date(1990, 1, 1)
    days = (first + timedelta(days=i) for i in range((date(2100, 1, 1) - first).days))
    return pl.Series([DATE_FORMS[how].format(y=d.year, m=d.month, d=d.day) for d in days], dtype=pl.String)


def _fmt(name: str, how: str) -> pl.Expr:
    c = pl.col(name)
    match how:
        case "str":
            return c.cast(pl.String)
        case "label":
            return c.replace_strict(LABELS[name], default=None, return_dtype=pl.String)
        case "type_no":
            return c.replace_strict(TYPE_NUMBERS, default=None, return_dtype=pl.String)
        case "name":  # a township's name beside its code, as clerks add it
            return pl.col("region_code").replace_strict(TOWNSHIP_NAME, default=None, return_dtype=pl.String)
        case "dt_iso":
            return c.dt.strftime("%Y-%m-%d %H:%M")
        case "dt_cn":
            return c.dt.strftime("%Y年%-m月%-d日%H时%M分")
        case "dt_slash":
            return c.dt.strftime("%Y/%-m/%-d %H:%M")
        case "d_iso" | "d_slash" | "d_cn" | "d_dot":
            # A date's text looked up by day number: five times faster than strftime on millions of rows.
            return pl.lit(_day_texts(how)).gather(c.cast(pl.Int32) - _FIRST_DAY)
        case "int":
            return c.cast(pl.String)
        case "int_wu":  # 无 for none, as typed in many township sheets
            return pl.when(c == 0).then(pl.lit("无")).otherwise(c.cast(pl.String))
        case "wan":
            return _wan(c)
        case "bool_cn":
            return pl.when(c).then(pl.lit("是")).otherwise(pl.lit("否"))
        case "bool_en":
            return pl.when(c).then(pl.lit("Y")).otherwise(pl.lit("N"))
        case "mu":  # hectares shown in 亩
            return (c * 15).round(1).cast(pl.String)
        case "x100":  # 百万吨 shown in 万吨
            return (c * 100).round(2).cast(pl.String)
    if how.startswith("f"):
        return c.round(int(how[1:])).cast(pl.String)
    raise ValueError(how)


Columns = tuple[tuple[str, str, str], ...]  # (field, header, format)

ACCIDENTS_EN: Columns = (
    ("accident_id", "accident_id", "str"),
    ("occurred_at", "occurred_at", "dt_iso"),
    ("reported_at", "reported_at", "dt_iso"),
    ("region_code", "region_code", "str"),
    ("industry", "industry", "str"),
    ("accident_type", "accident_type", "type_no"),
    ("enterprise_name", "enterprise_name", "str"),
    ("credit_code", "credit_code", "str"),
    ("deaths", "deaths", "int"),
    ("missing", "missing", "int"),
    ("serious_injuries", "serious_injuries", "int"),
    ("injuries", "injuries", "int"),
    ("direct_loss", "direct_loss", "int"),
    ("written_off", "written_off", "bool_en"),
    ("description", "description", "str"),
)
ACCIDENTS_ZH: Columns = (
    ("accident_id", "事故编号", "str"),
    ("occurred_at", "发生时间", "dt_cn"),
    ("reported_at", "报告时间", "dt_slash"),
    ("region_code", "行政区划代码", "str"),
    ("industry", "行业领域", "label"),
    ("accident_type", "事故类别", "label"),
    ("enterprise_name", "事故单位", "str"),
    ("credit_code", "统一社会信用代码", "str"),
    ("deaths", "死亡人数", "int"),
    ("missing", "失踪人数", "int_wu"),
    ("serious_injuries", "重伤人数", "int"),
    ("injuries", "受伤人数", "int"),
    ("direct_loss", "直接经济损失(万元)", "wan"),
    ("written_off", "是否核销", "bool_cn"),
    ("concealed", "是否瞒报", "bool_cn"),
    ("description", "简要经过", "str"),
)
_DISASTER_COUNTS = (
    "affected_people",
    "deaths",
    "missing",
    "relocated",
    "need_relief",
    "houses_collapsed",
    "houses_severe",
    "houses_damaged",
)
DISASTERS_EN: Columns = (
    ("disaster_id", "disaster_id", "str"),
    ("hazard", "hazard", "str"),
    ("started_on", "started_on", "d_iso"),
    ("ended_on", "ended_on", "d_iso"),
    ("region_code", "region_code", "str"),
    *((c, c, "int") for c in _DISASTER_COUNTS),
    ("crop_affected_ha", "crop_affected_ha", "f2"),
    ("crop_failed_ha", "crop_failed_ha", "f2"),
    ("crop_lost_ha", "crop_lost_ha", "f2"),
    ("forest_burned_ha", "forest_burned_ha", "f2"),
    ("magnitude", "magnitude", "f1"),
    ("latitude", "latitude", "f4"),
    ("longitude", "longitude", "f4"),
    ("direct_loss", "direct_loss", "int"),
)


def _disasters_zh(dates: str) -> Columns:
    return (
        ("disaster_id", "灾害编号", "str"),
        ("hazard", "灾种", "label"),
        ("started_on", "开始日期", dates),
        ("ended_on", "结束日期", dates),
        ("region_code", "行政区划代码", "str"),
        ("region_name", "受灾乡镇", "name"),
        ("affected_people", "受灾人口(人次)", "int"),
        ("deaths", "因灾死亡人口(人)", "int"),
        ("missing", "因灾失踪人口(人)", "int_wu"),
        ("relocated", "紧急转移安置人口(人)", "int"),
        ("need_relief", "需紧急生活救助人口(人)", "int"),
        ("houses_collapsed", "倒塌房屋(间)", "int"),
        ("houses_severe", "严重损坏房屋(间)", "int"),
        ("houses_damaged", "一般损坏房屋(间)", "int"),
        ("crop_affected_ha", "农作物受灾面积(亩)", "mu"),
        ("crop_failed_ha", "成灾面积(亩)", "mu"),
        ("crop_lost_ha", "绝收面积(亩)", "mu"),
        ("forest_burned_ha", "森林受害面积(公顷)", "f2"),
        ("magnitude", "震级", "f1"),
        ("latitude", "纬度", "f4"),
        ("longitude", "经度", "f4"),
        ("direct_loss", "直接经济损失(万元)", "wan"),
    )


INSPECTIONS_EN: Columns = (
    ("inspection_id", "inspection_id", "str"),
    ("inspected_on", "inspected_on", "d_iso"),
    ("region_code", "region_code", "str"),
    ("enterprise_name", "enterprise_name", "str"),
    ("credit_code", "credit_code", "str"),
    ("industry", "industry", "str"),
    ("method", "method", "str"),
    ("hazards_found", "hazards_found", "int"),
    ("major_hazards_found", "major_hazards_found", "int"),
    ("hazards_rectified", "hazards_rectified", "int"),
    ("rectification_due", "rectification_due", "d_iso"),
    ("rectified_on", "rectified_on", "d_iso"),
    ("case_filed", "case_filed", "bool_en"),
    ("documents_issued", "documents_issued", "int"),
)


def _inspections_zh(dates: str) -> Columns:
    return (
        ("inspection_id", "检查编号", "str"),
        ("inspected_on", "检查日期", dates),
        ("region_code", "行政区划代码", "str"),
        ("region_name", "所在乡镇", "name"),
        ("enterprise_name", "被检查单位", "str"),
        ("credit_code", "统一社会信用代码", "str"),
        ("industry", "行业领域", "label"),
        ("method", "检查方式", "label"),
        ("hazards_found", "发现隐患(项)", "int"),
        ("major_hazards_found", "重大事故隐患(项)", "int"),
        ("hazards_rectified", "已整改隐患(项)", "int"),
        ("rectification_due", "整改期限", dates),
        ("rectified_on", "整改完成日期", dates),
        ("case_filed", "是否立案", "bool_cn"),
        ("documents_issued", "执法文书(份)", "int"),
    )


PENALTIES_EN: Columns = tuple(
    (f, f, how)
    for f, how in (
        ("penalty_id", "str"),
        ("case_id", "str"),
        ("decided_on", "d_iso"),
        ("region_code", "str"),
        ("party_type", "str"),
        ("party_name", "str"),
        ("credit_code", "str"),
        ("industry", "str"),
        ("inspection_id", "str"),
        ("accident_id", "str"),
        ("violation", "str"),
        ("fine_amount", "int"),
        ("other_measures", "str"),
        ("status", "str"),
    )
)


def _penalties_zh(dates: str) -> Columns:
    return (
        ("penalty_id", "处罚决定书文号", "str"),
        ("case_id", "案件编号", "str"),
        ("decided_on", "处罚决定日期", dates),
        ("region_code", "行政区划代码", "str"),
        ("party_type", "当事人类型", "label"),
        ("party_name", "当事人", "str"),
        ("credit_code", "统一社会信用代码", "str"),
        ("industry", "行业领域", "label"),
        ("inspection_id", "关联检查编号", "str"),
        ("accident_id", "关联事故编号", "str"),
        ("violation", "违法行为", "str"),
        ("fine_amount", "罚款金额(元)", "int"),
        ("other_measures", "其他处罚", "str"),
        ("status", "执行情况", "label"),
    )


RELIEF_EN: Columns = tuple(
    (f, f, how)
    for f, how in (
        ("disbursement_id", "str"),
        ("disbursed_on", "d_iso"),
        ("region_code", "str"),
        ("fund_source", "str"),
        ("program", "str"),
        ("disaster_id", "str"),
        ("households", "int"),
        ("persons", "int"),
        ("amount", "int"),
        ("fund_year", "str"),
    )
)


def _relief_zh(dates: str) -> Columns:
    return (
        ("disbursement_id", "发放编号", "str"),
        ("disbursed_on", "发放日期", dates),
        ("region_code", "行政区划代码", "str"),
        ("region_name", "乡镇", "name"),
        ("fund_source", "资金来源", "label"),
        ("program", "救助类别", "label"),
        ("disaster_id", "关联灾害编号", "str"),
        ("households", "救助户数(户)", "int"),
        ("persons", "救助人数(人)", "int"),
        ("amount", "发放金额(万元)", "wan"),
        ("fund_year", "资金年度", "str"),
    )


REGIONS_ZH: Columns = (
    ("region_code", "区划代码", "str"),
    ("name", "名称", "str"),
    ("level", "级别", "str"),
    ("parent_code", "上级代码", "str"),
)
DENOMINATORS_ZH: Columns = (
    ("region_code", "行政区划代码", "str"),
    ("name", "地区", "str"),
    ("year", "年度", "int"),
    ("gdp_100m_yuan", "地区生产总值(亿元)", "f2"),
    ("population", "常住人口(人)", "int"),
    ("industrial_workers", "工矿商贸从业人员(人)", "int"),
    ("motor_vehicles", "机动车保有量(辆)", "int"),
    ("forest_area_ha", "森林面积(公顷)", "f1"),
    ("coal_output_mt", "原煤产量(万吨)", "x100"),
)
TARGETS_ZH: Columns = (
    ("region_code", "行政区划代码", "str"),
    ("name", "乡镇(街道)", "str"),
    ("year", "年度", "int"),
    ("max_deaths", "死亡人数控制指标(人)", "int"),
    ("max_accidents", "事故起数控制指标(起)", "int"),
    ("min_inspections", "执法检查目标次数(次)", "int"),
    ("relief_approved", "救灾资金下达额(万元)", "wan"),
)
APPRAISAL_ZH: Columns = (
    ("region_code", "行政区划代码", "str"),
    ("name", "被考核单位", "str"),
    ("year", "年度", "int"),
    ("item", "考核项目", "str"),
    ("score", "得分", "f1"),
    ("note", "评分说明", "str"),
)


def render(frame: pl.DataFrame | pl.LazyFrame, columns: Columns) -> pl.DataFrame:
    """The frame as a clerk's sheet: every cell text in the form the columns ask for, headers as written.
    Lazy, so a year's filter and the formatting touch only the columns the sheet shows."""
    return frame.lazy().select(_fmt(f, how).alias(header) for f, header, how in columns).collect()


def _with_defects(
    frame: pl.DataFrame, columns: Columns, template: pl.DataFrame, defects: Sequence[dict[str, str | None]]
) -> pl.DataFrame:
    """Append rows rendered from `template` (one valid canonical row), each with some cells overwritten as a
    clerk mistyped them (keyed by field name)."""
    header_of = {f: h for f, h, _ in columns}
    rows = []
    base = render(template, columns).row(0, named=True)
    for defect in defects:
        row = dict(base)
        for f, value in defect.items():
            row[header_of[f]] = value
        rows.append(row)
    headers = [h for _, h, _ in columns]
    planted = pl.DataFrame({h: [r[h] for r in rows] for h in headers}, schema=dict.fromkeys(headers, pl.String))
    return pl.concat([frame, planted])


def write_csv(path: Path, frame: pl.DataFrame, encoding: str) -> Path:
    """UTF-8, UTF-8 with BOM (Excel's 'CSV UTF-8') or GB18030 (WPS on a Chinese Windows desktop)."""
    if encoding == "utf-8":
        frame.write_csv(path)
    elif encoding == "utf-8-sig":
        with path.open("wb") as fh:
            fh.write(b"\xef\xbb\xbf")
            frame.write_csv(fh)
    else:
        path.write_bytes(frame.write_csv().encode(encoding))
    return path


XLSX_CREATED = datetime(2020, 1, 1)  # a fixed document date keeps the file byte-identical between runs


def write_xlsx(
    path: Path, sheet: str, frame: pl.DataFrame, columns: Columns, cover: tuple[str, list[list[object]]] | None = None
) -> Path:
    """An Excel workbook: numbers as numbers, dates as date cells, codes as text; a cover sheet first."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    workbook.set_properties({"created": XLSX_CREATED, "author": "示范市应急管理局"})
    date_format = workbook.add_format({"num_format": "yyyy/m/d"})
    if cover is not None:
        name, rows = cover
        ws = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, row)
    ws = workbook.add_worksheet(sheet)
    ws.write_row(0, 0, [header for _, header, _ in columns])
    kinds = [
        ("date" if how.startswith("d_") else "number" if how in ("int", "f1", "f2", "f4") else "text")
        for _, _, how in columns
    ]
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            if value is None or value == "":
                continue
            if kind == "date":
                ws.write_datetime(r, c, datetime.strptime(value, "%Y-%m-%d"), date_format)
            elif kind == "number":
                ws.write_number(r, c, float(value))
            else:
                ws.write_string(r, c, value)
    workbook.close()
    return path


# --------------------------------------------------------------------------------------------------------------
# The demo
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFiles:
    folder: Path
    files: tuple[Path, ...]
    region_code: str  # the prefecture, what `emstat demo` reports on
    first_year: int
    through: date  # the last day with records
    planted_defects: tuple[tuple[str, str], ...]  # (file name, record id as the loader reports it)


def _one(frame: pl.DataFrame | pl.LazyFrame, **values: object) -> pl.DataFrame:
    """One canonical row with the schema of `frame`, for the rows the defects are planted in."""
    schema = frame.collect_schema()
    return pl.DataFrame({name: [values.get(name)] for name in schema.names()}, schema=schema)


def _sheet(
    path: Path,
    frame: pl.LazyFrame | pl.DataFrame,
    columns: Columns,
    encoding: str,
    template: pl.DataFrame | None = None,
    defects: Sequence[dict[str, str | None]] = (),
    cover: tuple[str, list[list[object]]] | None = None,
    sheet: str | None = None,
) -> Path:
    """Render one file and write it: CSV in an encoding, or XLSX (`sheet` named) with a cover sheet first."""
    rows = render(frame, columns)
    if template is not None:
        rows = _with_defects(rows, columns, template, defects)
    if sheet is not None:
        return write_xlsx(path, sheet, rows, columns, cover)
    return write_csv(path, rows, encoding)


def write_demo_files(folder: Path, *, today: date, seed: int = 7, accidents_per_year: int | None = None) -> DemoFiles:
    """Write the demo prefecture's files into `folder`: the current year up to yesterday and the two before.

    `accidents_per_year` scales every source for benchmarks (None: the small demo, ≈ 350 accidents a year)."""
    folder.mkdir(parents=True, exist_ok=True)
    through = today - timedelta(days=1)
    year = through.year
    years = (year - 2, year - 1, year)
    y0, y1 = years[0], years[1]
    scale = 1.0 if accidents_per_year is None else accidents_per_year / BASE_ACCIDENTS
    end_of_day = datetime.combine(through + timedelta(days=1), datetime.min.time())
    jobs: list[Callable[[], Path]] = []  # one per file, run at the end, several at a time
    planted: list[tuple[str, str]] = []

    def sheet(
        name: str,
        frame: pl.LazyFrame | pl.DataFrame,
        columns: Columns,
        encoding: str = "",
        template: pl.DataFrame | None = None,
        defects: Sequence[dict[str, str | None]] = (),
        planted_ids: Sequence[str] = (),
        **xlsx: object,
    ) -> None:
        jobs.append(partial(_sheet, folder / name, frame, columns, encoding, template, defects, **xlsx))
        planted.extend((name, i) for i in planted_ids)

    # Whole years first, then the cut-off: records do not depend on the day the demo is made.
    pool = enterprises(seed, scale)
    all_accidents = accidents(seed, years, scale, pool)
    all_disasters = disasters(seed, years, scale)
    all_inspections = inspections(seed, years, scale, pool)
    all_penalties = penalties(seed, all_inspections, all_accidents, years, pool)
    all_relief = relief(seed, all_disasters, years, scale)

    acc = all_accidents.lazy().filter(pl.col("reported_at") < end_of_day)
    dis = all_disasters.lazy().filter(pl.col("ended_on") <= through)  # a disaster is reported once it is over
    ins = as_of(all_inspections.lazy(), through).with_columns(enterprise_columns(pool))
    pen = all_penalties.lazy().filter(pl.col("decided_on") <= through)
    rel = all_relief.lazy().filter(pl.col("disbursed_on") <= through)
    defect_day = min(through, date(year, 3, 5))
    qs = COUNTIES[0]

    def of_year(frame: pl.LazyFrame, column: str, y: int) -> pl.LazyFrame:
        return frame.filter(pl.col(column).dt.year() == y)

    # Reference data ------------------------------------------------------------------------------------------
    regions = pl.DataFrame(region_rows(), schema=["region_code", "name", "level", "parent_code"], orient="row")
    sheet("区划_示范市.csv", regions, REGIONS_ZH, "utf-8")
    region_name = {r[0]: r[1] for r in region_rows()}
    denominators = denominator_rows(seed, years).with_columns(
        pl.col("region_code").replace_strict(region_name, return_dtype=pl.String).alias("name")
    )
    sheet("基数_示范市.csv", denominators, DENOMINATORS_ZH, "gb18030")
    sheet("控制指标_示范市.csv", target_rows(years, scale, all_relief), TARGETS_ZH, "utf-8-sig")
    sheet(
        "考核评分_示范市.xlsx",
        appraisal_rows(seed, years),
        APPRAISAL_ZH,
        sheet="考核评分",
        cover=(
            "填表说明",
            [
                ["考核评分表填表说明"],
                ["每个乡镇(街道)每个考核项目一行，单项满分2.5分。"],
                ["得分由市考核组填写，评分说明写明依据。"],
            ],
        ),
    )

    # Accidents: an old system's English export, a GBK sheet from WPS, this year's sheet and its 补报 ----------
    sheet(f"accidents_{y0}.csv", of_year(acc, "occurred_at", y0), ACCIDENTS_EN, "utf-8")
    sheet(f"事故_{y1}.csv", of_year(acc, "occurred_at", y1), ACCIDENTS_ZH, "gb18030")
    ids = [f"{qs.abbr}{year}{defect_serial(k)}" for k in (1, 2, 3, 4)]
    sheet(
        f"事故_{year}.csv",
        of_year(acc, "occurred_at", year),
        ACCIDENTS_ZH,
        "utf-8-sig",
        _one(
            acc,
            occurred_at=datetime.combine(defect_day, datetime.min.time()).replace(hour=10),
            region_code="990121100",
            industry="road_traffic",
            accident_type="vehicle_injury",
            deaths=0,
            missing=0,
            serious_injuries=0,
            injuries=0,
            direct_loss=0,
            written_off=False,
            concealed=False,
            description="城关镇发生一起车辆伤害事故",
        ),
        [
            {"accident_id": ids[0], "deaths": "-1"},  # a minus sign typed for a dash
            {"accident_id": ids[1], "region_code": "990121999"},  # a township code that does not exist
            {"accident_id": ids[2], "occurred_at": f"{year}年13月5日"},  # month 13
            {
                "accident_id": ids[3],
                "industry": "建筑施工",
                "enterprise_name": "青山县某建筑施工企业",
                "credit_code": "91990121MA0000000X",
            },  # check character wrong
        ],
        ids,
    )
    sheet(f"事故_{year}_补报.csv", late_reports(acc, year), ACCIDENTS_ZH, "utf-8-sig")

    # Disasters: hectares and yuan from the national system; 亩 and 万元 in the township sheets --------------
    sheet(f"disasters_{y0}.csv", of_year(dis, "started_on", y0), DISASTERS_EN, "utf-8")
    sheet(f"灾情_{y1}.csv", of_year(dis, "started_on", y1), _disasters_zh("d_slash"), "utf-8-sig")
    d1, d2 = (f"ZQ{year}-{defect_serial(k)}" for k in (1, 2))
    sheet(
        f"灾情_{year}.csv",
        of_year(dis, "started_on", year),
        _disasters_zh("d_cn"),
        "gb18030",
        _one(
            dis,
            hazard="flood",
            started_on=defect_day,
            ended_on=defect_day,
            region_code="990122101",
            affected_people=300,
            deaths=0,
            missing=0,
            relocated=20,
            need_relief=40,
            houses_collapsed=0,
            houses_severe=1,
            houses_damaged=3,
            crop_affected_ha=20.0,
            crop_failed_ha=8.0,
            crop_lost_ha=1.0,
            latitude=COORDINATES["990122101"][0],
            longitude=COORDINATES["990122101"][1],
            direct_loss=180_000,
        ),
        [
            {"disaster_id": d1, "crop_failed_ha": "420"},  # 成灾 (420 亩) more than 受灾 (300 亩)
            {"disaster_id": d2, "region_code": "990123100", "region_name": "石门镇", "magnitude": "3.2"},  # a flood
        ],
        [f"{d1}/990122101", f"{d2}/990123100"],
    )

    # Inspections: an Excel workbook with a summary sheet first, an English export, this year's sheet ---------
    first = of_year(ins, "inspected_on", y0)
    if first.select(pl.len()).collect().item() <= XLSX_MAX_ROWS:
        summary = first.group_by("county").agg(pl.len(), pl.col("hazards_found").sum()).sort("county").collect()
        cover = [["县(区)", "检查次数", "发现隐患"]] + [[COUNTIES[c].name, n, h] for c, n, h in summary.iter_rows()]
        sheet(f"检查_{y0}.xlsx", first, _inspections_zh("d_iso"), sheet="检查", cover=("汇总", cover))
    else:
        sheet(f"检查_{y0}.csv", first, _inspections_zh("d_iso"), "utf-8-sig")
    sheet(f"inspections_{y1}.csv", of_year(ins, "inspected_on", y1), INSPECTIONS_EN, "utf-8")
    i1, i2, i3 = (f"{c.abbr}JC{year}{defect_serial(k)}" for c, k in zip(COUNTIES, (1, 2, 3), strict=True))
    sheet(
        f"检查_{year}.csv",
        of_year(ins, "inspected_on", year),
        _inspections_zh("d_slash"),
        "utf-8-sig",
        _one(
            ins,
            inspected_on=defect_day,
            region_code="990121101",
            enterprise_name="青山县宏达建材有限公司",
            industry="industry_trade",
            method="routine",
            hazards_found=3,
            major_hazards_found=0,
            hazards_rectified=3,
            rectification_due=defect_day,
            rectified_on=defect_day,
            case_filed=False,
            documents_issued=1,
        ),
        [
            {"inspection_id": i1, "hazards_rectified": "5"},  # more rectified than found
            {
                "inspection_id": i2,
                "region_code": "990122003",
                "region_name": "滨江街道",
                "rectified_on": f"{year}/1/1" if defect_day > date(year, 1, 1) else f"{year - 1}/12/31",
                "rectification_due": None,
            },  # rectified before the inspection
            {
                "inspection_id": i3,
                "region_code": "990123100",
                "region_name": "石门镇",
                "inspected_on": f"{year}/2/30",
            },  # 30 February
        ],
        [i1, i2, i3],
    )

    # Penalties --------------------------------------------------------------------------------------------------
    sheet(f"处罚_{y0}.csv", of_year(pen, "decided_on", y0), _penalties_zh("d_cn"), "gb18030")
    sheet(f"处罚_{y1}.csv", of_year(pen, "decided_on", y1), _penalties_zh("d_dot"), "utf-8-sig")
    # The prefecture bureau's own decisions: numbered apart from the counties' (示应急罚), so never a revision.
    p1, p2 = (f"示应急罚〔{year}〕{k}号" for k in (1, 2))
    sheet(
        f"penalties_{year}.csv",
        of_year(pen, "decided_on", year),
        PENALTIES_EN,
        "utf-8",
        _one(
            pen,
            decided_on=defect_day,
            region_code="990121100",
            party_type="organization",
            party_name="青山县宏达建筑工程有限公司",
            industry="construction",
            violation="未按规定开展事故隐患排查治理",
            fine_amount=20_000,
            status="decided",
        ),
        [
            {
                "penalty_id": p1,
                "case_id": f"示应急立〔{year}〕1号",
                "inspection_id": f"{qs.abbr}JC{year}9999",
            },  # no such inspection
            {"penalty_id": p2, "case_id": f"示应急立〔{year}〕2号", "fine_amount": "-5000"},
        ],
        [p1, p2],
    )

    # Relief -----------------------------------------------------------------------------------------------------
    sheet(f"救灾资金_{y0}.csv", of_year(rel, "disbursed_on", y0), _relief_zh("d_slash"), "utf-8-sig")
    sheet(f"relief_{y1}.csv", of_year(rel, "disbursed_on", y1), RELIEF_EN, "utf-8")
    r1, r2 = (f"{qs.abbr}JZ{year}-{defect_serial(k)}" for k in (1, 2))
    sheet(
        f"救灾资金_{year}.csv",
        of_year(rel, "disbursed_on", year),
        _relief_zh("d_cn"),
        "gb18030",
        _one(
            rel,
            disbursed_on=defect_day,
            region_code="990121200",
            fund_source="county",
            program="winter_spring",
            households=20,
            persons=50,
            amount=15_000,
            fund_year=f"{year - 1}—{year}年冬春",
        ),
        [
            {"disbursement_id": r1, "amount": "0"},  # a batch entered before the money came
            {
                "disbursement_id": r2,
                "program": "应急救助",
                "disaster_id": f"ZQ{year}-9999",
                "fund_year": str(year),
            },  # no such disaster
        ],
        [r1, r2],
    )

    # Rendering and writing: Polars and the encoder release the GIL, so two files at a time; order is kept.
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as workers:
        files = tuple(workers.map(lambda job: job(), jobs))
    return DemoFiles(folder, files, PREFECTURE_CODE, years[0], through, tuple(planted))


def late_reports(accidents_: pl.LazyFrame, year: int) -> pl.DataFrame:
    """补报: three of the seriously injured of this year's first accidents died later; the accidents are sent
    again with one more death. Early in January, when this year has too few, last December's are revised."""
    hurt = accidents_.filter(pl.col("serious_injuries") > 0)
    this_year = hurt.filter(pl.col("occurred_at").dt.year() == year).head(3).collect()
    before = hurt.filter(pl.col("occurred_at").dt.year() < year).tail(3 - this_year.height).collect()
    chosen = pl.concat([before, this_year]) if this_year.height < 3 else this_year
    return chosen.with_columns(
        pl.col("deaths") + 1,
        pl.col("serious_injuries") - 1,
        pl.col("injuries") - 1,
        pl.concat_str([pl.col("description"), pl.lit("；补报：1名重伤人员经抢救无效死亡")]).alias("description"),
    )
