"""The report as GitHub Markdown: a heading, the bulletin's paragraphs, each standard table, then the footnote."""

from __future__ import annotations

from collections.abc import Iterable

from report.tables import (
    Block,
    Labels,
    Number,
    caption,
    footnote,
    format_cell,
    report_title,
    standard_tables,
)


def render_markdown(report: dict, labels: Labels) -> str:
    parts = [f"# {report_title(report)}", caption(report), *report["paragraphs"].values()]
    for table in standard_tables(report, labels):
        parts += [f"## {table.title}", table.caption, *(_table(block) for block in table.blocks)]
    parts.append(footnote(report))
    return "\n\n".join(parts) + "\n"


def _table(block: Block) -> str:
    numeric = [any(isinstance(row[col], Number) for row in block.rows) for col in range(len(block.headers))]
    lines = [_line(block.headers), _line("---:" if right else "---" for right in numeric)]
    lines += [_line(format_cell(cell) for cell in row) for row in block.rows]
    return "\n".join(lines)


def _line(cells: Iterable[str]) -> str:
    # A | inside a cell (a township's name, say) would otherwise end the cell.
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
