"""What the bundle needs from the published warehouse and the contract: column types and SQL fragments."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.clock import LOCAL_TZ
from core.labels import JOB_ZH, LAUNCHED_BY_ZH, STATUS_ZH
from dashboards.bundle import Column, dataset_sql
from dashboards.spec import Dataset, Spec
from ingest.contract import SOURCES


def _quoted_keys(field_name: str) -> list[str]:
    """Every header a clerk may have used for a field, as raw_values keeps the row as written."""
    names: list[str] = []
    for source in SOURCES:
        for field in source.fields:
            if field.name == field_name:
                names += [field.name, field.label, *field.aliases]
    return list(dict.fromkeys(names))


def _json_value(keys: list[str]) -> str:
    parts = ", ".join(f"json_extract_string(quarantine.raw_values, '$.\"{key}\"')" for key in keys)
    return f"coalesce({parts})"


def _case(column: str, labels: dict[str, str]) -> str:
    whens = " ".join(f"when '{value}' then '{label}'" for value, label in labels.items())
    return f"coalesce(case {column} {whens} end, {column})"


def sql_substitutions() -> dict[str, str]:
    labels = " ".join(f"when '{source.name}' then '{source.label}'" for source in SOURCES)
    return {
        "raw_region_code": _json_value(_quoted_keys("region_code")),
        "raw_region_name": _json_value(_quoted_keys("region_name")),
        "source_label": f"coalesce(case source {labels} end, '未识别的文件')",
        "run_status_label": _case("status", STATUS_ZH),
        "launched_by_label": _case("launched_by", LAUNCHED_BY_ZH),
        "job_label": _case("job", JOB_ZH),
        # The bureau's today, not the server's: files are stamped with the day they arrived in Beijing time.
        "local_today": f"cast(timezone('{LOCAL_TZ.key}', current_timestamp) as date)",
    }


@dataclass(frozen=True)
class Published:
    """What the bundle takes from the published warehouse, read in one read-only connection."""

    substitutions: dict[str, str]
    columns: dict[str, list[Column]]  # each dataset's columns, as the file has them
    defaults: dict[str, str]  # filter key → the value it opens on


def _relation(dataset: Dataset, substitutions: dict[str, str]) -> str:
    return dataset.table if dataset.table else f"({dataset_sql(dataset, substitutions)})"


def read_published(published: Path, spec: Spec) -> Published:
    substitutions = sql_substitutions()
    with duckdb.connect(str(published), read_only=True) as con:
        return Published(substitutions, _columns(con, spec, substitutions), _defaults(con, spec, substitutions))


def _columns(con, spec: Spec, substitutions: dict[str, str]) -> dict[str, list[Column]]:
    """A missing mart is one clear error."""
    columns = {}
    for dataset in spec.datasets.values():
        try:
            described = con.execute(f"describe {_relation(dataset, substitutions)}").fetchall()
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise LookupError(f"the published warehouse cannot answer dataset {dataset.key}: {first}") from None
        columns[dataset.key] = [Column(name, str(kind)) for name, kind, *_ in described]
    return columns


def _defaults(con, spec: Spec, substitutions: dict[str, str]) -> dict[str, str]:
    """The value each sorted filter opens on: the first by its sort metric in the published data (the latest
    bulletin period, the bureau's own region), so every chart loads filtered from the first query."""
    defaults: dict[str, str] = {}
    for dashboard in spec.dashboards:
        for filter_ in dashboard.filters:
            if filter_.sort_metric is None or filter_.key in defaults:
                continue
            dataset = spec.datasets[filter_.dataset]
            order = dataset.metrics[filter_.sort_metric]
            row = con.execute(
                f'select "{filter_.column}" from {_relation(dataset, substitutions)} '
                f'where "{filter_.column}" is not null group by 1 order by {order}, 1 limit 1'
            ).fetchone()
            if row is not None:
                defaults[filter_.key] = str(row[0])
    return defaults
