"""The seed SOPs (seed 002 自动化营销流程, seed 000 48小时极速欢迎 and 流失预警) as ready-made journeys.

A template is a definition with holes ({"param": "coupon_template_id"}) the operator fills in when creating
a journey from it; the result is checked like any other definition."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linli.core.errors import Invalid


@dataclass(frozen=True)
class Param:
    name: str
    label: str  # shown in the console's form


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    description: str
    definition: dict[str, Any]
    params: tuple[Param, ...] = field(default=())
    conversion_days: int = 7


_COUPON = Param("coupon_template_id", "发放的优惠券")

TEMPLATES: tuple[Template, ...] = (
    Template(
        code="welcome_48h", name="新人48小时欢迎",
        description="新居民入群后立即发送欢迎语和新人券；24小时后仍未下单，再提醒一次（全部在48小时内完成）。",
        params=(_COUPON,),
        definition={
            "trigger": {"kind": "event", "topic": "member.joined"},
            "start": "welcome",
            "steps": [
                {"id": "welcome", "type": "action", "action": "send_message", "category": "service",
                 "title": "欢迎加入邻里", "body": "欢迎加入我们的社区团购！团长每天为您精选新鲜好物，"
                 "新人礼包已放入您的账户，3天超值套餐等您来拼。", "next": "coupon"},
                {"id": "coupon", "type": "action", "action": "issue_coupon",
                 "template_id": {"param": "coupon_template_id"}, "next": "wait_24h"},
                {"id": "wait_24h", "type": "wait", "hours": 24, "next": "ordered"},
                {"id": "ordered", "type": "condition", "check": {"kind": "has_ordered"},
                 "if_true": None, "if_false": "remind"},
                {"id": "remind", "type": "action", "action": "send_message",
                 "title": "新人券还在等您", "body": "您的新人专享优惠券还没有使用，今天下单立享优惠。", "next": None},
            ],
        }),
    Template(
        code="fresh_recipe_3d", name="生鲜购后第3天推送菜谱",
        description="居民购买生鲜后第三天，自动推送对应的烹饪食谱（每次生鲜购买都会触发）。",
        definition={
            "trigger": {"kind": "event", "topic": "order.paid", "filter": {"has_fresh": True}},
            "reentry": "every_trigger",
            "start": "wait_3d",
            "steps": [
                {"id": "wait_3d", "type": "wait", "hours": 72, "next": "recipe"},
                {"id": "recipe", "type": "action", "action": "send_message", "title": "今日菜谱推荐",
                 "body": "您前几天买的生鲜可以这样做：清炒、炖汤、凉拌三种家常做法，点开查看详细步骤。",
                 "next": None},
            ],
        }),
    Template(
        code="silent_wakeup_30d", name="沉默30天唤醒",
        description="居民连续30天没有下单和互动（进入沉默期）时，发放唤醒优惠券并推送消息；7天后仍未下单再提醒一次。",
        params=(_COUPON,),
        definition={
            "trigger": {"kind": "event", "topic": "member.stage_changed", "filter": {"to": "silent"}},
            "reentry": "every_trigger",
            "start": "coupon",
            "steps": [
                {"id": "coupon", "type": "action", "action": "issue_coupon",
                 "template_id": {"param": "coupon_template_id"}, "next": "message"},
                {"id": "message", "type": "action", "action": "send_message", "title": "好久不见，送您一张券",
                 "body": "邻居好久没来了！专属回归优惠券已放入您的账户，这周的爆款团购等您回来。", "next": "wait_7d"},
                {"id": "wait_7d", "type": "wait", "hours": 168, "next": "ordered"},
                {"id": "ordered", "type": "condition", "check": {"kind": "has_ordered"},
                 "if_true": None, "if_false": "remind"},
                {"id": "remind", "type": "action", "action": "send_message", "title": "您的回归券快到期了",
                 "body": "回归优惠券即将到期，别错过本周的社区好物。", "next": None},
            ],
        }),
    Template(
        code="idle_callback_3d", name="连续3天未互动回访",
        description="居民连续3天没有下单或互动时，给所在自提点的团长生成一条回访任务（流失预警）。",
        conversion_days=7,
        definition={
            "trigger": {"kind": "idle", "days": 3},
            "reentry": "every_trigger",
            "start": "callback",
            "steps": [
                {"id": "callback", "type": "action", "action": "leader_task", "title": "回访邻居",
                 "note": "这位邻居已连续3天没有互动，请电话或上门问候，了解需求。", "due_hours": 24, "next": None},
            ],
        }),
)

BY_CODE = {t.code: t for t in TEMPLATES}


def fill(value: Any, params: dict[str, Any]) -> Any:
    """The template's definition with every {"param": name} replaced by the operator's value."""
    if isinstance(value, dict):
        if set(value) == {"param"}:
            name = value["param"]
            if name not in params:
                raise Invalid(f"this template needs {name}", code="journey_template_param_missing")
            return params[name]
        return {k: fill(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, params) for v in value]
    return value
