"""What each raw table holds, so whatever was built or validated from it can tell later loads from edits.

The loader only appends: a load adds rows under a new load id and never rewrites one. So where a table's rows
of the loads up to N have the count and digest they had when load N was its newest, every row added since
came with a later load; anything else is a hand edit, a deletion or a rewrite. The code lists carry no load:
they are rewritten from the contract and must simply be the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

_LOAD_COLUMNS = """
select table_name, max(case when column_name in ('_load_id', 'load_id') then column_name end)
from information_schema.columns where table_schema = 'raw' and table_name in (
    select table_name from information_schema.tables where table_schema = 'raw' and table_type = 'BASE TABLE')
group by table_name order by table_name
"""


@dataclass(frozen=True)
class TableState:
    """A raw table's rows now and, when asked about an earlier newest load, its rows up to that load."""

    has_loads: bool
    newest_load: int | None
    rows: int
    digest: str
    rows_then: int | None = None
    digest_then: str | None = None

    @property
    def recorded(self) -> list:
        return [self.newest_load, self.rows, self.digest]

    def only_grew_since(self, rows: int, digest: str) -> bool:
        """Whether the table holds the `rows` of that `digest` it held at the newest load it was read up to,
        plus rows of later loads."""
        if not self.has_loads:
            return (self.rows, self.digest) == (rows, digest)
        return (self.rows_then, self.digest_then) == (rows, digest)


def _digest_terms(rows_of: str = "true") -> str:
    # Even a hand edit of one value changes the sum of the rows' hashes.
    return f"count(*) filter (where {rows_of}), coalesce(sum(hash(t)) filter (where {rows_of}), 0)"


def raw_tables(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Every raw table, with the column naming the load each row came with (none for the code lists)."""
    return dict(con.execute(_LOAD_COLUMNS).fetchall())


def newest_loads(recorded: dict[str, list]) -> dict[str, int | None]:
    """The newest load of each table in a record of `TableState.recorded` lists."""
    return {table: state[0] for table, state in recorded.items()}


def read_states(
    con: duckdb.DuckDBPyConnection, tables: list[str] | None = None, seen: dict[str, int | None] | None = None
) -> dict[str, TableState]:
    """One scan of each of `tables` (every raw table when None): its rows now and, where `seen` names a
    table's newest load at some earlier time, its rows up to that load."""
    load_columns = raw_tables(con)
    states = {}
    for table in load_columns if tables is None else tables:
        column = load_columns.get(table)
        newest = f"max({column})" if column else "null"
        up_to = (seen or {}).get(table)
        then = f"{column} <= {int(up_to)}" if column and up_to is not None else "false"
        row = con.execute(f"select {newest}, {_digest_terms()}, {_digest_terms(then)} from raw.{table} as t").fetchone()
        states[table] = TableState(
            column is not None, row[0], row[1], str(row[2]), *((row[3], str(row[4])) if seen is not None else ())
        )
    return states
