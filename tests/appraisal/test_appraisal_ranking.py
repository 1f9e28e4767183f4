"""Vetoes, grades, ties and ranks; and, over many generated townships, lines that always add up."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from appraisal_records import DEFAULT_SCHEME, accident, inspection, region

from appraisal.records import ManualScore, Target
from appraisal.rules import load_scheme
from appraisal.scoring import RegionScore, VetoHit, rank_scores, score_region

D = Decimal
SCHEME = load_scheme(DEFAULT_SCHEME)


def _score(code: str, total: str, vetoed: bool = False) -> RegionScore:
    vetoes = (VetoHit("v", "否决", ()),) if vetoed else ()
    return RegionScore(code, code, 2025, {}, D(total), "", vetoes, ())


def test_ties_share_a_rank_and_vetoed_regions_come_last():
    scores = [
        _score("a", "85"),
        _score("b", "90.0"),
        _score("c", "85.0"),
        _score("d", "70"),
        _score("e", "95", vetoed=True),
        _score("f", "60", vetoed=True),
        _score("g", "60", vetoed=True),
    ]
    assert [(s.code, s.rank) for s in rank_scores(scores)] == [
        ("b", 1),
        ("a", 2),
        ("c", 2),
        ("d", 4),
        ("e", 5),
        ("f", 6),
        ("g", 6),
    ]


def test_a_three_way_tie_at_the_top():
    scores = [_score("c", "80"), _score("b", "80"), _score("a", "80"), _score("d", "79.9")]
    assert [(s.code, s.rank) for s in rank_scores(scores)] == [("a", 1), ("b", 1), ("c", 1), ("d", 4)]


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.9", "良好"),
        ("80", "良好"),
        ("79.99", "合格"),
        ("60", "合格"),
        ("59.9", "不合格"),
        ("0", "不合格"),
    ],
)
def test_grade_bands(total, grade):
    assert SCHEME.grade_of(D(total)) == grade


FULL_MARKS = dict(
    inspections=(inspection("J1", found=2, rectified=2, rectified_on="2025-03-01", case_or_fine=True),),
    target=Target(max_deaths=0, min_inspections=1),
    manual=tuple(ManualScore(item, D("2.5")) for item in ("安全生产会议", "应急预案修订", "应急演练", "宣传培训")),
)


@pytest.mark.parametrize(
    ("accidents", "reasons", "evidence"),
    [
        ((accident("A1", grade="major", deaths=10),), ["发生重大及以上生产安全事故"], [("A1",)]),
        ((accident("A1", grade="especially_major", deaths=30),), ["发生重大及以上生产安全事故"], [("A1",)]),
        ((accident("A1", concealed=True),), ["存在瞒报、谎报事故行为"], [("A1",)]),
        ((accident("A1", grade="larger", deaths=3),), [], []),
        (
            (accident("A1", grade="larger", deaths=3), accident("A2", grade="larger", occurred_at="2025-05-01T08:00")),
            ["发生较大生产安全事故2起以上"],
            [("A1", "A2")],
        ),
        (
            (accident("A1", grade="major", concealed=True),),
            ["发生重大及以上生产安全事故", "存在瞒报、谎报事故行为"],
            [("A1",), ("A1",)],
        ),
    ],
)
def test_vetoes(accidents, reasons, evidence):
    scored = score_region(region(accidents=accidents, **FULL_MARKS), SCHEME)
    assert [v.reason_zh for v in scored.vetoes] == reasons
    assert [v.evidence for v in scored.vetoes] == evidence
    assert scored.grade == ("不合格" if reasons else SCHEME.grade_of(scored.total))


def test_a_veto_overrides_full_marks():
    concealed = (accident("A1", concealed=True),)  # no death, reported on time: costs no point
    scored = score_region(region(accidents=concealed, **FULL_MARKS), SCHEME)
    assert (scored.total, scored.grade) == (D(100), "不合格")


def _random_region(rng: random.Random, n: int):
    accidents = tuple(
        accident(
            f"A{n}-{i}",
            grade=rng.choice(["general"] * 6 + ["larger", "major"]),
            industry=rng.choice(["road_traffic", "construction", "fire"]),
            deaths=rng.randint(0, 4),
            missing=rng.choice([0, 0, 0, 1]),
            loss_yuan=rng.randint(0, 9_000_000),
            occurred_at=f"2025-{rng.randint(1, 12):02d}-10T08:00",
            reported_at=rng.choice([None, f"2025-12-20T{rng.randint(8, 23):02d}:00"]),
            concealed=rng.random() < 0.05,
        )
        for i in range(rng.randint(0, 6))
    )
    inspections = []
    for i in range(rng.randint(0, 8)):
        found = rng.randint(0, 6)
        inspections.append(
            inspection(
                f"J{n}-{i}",
                found=found,
                major=rng.randint(0, found),
                rectified=rng.randint(0, found),
                rectified_on=rng.choice([None, "2025-06-30", "2026-02-01"]),
                case_or_fine=rng.random() < 0.4,
            )
        )
    target = Target(max_deaths=rng.choice([None, 0, 2, 5]), min_inspections=rng.choice([None, 0, 3, 10]))
    manual = tuple(
        ManualScore(item, D(rng.randint(0, 30)) / 10) for item in ("安全生产会议", "应急演练") if rng.random() < 0.7
    )
    return region(code=f"R{n}", accidents=accidents, inspections=tuple(inspections), target=target, manual=manual)


def test_lines_always_add_up_and_sections_stay_in_bounds():
    rng = random.Random(2025)
    for n in range(300):
        scored = score_region(_random_region(rng, n), SCHEME)
        assert sum(line.points for line in scored.lines) == scored.total
        for section in SCHEME.sections:
            subtotal = scored.sections[section.key]
            assert section.floor <= subtotal <= section.max
            assert sum(line.points for line in scored.lines if line.section == section.key) == subtotal
