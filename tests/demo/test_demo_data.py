"""The demo prefecture's files, loaded by the real loader into a real DuckDB: every file loads, only the
planted defects are quarantined, links resolve, the records are deterministic and look like the seasons."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import fastexcel
import polars as pl
import pytest

from devtools.demo_data import COUNTIES, DemoFiles, spring_festival, write_demo_files
from ingest.loader import load_paths

TODAY = date(2025, 7, 20)  # mid-year: the current year has half a year of records
EARLY_JANUARY = date(2026, 1, 3)  # the current year has two days of records; 补报 reaches back to December
RECORD_SOURCES = ("accidents", "disasters", "inspections", "penalties", "relief")
ALL_SOURCES = ("regions", "denominators", "targets", "appraisal_manual", *RECORD_SOURCES)


def _now(today: date) -> datetime:
    """The loader's clock: early on the morning the demo is made (Beijing time)."""
    return datetime.combine(today, datetime.min.time()).replace(hour=8)


def _load(folder: Path, today: date) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_paths(con, [folder], now=_now(today))
    return con


@pytest.fixture(scope="module", params=[TODAY, EARLY_JANUARY], ids=["mid-year", "early-january"])
def demo(request, tmp_path_factory) -> tuple[DemoFiles, duckdb.DuckDBPyConnection]:
    today = request.param
    files = write_demo_files(tmp_path_factory.mktemp("demo") / "landing", today=today)
    con = _load(files.folder, today)
    yield files, con
    con.close()


@pytest.fixture(scope="module")
def scaled(tmp_path_factory) -> tuple[DemoFiles, duckdb.DuckDBPyConnection]:
    files = write_demo_files(tmp_path_factory.mktemp("scaled") / "landing", today=TODAY, accidents_per_year=20_000)
    con = _load(files.folder, TODAY)
    yield files, con
    con.close()


def _quarantined(con) -> set[tuple[str, str]]:
    return set(con.execute("select file_name, record_id from raw.quarantine").fetchall())


def _one(con, sql: str):
    return con.execute(sql).fetchone()[0]


def _records(table: str) -> str:
    """Counting records: a revised accident is one accident."""
    return "count(distinct accident_id)" if table == "accidents" else "count(*)"


# --------------------------------------------------------------------------------------------------------------
# The default demo loads cleanly
# --------------------------------------------------------------------------------------------------------------


def test_every_file_loads_and_only_the_planted_defects_are_quarantined(demo):
    files, con = demo
    statuses = dict(con.execute("select file_name, status from raw.files").fetchall())
    assert statuses == {p.name: "loaded" for p in files.files}
    for source in ALL_SOURCES:
        assert _one(con, f"select count(*) from raw.{source}") > 0, source
    # Each record source has at least one defect in this year's file, and each is listed.
    assert _quarantined(con) == set(files.planted_defects)
    assert len(files.planted_defects) == len(set(files.planted_defects))
    year = files.through.year
    planted_sources = set(con.execute("select distinct source from raw.quarantine").fetchall())
    assert planted_sources == {(s,) for s in RECORD_SOURCES}
    assert all(str(year) in name for name, _ in files.planted_defects)


def test_links_resolve(demo):
    """What the loader checks (a missing link is quarantined), checked again against the loaded tables."""
    _, con = demo
    assert (
        _one(
            con,
            """select count(*) from raw.penalties p where p.inspection_id is not null
                        and p.inspection_id not in (select inspection_id from raw.inspections)""",
        )
        == 0
    )
    assert (
        _one(
            con,
            """select count(*) from raw.penalties p where p.accident_id is not null
                        and p.accident_id not in (select accident_id from raw.accidents)""",
        )
        == 0
    )
    assert (
        _one(
            con,
            """select count(*) from raw.relief r where r.disaster_id is not null
                        and r.disaster_id not in (select disaster_id from raw.disasters)""",
        )
        == 0
    )
    assert _one(con, "select count(*) from raw.penalties where inspection_id is not null") > 0
    assert _one(con, "select count(*) from raw.relief where disaster_id is not null") > 0


def test_the_late_report_revises_three_accidents_once(demo):
    _, con = demo
    revisions = con.execute(
        "select accident_id, count(*) n, max(deaths) - min(deaths) from raw.accidents group by 1 having n > 1"
    ).fetchall()
    assert len(revisions) == 3
    assert all(n == 2 and more == 1 for _, n, more in revisions)


def test_the_region_reference(demo):
    files, con = demo
    assert files.region_code == "990100"
    levels = dict(con.execute("select level, count(*) from raw.regions group by 1").fetchall())
    assert levels["province"] == 1 and levels["prefecture"] == 1 and levels["county"] == 3
    counties = con.execute("select region_code, name from raw.regions where level = 'county' order by 1").fetchall()
    assert counties == [("990121", "青山县"), ("990122", "白水区"), ("990123", "石门县")]
    for code, _ in counties:
        townships = con.execute(
            "select region_code, name from raw.regions where parent_code = ? order by 1", [code]
        ).fetchall()
        assert 6 <= len(townships) <= 8
        assert all(len(t) == 9 and t.startswith(code) for t, _ in townships)
    qingshan = [
        c for (c,) in con.execute("select region_code from raw.regions where parent_code = '990121'").fetchall()
    ]
    assert sorted(qingshan) == [
        "990121001",
        "990121002",
        "990121100",
        "990121101",
        "990121102",
        "990121200",
        "990121201",
        "990121202",
    ]
    baishui = [n for (n,) in con.execute("select name from raw.regions where parent_code = '990122'").fetchall()]
    assert all(n.endswith(("街道", "镇")) for n in baishui)


def test_file_forms_are_spread_over_the_sources(demo):
    files, con = demo
    encodings = dict(con.execute("select file_name, encoding from raw.files").fetchall())
    assert {"utf-8", "utf-8-sig", "gb18030"} <= set(encodings.values())
    xlsx = {name: enc for name, enc in encodings.items() if name.endswith(".xlsx")}
    assert xlsx == {f"检查_{files.first_year}.xlsx": "xlsx:检查", "考核评分_示范市.xlsx": "xlsx:考核评分"}
    for name in xlsx:  # a cover sheet comes first, so the loader has to choose
        sheets = fastexcel.read_excel(files.folder / name).sheet_names
        assert len(sheets) == 2 and sheets[1] == xlsx[name].removeprefix("xlsx:")
    by_source = {}
    for name, source, enc in con.execute("select file_name, source, encoding from raw.files").fetchall():
        by_source.setdefault(source, set()).add(enc)
    assert all(len(forms) >= 2 for source, forms in by_source.items() if source in RECORD_SOURCES)
    headers = {
        p.name: p.read_bytes()[:600].decode(encodings[p.name], "ignore") for p in files.files if p.suffix == ".csv"
    }
    year = files.through.year
    assert "直接经济损失(万元)" in headers[f"事故_{year}.csv"]
    assert "农作物受灾面积(亩)" in headers[f"灾情_{year - 1}.csv"]
    assert "原煤产量(万吨)" in headers["基数_示范市.csv"]
    assert headers[f"accidents_{year - 2}.csv"].startswith("accident_id,occurred_at")
    text = (files.folder / f"事故_{year - 1}.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        text.decode("utf-8")
    # Dates in several of the contract's forms.
    assert f"{year - 1}年" in text.decode("gb18030").split("\n")[1]
    assert f"{year - 1}/" in (files.folder / f"灾情_{year - 1}.csv").read_text("utf-8-sig").split("\n")[1]


def test_units_in_headers_are_converted(demo):
    """A value sent in 亩 or 万元 is stored in hectares and yuan, equal to what the file says."""
    files, con = demo
    year = files.through.year - 1
    sheet = pl.read_csv(files.folder / f"灾情_{year}.csv", infer_schema=False, encoding="utf8-lossy")
    row = sheet.filter(pl.col("农作物受灾面积(亩)").is_not_null()).row(0, named=True)
    stored = con.execute(
        "select crop_affected_ha, direct_loss from raw.disasters where disaster_id = ? and region_code = ?",
        [row["灾害编号"], row["行政区划代码"]],
    ).fetchone()
    assert float(stored[0]) == pytest.approx(float(row["农作物受灾面积(亩)"]) / 15, abs=1e-4)
    assert float(stored[1]) == pytest.approx(float(row["直接经济损失(万元)"]) * 10_000, abs=0.005)


# --------------------------------------------------------------------------------------------------------------
# The records are realistic and linked
# --------------------------------------------------------------------------------------------------------------


def test_volumes_of_a_complete_year(demo):
    files, con = demo
    year = files.through.year - 1

    def count(table: str, column: str, where: str = "true") -> int:
        return _one(con, f"select {_records(table)} from raw.{table} where year({column}) = {year} and {where}")

    # Poisson volumes: bounds at about three standard deviations of the expected 127 and 350.
    assert 90 <= count("accidents", "occurred_at", "region_code like '990121%'") <= 165
    assert 290 <= count("accidents", "occurred_at") <= 410
    assert 900 <= count("inspections", "inspected_on") <= 1200
    assert 120 <= count("penalties", "decided_on") <= 230
    assert count("disasters", "started_on") >= 5
    assert 20 <= count("relief", "disbursed_on") <= 55


def test_disasters_are_consistent(demo):
    _, con = demo
    assert _one(con, "select count(*) from raw.disasters where magnitude is not null and hazard <> 'earthquake'") == 0
    assert _one(con, "select count(*) from raw.disasters where magnitude not between 3 and 5") == 0
    assert _one(con, "select count(*) from raw.disasters where hazard = 'earthquake' and magnitude is null") == 0
    assert (
        _one(con, "select count(*) from raw.disasters where forest_burned_ha is not null and hazard <> 'forest_fire'")
        == 0
    )
    assert (
        _one(
            con,
            "select count(*) from raw.disasters where not (crop_affected_ha >= crop_failed_ha "
            "and crop_failed_ha >= crop_lost_ha)",
        )
        == 0
    )
    assert _one(con, "select count(*) from raw.disasters where ended_on < started_on") == 0
    # one event often hits several townships
    assert _one(con, "select count(*) from (select disaster_id from raw.disasters group by 1 having count(*) > 1)") > 0


def test_relief_follows_disasters(demo):
    _, con = demo
    gaps = con.execute("""
        select min(r.disbursed_on - d.ended_on), max(r.disbursed_on - d.ended_on)
        from raw.relief r join (select distinct disaster_id, region_code, ended_on from raw.disasters) d
          using (disaster_id, region_code)""").fetchone()
    assert 3 <= gaps[0] and gaps[1] <= 40
    # every disaster disbursement goes to a township the disaster hit
    assert (
        _one(
            con,
            """select count(*) from raw.relief r where disaster_id is not null and not exists (
                        select 1 from raw.disasters d where d.disaster_id = r.disaster_id
                        and d.region_code = r.region_code)""",
        )
        == 0
    )
    assert (
        _one(
            con,
            """select count(*) from raw.relief r where program = 'bereavement' and not exists (
                        select 1 from raw.disasters d where d.disaster_id = r.disaster_id
                        and d.region_code = r.region_code and d.deaths > 0)""",
        )
        == 0
    )
    winter = con.execute("""select count(*), count(disaster_id), count(*) filter (where month(disbursed_on)
                            not in (12, 1, 2, 3)) from raw.relief where program = 'winter_spring'""").fetchone()
    assert winter[0] > 0 and winter[1] == 0 and winter[2] == 0
    assert _one(con, "select count(*) from raw.relief where disaster_id is null and program <> 'winter_spring'") == 0
    assert _one(con, "select min(amount) > 0 and min(persons) > 0 from raw.relief")
    sources = {s for (s,) in con.execute("select distinct fund_source from raw.relief").fetchall()}
    assert sources <= {"central", "provincial", "prefecture", "county", "donation"} and len(sources) >= 3


def test_inspections_and_penalties(demo):
    files, con = demo
    assert (
        _one(
            con,
            "select count(*) from raw.inspections where hazards_rectified > hazards_found "
            "or major_hazards_found > hazards_found or rectified_on < inspected_on",
        )
        == 0
    )
    overdue = _one(
        con,
        f"""select count(*) from raw.inspections where rectification_due < date '{files.through}'
                            and hazards_rectified < hazards_found""",
    )
    assert overdue > 0
    share = _one(con, "select avg(case_filed::int) from raw.inspections")
    assert 0.05 <= share <= 0.2
    assert {m for (m,) in con.execute("select distinct method from raw.inspections").fetchall()} == {
        "routine",
        "special",
        "random",
        "unannounced",
        "joint",
        "expert",
    }
    # every decision after an inspection comes from one that filed a case, after it
    assert (
        _one(
            con,
            """select count(*) from raw.penalties p join raw.inspections i using (inspection_id)
                        where not i.case_filed or p.decided_on <= i.inspected_on""",
        )
        == 0
    )
    # 一案双罚: one case, one decision against the organization and one against its principal
    double = _one(
        con,
        """select count(*) from (select case_id from raw.penalties group by 1
                          having count(*) filter (where party_type = 'organization') = 1
                             and count(*) filter (where party_type = 'individual') = 1)""",
    )
    assert double > 0
    assert (
        _one(
            con,
            "select count(*) from raw.penalties where party_type = 'organization' and credit_code is null "
            "and case_id not like '示%'",
        )
        == 0
    )
    assert _one(con, "select count(*) from raw.penalties where accident_id is not null") > 0
    assert (
        _one(
            con,
            """select count(*) from raw.penalties p join raw.accidents a using (accident_id)
                        where a.deaths = 0 or p.decided_on <= a.occurred_at::date""",
        )
        == 0
    )
    statuses = {s for (s,) in con.execute("select distinct status from raw.penalties").fetchall()}
    assert "revoked" in statuses and "paid" in statuses


def test_reference_data(demo):
    files, con = demo
    years = list(range(files.first_year, files.through.year + 1))
    regions = _one(con, "select count(*) from raw.regions where level <> 'province'")
    assert _one(con, "select count(*) from raw.denominators") == regions * len(years)
    coal = {c for (c,) in con.execute("select region_code from raw.denominators where coal_output_mt > 0").fetchall()}
    assert coal and all(c.startswith("990123") or c == "990100" for c in coal)
    assert _one(con, "select count(*) from raw.denominators where population is null or gdp_100m_yuan <= 0") == 0
    no_target = con.execute("select region_code, year from raw.targets where max_deaths is null").fetchall()
    assert no_target == [("990123202", years[1])]
    assert _one(con, "select count(*) from raw.targets where max_accidents is null or min_inspections is null") == 1
    townships = _one(con, "select count(*) from raw.regions where level = 'township'")
    assert _one(con, "select count(*) from raw.targets") == (townships + 3) * len(years)
    items = {i for (i,) in con.execute("select distinct item from raw.appraisal_manual").fetchall()}
    assert items == {"安全生产会议", "应急预案修订", "应急演练", "宣传培训"}
    assert _one(con, "select max(score) <= 2.5 and min(score) >= 0 from raw.appraisal_manual")
    assert _one(con, "select count(*) from raw.appraisal_manual") == townships * len(years) * len(items)


# --------------------------------------------------------------------------------------------------------------
# Deterministic
# --------------------------------------------------------------------------------------------------------------


def _contents(files: DemoFiles) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in files.files}


def test_the_same_seed_and_day_write_the_same_bytes(tmp_path):
    first = write_demo_files(tmp_path / "a", today=TODAY)
    second = write_demo_files(tmp_path / "b", today=TODAY)
    assert _contents(first) == _contents(second)
    assert first.planted_defects == second.planted_defects
    other = write_demo_files(tmp_path / "c", today=TODAY, seed=8)
    assert _contents(other)[f"事故_{TODAY.year}.csv"] != _contents(first)[f"事故_{TODAY.year}.csv"]


def _sheet(path: Path) -> pl.DataFrame:
    if path.suffix == ".xlsx":
        return pl.read_excel(path, sheet_name="检查", infer_schema_length=0)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return pl.read_csv(text.encode(), infer_schema=False)


def test_a_later_day_only_adds_records(tmp_path):
    earlier = write_demo_files(tmp_path / "july", today=TODAY)
    later = write_demo_files(tmp_path / "october", today=date(2025, 10, 8))
    before, after = _contents(earlier), _contents(later)
    assert before.keys() == after.keys()
    assert later.planted_defects == earlier.planted_defects
    planted = {i for _, i in earlier.planted_defects}
    year = TODAY.year
    for name in before:
        if name.endswith("_补报.csv"):
            continue
        if str(year) not in name:  # earlier years and the reference data do not change at all
            assert before[name] == after[name], name
            continue
        old = _sheet(earlier.folder / name)
        new = _sheet(later.folder / name)
        key = old.columns[0]
        old = old.filter(~pl.col(key).is_in(list(planted)))
        new = new.filter(~pl.col(key).is_in(list(planted)))
        assert old.height > 0 and new.height > old.height, name
        if name.startswith("检查"):  # what became of the hazards is as of the day: compare what was found
            kept = [c for c in old.columns if c not in ("已整改隐患(项)", "整改完成日期")]
            old, new = old.select(kept), new.select(kept)
        # the earlier rows, unchanged and in the same order, among the later ones
        composite = [key, "行政区划代码"] if name.startswith("灾情") else [key]
        matched = new.join(old.select(composite), on=composite, how="semi", maintain_order="left")
        assert matched.equals(old), name
    assert before[f"事故_{year}_补报.csv"] == after[f"事故_{year}_补报.csv"]


# --------------------------------------------------------------------------------------------------------------
# Seasons (on the scaled set: enough records for shares to hold)
# --------------------------------------------------------------------------------------------------------------


def _share(con, where: str, of: str) -> float:
    return _one(con, f"select avg(({where})::int) from ({of})")


def test_disasters_follow_the_seasons(scaled):
    _, con = scaled
    rows = "select hazard, month(started_on) m, magnitude from raw.disasters"
    # Month weights: floods 92% in Jun–Sep, forest fires 90% in Nov–Apr, cold 100% in Nov–Mar, drought 78% in
    # Mar–May, wind and hail 82% in Apr–Jul.
    assert _share(con, "m between 6 and 9", f"{rows} where hazard = 'flood'") > 0.8
    assert _share(con, "m between 6 and 9", f"{rows} where hazard = 'geological'") > 0.7
    assert _share(con, "m >= 11 or m <= 4", f"{rows} where hazard = 'forest_fire'") > 0.8
    assert _share(con, "m >= 11 or m <= 3", f"{rows} where hazard = 'low_temperature'") == 1
    assert _share(con, "m between 3 and 5", f"{rows} where hazard = 'drought'") > 0.6
    assert _share(con, "m between 4 and 7", f"{rows} where hazard = 'wind_hail'") > 0.7
    # earthquakes are rare: a few percent of the events
    events = con.execute("select hazard, count(distinct disaster_id) from raw.disasters group by 1").fetchall()
    counts = dict(events)
    assert 0 < counts["earthquake"] < 0.05 * sum(counts.values())


def test_accidents_and_inspections_follow_the_calendar(scaled):
    files, con = scaled
    year = files.through.year - 1  # a complete year

    def per_day(table: str, column: str, where: str, start: date, end: date) -> float:
        n = _one(
            con,
            f"select {_records(table)} from raw.{table} "
            f"where {where} and {column}::date between date '{start}' and date '{end}'",
        )
        return n / ((end - start).days + 1)

    road = "industry = 'road_traffic'"
    whole_year = per_day("accidents", "occurred_at", road, date(year, 1, 1), date(year, 12, 31))
    assert per_day("accidents", "occurred_at", road, date(year, 10, 1), date(year, 10, 7)) > 1.4 * whole_year
    assert per_day("accidents", "occurred_at", road, date(year, 5, 1), date(year, 5, 5)) > 1.4 * whole_year
    fire = _share(
        con,
        "month(occurred_at) in (11, 12, 1, 2, 3, 4)",
        f"select occurred_at from raw.accidents where industry = 'fire' and year(occurred_at) = {year}",
    )
    assert fire > 0.65  # dry season and heating: 73% of the monthly weights

    sf = spring_festival(year)
    weekday = "dayofweek(inspected_on) between 1 and 5"
    normal = per_day("inspections", "inspected_on", weekday, date(year, 3, 1), date(year, 4, 30))
    assert per_day("inspections", "inspected_on", weekday, sf, sf + timedelta(days=6)) < 0.3 * normal
    months = [
        n
        for _, n in con.execute(f"""select month(inspected_on), count(*) from raw.inspections
        where year(inspected_on) = {year} group by 1 order by 1""").fetchall()
    ]
    steady = [n for m, n in enumerate(months, start=1) if m not in (1, 2, 10)]  # no long holiday
    assert max(steady) < 1.25 * min(steady)
    per_county = dict(
        con.execute(f"""select left(region_code, 6), count(*) from raw.inspections
        where year(inspected_on) = {year} group by 1""").fetchall()
    )
    assert set(per_county) == {c.code for c in COUNTIES}


# --------------------------------------------------------------------------------------------------------------
# At scale
# --------------------------------------------------------------------------------------------------------------


def test_the_scaled_set_has_the_requested_rows_and_only_the_planted_defects(scaled):
    files, con = scaled
    n = 20_000
    assert _quarantined(con) == set(files.planted_defects)
    assert {s for (s,) in con.execute("select distinct status from raw.files").fetchall()} == {"loaded"}
    year = files.through.year - 1  # a complete year, in the middle

    def count(table: str, column: str) -> int:
        return _one(con, f"select count(*) from raw.{table} where year({column}) = {year}")

    assert count("accidents", "occurred_at") == pytest.approx(n, rel=0.1)
    assert count("inspections", "inspected_on") == pytest.approx(3 * n, rel=0.1)
    assert count("penalties", "decided_on") == pytest.approx(0.5 * n, rel=0.1)
    assert count("disasters", "started_on") == pytest.approx(0.05 * n, rel=0.1)
    assert count("relief", "disbursed_on") == pytest.approx(0.1 * n, rel=0.1)
    # and the current year, up to yesterday
    share_of_year = (files.through - date(files.through.year, 1, 1)).days / 365
    current = _one(con, f"select count(*) from raw.accidents where year(occurred_at) = {files.through.year}")
    assert current == pytest.approx(n * share_of_year, rel=0.15)
