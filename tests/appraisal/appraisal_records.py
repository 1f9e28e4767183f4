"""Short builders for appraisal input records, and the reader of the fixed dataset townships_2025.yaml."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import yaml

from appraisal.records import AccidentRecord, InspectionRecord, ManualScore, RegionYear, Target

HERE = Path(__file__).parent
DEFAULT_SCHEME = Path(__file__).parents[2] / "appraisal" / "schemes" / "default.yaml"


def accident(
    accident_id: str,
    *,
    grade: str = "general",
    industry: str = "road_traffic",
    deaths: int = 0,
    missing: int = 0,
    loss_yuan: int | str = 0,
    occurred_at: str = "2025-01-01T08:00",
    reported_at: str | None = None,
    concealed: bool = False,
) -> AccidentRecord:
    return AccidentRecord(
        accident_id=accident_id,
        occurred_at=datetime.fromisoformat(occurred_at),
        reported_at=None if reported_at is None else datetime.fromisoformat(reported_at),
        industry_code=industry,
        deaths=deaths,
        missing=missing,
        direct_loss_yuan=Decimal(str(loss_yuan)),
        grade_code=grade,
        is_concealed=concealed,
    )


def inspection(
    inspection_id: str,
    *,
    found: int = 0,
    major: int = 0,
    rectified: int = 0,
    rectified_on: str | None = None,
    due_on: str | None = None,
    case_or_fine: bool = False,
) -> InspectionRecord:
    return InspectionRecord(
        inspection_id=inspection_id,
        hazards_found=found,
        major_hazards_found=major,
        hazards_rectified=rectified,
        rectified_on=None if rectified_on is None else date.fromisoformat(rectified_on),
        rectification_due_on=None if due_on is None else date.fromisoformat(due_on),
        has_case_or_fine=case_or_fine,
    )


def region(
    *,
    accidents: tuple[AccidentRecord, ...] = (),
    inspections: tuple[InspectionRecord, ...] = (),
    target: Target = Target(),
    manual: tuple[ManualScore, ...] = (),
    code: str = "990124001",
    name: str = "青山镇",
    year: int = 2025,
) -> RegionYear:
    return RegionYear(code, name, year, tuple(accidents), tuple(inspections), target, tuple(manual))


def load_regions(path: Path = HERE / "townships_2025.yaml") -> list[RegionYear]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        region(
            code=r["code"],
            name=r["name"],
            year=data["year"],
            target=Target(**r["target"]),
            accidents=tuple(accident(a.pop("id"), **a) for a in r["accidents"]),
            inspections=tuple(inspection(i.pop("id"), **i) for i in r["inspections"]),
            manual=tuple(ManualScore(m["item"], Decimal(str(m["score"])), m.get("note")) for m in r["manual"]),
        )
        for r in data["regions"]
    ]
