"""`emstat report --format xlsx|docx|markdown|text` from the warehouse: the workbook and the 通报 open with Chinese
headers and the same numbers and paragraphs as the JSON of the same report."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from tests.runner import run_emstat

pytestmark = pytest.mark.slow

ARGS = ("--region", "990221", "--from", "2025-01-01", "--to", "2025-05-31")


def _labelled(sheet) -> dict[tuple[str, str], object]:
    """(row label, column header) -> value over every header row and the rows beneath it."""
    out, headers = {}, None
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if all(v is None for v in row):
            headers = None
        elif headers is None:
            headers = row
        else:
            out.update({(row[0], h): v for h, v in zip(headers[1:], row[1:], strict=True) if h is not None})
    return out


def test_xlsx_holds_the_json_numbers_under_chinese_headers(revised_home, tmp_path):
    report = revised_home.report(*ARGS)
    path = tmp_path / "东湖县_1-5月.xlsx"
    done = run_emstat(revised_home.root, "report", *ARGS, "--format", "xlsx", "--output", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"written {path}"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "说明",
        "事故分行业统计表",
        "事故分乡镇统计表",
        "执法检查统计表",
        "救灾资金发放统计表",
        "自然灾害灾情统计表",
        "主要指标",
    ]
    assert report["text"] in [c.value for row in book["说明"].iter_rows() for c in row]

    accidents = _labelled(book["事故分行业统计表"])
    for name, header in (
        ("accidents", "事故起数"),
        ("deaths", "死亡人数"),
        ("missing", "失踪人数"),
        ("injuries", "受伤人数"),
    ):
        figure = report["totals"][name]
        assert [accidents[("合计", f"{header} {column}")] for column in ("本期", "去年同期", "增减", "增减%")] == [
            figure["value"],
            figure["previous"],
            figure["change"],
            "—" if figure["change_pct"] is None else figure["change_pct"],
        ]
    road = report["by_industry"]["road_traffic"]["accidents"]
    assert (accidents[("道路交通", "事故起数 本期")], accidents[("道路交通", "事故起数 去年同期")]) == (
        road["value"],
        road["previous"],
    )

    enforcement = _labelled(book["执法检查统计表"])
    for name, label in (
        ("inspections", "检查次数"),
        ("fines_10k_yuan", "罚款金额(万元)"),
        ("rectification_rate_pct", "整改率(%)"),
        ("overdue_hazards", "逾期未整改隐患(项)"),
    ):
        figure = report["enforcement"][name]
        assert (enforcement[(label, "本期")], enforcement[(label, "去年同期")]) == (figure["value"], figure["previous"])

    townships = _labelled(book["事故分乡镇统计表"])
    for code, figures in report["by_subregion"].items():
        assert townships[(figures["name"], "事故起数 本期")] == figures["accidents"]["value"], code


def test_markdown_and_text_carry_the_paragraphs(revised_home, tmp_path):
    report = revised_home.report(*ARGS)
    paragraphs = list(report["paragraphs"].values())
    markdown = run_emstat(revised_home.root, "report", *ARGS, "--format", "markdown")
    assert markdown.returncode == 0, markdown.stderr
    lines = markdown.stdout.splitlines()
    assert lines[4:11] == [paragraphs[0], "", paragraphs[1], "", paragraphs[2], "", paragraphs[3]]
    assert "## 执法检查统计表" in markdown.stdout
    text = run_emstat(revised_home.root, "report", *ARGS)
    assert text.returncode == 0, text.stderr
    *_, accidents, enforcement, relief, disasters, footnote = text.stdout.rstrip().splitlines()
    assert [accidents, enforcement, relief, disasters] == paragraphs
    assert "\n".join(paragraphs) == report["text"]
    assert footnote.startswith("注：本期与去年同期均按") and footnote.endswith("的行政区划统计（可比口径）。")
    assert "事故分行业统计表" in text.stdout and "…" not in text.stdout  # no figure cut short


def test_docx_is_the_bulletin_with_its_tables(revised_home, tmp_path):
    report = revised_home.report(*ARGS)
    path = tmp_path / "东湖县_1-5月.docx"
    done = run_emstat(revised_home.root, "report", *ARGS, "--format", "docx", "--output", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"written {path}"
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "东湖县2025年1—5月安全生产和自然灾害情况通报"
    assert texts[3:10:2] == list(report["paragraphs"].values())
    total = [cell.text for cell in document.tables[0].rows[1].cells]
    accidents = report["totals"]["accidents"]
    assert total[:3] == ["合计", str(accidents["value"]), str(accidents["previous"])]


@pytest.mark.parametrize(("format", "written"), [("xlsx", "a workbook"), ("docx", "a Word document")])
def test_xlsx_and_docx_need_a_file(revised_home, format, written):
    done = run_emstat(revised_home.root, "report", *ARGS, "--format", format)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"emstat: --format {format} writes {written}: give it a file with --output PATH.{format}"
    ]
