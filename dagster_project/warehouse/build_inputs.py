"""What a build is made from, so a build with nothing new can say so instead of rebuilding the same figures.

A build's output is a function of the raw schema's rows, the code that turns them into marts, checks and
scores, the day (some checks compare dates with today) and the last day the figures run through
(`data_through`, the day before by default). Their fingerprint is kept in the warehouse
from the moment dbt starts, and marked published once the copy readers open carries it: a build that
failed, was blocked or was killed leaves an unpublished fingerprint, so the next build runs in full.

The same record says what dbt's incremental models were built from: when the last published build was made
by the same code and every raw table still holds the rows it held then, the models only lack the later loads
(ingest/raw_state.py) and dbt adds those; anything else rebuilds them from every record.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import duckdb

from core.catalog import table_exists
from core.settings import REPO_ROOT, Home
from ingest.raw_state import TableState, newest_loads, read_states

# Everything the warehouse, its checks and the appraisal are computed by; dashboards only read the result.
_CODE = (
    "core",
    "ingest",
    "expectations",
    "appraisal",
    "dagster_project",
    "dbt/models",
    "dbt/macros",
    "dbt/dbt_project.yml",
    "dbt/profiles.yml",
    "requirements.txt",
)
_CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json", ".txt"}

TABLE = "ops.build_inputs"
_DDL = f"""
create schema if not exists ops;
create table if not exists {TABLE} (
    fingerprint varchar not null,
    started_at timestamp not null,
    published_at timestamp         -- null until the published copy carries this build
);
alter table ops.build_inputs add column if not exists code_digest varchar;
-- JSON: each raw table as the build found it, [its newest load id, rows, digest of its rows]
alter table ops.build_inputs add column if not exists raw_tables varchar;
-- why dbt rebuilt its incremental models from every record; null when it added the later loads
alter table ops.build_inputs add column if not exists rebuilt_because varchar;
"""


def code_digest(root: Path = REPO_ROOT) -> str:
    digest = hashlib.sha256()
    for entry in _CODE:
        path = root / entry
        files = (
            [path]
            if path.is_file()
            else sorted(p for p in path.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts)
        )
        for file in files:
            digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def raw_digest(con: duckdb.DuckDBPyConnection) -> str:
    """Every row of every raw table."""
    return _raw_digest(read_states(con))


def _raw_digest(states: dict[str, TableState]) -> str:
    digest = hashlib.sha256()
    for table, state in states.items():
        digest.update(f"{table}:{state.rows}:{state.digest}\n".encode())
    return digest.hexdigest()


def _fingerprint(raw: str, code: str, today: date, data_through: date) -> str:
    return hashlib.sha256(f"{raw} {code} {today.isoformat()} {data_through.isoformat()}".encode()).hexdigest()


def fingerprint(con: duckdb.DuckDBPyConnection, today: date, data_through: date) -> str:
    return _fingerprint(raw_digest(con), code_digest(), today, data_through)


def rebuild_reason(
    published: tuple[str | None, str | None] | None, code: str, states: dict[str, TableState]
) -> str | None:
    """Why the incremental models cannot just add the later loads to the last published build's, given that
    build's (code digest, raw tables) and the raw tables now, read up to the newest loads it saw."""
    if published is None or published[1] is None:
        return "no published build to add the new loads to"
    if published[0] != code:
        return "the code changed since the last published build"
    for table, (_, rows, digest) in json.loads(published[1]).items():
        if table not in states or not states[table].only_grew_since(rows, digest):
            return f"raw.{table} no longer holds the rows the last published build was made from"
    return None


def record_build_started(con: duckdb.DuckDBPyConnection, today: date, at: datetime, data_through: date) -> str | None:
    """Record what this build is made of, and return why dbt must rebuild its incremental models from every
    record (None: it adds the loads since the last published build)."""
    con.execute(_DDL)
    published = con.execute(f"select code_digest, raw_tables from {TABLE} where published_at is not null").fetchone()
    states = read_states(con, seen=newest_loads(json.loads(published[1])) if published and published[1] else {})
    code = code_digest()
    reason = rebuild_reason(published, code, states)
    con.execute(f"delete from {TABLE}")
    con.execute(
        f"insert into {TABLE} (fingerprint, started_at, code_digest, raw_tables, rebuilt_because) "
        f"values (?, ?, ?, ?, ?)",
        [
            _fingerprint(_raw_digest(states), code, today, data_through),
            at,
            code,
            json.dumps({table: state.recorded for table, state in states.items()}),
            reason,
        ],
    )
    return reason


def mark_build_published(con: duckdb.DuckDBPyConnection, at: datetime) -> None:
    con.execute(_DDL)
    con.execute(f"update {TABLE} set published_at = ?", [at])


def _published_fingerprint(con: duckdb.DuckDBPyConnection) -> tuple[str, datetime] | None:
    if not table_exists(con, TABLE):
        return None
    return con.execute(f"select fingerprint, published_at from {TABLE} where published_at is not null").fetchone()


# Whether the checks of the latest run to validate anything found an error: a run blocked before dbt leaves
# the marts as published, but its finding must be validated again, not hidden behind "nothing to build".
_LATEST_RUN_BLOCKED = """
select coalesce(bool_or(severity = 'error' and not is_success), false) from quality.validation_results
where run_id = (select run_id from quality.validation_results order by validated_at desc limit 1)
"""


def current_since(home: Home, today: date, data_through: date) -> datetime | None:
    """When the published copy was built from exactly what a build would use now, with no blocking finding
    since; None if anything differs, or if the warehouse is held by another process (the build then waits
    for it as usual)."""
    if not home.published.exists():
        return None
    try:
        with duckdb.connect(str(home.published), read_only=True) as con:
            published = _published_fingerprint(con)
        with duckdb.connect(str(home.warehouse), read_only=True) as con:
            own = _published_fingerprint(con)
            if own is None or own != published or con.execute(_LATEST_RUN_BLOCKED).fetchone()[0]:
                return None
            now = fingerprint(con, today, data_through)
    except (duckdb.IOException, duckdb.CatalogException):
        return None
    return own[1] if now == own[0] else None
