"""Chinese display names for the codes the domain uses."""

from __future__ import annotations

from typing import Any

from linli.core.money import yuan

ORDER_STATUSES = {
    "pending_payment": "待支付",
    "paid": "已支付",
    "awaiting_group": "待成团",
    "cancelled": "已取消",
    "refunded": "已退款",
    "picked_up": "已提货",
}

ROLES = {"operator": "运营", "leader": "团长", "member": "会员", "system": "系统"}

ACTIONS = {
    "created": "下单",
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
REASONS = {"payment_timeout": "超时未支付", "group_failed": "拼团失败", "group_closed": "拼团已结束"}

_COUNTED_KEYS = {"lines": "退款商品", "returned": "退回库存"}
_MONEY_KEYS = {"total_fen": "订单金额", "amount_fen": "退款金额", "refunded_fen": "退款金额"}


def status(code: str) -> str:
    return ORDER_STATUSES.get(code, code)


def role(code: str) -> str:
    return ROLES.get(code, code)


def action(code: str) -> str:
    return ACTIONS.get(code, code)


def flash_sale_status(code: str) -> str:
    return FLASH_SALE_STATUSES.get(code, code)


def group_buy_status(code: str) -> str:
    return GROUP_BUY_STATUSES.get(code, code)


def group_status(code: str) -> str:
    return GROUP_STATUSES.get(code, code)


def group_action(code: str) -> str:
    return GROUP_ACTIONS.get(code, code)


def source(code: str) -> str:
    return SOURCES.get(code, code)


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
        elif key in _COUNTED_KEYS and isinstance(value, list):
            count = sum(int(x.get("quantity", 0)) for x in value if isinstance(x, dict))
            if count:
                parts.append(f"{_COUNTED_KEYS[key]} {count} 件")
        elif not isinstance(value, (list, dict)):  # other structured details stay in the API
            parts.append(f"{key}: {value}")
    return "；".join(parts)
