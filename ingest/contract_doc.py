"""The field reference for people who fill the files, rendered from the contract itself (docs/data-contract.md).

Regenerate with `emstat contract > docs/data-contract.md`; a test fails while the committed file differs.
"""

from __future__ import annotations

from ingest.contract import SOURCES, Field, Kind, NotLess, OnlyFor, Source

KIND_WORDS = {
    Kind.TEXT: "text",
    Kind.CODE: "code",
    Kind.REGION: "region code (6, 9 or 12 digits, in the region reference)",
    Kind.CREDIT_CODE: "unified social credit code (GB 32100 check)",
    Kind.DATETIME: "date-time",
    Kind.DATE: "date",
    Kind.COUNT: "count (whole number ≥ 0)",
    Kind.MONEY: "money (yuan, exact to the fen)",
    Kind.DECIMAL: "number (to 4 decimals)",
    Kind.YEAR: "year",
    Kind.BOOL: "是/否",
}


def _rule(field: Field) -> str:
    notes = []
    if field.required:
        notes.append("required" + (" (blank = 0)" if field.kind is Kind.COUNT else ""))
    elif field.kind is Kind.COUNT:
        notes.append("blank = 0" if field.blank_is_zero else "blank = not set")
    if field.codes is not None:
        notes.append(" · ".join(f"{c.code} {c.label}" for c in field.codes.codes))
    if field.units:
        notes.append("units: " + ", ".join(field.units))
    if field.kind is Kind.MONEY:
        notes.append("units: 元, 万元, 亿元")
    if field.minimum is not None or field.maximum is not None:
        low = "" if field.minimum is None else f"{field.minimum:g}"
        high = "" if field.maximum is None else f"{field.maximum:g}"
        notes.append(f"range {low}–{high}")
    if field.positive:
        notes.append("> 0")
    if field.not_future:
        notes.append("not in the future")
    return "; ".join(notes)


def _source_section(source: Source) -> list[str]:
    lines = [
        f"## {source.name} — {source.label}",
        "",
        f"File names starting with: {', '.join(f'`{p}`' for p in source.prefixes)}. "
        f"A record is identified by {' + '.join(f'`{k}`' for k in source.key)}; sending it again in a later file "
        "makes a new revision.",
        "",
        "| field | 中文 | also accepted | type | rule |",
        "|---|---|---|---|---|",
    ]
    for f in source.fields:
        aliases = ", ".join(f.aliases)
        lines.append(f"| `{f.name}` | {f.label} | {aliases} | {KIND_WORDS[f.kind]} | {_rule(f)} |")
    rules = []
    for rule in source.rules:
        if isinstance(rule, NotLess):
            rules.append(f"- `{rule.field}` ≥ `{rule.than}` when both are given ({rule.reason_zh} is refused)")
        elif isinstance(rule, OnlyFor):
            rules.append(f"- `{rule.field}` only when `{rule.when_field}` is {', '.join(rule.codes)}")
    rules += [f"- `{link.field}`, when given, must name an existing {link.target} record" for link in source.links]
    if source.region_name_field:
        rules.append(f"- `{source.region_name_field}` may stand in for `region_code`: it must name exactly one region")
    if rules:
        lines += ["", *rules]
    return [*lines, ""]


def render_markdown() -> str:
    lines = [
        "# Data contract: the files emstat reads",
        "",
        "Generated from `ingest/contract.py` by `emstat contract`; do not edit by hand.",
        "Headers may be the field name or any Chinese name here, ignoring width, case, spaces and a unit in",
        "brackets. A row that breaks a rule is quarantined with its reason, never dropped or changed.",
        "",
    ]
    for source in SOURCES:
        lines += _source_section(source)
    return "\n".join(lines)
