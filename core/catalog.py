"""What the warehouse file holds."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl


def table_exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    """Whether `relation` ("schema.table") is a table or view of the file `con` opened."""
    schema, table = relation.split(".")
    return (
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
        ).fetchone()[0]
        > 0
    )


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence]) -> None:
    """Insert rows given in `table`'s column order, in one statement: DuckDB's executemany runs an insert per
    row, 1.3 s for the 600 files of a run where this takes 0.02 s."""
    if not rows:
        return
    frame = pl.DataFrame(rows, schema=[f"c{i}" for i in range(len(rows[0]))], orient="row", infer_schema_length=None)
    con.register("rows_to_insert", frame)
    try:
        con.execute(f"insert into {table} select * from rows_to_insert")
    finally:
        con.unregister("rows_to_insert")
