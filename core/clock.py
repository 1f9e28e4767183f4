"""The bureau's clock: records, the ledger, schedules and reports all count days in Beijing time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_now() -> datetime:
    """Records are in Beijing time, without a zone; the ledger follows the same clock."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)
