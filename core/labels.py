"""What the quality dashboard and the run listings call a run's status, its launcher and its job, in Chinese."""

from __future__ import annotations

STATUS_ZH = {
    "running": "运行中",
    "loaded": "已入库",
    "published": "已发布",
    "blocked": "检查未通过,未发布",
    "failed": "失败",
    "canceled": "已取消",
}
LAUNCHED_BY_ZH = {
    "cli": "命令行",
    "monthly_close": "月度结算计划",
    "daily_refresh": "每日刷新计划",
    "landing_sensor": "新文件到达",
    "dagster": "Dagster 界面",
}
JOB_ZH = {"ingest": "入库", "build": "建模、检查、发布", "pipeline": "入库、建模、检查、发布"}
