"""report.markdown: the report as GitHub Markdown."""

from __future__ import annotations

import copy

from report.markdown import render_markdown
from report.tables import Labels
from tests.report_formats.donghu import REPORT

LABELS = Labels.from_code_lists()
CAPTION = "东湖县 2025年1月1日至5月31日，去年同期 2024年1月1日至5月31日，数据截至 2025-06-10"
MARKDOWN = render_markdown(REPORT, LABELS)

RATES = f"""## 主要指标

{CAPTION}

| 指标 | 本期 | 去年同期 | 增减 | 备注 |
| --- | ---: | ---: | ---: | --- |
| 亿元GDP生产安全事故死亡率 | — | 0.02614 | — | 本期基数缺失 |
| 工矿商贸就业人员十万人生产安全事故死亡率 | 1.667 | 0.8333 | +0.8337 |  |
| 道路交通万车死亡率 | 0.5172 | 0.5455 | -0.0283 |  |
| 煤矿百万吨死亡率 | — | — | — | 基数缺失 |
| 每百万人口因灾死亡率 | 2.381 | 2.375 | +0.006 |  |
| 因灾直接经济损失占GDP比例(%) | 0.3627 | 0.5486 | -0.1859个百分点 |  |
| 森林火灾受害率(‰) | 0.0000 | 0.1200 | -0.1200个千分点 |  |
"""


def test_heading_and_the_four_paragraphs_come_first():
    paragraphs = REPORT["paragraphs"]
    assert MARKDOWN.startswith(
        f"# 东湖县应急管理统计报表\n\n{CAPTION}\n\n{paragraphs['accidents']}\n\n{paragraphs['enforcement']}\n\n"
        f"{paragraphs['relief']}\n\n{paragraphs['disasters']}\n\n## 事故分行业统计表\n\n"
    )


FOOTNOTE = (
    "注：本期与去年同期均按2025年6月10日的行政区划统计（可比口径），区划以2025年6月10日所知为准。"
    "石桥乡自2025年3月1日起由西山县划入东湖县，其本期与去年同期数据均计入东湖县。"
)


def test_rates_table_exactly_then_the_footnote_on_the_boundaries():
    assert MARKDOWN.endswith(f"{RATES}\n{FOOTNOTE}\n")


def test_the_footnote_without_changes_or_an_as_of_day():
    report = copy.deepcopy(REPORT)
    report["boundaries"] = {"basis": "comparable", "valid_on": "2026-12-04", "known_on": None, "changes": []}
    assert render_markdown(report, LABELS).endswith(
        "\n\n注：本期与去年同期均按2026年12月4日的行政区划统计（可比口径）。\n"
    )


def test_tables_in_order():
    headings = [line for line in MARKDOWN.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 事故分行业统计表",
        "## 事故分乡镇统计表",
        "## 执法检查统计表",
        "## 救灾资金发放统计表",
        "## 自然灾害灾情统计表",
        "## 主要指标",
    ]
    assert MARKDOWN.count(f"\n{CAPTION}\n") == 7  # under the heading, and under each table's


def test_counts_amounts_percents_and_signs():
    lines = MARKDOWN.splitlines()
    assert "| 合计 | 12 | 15 | -3 | -20.00 | 5 | 4 | +1 | +25.00 | 1 | 0 | +1 | — | 9 | 9 | 0 | 0.00 |" in lines
    assert "| 其中：建筑施工 | 2 | 1 | +1 | +100.00 | 1 | 0 | +1 | — | 1 | 0 | +1 | — | 0 | 1 | -1 | -100.00 |" in lines
    assert "| 罚款金额(万元) | 12.35 | 8.60 | +3.75 | +43.60 |" in lines
    assert "| 整改率(%) | 92.86 | 80.00 | +12.86个百分点 |  |" in lines
    assert "| 资金来源：县级 | 16.80 | 0.00 | +16.80 | — | 40 | 0 | +40 | — | 120 | 0 | +120 | — |" in lines
    assert "| 灾后首次发放平均天数 | 6.5 | 9.0 | -2.5 |" in lines
    assert "| 农作物绝收面积(公顷) | 42.00 | 80.50 | -38.50 | -47.83 |" in lines
    assert "| --- | ---: | ---: | ---: | ---: |" in lines  # numbers right-aligned, labels left


def test_a_pipe_in_a_name_stays_inside_its_cell():
    report = copy.deepcopy(REPORT)
    report["by_subregion"]["990124200"]["name"] = "石桥|乡"
    assert "| 石桥\\|乡 | 0 | 0 | 0 | — |" in render_markdown(report, LABELS)
