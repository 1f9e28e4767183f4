"""The raw schema of the warehouse: one table per source, the file ledger, the quarantine and the code lists.

All DDL derives from the contract, so adding a field to the contract adds its column.
"""

from __future__ import annotations

import duckdb

from core.catalog import insert_rows
from ingest.codes import CODE_LISTS
from ingest.contract import SOURCES, Source

LINEAGE_COLUMNS = (
    ("_load_id", "BIGINT NOT NULL"),  # the file load that brought the row; orders revisions
    ("_file_name", "VARCHAR NOT NULL"),
    ("_file_sha256", "VARCHAR NOT NULL"),
    ("_row_number", "BIGINT NOT NULL"),  # as the clerk sees it in Excel, header = row 1
    ("_loaded_at", "TIMESTAMP NOT NULL"),
)
# The loader once stored an md5 of each row's values to tell a revision from a re-send; it now compares the
# values themselves, so a warehouse made before loses the column.
DROPPED_COLUMNS = ("_row_hash",)

_LEDGER = """
create sequence if not exists raw.load_ids start 1;
create table if not exists raw.files (
    load_id bigint primary key,
    file_name varchar not null,
    file_path varchar not null,
    file_sha256 varchar not null,
    source varchar,
    encoding varchar,
    loaded_at timestamp not null,
    received_on date not null,        -- when the bureau received the file: "as known on date D" counts from it
    status varchar not null,          -- loaded | rejected
    reason varchar,                   -- why a whole file was rejected
    rows_total bigint not null,
    rows_new bigint not null,
    rows_revised bigint not null,
    rows_unchanged bigint not null,
    rows_quarantined bigint not null
);
create table if not exists raw.quarantine (
    load_id bigint not null,
    source varchar,
    file_name varchar not null,
    file_sha256 varchar not null,
    row_number bigint,                -- null when the whole file could not be read
    record_id varchar,
    reason varchar not null,
    raw_values varchar,               -- the row as written, JSON keyed by the file's own headers
    quarantined_at timestamp not null,
    waiting_for varchar,              -- refused only for links to records not loaded yet: their sources
    resolved_at timestamp,            -- when a later load brought those records and the row was loaded
    resolved_by varchar               -- the file whose load resolved it
);
create table if not exists raw.codes (
    list_name varchar not null,
    code varchar not null,
    label varchar not null,
    group_code varchar,
    sort_order integer not null,
    primary key (list_name, code)
);
"""


def source_ddl(source: Source) -> str:
    columns = [f"{f.name} {f.sql_type}" for f in source.stored_fields]
    columns += [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
    return f"create table if not exists {source.table} (\n    " + ",\n    ".join(columns) + "\n)"


# Rows quarantined before the quarantine kept what they wait for: a row whose every reason is a missing link
# (the loader words it "… matches no <source> record") waits for those sources.
_WAITING_FROM_REASONS = r"""
update raw.quarantine
set waiting_for = array_to_string(list_distinct(list_transform(
    string_split(reason, '；'), r -> regexp_extract(r, 'matches no (\w+) record$', 1))), ',')
where row_number is not null
  and list_bool_and(list_transform(string_split(reason, '；'), r -> regexp_matches(r, 'matches no \w+ record$')))
"""
QUARANTINE_ADDED = (("waiting_for", "varchar"), ("resolved_at", "timestamp"), ("resolved_by", "varchar"))


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    con.execute(_LEDGER)
    kept = {
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = 'quarantine'"
        ).fetchall()
    }
    for name, sql_type in QUARANTINE_ADDED:  # a warehouse created before the quarantine kept them
        con.execute(f"alter table raw.quarantine add column if not exists {name} {sql_type}")
    if "waiting_for" not in kept:
        con.execute(_WAITING_FROM_REASONS)
    for source in SOURCES:
        con.execute(source_ddl(source))
        # A field the contract gained after this warehouse was created.
        for f in source.stored_fields:
            con.execute(f"alter table {source.table} add column if not exists {f.name} {f.sql_type}")
        for name in DROPPED_COLUMNS:
            con.execute(f"alter table {source.table} drop column if exists {name}")
    # Code lists are rewritten each time so the warehouse always carries the contract's current labels.
    con.execute("delete from raw.codes")
    insert_rows(
        con,
        "raw.codes",
        [
            (code_list.name, c.code, c.label, c.group, i)
            for code_list in CODE_LISTS
            for i, c in enumerate(code_list.codes, start=1)
        ],
    )
