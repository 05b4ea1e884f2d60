"""Every monitored metric, by key, in the order the pages list them."""

from __future__ import annotations

from linli.alert import order_metrics, other_metrics, signal_metrics
from linli.alert.registry import Metric

METRICS: dict[str, Metric] = {m.key: m for m in (*order_metrics.metrics(), *other_metrics.metrics(),
                                                  *signal_metrics.metrics())}
SCOPE_LABELS = {"tenant": "全平台", "community": "小区", "leader": "团长", "product": "商品"}
WINDOW_LABELS = {"day": "昨日", "week": "近7天", "now": "实时"}
STATUS_LABELS = {"open": "待处理", "acknowledged": "已确认", "resolved": "已解决"}
