"""Ingest: landing files into the raw schema (the dbt sources)."""

from dataclasses import asdict
from datetime import date
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetSpec, Config, MaterializeResult, MetadataValue, multi_asset

from core.settings import duckdb_memory_limit
from dagster_project.resources import WAREHOUSE_POOL, EmstatHome
from dagster_project.retries import transient_retries
from ingest.contract import SOURCES
from ingest.loader import FileSummary, load_paths

RAW_TABLES = {s.name: s.label for s in SOURCES} | {
    "codes": "code lists of the contract",
    "files": "file ledger",
    "quarantine": "refused rows with reasons",
}
RAW_KEYS = {name: AssetKey(["raw", name]) for name in RAW_TABLES}


class IngestConfig(Config):
    paths: list[str] = []  # files or folders; the landing folder under EMSTAT_HOME when empty
    received_on: str = ""  # YYYY-MM-DD the files reached the bureau, for as-of reports; today when empty
    dated_by_file: bool = False  # a backfill: each file dated by its modification time, loaded oldest first


@multi_asset(
    specs=[
        AssetSpec(key, group_name="raw", description=f"raw.{name}: {RAW_TABLES[name]}")
        for name, key in RAW_KEYS.items()
    ],
    pool=WAREHOUSE_POOL,
)
def raw_tables(context: AssetExecutionContext, config: IngestConfig, emstat: EmstatHome):
    paths = [Path(p) for p in config.paths] or [emstat.paths.landing]
    emstat.paths.root.mkdir(parents=True, exist_ok=True)
    memory = {"memory_limit": duckdb_memory_limit()}
    with transient_retries(context.retry_number), duckdb.connect(str(emstat.paths.warehouse), config=memory) as con:
        summaries = load_paths(
            con,
            paths,
            on_file=lambda summary: context.log.info(summary.line()),
            received_on=date.fromisoformat(config.received_on) if config.received_on else None,
            dated_by_file=config.dated_by_file,
        )
    for name, key in RAW_KEYS.items():
        yield MaterializeResult(asset_key=key, metadata=_metadata(name, summaries))


def _metadata(table: str, summaries: list[FileSummary]) -> dict[str, object]:
    if table == "files":
        return {
            "files": len(summaries),
            "summary": "\n".join(s.line() for s in summaries),
            "file_summaries": MetadataValue.json([asdict(s) for s in summaries]),
        }
    if table == "quarantine":
        return {"rows_quarantined": sum(s.rows_quarantined for s in summaries)}
    mine = [s for s in summaries if s.source == table]
    return {"rows_new": sum(s.rows_new for s in mine), "rows_revised": sum(s.rows_revised for s in mine)}
