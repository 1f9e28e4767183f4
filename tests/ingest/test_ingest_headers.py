"""headers.normalise_token and headers.split_unit: how a clerk's spelling of a header is folded."""

from __future__ import annotations

import pytest

from ingest.headers import normalise_token, split_unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("deaths", "deaths"),
        ("DEATHS", "deaths"),
        ("Ｄｅａｔｈｓ ", "deaths"),  # full-width letters and a trailing space
        ("  Direct Loss  ", "directloss"),  # inner spaces go too
        ("死亡\u3000人数", "死亡人数"),  # ideographic (full-width) space
        ("ｒｅｇｉｏｎ＿ｃｏｄｅ", "region_code"),  # full-width underscore
        ("事故编号\t", "事故编号"),
        ("１２３", "123"),
    ],
)
def test_normalise_token_folds_width_case_and_spaces(text, expected):
    assert normalise_token(text) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("直接经济损失(万元)", ("直接经济损失", "万元")),
        ("直接经济损失（万元）", ("直接经济损失", "万元")),  # full-width brackets
        ("直接经济损失【万元】", ("直接经济损失", "万元")),
        ("直接经济损失 ( 万元 ) ", ("直接经济损失", "万元")),
        ("Direct Loss [10K Yuan]", ("directloss", "10kyuan")),
        ("死亡人数(人)", ("死亡人数", "人")),
        ("死亡人数", ("死亡人数", None)),
        (" Deaths ", ("deaths", None)),
        ("(万元)", ("(万元)", None)),  # nothing before the brackets: not a unit suffix
    ],
)
def test_split_unit(header, expected):
    assert split_unit(header) == expected
