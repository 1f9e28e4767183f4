"""The report document as JSON text, each number with the digits it was rounded to.

Python's json writes floats, which drop trailing zeros: a rate of 0.03000 (4 significant digits) would read
0.03 and 12.50 万元 would read 12.5. Here a Decimal is written as its own digits, so the document states its
precision, and a reader that parses numbers as decimals gets back exactly what was computed.
"""

from __future__ import annotations

import json
from decimal import Decimal

INDENT = "  "


def dumps(document: object) -> str:
    """Like json.dumps(document, ensure_ascii=False, indent=2), with Decimals written digit for digit."""
    return _value(document, 0)


def _value(value: object, depth: int) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")  # never 1E-5, never 1E+1
    if isinstance(value, dict):
        return _container(
            "{",
            "}",
            [f"{json.dumps(str(k), ensure_ascii=False)}: {_value(v, depth + 1)}" for k, v in value.items()],
            depth,
        )
    if isinstance(value, list | tuple):
        return _container("[", "]", [_value(v, depth + 1) for v in value], depth)
    return json.dumps(value, ensure_ascii=False)


def _container(opening: str, closing: str, items: list[str], depth: int) -> str:
    if not items:
        return opening + closing
    inner = "\n" + INDENT * (depth + 1)
    return opening + inner + ("," + inner).join(items) + "\n" + INDENT * depth + closing
