"""`emstat report --format json` equals, key for key and digit for digit, the reports counted by hand in
fixtures/HAND_COUNT.md: every section, every sentence form, as known now and as known on an earlier day. Numbers
are compared as written, so 12.50 against 12.5 or a rate's 0.0000 against 0 is a difference."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.report.conftest import FIXTURES

pytestmark = pytest.mark.slow

EXPECTED = sorted((FIXTURES / "expected").glob("*.json"))


def _expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=str)


@pytest.mark.parametrize("path", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_report_equals_the_hand_count(revised_home, path):
    expected = _expected(path)
    if expected["data_through"] is None:  # as known now: through the day before the home was built
        expected["data_through"] = expected["boundaries"]["valid_on"] = (
            revised_home.day - timedelta(days=1)
        ).isoformat()
    assert revised_home.report_like(expected, parse_float=str) == expected


def test_every_sentence_form_is_counted_by_hand():
    texts = {p.stem: _expected(p)["paragraphs"]["accidents"] for p in EXPECTED}
    assert "分别下降" in texts["county_2025_ytd05_as_of_0610"]
    assert (
        "死亡2人、失踪2人、受伤7人，与去年同期相比分别上升100.00%、100.00%、100.00%、250.00%"
        in texts["district_2025_ytd05"]
    )
    assert (
        "水上交通事故1起、死亡1人、失踪2人，与去年同期相比，起数同比增加1起，死亡人数同比增加1人，失踪人数同比增加2人，"
        "无人员受伤"
    ) in texts["district_2025_ytd05"]
    assert "失踪" not in texts["county_2025_ytd05_current"]  # nobody missing in either year: not stated
    assert "起数下降11.11%，死亡人数持平，受伤人数上升9.38%" in texts["county_2025_ytd05_current"]
    assert "同比增加2起" in texts["township_990222001_2025_ytd05"]
    assert "与去年同期持平；未发生较大及以上生产安全事故。" in texts["township_990221002_2025_02"]
    assert texts["township_990222002_2025_03"].endswith("与去年同期持平；未发生较大及以上生产安全事故。")
    # each industry with its own comparison, in every form
    county = texts["county_2025_ytd05_current"]
    assert "；发生较大事故2起、死亡3人。其中：" in county
    assert "火灾事故1起，与去年同期相比下降50.00%，无人员伤亡；" in county
    assert "工贸事故1起、受伤1人，与去年同期相比，起数持平，受伤人数下降50.00%，无人员死亡）" in county
    assert county.endswith("；水上交通事故0起，去年同期1起。")
    assert (
        "工矿商贸事故4起、死亡4人、受伤6人，与去年同期相比分别上升33.33%、33.33%、50.00%（"
        in texts["prefecture_990200_2025_ytd05"]
    )


def test_every_paragraph_form_is_counted_by_hand():
    county = _expected(FIXTURES / "expected" / "county_2025_ytd05_current.json")["paragraphs"]
    assert "排查隐患17项（其中重大事故隐患3项）、已整改11项，整改率64.71%" in county["enforcement"]
    assert "整改率下降17.11个百分点；立案处罚5起，罚款14.73万元" in county["enforcement"]
    assert "过渡期生活救助资金4.50万元、救助90人次，与去年同期相比，发放金额同比增加4.50万元" in county["relief"]
    assert "共发生自然灾害4次，受灾人口5,100人次，因灾死亡2人，直接经济损失704.60万元" in county["disasters"]
    assert "风雹1次，受灾人口800人次，直接经济损失30.00万元，与去年同期相比，灾害次数持平" in county["disasters"]
    quiet = _expected(FIXTURES / "expected" / "township_990222002_2025_03.json")
    assert list(quiet["paragraphs"].values())[2:] == [
        "3月1日至3月31日，全街道未发放救灾资金。",
        "3月1日至3月31日，全街道未发生自然灾害。",
    ]
    assert quiet["text"] == "\n".join(quiet["paragraphs"].values())


def test_one_decimal_is_rounded_from_the_exact_values():
    one = _expected(FIXTURES / "expected" / "county_2025_ytd05_current_1dp.json")
    two = _expected(FIXTURES / "expected" / "county_2025_ytd05_current.json")
    assert "起数下降11.1%，死亡人数持平，受伤人数上升9.4%" in one["text"]
    assert "罚款14.7万元，与去年同期相比分别上升150.0%、88.9%" in one["paragraphs"]["enforcement"]
    # hazards found 17 against 11: +54.5454…%, which is 54.55 to 2 decimals but 54.5 to 1, not 54.6 from 54.55
    assert (two["enforcement"]["hazards_found"]["change_pct"], one["enforcement"]["hazards_found"]["change_pct"]) == (
        "54.55",
        "54.5",
    )
    # 1266.20505 万元 and 170.885 万元
    assert one["totals"]["direct_loss_10k_yuan"] == {
        "value": "1266.2",
        "previous": "170.9",
        "change": "1095.3",
        "change_pct": "641.0",
    }
