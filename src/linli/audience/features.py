"""The feature catalogue: every field a tag rule may name, its type, group and meaning (Chinese, shown in the
console). The bulk job (DuckDB, bulk_sql.py) and the incremental path (one member, member_features.py) compute
exactly these, with the same definitions:

- an order counts when it was paid (paid_at set) and is not cancelled or refunded; its spend is
  payable_fen - refunded_fen; windows are (at - N days, at]
- time is Asia/Shanghai wall time as UTC+8 (no daylight saving since 1991): hour and weekday of a pickup
- pickup habits look at the last 365 days; an order is "late" when it was ready (deliverable_from, else paid_at)
  more than 48 h before it was picked up, or is still uncollected 48 h after being ready
- every feature is defined for every member (no NULL): no order at all -> days_since_order 9999, shares 0.0,
  pickup_hour_band "无", RFM scores 0 and class "无消费"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal["int", "float", "str"]

NEVER_DAYS = 9999
DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000
LOCAL_OFFSET_US = 8 * HOUR_US  # Asia/Shanghai
LATE_AFTER_US = 48 * HOUR_US  # goods come the day after the order: a day more is late
COUNTED_EXCLUDED = ("cancelled", "refunded")  # paid orders in these states do not count
CONTENT_KINDS = ("post", "comment", "vote", "recipe", "poll")
# pickup hour bands (local hour -> band); ties between bands go to the earlier one in this order
HOUR_BANDS: tuple[tuple[str, int, int], ...] = (("上午", 6, 11), ("中午", 11, 14), ("下午", 14, 18),
                                                ("晚上", 18, 22), ("夜间", 22, 30))
NO_BAND = "无"
RFM_CLASSES = ("重要价值", "重要发展", "重要唤回", "重要挽留", "一般价值", "一般发展", "一般保持", "一般挽留", "无消费")


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    group: str  # consumption | interaction | pickup | location | member | rfm
    label: str
    takes_category: bool = False  # category_share("水果")


def _f(name: str, type_: FieldType, group: str, label: str, takes_category: bool = False) -> Field:
    return Field(name, type_, group, label, takes_category)


FIELDS: dict[str, Field] = {f.name: f for f in (
    _f("orders_30d", "int", "consumption", "近30天订单数"),
    _f("orders_90d", "int", "consumption", "近90天订单数"),
    _f("orders_365d", "int", "consumption", "近365天订单数"),
    _f("spend_30d_fen", "int", "consumption", "近30天消费额（分）"),
    _f("spend_90d_fen", "int", "consumption", "近90天消费额（分）"),
    _f("spend_365d_fen", "int", "consumption", "近365天消费额（分）"),
    _f("avg_ticket_fen", "int", "consumption", "近365天客单价（分）"),
    _f("days_since_order", "int", "consumption", "距上次下单天数（从未下单为9999）"),
    _f("refunded_orders_365d", "int", "consumption", "近365天退款订单数"),
    _f("discount_share", "float", "consumption", "近365天优惠占原价比例（0-1）"),
    _f("promo_order_share", "float", "consumption", "近365天使用优惠或活动下单的订单占比（0-1）"),
    _f("fresh_share", "float", "consumption", "近365天生鲜消费占比（0-1）"),
    _f("category_share", "float", "consumption", "近365天某分类消费占比，如 category_share(\"新鲜水果\")",
       takes_category=True),
    _f("checkins_30d", "int", "interaction", "近30天签到次数"),
    _f("reviews_90d", "int", "interaction", "近90天评价次数"),
    _f("shares_90d", "int", "interaction", "近90天分享次数"),
    _f("content_90d", "int", "interaction", "近90天发帖、评论、投票次数"),
    _f("interactions_30d", "int", "interaction", "近30天互动次数（登录除外）"),
    _f("pickup_hour_band", "str", "pickup", "常用自提时段：上午/中午/下午/晚上/夜间/无"),
    _f("weekend_pickup_share", "float", "pickup", "周末自提占比（0-1）"),
    _f("late_pickup_share", "float", "pickup", "超过48小时未取或晚取的订单占比（0-1）"),
    _f("community", "str", "location", "小区名称"),
    _f("building", "str", "location", "楼栋名称（未登记为空）"),
    _f("household_type", "str", "location", "家庭结构，如 with_children、elderly、young_family（未登记为空）"),
    _f("unit_type", "str", "location", "户型，如 两室一厅（未登记为空）"),
    _f("days_since_join", "int", "member", "注册天数"),
    _f("r_score", "int", "rfm", "RFM 最近一次消费得分 1-5（无消费为0）"),
    _f("f_score", "int", "rfm", "RFM 消费频次得分 1-5（无消费为0）"),
    _f("m_score", "int", "rfm", "RFM 消费金额得分 1-5（无消费为0）"),
    _f("rfm_class", "str", "rfm", "RFM 分类：" + "/".join(RFM_CLASSES)),
)}

GROUP_LABELS = {"consumption": "消费", "interaction": "互动", "pickup": "自提习惯", "location": "位置",
                "member": "会员", "rfm": "RFM"}


def column(field: str, category: str | None = None) -> str:
    """The feature's key in a features row (Python) and its column name (DuckDB)."""
    return f"category_share:{category}" if category is not None else field


def hour_band(local_hour: int) -> str:
    for name, start, end in HOUR_BANDS:
        if start <= local_hour < end or start <= local_hour + 24 < end:
            return name
    return NO_BAND  # unreachable: the bands cover the day


def rfm_class(r: int, f: int, m: int) -> str:
    if r == 0:
        return "无消费"
    hi_r, hi_f, hi_m = r >= 3, f >= 3, m >= 3
    if hi_m:
        return {(True, True): "重要价值", (True, False): "重要发展", (False, True): "重要唤回",
                (False, False): "重要挽留"}[(hi_r, hi_f)]
    return {(True, True): "一般价值", (True, False): "一般发展", (False, True): "一般保持",
            (False, False): "一般挽留"}[(hi_r, hi_f)]


def score_up(value: int, cuts: list[int]) -> int:
    """F and M: 1 + how many cut-points the value is above (higher is better)."""
    return 1 + sum(1 for c in cuts if value > c)


def score_down(value: int, cuts: list[int]) -> int:
    """R (days since the last order): 1 + how many cut-points the value is at or below (more recent is better)."""
    return 1 + sum(1 for c in cuts if value <= c)
