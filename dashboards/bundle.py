"""Turn the dashboards spec into a Superset import bundle (the ZIP of YAML files `/api/v1/assets/import/` takes).

Pure functions of the spec, the warehouse's column types and the published file's path, so what Superset gets
is reviewable and testable without a server. Every object has a UUID derived from its key: importing again with
overwrite updates the same database, datasets, charts and dashboards in place instead of adding new ones.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from dashboards.spec import GRID_COLUMNS, Chart, Dashboard, Dataset, Filter, Metric, Spec

NAMESPACE = uuid.UUID("8d3c1f0e-5b1a-4c8e-9a57-0e6d2b7f4a10")
DATABASE_NAME = "emstat 应急管理统计(发布库)"
BUNDLE_ROOT = "emstat_dashboards"
VERSION = "1.0.0"
ROW_LIMIT = 10000
STAND_IN_ID = 1_000_000


def object_uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def chart_key(dashboard: Dashboard, chart: Chart) -> str:
    return f"{dashboard.slug}/{chart.key}"


def chart_uuid(dashboard: Dashboard, chart: Chart) -> str:
    return object_uuid("chart", chart_key(dashboard, chart))


@dataclass(frozen=True)
class Column:
    name: str
    type: str

    @property
    def is_temporal(self) -> bool:
        return self.type.upper().startswith(("DATE", "TIMESTAMP"))


@dataclass(frozen=True)
class Bundle:
    """File name in the bundle → YAML text, and → the uuid of the object the file holds."""

    files: dict[str, str]
    uuids: dict[str, str]

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(self.files):
                archive.writestr(f"{BUNDLE_ROOT}/{name}", self.files[name])
        return buffer.getvalue()

    @property
    def digests(self) -> dict[str, str]:
        return {
            name: hashlib.sha256(text.encode("utf-8")).hexdigest()
            for name, text in self.files.items()
            if name != "metadata.yaml"
        }


def number_format(sql_type: str) -> str | None:
    """How a table shows a number: counts whole, decimals with exactly the places the mart publishes."""
    kind = sql_type.upper()
    if kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"):
        return "d"
    match = re.fullmatch(r"DECIMAL\(\d+,(\d+)\)", kind)
    return f".{match.group(1)}f" if match else None


def dataset_sql(dataset: Dataset, substitutions: dict[str, str]) -> str | None:
    """The SQL of a view dataset with the contract-derived fragments filled in."""
    if dataset.sql is None:
        return None
    return dataset.sql.format(**substitutions).strip()


def build_bundle(
    spec: Spec,
    warehouse: Path,
    columns: dict[str, list[Column]],
    substitutions: dict[str, str],
    defaults: dict[str, str],
    known_chart_ids: dict[str, int] | None = None,
) -> Bundle:
    """`columns` holds each dataset's columns as the published warehouse has them. Filters list the charts
    they apply to by the server's ids (`known_chart_ids`, by uuid); a chart the server does not have yet gets
    a stand-in id, and provisioning imports once more when the real ones exist. `defaults` holds the value
    each filter opens on, by filter key."""
    known_chart_ids = known_chart_ids or {}
    database_uuid = object_uuid("database", "published")
    objects = {"databases/emstat.yaml": _database(warehouse, database_uuid)}
    for dataset in spec.datasets.values():
        if dataset.key not in columns:
            raise KeyError(f"no columns read for dataset {dataset.key}")
        objects[f"datasets/emstat/{dataset.key}.yaml"] = _dataset(
            dataset, columns[dataset.key], database_uuid, substitutions
        )
    for dashboard in spec.dashboards:
        chart_ids = {
            chart.key: known_chart_ids.get(chart_uuid(dashboard, chart), STAND_IN_ID + index)
            for index, chart in enumerate(dashboard.charts, start=1)
        }
        for chart in dashboard.charts:
            dataset = spec.datasets[chart.dataset]
            by_name = {c.name: c for c in columns[dataset.key]}
            opening = [
                {"col": f.column, "op": "IN", "val": [defaults[f.key]]}
                for f in dashboard.filters
                if f.key in defaults and f.column in by_name and chart.key not in f.exclude
            ]
            objects[f"charts/{dashboard.slug}__{chart.key}.yaml"] = _chart(dashboard, chart, dataset, by_name, opening)
        objects[f"dashboards/{dashboard.slug}.yaml"] = _dashboard(dashboard, chart_ids, defaults)
    files = {"metadata.yaml": _dump({"version": VERSION, "type": "assets", "timestamp": "2026-01-01T00:00:00+00:00"})}
    files |= {name: _dump(body) for name, body in objects.items()}
    return Bundle(files, {name: body["uuid"] for name, body in objects.items()})


def _dump(body: dict) -> str:
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=True, width=1000)


def _database(warehouse: Path, database_uuid: str) -> dict:
    return {
        "database_name": DATABASE_NAME,
        # Four slashes: an absolute path. Read-only, so Superset never holds the write lock on the file.
        "sqlalchemy_uri": f"duckdb:///{warehouse.resolve()}",
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "extra": {"engine_params": {"connect_args": {"read_only": True}}, "allows_virtual_table_explore": True},
        "uuid": database_uuid,
        "version": VERSION,
    }


def _dataset(dataset: Dataset, columns: list[Column], database_uuid: str, substitutions: dict[str, str]) -> dict:
    return {
        "table_name": dataset.table_name,
        "schema": dataset.schema,
        "catalog": None,
        "sql": dataset_sql(dataset, substitutions),
        "main_dttm_col": None,
        "description": None,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": object_uuid("dataset", dataset.key),
        "metrics": [
            {
                "metric_name": "count",
                "verbose_name": "记录数",
                "metric_type": "count",
                "expression": "COUNT(*)",
                "description": None,
                "d3format": None,
                "currency": None,
                "extra": None,
                "warning_text": None,
            },
            *(
                {
                    "metric_name": name,
                    "verbose_name": name,
                    "metric_type": None,
                    "expression": sql,
                    "description": None,
                    "d3format": None,
                    "currency": None,
                    "extra": None,
                    "warning_text": None,
                }
                for name, sql in dataset.metrics.items()
            ),
        ],
        "columns": [
            {
                "column_name": column.name,
                "verbose_name": dataset.labels.get(column.name),
                "is_dttm": column.is_temporal,
                "is_active": True,
                "type": column.type,
                "advanced_data_type": None,
                "groupby": True,
                "filterable": True,
                "expression": None,
                "description": None,
                "python_date_format": None,
                "extra": None,
            }
            for column in columns
        ],
        "version": VERSION,
        "database_uuid": database_uuid,
    }


def _metric(metric: Metric, columns: dict[str, Column]) -> dict:
    if metric.sql is not None:
        return {"expressionType": "SQL", "sqlExpression": metric.sql, "label": metric.label, "hasCustomLabel": True}
    if metric.column not in columns:
        raise KeyError(f"no column {metric.column}")
    column = columns[metric.column]
    return {
        "expressionType": "SIMPLE",
        "aggregate": "SUM",
        "label": metric.label,
        "hasCustomLabel": True,
        "column": {"column_name": column.name, "type": column.type},
    }


def _chart(
    dashboard: Dashboard, chart: Chart, dataset: Dataset, columns: dict[str, Column], opening: list[dict]
) -> dict:
    """The chart as Superset's explore view saves it: its form data (`params`), and the query context the
    chart-data API, CSV export, alerts and reports run. The query context asks for what the dashboard opens on
    (its filters' default values); the datasource id 0 stands in until the import puts the dataset's id."""
    for name in (*chart.columns, *chart.order_by, *((chart.x,) if chart.x else ())):
        if name not in columns:
            raise KeyError(f"chart {chart_key(dashboard, chart)}: dataset {dataset.key} has no column {name}")
    filters = [{"clause": "WHERE", "expressionType": "SQL", "sqlExpression": chart.where}] if chart.where else []
    metrics = [_metric(m, columns) for m in chart.metrics]
    params: dict = {"viz_type": _VIZ[chart.kind], "adhoc_filters": filters, "extra_form_data": {}}
    if chart.kind == "big_number":
        params |= {
            "metric": metrics[0],
            "header_font_size": 0.4,
            "subheader_font_size": 0.15,
            "y_axis_format": chart.number_format or "SMART_NUMBER",
            "time_format": "smart_date",
            "subheader": "",
        }
    elif chart.kind == "table":
        params |= {
            "query_mode": "raw",
            "all_columns": list(chart.columns),
            "groupby": [],
            "metrics": [],
            "order_by_cols": [json.dumps([name, True]) for name in chart.order_by],
            "row_limit": ROW_LIMIT,
            "server_pagination": False,
            "page_length": 0,
            "include_search": False,
            "show_cell_bars": False,
            "table_timestamp_format": "%Y-%m-%d",
            "allow_rearrange_columns": False,
            "color_pn": True,
            "column_config": {
                name: {"d3NumberFormat": fmt} for name in chart.columns if (fmt := number_format(columns[name].type))
            },
        }
    elif chart.kind in ("line", "bar"):
        temporal = columns[chart.x].is_temporal
        params |= {
            "x_axis": chart.x,
            "metrics": metrics,
            "groupby": [],
            "row_limit": ROW_LIMIT,
            "show_legend": True,
            "legendType": "scroll",
            "legendOrientation": "top",
            "rich_tooltip": True,
            "truncate_metric": True,
            "y_axis_format": "SMART_NUMBER",
            "x_axis_sort_asc": True,
            "x_axis_title_margin": 15,
            "y_axis_title_margin": 15,
            "orientation": "vertical",
            "show_value": chart.kind == "bar",
            "only_total": True,
            "markerEnabled": True,
            "seriesType": "line" if chart.kind == "line" else "bar",
            # Chinese category names are long: tilted, every one of them is shown.
            "xAxisLabelRotation": 0 if temporal else 30,
            "xAxisLabelInterval": 0,
        }
        if temporal:
            params |= {"time_grain_sqla": "P1M", "x_axis_time_format": "%Y-%m", "tooltipTimeFormat": "%Y-%m"}
    elif chart.kind == "pie":
        params |= {
            "groupby": [chart.x],
            "metric": metrics[0],
            "row_limit": ROW_LIMIT,
            "show_legend": True,
            "legendType": "scroll",
            "legendOrientation": "top",
            "show_labels": True,
            "label_type": "key_value_percent",
            "number_format": chart.number_format or "SMART_NUMBER",
            "sort_by_metric": True,
            "donut": True,
            "labels_outside": True,
            "outerRadius": 70,
            "innerRadius": 30,
        }
    query = {
        "filters": opening,
        "extras": {"where": f"({chart.where})" if chart.where else "", "having": ""},
        "columns": [],
        "metrics": [],
        "orderby": [],
        "row_limit": ROW_LIMIT,
        "series_limit": 0,
        "order_desc": True,
        "time_range": "No filter",
        "post_processing": [],
    }
    if chart.kind == "big_number":
        query |= {"metrics": metrics, "row_limit": 1}
    elif chart.kind == "table":
        # No metrics at all (None, not []): rows as they are, without a GROUP BY.
        query |= {"columns": list(chart.columns), "metrics": None, "orderby": [[name, True] for name in chart.order_by]}
    elif chart.kind in ("line", "bar"):
        axis = {"columnType": "BASE_AXIS", "expressionType": "SQL", "sqlExpression": chart.x, "label": chart.x}
        if columns[chart.x].is_temporal:
            axis["timeGrain"] = params["time_grain_sqla"]
        query |= {
            "columns": [axis],
            "metrics": metrics,
            "post_processing": [{"operation": "sort", "options": {"by": chart.x, "ascending": True}}],
        }
    elif chart.kind == "pie":
        query |= {"columns": [chart.x], "metrics": metrics[:1], "orderby": [[metrics[0], False]]}
    query_context = {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }
    return {
        "slice_name": chart.title,
        "description": None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": params["viz_type"],
        "params": params,
        "query_context": json.dumps(query_context, ensure_ascii=False, sort_keys=True),
        "cache_timeout": None,
        "uuid": chart_uuid(dashboard, chart),
        "version": VERSION,
        "dataset_uuid": object_uuid("dataset", dataset.key),
    }


_VIZ = {
    "big_number": "big_number_total",
    "table": "table",
    "line": "echarts_timeseries_line",
    "bar": "echarts_timeseries_bar",
    "pie": "pie",
}


def _dashboard(dashboard: Dashboard, chart_ids: dict[str, int], defaults: dict[str, str]) -> dict:
    return {
        "dashboard_title": dashboard.title,
        "description": None,
        "css": "",
        "slug": dashboard.slug,
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": object_uuid("dashboard", dashboard.slug),
        "position": layout(dashboard, chart_ids),
        "metadata": {
            "native_filter_configuration": [_filter(f, chart_ids, defaults.get(f.key)) for f in dashboard.filters],
            "chart_configuration": {},
            "color_scheme": "supersetColors",
            "refresh_frequency": 0,
            "expanded_slices": {},
            "label_colors": {},
            "shared_label_colors": [],
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": False,
            "default_filters": "{}",
        },
        "version": VERSION,
    }


def layout(dashboard: Dashboard, chart_ids: dict[str, int]) -> dict:
    """Charts in spec order, filling rows of 12 grid columns."""
    rows: list[list[Chart]] = [[]]
    for chart in dashboard.charts:
        if sum(c.width for c in rows[-1]) + chart.width > GRID_COLUMNS:
            rows.append([])
        rows[-1].append(chart)
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": dashboard.title}},
    }
    for number, row in enumerate(rows, start=1):
        row_id = f"ROW-{number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for chart in row:
            chart_id = f"CHART-{chart.key}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "type": "CHART",
                "id": chart_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "width": chart.width,
                    "height": chart.height,
                    "chartId": chart_ids[chart.key],
                    "uuid": chart_uuid(dashboard, chart),
                },
            }
    return position


def _filter(filter_: Filter, chart_ids: dict[str, int], default: str | None) -> dict:
    excluded = [chart_ids[key] for key in filter_.exclude]
    # Superset selects a "first item" only after the charts' first queries, which then show every period
    # summed; a default value in the data mask filters them from the first query on.
    mask = {"extraFormData": {}, "filterState": {}, "ownState": {}}
    if default is not None:
        mask = {
            "extraFormData": {"filters": [{"col": filter_.column, "op": "IN", "val": [default]}]},
            "filterState": {"value": [default], "label": default},
            "ownState": {},
        }
    body = {
        "id": f"NATIVE_FILTER-{filter_.key}",
        "name": filter_.name,
        "filterType": "filter_select",
        "type": "NATIVE_FILTER",
        "description": "",
        "targets": [{"datasetUuid": object_uuid("dataset", filter_.dataset), "column": {"name": filter_.column}}],
        "controlValues": {
            "enableEmptyFilter": filter_.required,
            "defaultToFirstItem": False,
            "multiSelect": False,
            "searchAllOptions": False,
            "inverseSelection": False,
        },
        "defaultDataMask": mask,
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
        "chartsInScope": [i for i in chart_ids.values() if i not in excluded],
        "tabsInScope": [],
    }
    if filter_.sort_metric:
        body["sortMetric"] = filter_.sort_metric
        body["controlValues"]["sortAscending"] = True
    return body
