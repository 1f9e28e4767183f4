"""What a build is made from, so a build with nothing new can say so instead of rebuilding the same figures.

A build's output is a function of the raw schema's rows, the code that turns them into marts, checks and
scores, and the day (some checks compare dates with today). Their fingerprint is kept in the warehouse
from the moment dbt starts, and marked published once the copy readers open carries it: a build that
failed, was blocked or was killed leaves an unpublished fingerprint, so the next build runs in full.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import duckdb

from emstat.settings import REPO_ROOT, Home

# Everything the warehouse, its checks and the appraisal are computed by; dashboards only read the result.
_CODE = ("dagster_project", "dbt/models", "dbt/macros", "dbt/dbt_project.yml", "dbt/profiles.yml", "emstat",
         "expectations", "ingest", "requirements.txt")
_CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json", ".txt"}

TABLE = "ops.build_inputs"
_DDL = f"""
create schema if not exists ops;
create table if not exists {TABLE} (
    fingerprint varchar not null,
    started_at timestamp not null,
    published_at timestamp         -- null until the published copy carries this build
)
"""


def code_digest(root: Path = REPO_ROOT) -> str:
    digest = hashlib.sha256()
    for entry in _CODE:
        path = root / entry
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts)
        for file in files:
            digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def raw_digest(con: duckdb.DuckDBPyConnection, only: set[str] | None = None) -> str:
    """Every row of every raw table (or of those `only` names): a load adds rows, and even a hand edit of one
    value changes this."""
    tables = [name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw' and table_type = 'BASE TABLE' "
        "order by table_name").fetchall() if only is None or name in only]
    digest = hashlib.sha256()
    for table in tables:
        rows, content = con.execute(f"select count(*), coalesce(sum(hash(t)), 0) from raw.{table} as t").fetchone()
        digest.update(f"{table}:{rows}:{content}\n".encode())
    return digest.hexdigest()


def fingerprint(con: duckdb.DuckDBPyConnection, today: date) -> str:
    return hashlib.sha256(f"{raw_digest(con)} {code_digest()} {today.isoformat()}".encode()).hexdigest()


def record_build_started(con: duckdb.DuckDBPyConnection, today: date, at: datetime) -> None:
    con.execute(_DDL)
    con.execute(f"delete from {TABLE}")
    con.execute(f"insert into {TABLE} values (?, ?, null)", [fingerprint(con, today), at])


def mark_build_published(con: duckdb.DuckDBPyConnection, at: datetime) -> None:
    con.execute(_DDL)
    con.execute(f"update {TABLE} set published_at = ?", [at])


def _published_fingerprint(con: duckdb.DuckDBPyConnection) -> tuple[str, datetime] | None:
    exists = con.execute("select count(*) from information_schema.tables "
                         "where table_schema = 'ops' and table_name = 'build_inputs'").fetchone()[0]
    if not exists:
        return None
    return con.execute(f"select fingerprint, published_at from {TABLE} where published_at is not null").fetchone()


# Whether the checks of the latest run to validate anything found an error: a run blocked before dbt leaves
# the marts as published, but its finding must be validated again, not hidden behind "nothing to build".
_LATEST_RUN_BLOCKED = """
select coalesce(bool_or(severity = 'error' and not is_success), false) from quality.validation_results
where run_id = (select run_id from quality.validation_results order by validated_at desc limit 1)
"""


def current_since(home: Home, today: date) -> datetime | None:
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
            now = fingerprint(con, today)
    except (duckdb.IOException, duckdb.CatalogException):
        return None
    return own[1] if now == own[0] else None
