"""The history median behind the value_shift check, on real DuckDB: exact rows for a small set of files worked
out by hand, and equal to DuckDB's median over every earlier row, asked directly, on generated files with
repeated values, shared load times and nulls."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from expectations.record_checks import files_against_history


def history(con: duckdb.DuckDBPyConnection, table: str = "loaded") -> list[tuple]:
    return con.sql(files_against_history("amount").replace("{batch}", table) + " order by file_name").fetchall()


def test_each_file_against_the_rows_loaded_before_it() -> None:
    con = duckdb.connect()
    con.execute("create table loaded (file_name varchar, loaded_at timestamp, amount decimal(18, 2))")
    con.execute("""insert into loaded values
        ('a.csv', '2025-01-01 08:00', 1), ('a.csv', '2025-01-01 08:00', 2), ('a.csv', '2025-01-01 08:00', 3),
        ('b.csv', '2025-02-01 08:00', 10), ('b.csv', '2025-02-01 08:00', 20),
        ('c.csv', '2025-02-01 08:00', 8), ('c.csv', '2025-02-01 08:00', null),
        ('d.csv', '2025-03-01 08:00', 4), ('d.csv', '2025-03-01 08:00', 4),
        ('e.csv', '2025-04-01 08:00', null),
        ('f.csv', '2025-05-01 08:00', 100)""")
    assert history(con) == [
        ("a.csv", Decimal("2.00"), 3, None, 0),
        # b and c were loaded together: neither is history for the other.
        ("b.csv", Decimal("15.00"), 2, Decimal("2.00"), 3),
        ("c.csv", Decimal("8.00"), 1, Decimal("2.00"), 3),
        # 1 2 3 8 10 20: the two middle values are 3 and 8.
        ("d.csv", Decimal("4.00"), 2, Decimal("5.50"), 6),
        # e has no value at all; before f: 1 2 3 4 4 8 10 20.
        ("f.csv", Decimal("100.00"), 1, Decimal("4.00"), 8),
    ]


DIRECT = (
    "with valued as (select file_name, loaded_at, amount as value from {batch} where amount is not null), "
    "files as (select file_name, loaded_at, median(value) as typical, count(*) as row_count from valued "
    "group by 1, 2) "
    "select file_name, typical, row_count, "
    "(select median(value) from valued where valued.loaded_at < files.loaded_at), "
    "(select count(*) from valued where valued.loaded_at < files.loaded_at) from files order by file_name"
)


@pytest.mark.parametrize(
    ("seed", "rows", "values", "files", "column_type"),
    [
        (1, 5_000, 3, 40, "integer"),
        (2, 20_000, 1_000, 60, "decimal(18, 2)"),
        (3, 20_000, 50_000, 121, "decimal(18, 2)"),
        (4, 2_000, 2_000, 7, "double"),
    ],
)
def test_equal_to_the_median_of_every_earlier_row(
    seed: int, rows: int, values: int, files: int, column_type: str
) -> None:
    con = duckdb.connect()
    con.execute(f"select setseed({seed / 10})")
    # Every third file shares its load time with the one before; one value in twenty is missing.
    con.execute(f"""create table loaded as select
        'f' || lpad(file::varchar, 3, '0') || '.csv' as file_name,
        timestamp '2025-01-01' + to_hours(file - file % 3 // 2) as loaded_at,
        case when random() < 0.05 then null else cast(floor(random() * {values}) / 4 as {column_type}) end
            as amount
        from (select cast(floor(random() * {files}) as integer) as file from range({rows}))""")
    shared = con.sql("select count(distinct file_name) - count(distinct loaded_at) from loaded").fetchone()[0]
    assert shared > 0
    expected = con.sql(DIRECT.replace("{batch}", "loaded")).fetchall()
    found = history(con)
    assert len(found) == len(expected) > 1
    assert found == expected
    assert sum(1 for row in found if row[3] is not None and row[4] % 2 == 0) > 0  # an even history was met
