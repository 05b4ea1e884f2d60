"""The crisis playbook template: the seeds' 危机处理SOP (15 分钟内启动应急小组, 补偿方案即时生成器,
3 天内完成用户回访, 7 天提交整改报告) with the pause and the public note in between. Offsets count from
the case's opening."""

from __future__ import annotations

from datetime import timedelta

TEMPLATE: list[tuple[timedelta, str]] = [
    (timedelta(minutes=15), "启动应急小组"),
    (timedelta(hours=1), "暂停相关商品销售"),
    (timedelta(hours=2), "发布情况说明"),
    (timedelta(hours=24), "启动补偿"),
    (timedelta(days=3), "完成用户回访"),
    (timedelta(days=7), "提交整改报告(复盘)"),
]
SEVERITY_LABELS = {1: "一级 · 普通投诉", 2: "二级 · 群体投诉", 3: "三级 · 媒体曝光"}
FOLLOW_UPS = {3: timedelta(days=3), 7: timedelta(days=7)}  # days after the compensation -> delay
