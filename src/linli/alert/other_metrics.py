"""Metrics over stock, members, campaigns, coupons, points and order ratings."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.alert.registry import Context, Limits, Metric, Reading, Window, drop_percent, mean, percent
from linli.assessment import service as assessment
from linli.catalog import service as catalog
from linli.coupon import service as coupons
from linli.flashsale import service as flashsales
from linli.groupbuy import service as groupbuys
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.points import service as points

TENANT = "全平台"
USUAL_DAYS = 7  # a day's spike is measured against the mean of the 7 days before it
USUAL_WEEKS = 4


def _tenant(value: float, base: int, **detail: object) -> list[Reading]:
    return [Reading("tenant", 0, TENANT, value, base, None, dict(detail))]


def out_of_stock(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    rows = catalog.shelf_stock_at_most(s, tenant_id, max(0, int(lim.threshold)))
    return [Reading("product", pid, name, stock, 0, None, {"stock": stock}) for pid, name, stock in rows]


def low_stock(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    """Products on shelf still in stock but at or under the threshold (sold out is out_of_stock's)."""
    rows = catalog.shelf_stock_at_most(s, tenant_id, max(0, int(lim.threshold)))
    return [Reading("product", pid, name, stock, 0, None, {"stock": stock}) for pid, name, stock in rows if stock > 0]


def new_members_drop(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    def joined(x: Window) -> int:
        return sum(members.joined_by_community(s, tenant_id, x.start, x.end).values())
    current = joined(w)
    usual = mean([joined(w.back(i)) for i in range(1, USUAL_WEEKS + 1)])
    return _tenant(drop_percent(current, usual), int(usual), current=current, usual=round(usual, 2))


def groupbuy_failure_rate(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    succeeded, failed = groupbuys.outcomes(s, tenant_id, w.start, w.end)
    return _tenant(percent(failed, succeeded + failed), succeeded + failed, failed=failed, succeeded=succeeded)


def flashsale_release_rate(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    made, released = flashsales.purchase_releases(s, tenant_id, w.start, w.end)
    return _tenant(percent(released, made), made, released=released, purchases=made)


def _spike(current: int, usual: float, base: int) -> list[Reading]:
    """current as a percentage of the usual level (a quiet usual of 0 counts as 1)."""
    return _tenant(percent(current, max(usual, 1.0)), base, current=current, usual=round(usual, 2))


def coupon_redemption_spike(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    current = coupons.used_between(s, tenant_id, w.start, w.end)
    usual = mean([coupons.used_between(s, tenant_id, x.start, x.end)
                  for x in (w.back(i) for i in range(1, USUAL_DAYS + 1))])
    return _spike(current, usual, current)


def points_redemption_spike(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    current = points.redeemed_between(s, tenant_id, w.start, w.end)[1]
    usual = mean([points.redeemed_between(s, tenant_id, x.start, x.end)[1]
                  for x in (w.back(i) for i in range(1, USUAL_DAYS + 1))])
    return _spike(current, usual, current)


def silent_members(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    n = lifecycle.entered_stage(s, tenant_id, "silent", w.start, w.end)
    return _tenant(n, n)


def bad_review_rate(s: Session, tenant_id: int, w: Window, ctx: Context, lim: Limits) -> list[Reading]:
    n, bad = assessment.rating_counts(s, tenant_id, w.start, w.end)
    return _tenant(percent(bad, n), n, bad=bad, ratings=n)


def metrics() -> list[Metric]:
    return [
        Metric("out_of_stock", "商品缺货", "product", "now", "件", "<=", 0, 0, out_of_stock,
               "在架商品库存小于等于阈值(默认0:售罄)", 1_000_000),
        Metric("low_stock", "商品库存不足", "product", "now", "件", "<=", 10, 0, low_stock,
               "在架商品库存低于阈值(售罄的另计为缺货)", 1_000_000),
        Metric("new_members_drop", "新增会员下降", "tenant", "week", "%", ">", 50, 10, new_members_drop,
               "近7天新增会员较前4周周均的降幅", 100),
        Metric("groupbuy_failure_rate", "拼团失败率", "tenant", "week", "%", ">", 30, 10, groupbuy_failure_rate,
               "近7天结束的拼团中失败(未成团)的比例", 100),
        Metric("flashsale_release_rate", "秒杀未成交率", "tenant", "day", "%", ">", 30, 20, flashsale_release_rate,
               "昨日秒杀抢购中未支付或取消、退款而释放的比例", 100),
        Metric("coupon_redemption_spike", "优惠券核销激增", "tenant", "day", "%", ">", 300, 20,
               coupon_redemption_spike, "昨日优惠券核销数为前7天日均的百分比;样本为昨日核销数"),
        Metric("points_redemption_spike", "积分兑换激增", "tenant", "day", "%", ">", 300, 1000,
               points_redemption_spike, "昨日兑换积分为前7天日均的百分比;样本为昨日兑换积分"),
        Metric("silent_members", "会员转沉默", "tenant", "week", "人", ">", 20, 0, silent_members,
               "近7天进入沉默期(30天未活跃)的会员数", 1_000_000),
        Metric("bad_review_rate", "订单差评率", "tenant", "week", "%", ">", 10, 10, bad_review_rate,
               "近7天订单评价中2星及以下的比例", 100),
    ]
