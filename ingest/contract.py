"""The data contract as code: the one definition of every source's fields that ingest, GX suites and docs read.

Mirrors shared/spec/data-contract.md. A field is described once, with its Chinese aliases, kind and rules;
loaders derive parsing, the raw table DDL and the quarantine messages from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from ingest.codes import (
    ACCIDENT_GRADES,
    ACCIDENT_TYPES,
    FUND_SOURCES,
    HAZARDS,
    INDUSTRIES,
    INSPECTION_METHODS,
    PARTY_TYPES,
    PENALTY_STATUSES,
    REGION_LEVELS,
    RELIEF_PROGRAMS,
    CodeList,
)


class Kind(str, Enum):
    TEXT = "text"
    CODE = "code"  # one of a code list, by code, label or alias
    REGION = "region"  # a region code that must exist in the region reference
    CREDIT_CODE = "credit_code"  # GB 32100 unified social credit code
    DATETIME = "datetime"
    DATE = "date"
    COUNT = "count"  # non-negative integer; blank, 无, - and — mean 0
    MONEY = "money"  # exact decimal, stored in yuan
    DECIMAL = "decimal"  # a measurement (area, magnitude, GDP in 亿元 …), to 4 decimals
    YEAR = "year"
    BOOL = "bool"


SQL_TYPES: dict[Kind, str] = {
    Kind.TEXT: "VARCHAR",
    Kind.CODE: "VARCHAR",
    Kind.REGION: "VARCHAR",
    Kind.CREDIT_CODE: "VARCHAR",
    Kind.DATETIME: "TIMESTAMP",
    Kind.DATE: "DATE",
    Kind.COUNT: "INTEGER",
    Kind.MONEY: "DECIMAL(18,2)",
    Kind.DECIMAL: "DECIMAL(18,4)",
    Kind.YEAR: "INTEGER",
    Kind.BOOL: "BOOLEAN",
}

# Units a header may carry, as the factor that brings the value to the stored unit.
MONEY_UNITS: dict[str, int] = {"元": 1, "yuan": 1, "万元": 10_000, "10kyuan": 10_000, "亿元": 100_000_000}
COUNT_UNITS = frozenset({"人", "起", "项", "次", "份", "间", "户", "人次", "个", "辆", "家"})
# Measurements: the factor to the stored unit. 1 亩 = 1/15 公顷.
AREA_UNITS: dict[str, float] = {"公顷": 1.0, "ha": 1.0, "亩": 1 / 15, "平方公里": 100.0, "km2": 100.0}
GDP_UNITS: dict[str, float] = {"亿元": 1.0, "万元": 0.0001}
COAL_UNITS: dict[str, float] = {"百万吨": 1.0, "万吨": 0.01, "吨": 0.000001}

# 6-digit county code (GB/T 2260) or 9-/12-digit statistical code of a township.
REGION_CODE_PATTERN = r"^([0-9]{6}|[0-9]{9}|[0-9]{12})$"


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # the Chinese name a clerk knows the column by; first alias
    kind: Kind
    aliases: tuple[str, ...] = ()
    required: bool = False
    codes: CodeList | None = None
    pattern: str | None = None  # for TEXT fields with a fixed form
    not_future: bool = False
    units: Mapping[str, float] | None = None  # DECIMAL: accepted header units and their factors
    minimum: float | None = None  # DECIMAL and YEAR bounds, inclusive
    maximum: float | None = None
    positive: bool = False  # MONEY: strictly greater than zero
    blank_is_zero: bool = True  # COUNT: a blank cell means 0, except where blank means "not set" (targets)

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]

    @property
    def display(self) -> str:
        return f"{self.label}({self.name})"


@dataclass(frozen=True)
class NotLess:
    """Row rule: `field` must not be less than `than` when both are present."""

    field: str
    than: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class OnlyFor:
    """Row rule: `field` may only be filled when `when_field` is one of `codes` (magnitude for earthquakes)."""

    field: str
    when_field: str
    codes: tuple[str, ...]
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class Link:
    """`field`, when given, must name an existing record of `target` (its first key field), in any load."""

    field: str
    target: str


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    prefixes: tuple[str, ...]  # file-name prefixes, English and Chinese
    key: tuple[str, ...]  # what identifies a record; a repeat in a later file is a revision
    fields: tuple[Field, ...]
    rules: tuple[NotLess | OnlyFor, ...] = ()
    links: tuple[Link, ...] = ()
    region_name_field: str | None = None  # may stand in for region_code; resolved through the reference
    is_reference: bool = False  # loaded before the record sources in one run

    @property
    def id_field(self) -> Field:
        """The column that names a record (accident_id, disaster_id …); its presence identifies the source."""
        return self.field(self.key[0])

    @property
    def table(self) -> str:
        return f"raw.{self.name}"

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def stored_fields(self) -> tuple[Field, ...]:
        """Fields that become columns; a region name only serves to find the code."""
        return tuple(f for f in self.fields if f.name != self.region_name_field)


REGIONS = Source(
    name="regions",
    label="区划",
    prefixes=("regions", "区划"),
    key=("region_code",),
    is_reference=True,
    fields=(
        Field(
            "region_code",
            "区划代码",
            Kind.TEXT,
            ("行政区划代码", "代码", "统计用区划代码"),
            required=True,
            pattern=REGION_CODE_PATTERN,
        ),
        Field("name", "名称", Kind.TEXT, ("区划名称", "单位名称"), required=True),
        Field("level", "级别", Kind.CODE, ("层级", "区划级别"), required=True, codes=REGION_LEVELS),
        Field("parent_code", "上级代码", Kind.TEXT, ("上级区划代码",), pattern=REGION_CODE_PATTERN),
        Field("valid_from", "启用日期", Kind.DATE, ("生效日期",)),
        Field("valid_to", "停用日期", Kind.DATE, ("失效日期",)),
    ),
)

ACCIDENTS = Source(
    name="accidents",
    label="生产安全事故",
    prefixes=("accidents", "事故"),
    key=("accident_id",),
    region_name_field="region_name",
    fields=(
        Field("accident_id", "事故编号", Kind.TEXT, required=True),
        Field("occurred_at", "发生时间", Kind.DATETIME, ("事故发生时间",), required=True, not_future=True),
        Field("reported_at", "报告时间", Kind.DATETIME, ("接报时间",), not_future=True),
        Field("region_code", "行政区划代码", Kind.REGION, ("区划代码",), required=True),
        Field("region_name", "发生地", Kind.TEXT, ("所在乡镇",)),
        Field("industry", "行业领域", Kind.CODE, ("行业类别",), required=True, codes=INDUSTRIES),
        Field("accident_type", "事故类别", Kind.CODE, codes=ACCIDENT_TYPES),
        Field("enterprise_name", "事故单位", Kind.TEXT, ("单位名称",)),
        Field("credit_code", "统一社会信用代码", Kind.CREDIT_CODE),
        Field("deaths", "死亡人数", Kind.COUNT, required=True),
        Field("missing", "失踪人数", Kind.COUNT, ("下落不明人数",)),
        Field("serious_injuries", "重伤人数", Kind.COUNT),
        Field("injuries", "受伤人数", Kind.COUNT),
        Field("direct_loss", "直接经济损失", Kind.MONEY),
        Field("grade", "事故等级", Kind.CODE, codes=ACCIDENT_GRADES),
        Field("written_off", "是否核销", Kind.BOOL),
        Field("concealed", "是否瞒报", Kind.BOOL, ("瞒报谎报",)),
        Field("description", "简要经过", Kind.TEXT, ("事故简况",)),
    ),
    rules=(
        NotLess("reported_at", "occurred_at", "报告时间早于发生时间", "reported_at is before occurred_at"),
        NotLess(
            "injuries",
            "serious_injuries",
            "受伤人数少于重伤人数(受伤人数应包含重伤)",
            "injuries is less than serious_injuries (injuries include serious ones)",
        ),
    ),
)


def _region_fields(*name_aliases: str) -> tuple[Field, Field]:
    """Every record names its township by code, or by a name the region reference resolves."""
    return (
        Field("region_code", "行政区划代码", Kind.REGION, ("区划代码",), required=True),
        Field("region_name", "所在乡镇", Kind.TEXT, name_aliases or ("乡镇", "乡镇(街道)")),
    )


def _year_field() -> Field:
    return Field("year", "年度", Kind.YEAR, ("年份", "统计年度"), required=True, minimum=1949, maximum=2100)


DENOMINATORS = Source(
    name="denominators",
    label="基数",
    prefixes=("denominators", "基数"),
    key=("region_code", "year"),
    is_reference=True,
    region_name_field="region_name",
    fields=(
        *_region_fields(),
        _year_field(),
        Field("gdp_100m_yuan", "地区生产总值", Kind.DECIMAL, ("GDP", "生产总值"), units=GDP_UNITS, minimum=0),
        Field("population", "常住人口", Kind.COUNT, ("人口",), blank_is_zero=False),
        Field("industrial_workers", "工矿商贸从业人员", Kind.COUNT, ("工矿商贸就业人员",), blank_is_zero=False),
        Field("motor_vehicles", "机动车保有量", Kind.COUNT, ("机动车",), blank_is_zero=False),
        Field("forest_area_ha", "森林面积", Kind.DECIMAL, units=AREA_UNITS, minimum=0),
        Field("coal_output_mt", "原煤产量", Kind.DECIMAL, units=COAL_UNITS, minimum=0),
    ),
)

TARGETS = Source(
    name="targets",
    label="控制指标",
    prefixes=("targets", "控制指标"),
    key=("region_code", "year"),
    is_reference=True,
    region_name_field="region_name",
    fields=(
        *_region_fields(),
        _year_field(),
        # A blank target is "no target given", which the appraisal scores differently from a target of 0.
        Field("max_deaths", "死亡人数控制指标", Kind.COUNT, ("死亡控制指标",), blank_is_zero=False),
        Field("max_accidents", "事故起数控制指标", Kind.COUNT, ("事故控制指标",), blank_is_zero=False),
        Field("min_inspections", "执法检查目标次数", Kind.COUNT, ("执法检查目标",), blank_is_zero=False),
        # What may be disbursed in the year in the region and below; the quality checks hold disbursements to it.
        Field("relief_approved", "救灾资金下达额", Kind.MONEY, ("救灾资金批复额", "下达救灾资金")),
    ),
)

APPRAISAL_MANUAL = Source(
    name="appraisal_manual",
    label="考核评分",
    prefixes=("appraisal_manual", "考核评分"),
    key=("region_code", "year", "item"),
    is_reference=True,
    region_name_field="region_name",
    fields=(
        *_region_fields("被考核单位", "单位"),
        _year_field(),
        Field("item", "考核项目", Kind.TEXT, ("评分项目", "项目"), required=True),
        Field("score", "得分", Kind.DECIMAL, ("评分",), required=True, minimum=0),
        Field("note", "评分说明", Kind.TEXT, ("说明", "依据")),
    ),
)

DISASTERS = Source(
    name="disasters",
    label="自然灾害灾情",
    prefixes=("disasters", "灾情"),
    key=("disaster_id", "region_code"),
    region_name_field="region_name",
    fields=(
        Field("disaster_id", "灾害编号", Kind.TEXT, ("灾情编号",), required=True),
        Field("hazard", "灾种", Kind.CODE, ("灾害种类",), required=True, codes=HAZARDS),
        Field("started_on", "开始日期", Kind.DATE, ("发生日期",), required=True, not_future=True),
        Field("ended_on", "结束日期", Kind.DATE),
        *_region_fields("受灾地区", "受灾乡镇"),
        Field("affected_people", "受灾人口", Kind.COUNT),
        Field("deaths", "因灾死亡人口", Kind.COUNT, ("死亡人口",)),
        Field("missing", "因灾失踪人口", Kind.COUNT, ("失踪人口",)),
        Field("relocated", "紧急转移安置人口", Kind.COUNT, ("转移安置人口",)),
        Field("need_relief", "需紧急生活救助人口", Kind.COUNT),
        Field("houses_collapsed", "倒塌房屋", Kind.COUNT),
        Field("houses_severe", "严重损坏房屋", Kind.COUNT),
        Field("houses_damaged", "一般损坏房屋", Kind.COUNT),
        Field("crop_affected_ha", "农作物受灾面积", Kind.DECIMAL, ("受灾面积",), units=AREA_UNITS, minimum=0),
        Field("crop_failed_ha", "成灾面积", Kind.DECIMAL, ("农作物成灾面积",), units=AREA_UNITS, minimum=0),
        Field("crop_lost_ha", "绝收面积", Kind.DECIMAL, ("农作物绝收面积",), units=AREA_UNITS, minimum=0),
        Field("forest_burned_ha", "森林受害面积", Kind.DECIMAL, units=AREA_UNITS, minimum=0),
        Field("magnitude", "震级", Kind.DECIMAL, minimum=0, maximum=10),
        # China's extent, South China Sea islands included.
        Field("latitude", "纬度", Kind.DECIMAL, minimum=3, maximum=54),
        Field("longitude", "经度", Kind.DECIMAL, minimum=73, maximum=136),
        Field("direct_loss", "直接经济损失", Kind.MONEY),
    ),
    rules=(
        NotLess("ended_on", "started_on", "结束日期早于开始日期", "ended_on is before started_on"),
        NotLess(
            "crop_affected_ha", "crop_failed_ha", "成灾面积大于受灾面积", "crop_failed_ha exceeds crop_affected_ha"
        ),
        NotLess("crop_failed_ha", "crop_lost_ha", "绝收面积大于成灾面积", "crop_lost_ha exceeds crop_failed_ha"),
        OnlyFor("magnitude", "hazard", ("earthquake",), "只有地震可填震级", "magnitude is for earthquakes only"),
        OnlyFor(
            "forest_burned_ha",
            "hazard",
            ("forest_fire",),
            "只有森林草原火灾可填森林受害面积",
            "forest_burned_ha is for forest fires only",
        ),
    ),
)

INSPECTIONS = Source(
    name="inspections",
    label="执法检查与隐患排查",
    prefixes=("inspections", "检查"),
    key=("inspection_id",),
    region_name_field="region_name",
    fields=(
        Field("inspection_id", "检查编号", Kind.TEXT, required=True),
        Field("inspected_on", "检查日期", Kind.DATE, required=True, not_future=True),
        *_region_fields(),
        Field("enterprise_name", "被检查单位", Kind.TEXT, ("单位名称", "企业名称"), required=True),
        Field("credit_code", "统一社会信用代码", Kind.CREDIT_CODE),
        Field("industry", "行业领域", Kind.CODE, ("行业类别",), required=True, codes=INDUSTRIES),
        Field("method", "检查方式", Kind.CODE, codes=INSPECTION_METHODS),
        Field("hazards_found", "发现隐患", Kind.COUNT, ("发现隐患数", "隐患数"), required=True),
        Field("major_hazards_found", "重大事故隐患", Kind.COUNT, ("重大隐患",)),
        Field("hazards_rectified", "已整改隐患", Kind.COUNT, ("已整改",)),
        Field("rectification_due", "整改期限", Kind.DATE),
        Field("rectified_on", "整改完成日期", Kind.DATE),
        Field("case_filed", "是否立案", Kind.BOOL),
        Field("documents_issued", "执法文书", Kind.COUNT),
    ),
    rules=(
        NotLess(
            "hazards_found",
            "major_hazards_found",
            "重大事故隐患多于发现隐患",
            "major_hazards_found exceeds hazards_found",
        ),
        NotLess(
            "hazards_found", "hazards_rectified", "已整改隐患多于发现隐患", "hazards_rectified exceeds hazards_found"
        ),
        NotLess("rectified_on", "inspected_on", "整改完成日期早于检查日期", "rectified_on is before inspected_on"),
    ),
)

PENALTIES = Source(
    name="penalties",
    label="行政处罚",
    prefixes=("penalties", "处罚"),
    key=("penalty_id",),
    region_name_field="region_name",
    fields=(
        Field("penalty_id", "处罚决定书文号", Kind.TEXT, ("决定书文号", "文号"), required=True),
        Field("case_id", "案件编号", Kind.TEXT, ("立案编号",), required=True),
        Field("decided_on", "处罚决定日期", Kind.DATE, ("决定日期",), required=True, not_future=True),
        *_region_fields(),
        Field("party_type", "当事人类型", Kind.CODE, required=True, codes=PARTY_TYPES),
        Field("party_name", "当事人", Kind.TEXT, ("当事人名称",), required=True),
        Field("credit_code", "统一社会信用代码", Kind.CREDIT_CODE),
        Field("industry", "行业领域", Kind.CODE, ("行业类别",), required=True, codes=INDUSTRIES),
        Field("inspection_id", "关联检查编号", Kind.TEXT),
        Field("accident_id", "关联事故编号", Kind.TEXT),
        Field("violation", "违法行为", Kind.TEXT),
        Field("fine_amount", "罚款金额", Kind.MONEY, ("罚款",), required=True),
        Field("other_measures", "其他处罚", Kind.TEXT),
        Field("status", "执行情况", Kind.CODE, ("状态",), codes=PENALTY_STATUSES),
    ),
    links=(Link("inspection_id", "inspections"), Link("accident_id", "accidents")),
)

RELIEF = Source(
    name="relief",
    label="救灾资金发放",
    prefixes=("relief", "救灾资金"),
    key=("disbursement_id",),
    region_name_field="region_name",
    fields=(
        Field("disbursement_id", "发放编号", Kind.TEXT, required=True),
        Field("disbursed_on", "发放日期", Kind.DATE, required=True, not_future=True),
        *_region_fields(),
        Field("fund_source", "资金来源", Kind.CODE, required=True, codes=FUND_SOURCES),
        Field("program", "救助类别", Kind.CODE, ("救助项目",), required=True, codes=RELIEF_PROGRAMS),
        Field("disaster_id", "关联灾害编号", Kind.TEXT, ("灾害编号",)),
        Field("households", "救助户数", Kind.COUNT),
        Field("persons", "救助人数", Kind.COUNT, required=True),
        Field("amount", "发放金额", Kind.MONEY, ("金额",), required=True, positive=True),
        Field("fund_year", "资金年度", Kind.TEXT),
    ),
    links=(Link("disaster_id", "disasters"),),
)

# Load order within one run: the region reference first, then what refers to it, then what links to records.
SOURCES: tuple[Source, ...] = (
    REGIONS,
    DENOMINATORS,
    TARGETS,
    APPRAISAL_MANUAL,
    ACCIDENTS,
    DISASTERS,
    INSPECTIONS,
    PENALTIES,
    RELIEF,
)
SOURCES_BY_NAME: dict[str, Source] = {s.name: s for s in SOURCES}
