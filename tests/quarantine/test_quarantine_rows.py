"""quarantined_rows over a warehouse the real loader built from tests/quarantine/fixtures."""

from __future__ import annotations

from datetime import datetime

from quarantine_expected import LANDING_ROWS, RESEND_ROWS, headers_of, raw_values, sha256

from ingest.quarantine import QuarantinedRow, quarantined_rows

NOW = datetime(2026, 1, 1)


def expected(rows, folder: str = "landing") -> list[QuarantinedRow]:
    return [
        QuarantinedRow(
            load_id,
            source,
            file_name,
            sha256(folder, file_name),
            row_number,
            record_id,
            reason,
            raw_values(file_name, cells),
            NOW,
        )
        for load_id, source, file_name, row_number, record_id, reason, cells in rows
    ]


def test_every_row_in_load_then_row_order(warehouse):
    assert quarantined_rows(warehouse) == expected(LANDING_ROWS)


def test_raw_values_keep_the_files_own_headers_in_order(warehouse):
    rows = [r for r in quarantined_rows(warehouse) if r.row_number is not None]
    assert [list(r.raw_values) for r in rows] == [headers_of(r.file_name) for r in rows]


def test_only_one_file(warehouse):
    assert quarantined_rows(warehouse, file="事故_2025.csv") == expected(LANDING_ROWS[4:])


def test_only_one_source_leaves_out_files_whose_source_was_never_known(warehouse):
    assert quarantined_rows(warehouse, source="accidents") == expected(LANDING_ROWS[:3] + LANDING_ROWS[4:])
    assert quarantined_rows(warehouse, source="regions") == []


def test_file_and_source_together(warehouse):
    assert quarantined_rows(warehouse, file="accidents_empty.csv", source="accidents") == []
    assert quarantined_rows(warehouse, file="accidents_2025.csv", source="accidents") == expected(LANDING_ROWS[:3])


def test_a_resent_file_of_the_same_name_comes_after_the_first(resent_warehouse):
    assert quarantined_rows(resent_warehouse, file="accidents_2025.csv") == (
        expected(LANDING_ROWS[:3]) + expected(RESEND_ROWS, "resend")
    )


def test_json_form(warehouse):
    assert [r.as_json() for r in quarantined_rows(warehouse, file="事故_2025.csv")][0] == {
        "file": "事故_2025.csv",
        "source": "accidents",
        "row_number": 3,
        "record_id": "Z2",
        "reason": LANDING_ROWS[4][5],
        "raw_values": {
            "事故编号": " Z2 ",
            "发生时间": "2025年2月30日",
            "行政区划代码": "990121100",
            "行业领域": "火灾",
            "死亡人数": "0",
            "受伤人数": "0",
            "直接经济损失(万元)": None,
            "备注": "补报",
        },
        "quarantined_at": "2026-01-01T00:00:00",
        "waiting_for": None,
        "resolved_at": None,
        "resolved_by": None,
    }
