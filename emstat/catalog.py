"""What the warehouse file holds."""

from __future__ import annotations

import duckdb


def table_exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    """Whether `relation` ("schema.table") is a table or view of the file `con` opened."""
    schema, table = relation.split(".")
    return con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                       [schema, table]).fetchone()[0] > 0
