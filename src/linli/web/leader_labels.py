"""Chinese names for the leader domains' codes, shared by the console and the workbench templates."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from linli.leader.ladder import TIER_NAMES

LEADER_TYPES = {"resource": "资源型", "social": "社交型", "service": "服务型"}
APPLICATION_STATUSES = {"pending": "待审核", "approved": "已通过", "rejected": "已驳回"}
PICKUP_KINDS = {"leader_home": "团长家", "store": "门店", "locker": "快递柜", "warehouse": "仓库"}
WITHDRAWAL_STATUSES = {"requested": "待审核", "approved": "已打款", "rejected": "已驳回"}
CASE_KINDS = {"warning": "预警", "help_plan": "帮扶计划", "replacement_suggested": "建议更换"}
CASE_STATUSES = {"open": "待处理", "done": "已完成", "kept": "已留任", "replaced": "已更换"}
METRICS = {"sales": "销售", "growth": "拉新", "service": "服务", "activity": "活跃"}
ENTRY_KINDS = {"accrual": "订单佣金", "reversal": "退款冲回", "settle": "结算入账", "hold": "提现冻结",
               "release": "提现退回", "payout": "提现打款", "subsidy": "营销补贴", "repay": "抵扣欠款"}


def _pick(names: dict[str, str]) -> Any:
    return lambda code: names.get(code or "", code or "—")


def install(env: Environment) -> None:
    env.filters.update(leader_tier=_pick(TIER_NAMES), leader_type=_pick(LEADER_TYPES),
                       application_status=_pick(APPLICATION_STATUSES), pickup_kind=_pick(PICKUP_KINDS),
                       withdrawal_status=_pick(WITHDRAWAL_STATUSES), case_kind=_pick(CASE_KINDS),
                       case_status=_pick(CASE_STATUSES), metric=_pick(METRICS), entry_kind=_pick(ENTRY_KINDS),
                       percent_bp=lambda bp: f"{(bp or 0) / 100:.2f}%")
