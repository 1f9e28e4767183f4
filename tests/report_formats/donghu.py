"""The report document the renderers are tested on (report_donghu.json), read as the CLI hands it over: numbers
as decimals, each with the digits the document gives it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

REPORT = json.loads(Path(__file__).with_name("report_donghu.json").read_text(encoding="utf-8"), parse_float=Decimal)
