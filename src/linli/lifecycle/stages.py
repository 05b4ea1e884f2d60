"""The stage rule, in one place: Python for single members, SQL (`stage_expr`) for the due job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case

from linli.models import MemberActivity

LABELS = {"new": "新用户", "active": "活跃", "silent": "沉默", "dormant": "沉睡", "core": "核心"}  # seed 000


@dataclass(frozen=True)
class Thresholds:
    new_days: int = 7
    silent_days: int = 30
    dormant_days: int = 90
    core_days: int = 90
    core_orders: int = 3


DEFAULT = Thresholds()  # seed 000: new 0-7 d, active 7-30 d, silent 30-90 d, core 90 d+


def stage_at(t: Thresholds, joined_at: datetime, last_active_at: datetime, paid_orders: int,
             at: datetime) -> str:
    """new: joined less than new_days ago; dormant / silent: no order or interaction (else the joining)
    for dormant_days / silent_days; core: a member for core_days, not silent, core_orders paid orders."""
    if joined_at > at - timedelta(days=t.new_days):
        return "new"
    if last_active_at <= at - timedelta(days=t.dormant_days):
        return "dormant"
    if last_active_at <= at - timedelta(days=t.silent_days):
        return "silent"
    if joined_at <= at - timedelta(days=t.core_days) and paid_orders >= t.core_orders:
        return "core"
    return "active"


def stage_expr(t: Thresholds, at: datetime) -> Any:
    """The same rule as a SQL CASE over member_activity, so the job finds changes with one query."""
    a = MemberActivity
    return case(
        (a.joined_at > at - timedelta(days=t.new_days), "new"),
        (a.last_active_at <= at - timedelta(days=t.dormant_days), "dormant"),
        (a.last_active_at <= at - timedelta(days=t.silent_days), "silent"),
        (and_(a.joined_at <= at - timedelta(days=t.core_days), a.paid_orders >= t.core_orders), "core"),
        else_="active")
