"""Every source of the contract, through the real loader into a real DuckDB file.

fixtures/sources/<source>/good.csv        English headers, UTF-8: rows that must land
fixtures/sources/<source>/defects.csv     Chinese headers: one row per defect kind (and a good row or two)
fixtures/sources/<source>/defects.expected.csv   row, record id, and 'accepted' or the exact reason
"""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ingest.contract import SOURCES, SOURCES_BY_NAME, Source
from ingest.loader import load_file
from ingest.warehouse import LINEAGE_COLUMNS, ensure_raw_schema

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
NOW = datetime(2026, 1, 1)
RECORD_SOURCES = [s.name for s in SOURCES if s.name != "regions"]
DEFECT_SOURCES = [s for s in RECORD_SOURCES if (FIXTURES / s / "defects.csv").exists()]


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_raw_schema(connection)
    yield connection
    connection.close()


def load(con, source: str, file: Path, folder: Path) -> None:
    """Copy under a name that tells the source, as a clerk's file would, and load it."""
    target = folder / f"{source}_{file.name}"
    shutil.copy(file, target)
    summary = load_file(con, target, NOW)
    assert summary.status == "loaded", summary.line()


def load_good_files(con, folder: Path, *, only: set[str] | None = None) -> None:
    for source in SOURCES:  # contract order: what a file links to is loaded before it
        if only is None or source.name in only:
            load(con, source.name, FIXTURES / source.name / "good.csv", folder)


def prerequisites(source: Source) -> set[str]:
    return {"regions"} | {link.target for link in source.links}


def typed_rows(con, source: Source) -> list[tuple]:
    lineage = {name for name, _ in LINEAGE_COLUMNS}
    columns = [f.name for f in source.stored_fields if f.name not in lineage]
    return con.execute(f"select {', '.join(columns)} from {source.table} order by {', '.join(source.key)}").fetchall()


def chinese_headers(source: Source, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({f.name: f.label for f in source.fields if f.name in frame.columns})


def write_form(source: Source, form: str, folder: Path) -> Path:
    good = pl.read_csv(FIXTURES / source.name / "good.csv", infer_schema=False)
    if form.startswith("chinese"):
        good = chinese_headers(source, good)
    name = folder / f"{source.name}_{form}"
    if form.endswith("xlsx"):
        path = name.with_suffix(".xlsx")
        good.write_excel(path, worksheet=source.label)
        return path
    text = good.write_csv()
    encoding = {"english-utf8": "utf-8", "chinese-bom": "utf-8-sig", "chinese-gbk": "gb18030"}[form]
    path = name.with_suffix(".csv")
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("form", ["chinese-bom", "chinese-gbk", "chinese-xlsx", "english-xlsx"])
@pytest.mark.parametrize("source_name", RECORD_SOURCES)
def test_every_form_of_a_file_loads_the_same_rows(tmp_path, source_name, form):
    source = SOURCES_BY_NAME[source_name]
    rows = {}
    for variant in ("english-utf8", form):
        folder = tmp_path / variant
        folder.mkdir()
        con = duckdb.connect(str(folder / "warehouse.duckdb"))
        ensure_raw_schema(con)
        load_good_files(con, folder, only=prerequisites(source))
        summary = load_file(con, write_form(source, variant, folder), NOW)
        assert (summary.status, summary.rows_quarantined) == ("loaded", 0), summary.line()
        rows[variant] = typed_rows(con, source)
        con.close()
    good_rows = len((FIXTURES / source_name / "good.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert len(rows["english-utf8"]) == good_rows
    assert rows[form] == rows["english-utf8"]


# One value per source that only a correct parse gives: units, codes, dates, exact decimals.
TYPED_SPOT_CHECKS = [
    (
        "denominators",
        "select gdp_100m_yuan, coal_output_mt from raw.denominators where region_code = '990122'",
        (Decimal("88.8000"), Decimal("1.2500")),
    ),
    ("targets", "select max_deaths, max_accidents from raw.targets where region_code = '990121100'", (3, None)),
    (
        "appraisal_manual",
        "select score, note from raw.appraisal_manual where item = '应急演练'",
        (Decimal("2.0000"), "演练3次"),
    ),
    (
        "accidents",
        "select accident_type, grade, direct_loss, occurred_at from raw.accidents where accident_id = 'A1'",
        ("fall_from_height", "general", Decimal("350000.50"), datetime(2024, 4, 19, 8, 5)),
    ),
    (
        "disasters",
        "select hazard, magnitude, crop_lost_ha from raw.disasters where disaster_id = 'Z2024-02'",
        ("earthquake", Decimal("4.3000"), None),
    ),
    (
        "inspections",
        "select method, case_filed, major_hazards_found from raw.inspections where inspection_id = 'J2024-001'",
        ("routine", True, 1),
    ),
    (
        "penalties",
        "select party_type, status, fine_amount from raw.penalties where penalty_id = '青应急罚〔2024〕2号'",
        ("individual", "decided", Decimal("8000.00")),
    ),
    (
        "relief",
        "select fund_source, program, amount from raw.relief where disbursement_id = 'F2024-002'",
        ("county", "winter_spring", Decimal("45000.00")),
    ),
]


@pytest.mark.parametrize(("source_name", "query", "expected"), TYPED_SPOT_CHECKS, ids=[c[0] for c in TYPED_SPOT_CHECKS])
def test_good_rows_land_typed(con, tmp_path, source_name, query, expected):
    load_good_files(con, tmp_path)
    assert con.execute(query).fetchone() == expected


def expected_outcomes(source_name: str) -> list[tuple[int, str, str]]:
    with (FIXTURES / source_name / "defects.expected.csv").open(encoding="utf-8") as fh:
        return [(int(r["row_number"]), r["record_id"], r["outcome"]) for r in csv.DictReader(fh)]


def table_counts(con) -> dict[str, int]:
    return {s.name: con.execute(f"select count(*) from {s.table}").fetchone()[0] for s in SOURCES}


@pytest.mark.parametrize("source_name", DEFECT_SOURCES)
def test_each_defect_is_quarantined_with_its_reason_and_good_rows_land(con, tmp_path, source_name):
    source = SOURCES_BY_NAME[source_name]
    load_good_files(con, tmp_path)
    before = table_counts(con)
    load(con, source_name, FIXTURES / source_name / "defects.csv", tmp_path)
    load_id = con.execute("select max(load_id) from raw.files").fetchone()[0]

    key = " || '/' || ".join(f"cast({k} as varchar)" for k in source.key)
    accepted = con.execute(
        f"select _row_number, {key}, 'accepted' from {source.table} where _load_id = ?", [load_id]
    ).fetchall()
    quarantined = con.execute(
        "select row_number, record_id, reason from raw.quarantine where load_id = ?", [load_id]
    ).fetchall()
    assert sorted(accepted + quarantined) == expected_outcomes(source_name)

    after = table_counts(con)
    assert after[source_name] == before[source_name] + len(accepted)
    assert {k: v for k, v in after.items() if k != source_name} == {k: v for k, v in before.items() if k != source_name}
