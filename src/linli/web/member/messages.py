"""What a member reads when something cannot be done: the domain's error codes in Chinese."""

from __future__ import annotations

from linli.flashsale.schemas import FlashSaleOut

_TEXT = {
    "sold_out": "已抢光",
    "group_closed": "该团已结束，去看看别的团吧。",
    "group_full": "该团已满员，去看看别的团或自己发起一个吧。",
    "already_joined": "你已经在这个团里了。",
    "not_payable": "订单当前状态不能支付。",
    "order_expired": "支付已超时，订单将自动关闭。",
    "charge_failed": "支付失败，请稍后再试。",
    "unknown_pickup_point": "自提点不存在。",
    "exhausted": "已领完",
    "not_claimable": "这张券现在不能领取。",
    "already_checked_in": "今日已签到",
    "group_size_too_small": "团人数不能少于活动规定的人数。",
    "group_size_over_tier": "你的会员等级还不能发起这么大的团。",
    "group_size_over_stock": "剩余数量不够凑满这么大的团，请选小一点的团。",
}
FALLBACK = "操作失败，请稍后再试。"


def flash_sale_error(code: str, sale: FlashSaleOut) -> str:
    if code == "limit_exceeded":
        return f"超出限购：每人限购 {sale.per_member_limit} 件。"
    if code == "not_active":
        return "活动未开始" if sale.status == "scheduled" else "活动已结束"
    return _TEXT.get(code, FALLBACK)


def group_error(code: str) -> str:
    if code == "sold_out":
        return "拼团商品已售罄。"
    if code == "group_closed":
        return _TEXT["group_closed"]
    return _TEXT.get(code, FALLBACK)


def coupon_error(code: str, per_member_limit: int) -> str:
    if code == "limit_exceeded":
        return f"已达上限：每人限领 {per_member_limit} 张。"
    return _TEXT.get(code, FALLBACK)


def text(code: str) -> str:
    return _TEXT.get(code, FALLBACK)
