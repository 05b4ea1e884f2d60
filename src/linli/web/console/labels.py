"""Chinese display names for the codes the domain uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from linli.core import clock
from linli.core.money import yuan
from linli.lifecycle import stages

ORDER_STATUSES = {
    "pending_payment": "待支付",
    "awaiting_balance": "待付尾款",
    "paid": "已支付",
    "awaiting_group": "待成团",
    "cancelled": "已取消",
    "refunded": "已退款",
    "picked_up": "已提货",
}

# a flash sale's orders are paid in full: no deposit, so no 待付尾款
FLASH_SALE_ORDER_STATUSES = {k: v for k, v in ORDER_STATUSES.items() if k != "awaiting_balance"}

ROLES = {"operator": "运营", "leader": "团长", "member": "会员", "system": "系统"}

ACTIONS = {
    "created": "下单",
    "deposit_paid": "支付定金",
    "paid": "支付",
    "cancelled": "取消",
    "refunded": "退款",
    "partially_refunded": "部分退款",
    "picked_up": "提货",
    "group_succeeded": "拼团成功",
}

FLASH_SALE_STATUSES = {"scheduled": "未开始", "active": "进行中", "ended": "已结束"}
GROUP_BUY_STATUSES = {"active": "进行中", "closed": "已结束"}
GROUP_STATUSES = {"open": "拼团中", "succeeded": "拼团成功", "failed": "拼团失败"}
GROUP_ACTIONS = {"started": "发起拼团", "joined": "参团", "paid": "支付", "left": "退出", "succeeded": "拼团成功",
                 "failed": "拼团失败"}
SOURCES = {"shop": "商城", "flash_sale": "秒杀", "group_buy": "拼团"}
REASONS = {"payment_timeout": "超时未支付", "group_failed": "拼团失败", "group_closed": "拼团已结束",
           "balance_overdue": "尾款逾期未付"}


def _lookup(names: dict[str, str]) -> Callable[[str], str]:
    """A template filter: the Chinese name of a code, or the code itself when it has none."""
    return lambda code: names.get(code, code)


_COUNTED_KEYS = {"lines": "退款商品", "returned": "退回库存"}
_MONEY_KEYS = {"total_fen": "订单金额", "amount_fen": "退款金额", "refunded_fen": "退款金额",
               "deposit_fen": "定金", "deposit_kept_fen": "定金不退", "points_withheld_fen": "已用积分抵扣"}


status = _lookup(ORDER_STATUSES)
role = _lookup(ROLES)
action = _lookup(ACTIONS)
flash_sale_status = _lookup(FLASH_SALE_STATUSES)
group_buy_status = _lookup(GROUP_BUY_STATUSES)
group_status = _lookup(GROUP_STATUSES)
group_action = _lookup(GROUP_ACTIONS)
source = _lookup(SOURCES)


def detail(data: dict[str, Any] | None) -> str:
    """A timeline row's detail as one readable line, e.g. '订单金额 ¥25.00；原因：缺货'."""
    parts: list[str] = []
    for key, value in (data or {}).items():
        if key in _MONEY_KEYS and isinstance(value, int):
            if value or key == "total_fen":
                parts.append(f"{_MONEY_KEYS[key]} ¥{yuan(value)}")
        elif key == "reason":
            if value:
                parts.append(f"原因：{REASONS.get(value, value)}")
        elif key == "full":
            continue  # the action already says 退款 or 部分退款
        elif key == "balance_due_at" and isinstance(value, str):
            parts.append(f"尾款截止 {clock.local(datetime.fromisoformat(value)):%m-%d %H:%M}")
        elif key in _COUNTED_KEYS and isinstance(value, list):
            count = sum(int(x.get("quantity", 0)) for x in value if isinstance(x, dict))
            if count:
                parts.append(f"{_COUNTED_KEYS[key]} {count} 件")
        elif not isinstance(value, (list, dict)):  # other structured details stay in the API
            parts.append(f"{key}: {value}")
    return "；".join(parts)


# --- members and loyalty (会员运营) ---

STAGES = stages.LABELS  # one wording for the API and the pages
TIERS = {"regular": "普通会员", "silver": "白银会员", "gold": "黄金会员", "black": "黑卡会员"}
POINTS_KINDS = {
    "order_paid": "购物返积分", "checkin": "每日签到", "checkin_streak": "连续签到奖励", "review": "评价奖励",
    "share": "分享奖励", "invite": "邀请奖励", "content": "内容互动", "grant": "运营发放", "take_back": "积分扣回",
    "order_deduction": "订单抵扣", "order_refund": "订单退款结算", "redeem_goods": "积分兑换商品",
    "redeem_property_fee": "积分抵物业费", "redeem_charity": "公益捐赠", "expire": "积分过期",
}
COUPON_STATUSES = {"available": "可使用", "used": "已使用", "expired": "已过期"}
COUPON_SOURCES = {"claim": "领取", "issue": "运营发放", "event": "活动赠送", "geo": "到店签到"}
STAGE_REASONS = {"joined": "注册", "time": "时间推移", "order_paid": "下单支付", "order_refunded": "订单退款"}
TIER_REASONS = {"growth": "成长值升级", "yearly_review": "年度复核", "black_card_granted": "获得黑卡",
                "black_card_revoked": "黑卡到期"}


def stage(code: str | None) -> str:
    return STAGES.get(code, code) if code else "—"


tier = _lookup(TIERS)
points_kind = _lookup(POINTS_KINDS)
coupon_status = _lookup(COUPON_STATUSES)
coupon_source = _lookup(COUPON_SOURCES)


POINTS_REFERENCES = {"order": "订单", "lot": "积分批次", "item": "兑换商品"}


def points_reference(ref: str) -> str:
    """'order:4' reads 订单 #4; any other reference is shown as it is."""
    kind, sep, rid = ref.partition(":")
    return f"{POINTS_REFERENCES[kind]} #{rid}" if sep and kind in POINTS_REFERENCES else ref


def stage_reason(code: str) -> str:
    """'interaction:checkin' reads 互动（签到）."""
    if code.startswith("interaction:"):
        kind = code.removeprefix("interaction:")
        return f"互动（{INTERACTIONS.get(kind, kind)}）"
    return STAGE_REASONS.get(code, code)


tier_reason = _lookup(TIER_REASONS)


INTERACTIONS = {"login": "登录", "checkin": "签到", "review": "评价", "share": "分享", "vote": "投票",
                "geo_checkin": "到店签到"}


def discount(percent_off: int) -> str:
    """A tier's discount as shoppers say it: 5 % off is '9.5折', 10 % off is '9折'."""
    tenths = 100 - percent_off
    return f"{tenths // 10}.{tenths % 10}折" if tenths % 10 else f"{tenths // 10}折"


def benefits(b: Any) -> list[str]:
    """A tier's benefits (discount, early access, group size, service) as short lines."""
    lines = [f"购物享{discount(b.discount_percent)}"] if b.discount_percent else []
    if b.flash_sale_early_minutes:
        lines.append(f"秒杀提前 {b.flash_sale_early_minutes} 分钟抢")
    lines.append(f"可发起 {b.group_size_max} 人团")
    if b.priority_service:
        lines.append("专属客服优先服务")
    return lines
