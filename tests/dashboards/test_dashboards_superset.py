"""The dashboards on a real Superset, opened in a real browser (Debian's Chromium, driven by Playwright).

One demo warehouse, one `emstat dashboards up` for the module. The browser logs in as a person would, opens
each dashboard, waits for every chart, and reads the figures off the page; they must equal the published
warehouse's. Screenshots go to test-artifacts/dashboards/.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path

import duckdb
import pytest

from core.clock import local_now
from core.labels import JOB_ZH, STATUS_ZH
from core.settings import REPO_ROOT, Home
from dashboards.bundle import chart_uuid
from dashboards.provision import SupersetApi, provision
from dashboards.server import SupersetHome
from dashboards.spec import SPEC_DIR, load_spec
from tests.runner import run_emstat

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "dashboards"
PASSWORD = "browser-test-password"
SPEC = load_spec()
CHART_COUNTS = {d.slug: len(d.charts) for d in SPEC.dashboards}
FILTER_COUNTS = {d.slug: len(d.filters) for d in SPEC.dashboards}
OBJECTS = 1 + len(SPEC.datasets) + sum(CHART_COUNTS.values()) + len(SPEC.dashboards)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def superset(shelf, tmp_path_factory):
    # The session's demo home (`emstat demo`), copied: the browser test loads a late accident into it.
    home = shelf.get("demo").copy_to(tmp_path_factory.mktemp("dashboards") / "home")
    saved = {k: os.environ.get(k) for k in ("EMSTAT_SUPERSET_USER", "EMSTAT_SUPERSET_PASSWORD")}
    os.environ["EMSTAT_SUPERSET_USER"] = "leader"
    os.environ["EMSTAT_SUPERSET_PASSWORD"] = PASSWORD
    port = _free_port()
    up = run_emstat(home, "dashboards", "up", "--port", str(port))
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        yield {"home": home, "port": port, "url": f"http://127.0.0.1:{port}", "up": up.stdout}
    finally:
        down = run_emstat(home, "dashboards", "down")
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        assert down.stdout.strip() == "Superset stopped"


@pytest.fixture(scope="module")
def api(superset):
    return SupersetApi(superset["url"], "leader", PASSWORD)


def _warehouse(home: Path, sql: str, *params):
    with duckdb.connect(str(home / "published" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _opening_view(home: Path) -> tuple[str, str]:
    """The period and region every dashboard opens on, as the published warehouse defines them."""
    period = _warehouse(home, "select period_label_zh from kpi.kpi_dashboard_periods where is_default")
    region = _warehouse(home, "select region_name from kpi.kpi_dashboard_regions where is_default")
    assert len(period) == 1 and len(region) == 1
    return period[0][0], region[0][0]


def _figure(home: Path, model: str, column: str, where: str = "true"):
    period, region = _opening_view(home)
    rows = _warehouse(
        home,
        f"select {column} from kpi.{model} where period_label_zh = ? and region_name = ? and {where}",
        period,
        region,
    )
    assert len(rows) == 1
    return rows[0][0]


def test_up_prints_the_url_the_admin_and_every_dashboard(superset):
    lines = superset["up"].splitlines()
    url = superset["url"]
    assert f"Superset started: {url}" in lines
    assert "log in as leader / (from EMSTAT_SUPERSET_PASSWORD)" in lines
    assert f"dashboards: {OBJECTS} objects created, 0 updated, 0 unchanged" in lines
    assert lines[-5:] == [f"  {url}/superset/dashboard/{d.slug}/" for d in SPEC.dashboards]


def _server_state(api: SupersetApi) -> dict:
    charts = {
        row["uuid"]: (row["id"], row["slice_name"], row["params"])
        for row in api.listing("chart", ("id", "uuid", "slice_name", "params"))
    }
    boards = {}
    for row in api.listing("dashboard", ("id", "uuid")):
        board = api.get(f"dashboard/{row['id']}")["result"]
        boards[row["uuid"]] = (row["id"], board["json_metadata"], board["position_json"])
    datasets = {row["uuid"]: row["id"] for row in api.listing("dataset", ("id", "uuid"))}
    return {"charts": charts, "dashboards": boards, "datasets": datasets}


def test_running_up_again_changes_nothing(superset, api):
    before = _server_state(api)
    again = run_emstat(superset["home"], "dashboards", "up", "--port", str(superset["port"]))
    assert again.returncode == 0, again.stderr
    assert f"Superset already running: {superset['url']}" in again.stdout.splitlines()
    assert f"dashboards: 0 objects created, 0 updated, {OBJECTS} unchanged" in again.stdout.splitlines()
    assert _server_state(api) == before
    assert len(before["charts"]) == sum(CHART_COUNTS.values()) and len(before["dashboards"]) == 5


def test_a_changed_chart_is_updated_in_place(superset, api, tmp_path):
    where = SupersetHome(Home(superset["home"]))
    published = superset["home"] / "published" / "warehouse.duckdb"
    before = _server_state(api)
    edited = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, edited)
    cockpit = edited / "dashboards" / "1_cockpit.yaml"
    cockpit.write_text(
        cockpit.read_text(encoding="utf-8").replace("title: 死亡人数(人)", "title: 死亡人数(人，含补报)"),
        encoding="utf-8",
    )
    try:
        result = provision(api, where, published, load_spec(edited))
        assert (result.created, result.updated) == ([], ["charts/emstat-cockpit__deaths.yaml"])
        after = _server_state(api)
        changed = {uid for uid in before["charts"] if before["charts"][uid] != after["charts"][uid]}
        assert len(changed) == 1
        (uid,) = changed
        assert after["charts"][uid][:2] == (before["charts"][uid][0], "死亡人数(人，含补报)")  # same id, new title
        assert after["datasets"] == before["datasets"]
    finally:
        restored = provision(api, where, published)
    assert restored.updated == ["charts/emstat-cockpit__deaths.yaml"]
    assert _server_state(api) == before


def _chart_data(api: SupersetApi) -> dict[tuple[str, str], list[dict]]:
    """Every chart's rows as the chart-data API gives them (the saved query context: the opening view)."""
    ids = api.chart_ids()
    answers = {}
    for dashboard in SPEC.dashboards:
        for chart in dashboard.charts:
            (query,) = api.get(f"chart/{ids[chart_uuid(dashboard, chart)]}/data/")["result"]
            assert query["error"] is None and query["rowcount"] > 0, (dashboard.slug, chart.key, query)
            answers[dashboard.slug, chart.key] = query["data"]
    return answers


def test_every_chart_answers_the_chart_data_api_with_the_dashboards_opening_figures(superset, api):
    home = superset["home"]
    answers = _chart_data(api)
    assert len(answers) == sum(CHART_COUNTS.values())
    (accidents,), (deaths,) = (answers["emstat-cockpit", key][0].values() for key in ("accidents", "deaths"))
    assert accidents == _figure(home, "kpi_accident_yoy", "accidents", "industry_scope = 'all'")
    assert deaths == _figure(home, "kpi_accident_yoy", "deaths", "industry_scope = 'all'")
    outstanding = _warehouse(
        home,
        "select file_name, row_number from raw.quarantine where resolved_at is null order by file_name, row_number",
    )
    (count,) = answers["emstat-quality", "quarantined_rows"][0].values()
    assert count == len(outstanding) > 0
    listed = answers["emstat-quality", "quarantine_rows"]
    assert [(row["file_name"], row["row_number"]) for row in listed] == outstanding
    assert {row["state_zh"] for row in listed} <= {"等待关联记录报送", "待乡镇更正后重报"}
    received = _warehouse(home, "select max(received_on) from raw.files group by source")
    assert sorted(row["days_since_received"] for row in answers["emstat-quality", "freshness"]) == sorted(
        (local_now().date() - day).days for (day,) in received
    )


@pytest.fixture(scope="module")
def browser(superset):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        # Tall enough that every chart is on screen: Superset renders charts only when they are visible.
        page = chromium.new_page(viewport={"width": 1600, "height": 2400}, locale="zh-CN")
        page.goto(f"{superset['url']}/login/")
        page.fill("#username", "leader")
        page.fill("#password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/login" not in url, timeout=60_000)
        yield page
        chromium.close()


def _open(page, superset, slug: str) -> dict[str, str]:
    """Open a dashboard, wait for all its charts, and return each chart's text by title. Every query the page
    makes must succeed with rows: a chart with an error or with nothing to show fails the test."""
    answers = []

    def record(response):
        if "/api/v1/chart/data" in response.url and response.request.method == "POST":
            answers.append((response.status, response.json() if response.ok else response.text()))

    page.on("response", record)
    page.goto(f"{superset['url']}/superset/dashboard/{slug}/")
    page.wait_for_function(
        """count => document.querySelectorAll('[data-test="chart-grid-component"]').length === count
                 && document.querySelectorAll('.grid-container [data-test="loading-indicator"]').length === 0
                 && [...document.querySelectorAll('[data-test="chart-grid-component"]')]
                        .every(c => c.querySelector('.slice_container, .chart-container') !== null)""",
        arg=CHART_COUNTS[slug],
        timeout=120_000,
    )
    # The filter bar asks for its values after the charts, and on a slow machine after a quiet spell too.
    expected = CHART_COUNTS[slug] + FILTER_COUNTS[slug]  # each filter queries its values too
    deadline = time.monotonic() + 120
    while len(answers) < expected and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", record)
    page.screenshot(path=str(SCREENSHOTS / f"{slug}.png"))
    assert len(answers) == expected
    for status, body in answers:
        assert status == 200, f"{slug}: a chart query answered {status}: {str(body)[:300]}"
        assert all(result["status"] == "success" and result["rowcount"] > 0 for result in body["result"]), (
            f"{slug}: a chart came back empty or failed"
        )
    charts = page.eval_on_selector_all(
        '[data-test="chart-grid-component"]',
        "cs => cs.map(c => [c.getAttribute('data-test-chart-name'), "
        "(c.querySelector('.big_number_total .header-line') || c.querySelector('.slice_container')).innerText, "
        "c.querySelectorAll('.ant-alert-error, [role=alert]').length])",
    )
    for title, _, errors in charts:
        assert errors == 0, f"{slug}: chart {title} shows an error"
    return {title: text.strip() for title, text, _ in charts}


def _big_number(charts: dict[str, str], title: str) -> str:
    return charts[title]


def test_cockpit_shows_the_warehouse_figures(superset, browser):
    home = superset["home"]
    charts = _open(browser, superset, "emstat-cockpit")
    scope = "industry_scope = 'all'"
    assert _big_number(charts, "事故起数(起)") == f"{_figure(home, 'kpi_accident_yoy', 'accidents', scope):,d}"
    assert _big_number(charts, "死亡人数(人)") == f"{_figure(home, 'kpi_accident_yoy', 'deaths', scope):,d}"
    assert _big_number(charts, "受伤人数(人)") == f"{_figure(home, 'kpi_accident_yoy', 'injuries', scope):,d}"
    loss = _figure(home, "kpi_accident_yoy", "direct_loss_10k_yuan", scope)
    assert _big_number(charts, "直接经济损失(万元)") == f"{loss:,.2f}"
    change = _figure(home, "kpi_accident_headline", "change_text_zh", "figure_key = 'accidents'")
    assert change[0] in "▲▼持" and change in charts["主要指标与去年同期比较"]
    period, region = _opening_view(home)
    for (name,) in _warehouse(
        home,
        "select subregion_name from kpi.kpi_accident_subregions where period_label_zh = ? and region_name = ?",
        period,
        region,
    ):
        assert name in charts["分地区事故情况"]
    # The filter bar opens on the bulletin's period and the bureau's region.
    bar = browser.inner_text('[data-test="filter-bar"]')
    assert period in bar and region in bar


def test_enforcement_and_disasters_show_the_warehouse_figures(superset, browser):
    home = superset["home"]
    charts = _open(browser, superset, "emstat-enforcement")
    assert _big_number(charts, "检查次数(次)") == f"{_figure(home, 'kpi_enforcement_yoy', 'inspections'):,d}"
    assert (
        _big_number(charts, "隐患整改率(%)") == f"{_figure(home, 'kpi_enforcement_yoy', 'rectification_rate_pct'):.2f}"
    )
    assert _big_number(charts, "罚款金额(万元)") == f"{_figure(home, 'kpi_enforcement_yoy', 'fines_10k_yuan'):,.2f}"
    charts = _open(browser, superset, "emstat-disasters")
    relief = _figure(home, "kpi_relief_yoy", "amount_10k_yuan", "relief_scope = 'all'")
    assert _big_number(charts, "救灾资金发放(万元)") == f"{relief:,.2f}"
    loss = _figure(home, "kpi_disaster_yoy", "direct_loss_10k_yuan", "hazard_scope = 'all'")
    assert _big_number(charts, "因灾直接经济损失(万元)") == f"{loss:,.2f}"


def test_appraisal_and_quality_show_the_warehouse_figures(superset, browser):
    home = superset["home"]
    charts = _open(browser, superset, "emstat-appraisal")
    year, parent = _warehouse(
        home,
        "select max(year), (select region_name from kpi.kpi_dashboard_regions "
        "where is_default) from appraisal.fct_appraisal_scores",
    )[0]
    ranking = _warehouse(
        home,
        "select scores.region_name, scores.total from appraisal.fct_appraisal_scores as scores "
        "inner join marts.dim_region as p on p.region_code = scores.parent_code "
        "where scores.year = ? and p.region_name = ? order by scores.rank_among_siblings, 1",
        year,
        parent,
    )
    shown = charts["考核排名"]
    assert ranking and all(f"{total:.2f}" in shown for _, total in ranking)
    positions = [shown.index(name) for name, _ in ranking]
    assert positions == sorted(positions)  # in rank order
    charts = _open(browser, superset, "emstat-quality")
    quarantined = _warehouse(home, "select count(*) from raw.quarantine where resolved_at is null")[0][0]
    assert _big_number(charts, "退回行数") == f"{quarantined:,d}"
    failed = _warehouse(
        home,
        "select count(*) from quality.validation_results where not is_success and run_id = "
        "(select run_id from quality.validation_runs order by started_at desc limit 1)",
    )[0][0]
    assert _big_number(charts, "最近一次检查未通过项") == f"{failed:,d}"
    # The demo is one run of the whole pipeline, and it published.
    ((job, status),) = _warehouse(home, "select job, status from ops.runs")
    assert {JOB_ZH[job], STATUS_ZH[status]} == {"入库、建模、检查、发布", "已发布"}
    assert {"入库、建模、检查、发布", "已发布"} <= set(charts["运行记录(最近在前)"].split())


def test_new_data_shows_on_the_next_load_without_a_restart(superset, browser, tmp_path):
    home = superset["home"]
    before = _open(browser, superset, "emstat-cockpit")
    accidents = _figure(home, "kpi_accident_yoy", "accidents", "industry_scope = 'all'")
    deaths = _figure(home, "kpi_accident_yoy", "deaths", "industry_scope = 'all'")
    assert _big_number(before, "事故起数(起)") == f"{accidents:,d}"
    # One more road accident, two deaths, in a township of the region shown, on the latest day with records.
    township, day = _warehouse(
        home,
        """
        select regions.region_code, (select max(occurred_on) from marts.fct_accidents)
        from marts.dim_region as regions
        inner join marts.dim_region_ancestry as up on up.region_code = regions.region_code
        inner join kpi.kpi_dashboard_regions as shown on shown.region_code = up.ancestor_code and shown.is_default
        where regions.level_code = 'township' order by 1 limit 1""",
    )[0]
    landing = tmp_path / "late"
    landing.mkdir()
    (landing / "事故_补报_浏览器测试.csv").write_text(
        "事故编号,发生时间,行政区划代码,行业领域,死亡人数,重伤人数,受伤人数,直接经济损失(万元)\n"
        f"BROWSER-1,{day:%Y/%m/%d} 08:30,{township},道路交通,2,0,0,1\n",
        encoding="utf-8",
    )
    pid = json.loads((home / "superset" / "server.json").read_text())["pid"]
    assert run_emstat(home, "ingest", str(landing)).returncode == 0
    built = run_emstat(home, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert json.loads((home / "superset" / "server.json").read_text())["pid"] == pid  # the same server
    assert _figure(home, "kpi_accident_yoy", "accidents", "industry_scope = 'all'") == accidents + 1
    after = _open(browser, superset, "emstat-cockpit")
    assert _big_number(after, "事故起数(起)") == f"{accidents + 1:,d}"
    assert _big_number(after, "死亡人数(人)") == f"{deaths + 2:,d}"
