"""The dashboards spec and the Superset bundle built from it, without a server: what Superset will be given."""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
import yaml

from core.clock import local_now
from core.settings import Home
from dashboards.bundle import STAND_IN_ID, Column, build_bundle, number_format, object_uuid
from dashboards.server import SupersetHome, admin, secret_key
from dashboards.spec import SpecError, load_spec
from dashboards.warehouse import sql_substitutions

MINI = Path(__file__).parent / "fixtures" / "mini_spec"
COLUMNS = {
    "periods": [Column("period_label_zh", "VARCHAR"), Column("display_rank", "INTEGER")],
    "accidents": [
        Column("period_label_zh", "VARCHAR"),
        Column("industry_label_zh", "VARCHAR"),
        Column("industry_scope", "VARCHAR"),
        Column("accidents", "BIGINT"),
        Column("direct_loss_10k_yuan", "DECIMAL(18,2)"),
    ],
}
PUBLISHED = Path("/srv/emstat/published/warehouse.duckdb")


def _bundle(chart_ids=None, defaults=None):
    return build_bundle(load_spec(MINI), PUBLISHED, COLUMNS, {}, defaults or {"period": "2025年1-5月"}, chart_ids)


def _yaml(bundle, name):
    return yaml.safe_load(bundle.files[name])


def test_the_shipped_spec_has_the_five_dashboards():
    spec = load_spec()
    assert [(d.slug, d.title) for d in spec.dashboards] == [
        ("emstat-cockpit", "领导驾驶舱"),
        ("emstat-enforcement", "执法检查与隐患治理"),
        ("emstat-disasters", "自然灾害与救灾资金"),
        ("emstat-appraisal", "年度考核"),
        ("emstat-quality", "数据质量"),
    ]
    assert [c.key for c in spec.dashboards[0].charts][:4] == ["accidents", "deaths", "injuries", "direct_loss"]


def test_bundle_files_and_stable_uuids():
    first, second = _bundle(), _bundle()
    assert first.files == second.files  # same spec, same bundle: re-importing updates, never duplicates
    assert sorted(first.files) == [
        "charts/mini__count.yaml",
        "charts/mini__list.yaml",
        "charts/mini__loss.yaml",
        "charts/mini__share.yaml",
        "dashboards/mini.yaml",
        "databases/emstat.yaml",
        "datasets/emstat/accidents.yaml",
        "datasets/emstat/periods.yaml",
        "metadata.yaml",
    ]
    assert _yaml(first, "charts/mini__count.yaml")["uuid"] == object_uuid("chart", "mini/count")
    assert object_uuid("chart", "mini/count") != object_uuid("chart", "mini/loss")
    with zipfile.ZipFile(BytesIO(first.zip_bytes())) as archive:
        assert sorted(archive.namelist()) == sorted(f"emstat_dashboards/{n}" for n in first.files)


def test_the_database_is_the_published_file_read_only():
    database = _yaml(_bundle(), "databases/emstat.yaml")
    assert database["sqlalchemy_uri"] == "duckdb:////srv/emstat/published/warehouse.duckdb"
    assert database["extra"]["engine_params"] == {"connect_args": {"read_only": True}}
    assert database["allow_dml"] is False


def test_datasets_carry_chinese_labels_and_saved_metrics():
    periods = _yaml(_bundle(), "datasets/emstat/periods.yaml")
    assert (periods["schema"], periods["table_name"], periods["sql"]) == ("kpi", "kpi_dashboard_periods", None)
    assert [(c["column_name"], c["verbose_name"], c["type"]) for c in periods["columns"]] == [
        ("period_label_zh", "统计期", "VARCHAR"),
        ("display_rank", None, "INTEGER"),
    ]
    assert [(m["metric_name"], m["expression"]) for m in periods["metrics"]] == [
        ("count", "COUNT(*)"),
        ("display_order", "MIN(display_rank)"),
    ]


def test_charts_per_kind():
    bundle = _bundle()
    count = _yaml(bundle, "charts/mini__count.yaml")["params"]
    assert count["viz_type"] == "big_number_total"
    assert count["metric"]["aggregate"] == "SUM" and count["metric"]["column"]["column_name"] == "accidents"
    assert count["adhoc_filters"] == [
        {"clause": "WHERE", "expressionType": "SQL", "sqlExpression": "industry_scope = 'all'"}
    ]
    assert count["y_axis_format"] == ",d"
    share = _yaml(bundle, "charts/mini__share.yaml")["params"]
    assert (share["viz_type"], share["groupby"], share["metric"]["sqlExpression"]) == (
        "pie",
        ["industry_label_zh"],
        "COUNT(*)",
    )
    table = _yaml(bundle, "charts/mini__list.yaml")["params"]
    assert table["query_mode"] == "raw"
    assert table["all_columns"] == ["industry_label_zh", "accidents", "direct_loss_10k_yuan"]
    assert table["order_by_cols"] == ['["industry_label_zh", true]']
    assert table["column_config"] == {
        "accidents": {"d3NumberFormat": "d"},
        "direct_loss_10k_yuan": {"d3NumberFormat": ".2f"},
    }


def test_charts_carry_the_query_of_the_view_the_dashboard_opens_on():
    bundle = _bundle()
    opening = [{"col": "period_label_zh", "op": "IN", "val": ["2025年1-5月"]}]
    count = _yaml(bundle, "charts/mini__count.yaml")
    context = json.loads(count["query_context"])
    assert context["form_data"] == count["params"]
    assert context["datasource"] == {"id": 0, "type": "table"}  # the import puts the dataset's id
    (query,) = context["queries"]
    assert query["filters"] == opening
    assert query["extras"]["where"] == "(industry_scope = 'all')"
    assert (query["columns"], query["metrics"], query["row_limit"]) == ([], [count["params"]["metric"]], 1)
    (share,) = json.loads(_yaml(bundle, "charts/mini__share.yaml")["query_context"])["queries"]
    assert share["columns"] == ["industry_label_zh"] and share["extras"]["where"] == ""
    assert share["orderby"] == [[share["metrics"][0], False]]  # largest slice first, as the pie sorts
    (table,) = json.loads(_yaml(bundle, "charts/mini__list.yaml")["query_context"])["queries"]
    assert table["columns"] == ["industry_label_zh", "accidents", "direct_loss_10k_yuan"]
    assert (table["metrics"], table["orderby"], table["filters"]) == (None, [["industry_label_zh", True]], opening)
    # A free filter given a default filters the charts in its scope, and only those.
    chosen = _bundle(defaults={"free": "道路交通"})
    (free,) = json.loads(_yaml(chosen, "charts/mini__count.yaml")["query_context"])["queries"]
    assert free["filters"] == [{"col": "industry_label_zh", "op": "IN", "val": ["道路交通"]}]
    (excluded,) = json.loads(_yaml(chosen, "charts/mini__loss.yaml")["query_context"])["queries"]
    assert excluded["filters"] == []


def test_freshness_counts_days_on_the_bureaus_calendar_whatever_the_servers_zone():
    # Twenty hours apart from Beijing: on most hours of any day the two calendars name different dates.
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'Etc/GMT+12'")
        (today,) = con.execute(f"select {sql_substitutions()['local_today']}").fetchone()
    assert today == local_now().date()


@pytest.mark.parametrize(
    ("sql_type", "shown"),
    [
        ("BIGINT", "d"),
        ("INTEGER", "d"),
        ("DECIMAL(18,2)", ".2f"),
        ("DECIMAL(18,1)", ".1f"),
        ("DECIMAL(38,12)", ".12f"),
        ("VARCHAR", None),
        ("DATE", None),
    ],
)
def test_numbers_show_the_places_the_mart_publishes(sql_type, shown):
    assert number_format(sql_type) == shown


def test_layout_fills_rows_of_twelve():
    position = _yaml(_bundle(), "dashboards/mini.yaml")["position"]
    rows = [position[row]["children"] for row in position["GRID_ID"]["children"]]
    assert rows == [["CHART-count", "CHART-loss"], ["CHART-share"], ["CHART-list"]]
    assert position["CHART-list"]["meta"]["width"] == 12
    assert position["CHART-count"]["meta"]["uuid"] == object_uuid("chart", "mini/count")


def test_filters_open_on_their_default_and_name_the_charts_in_scope():
    known = {
        object_uuid("chart", f"mini/{key}"): chart_id
        for key, chart_id in (("count", 31), ("loss", 32), ("share", 33), ("list", 34))
    }
    metadata = _yaml(_bundle(chart_ids=known), "dashboards/mini.yaml")["metadata"]
    period, free = metadata["native_filter_configuration"]
    assert period["targets"] == [
        {"datasetUuid": object_uuid("dataset", "periods"), "column": {"name": "period_label_zh"}}
    ]
    assert period["defaultDataMask"]["extraFormData"] == {
        "filters": [{"col": "period_label_zh", "op": "IN", "val": ["2025年1-5月"]}]
    }
    assert period["sortMetric"] == "display_order"
    assert period["controlValues"]["enableEmptyFilter"] is True
    assert period["chartsInScope"] == [31, 32, 33, 34]
    assert free["defaultDataMask"]["extraFormData"] == {}
    assert free["controlValues"]["enableEmptyFilter"] is False
    assert free["scope"]["excluded"] == [32] and free["chartsInScope"] == [31, 33, 34]


def test_charts_new_to_the_server_get_stand_in_ids():
    metadata = _yaml(_bundle(), "dashboards/mini.yaml")["metadata"]
    assert metadata["native_filter_configuration"][0]["chartsInScope"] == [STAND_IN_ID + i for i in (1, 2, 3, 4)]


def _broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(MINI, spec)
    target = spec / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    return spec


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "dashboards/1_mini.yaml",
            "kind: pie",
            "kind: donut",
            "chart share: kind must be one of big_number, table, line, bar, pie, not 'donut'",
        ),
        (
            "dashboards/1_mini.yaml",
            "kind: table, dataset: accidents",
            "kind: table, dataset: nowhere",
            "chart list: unknown dataset 'nowhere'",
        ),
        (
            "dashboards/1_mini.yaml",
            "filters: [period,",
            "filters: [periode,",
            "unknown filter 'periode' (filters.yaml has period, free)",
        ),
        (
            "dashboards/1_mini.yaml",
            "exclude: [loss]",
            "exclude: [lost]",
            "filter free excludes unknown charts ['lost']",
        ),
        (
            "dashboards/1_mini.yaml",
            "columns: [industry_label_zh, accidents,\n     direct_loss_10k_yuan], ",
            "",
            "chart list: a table needs columns",
        ),
        ("dashboards/1_mini.yaml", "key: loss", "key: count", "two charts share a key"),
        ("dashboards/1_mini.yaml", "width: 12", "width: 13", "chart list: width must be 1 to 12"),
        (
            "dashboards/1_mini.yaml",
            'metric: {记录数: "COUNT(*)"}',
            "metrics: [accidents, direct_loss_10k_yuan]",
            "chart share: a pie shows exactly one metric",
        ),
        (
            "datasets.yaml",
            "table: kpi.kpi_accident_yoy",
            "table: kpi_accident_yoy",
            "dataset accidents: table must be schema.table, not 'kpi_accident_yoy'",
        ),
    ],
)
def test_spec_mistakes_are_one_line(tmp_path, file, old, new, message):
    spec = _broken(tmp_path, file, old, new)
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    assert str(raised.value) == f"{spec / file}: {message}"


def test_admin_password_and_secret_key_are_generated_once_and_private(tmp_path, monkeypatch):
    for name in ("EMSTAT_SUPERSET_USER", "EMSTAT_SUPERSET_PASSWORD", "EMSTAT_SUPERSET_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    where = SupersetHome(Home(tmp_path))
    first, key = admin(where), secret_key(where)
    assert (first.username, first.generated) == ("admin", True)
    assert len(first.password) >= 16 and len(key) >= 48
    assert admin(where) == first and secret_key(where) == key  # kept, not regenerated
    for name in ("admin-password", "secret-key"):
        assert stat.S_IMODE((tmp_path / "superset" / name).stat().st_mode) == 0o600
    monkeypatch.setenv("EMSTAT_SUPERSET_USER", "leader")
    monkeypatch.setenv("EMSTAT_SUPERSET_PASSWORD", "from-the-environment")
    assert admin(where) == type(first)("leader", "from-the-environment", False)


def test_the_bundle_names_no_secret():
    text = json.dumps(_bundle().files, ensure_ascii=False)
    assert "password" not in text.lower() and "secret" not in text.lower()
