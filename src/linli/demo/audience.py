"""The demo tenant's tags (标签) and segments (人群), computed by the bulk job as of the load's instant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.audience import service as audience
from linli.audience.schemas import SegmentIn, TagIn
from linli.core.security import Principal
from linli.demo.writer import Ids

TAGS = (
    ("price_sensitive", "价格敏感型", "小额高频、爱用券、爱抢秒杀拼团",
     "(avg_ticket_fen < 4500 and orders_90d >= 3) or discount_share >= 0.05 or promo_order_share >= 0.3"),
    ("quality_life", "品质生活家", "客单价高、下单稳定", "avg_ticket_fen >= 9000 and orders_90d >= 3"),
    ("weekend_stocker", "周末囤货族", "多在周末自提",
     "weekend_pickup_share >= 0.5 and orders_90d >= 3"),
    ("fresh_master", "生鲜达人", "生鲜占消费七成五以上", "fresh_share >= 0.75 and orders_90d >= 3"),
    ("frequent", "高频复购", "近30天下单4次及以上", "orders_30d >= 4"),
    ("silent", "沉默待唤醒", "买过但30天没下单", "days_since_order >= 30 and orders_365d >= 1"),
    ("mom_family", "宝妈家庭", "有孩子的家庭或常买母婴用品",
     'household_type in ("with_children", "young_family") or category_share("母婴用品") >= 0.1'),
    ("evening_pickup", "下班自提族", "常在18-22点自提", 'pickup_hour_band == "晚上"'),
    ("late_picker", "常晚取", "一半以上订单超过24小时才取", "late_pickup_share >= 0.5"),
    ("silver_home", "银发家庭", "老人家庭", 'household_type == "elderly"'),
    ("new_no_order", "新人未下单", "注册14天内还没下单", "days_since_join <= 14 and orders_365d = 0"),
    ("rfm_value", "重要价值客户", "RFM 三项都高", 'rfm_class == "重要价值"'),
    ("rfm_winback", "重要唤回客户", "曾经高价值、最近少来", 'rfm_class in ("重要唤回", "重要挽留")'),
    ("engaged", "互动达人", "近30天常签到、评价、分享", "checkins_30d >= 5 or interactions_30d >= 8"),
)

SEGMENTS = (
    ("生鲜复购人群", "生鲜达人且高频复购", {"and": [{"tag": "fresh_master"}, {"tag": "frequent"}]}),
    ("待唤醒高价值", "沉默但曾是高价值或品质客",
     {"and": [{"tag": "silent"}, {"or": [{"tag": "rfm_winback"}, {"tag": "quality_life"}]}]}),
    ("宝妈优惠敏感", "宝妈家庭里对价格敏感的", {"and": [{"tag": "mom_family"}, {"tag": "price_sensitive"}]}),
    ("品质客（非价格敏感）", "品质生活家中不追优惠的",
     {"and": [{"tag": "quality_life"}, {"not": {"tag": "price_sensitive"}}]}),
)


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> None:
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    for code, name, description, rule in TAGS:
        audience.create_tag(s, operator, TagIn(code=code, name=name, description=description, rule=rule))
    for name, description, definition in SEGMENTS:
        audience.create_segment(s, operator, SegmentIn(name=name, description=description, definition=definition))
    audience.refresh(s, ids.tenant, now)
