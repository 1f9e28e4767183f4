"""The data contract as code: the one definition of every source's fields that ingest, GX suites and docs read.

Mirrors shared/spec/data-contract.md. A field is described once, with its Chinese aliases, kind and rules;
loaders derive parsing, the raw table DDL and the quarantine messages from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ingest.codes import ACCIDENT_GRADES, ACCIDENT_TYPES, INDUSTRIES, REGION_LEVELS, CodeList


class Kind(str, Enum):
    TEXT = "text"
    CODE = "code"  # one of a code list, by code, label or alias
    REGION = "region"  # a region code that must exist in the region reference
    CREDIT_CODE = "credit_code"  # GB 32100 unified social credit code
    DATETIME = "datetime"
    DATE = "date"
    COUNT = "count"  # non-negative integer; blank, 无, - and — mean 0
    MONEY = "money"  # exact decimal, stored in yuan
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
    Kind.BOOL: "BOOLEAN",
}

# Units a header may carry, as the factor that brings the value to the stored unit.
MONEY_UNITS: dict[str, int] = {"元": 1, "yuan": 1, "万元": 10_000, "10kyuan": 10_000, "亿元": 100_000_000}
COUNT_UNITS = frozenset({"人", "起", "项", "次", "份", "间", "户", "人次", "个"})

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
class Source:
    name: str
    label: str
    prefixes: tuple[str, ...]  # file-name prefixes, English and Chinese
    key: str  # the record id; a repeat in a later file is a revision
    fields: tuple[Field, ...]
    rules: tuple[NotLess, ...] = ()
    region_name_field: str | None = None  # may stand in for region_code; resolved through the reference
    is_reference: bool = False  # loaded before the record sources in one run

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
    key="region_code",
    is_reference=True,
    fields=(
        Field("region_code", "区划代码", Kind.TEXT, ("行政区划代码", "代码", "统计用区划代码"), required=True,
              pattern=REGION_CODE_PATTERN),
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
    key="accident_id",
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
        NotLess("injuries", "serious_injuries", "受伤人数少于重伤人数(受伤人数应包含重伤)",
                "injuries is less than serious_injuries (injuries include serious ones)"),
    ),
)

SOURCES: tuple[Source, ...] = (REGIONS, ACCIDENTS)
SOURCES_BY_NAME: dict[str, Source] = {s.name: s for s in SOURCES}
