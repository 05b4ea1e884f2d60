"""The 会员运营 forms (points rules, the tier ladder): current settings in as text fields, exact
settings out, or a Chinese message per field. Field names are flat (`checkin_points`, `gold_min_growth`)
so a plain HTML form posts them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from linli.points.schemas import ACTIONS, RulesIn, RulesOut
from linli.tier.schemas import ProgramIn, ProgramOut
from linli.web.console import campaign_forms as forms
from linli.web.console.campaign_forms import FormErrors

ACTION_LABELS = {"order_paid": "购物（每元）", "checkin": "每日签到", "checkin_streak": "连续签到奖励",
                 "review": "评价", "share": "分享", "invite": "邀请好友", "content": "内容互动"}
LEVELS = ("regular", "silver", "gold")
TIER_ACTIONS = {"review": "评价", "share": "分享", "checkin": "签到", "geo_checkin": "到店签到", "vote": "投票",
                "login": "登录"}
EXPIRY = {"end_of_next_year": "次年年底过期", "days": "获得后 N 天过期"}
_RULE_SETTINGS = ("streak_days", "points_per_yuan_deduction", "max_order_deduction_percent", "expiry",
                  "expiry_days")


async def _fields(request: Request) -> dict[str, str]:
    """The posted form as text fields (these forms have many fields, named after the settings)."""
    form = await request.form(max_files=0, max_fields=200)
    return {k: v[:MAX_LEN] for k, v in form.items() if isinstance(v, str)}


MAX_LEN = 100
Fields = Annotated[dict[str, str], Depends(_fields)]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _on(value: bool) -> str:
    return "on" if value else ""


# --- points rules ------------------------------------------------------------------------------

def rule_values(r: RulesOut) -> dict[str, str]:
    values: dict[str, str] = {}
    for a in ACTIONS:
        rule = getattr(r, a)
        values |= {f"{a}_points": _text(rule["points"]), f"{a}_cap": _text(rule["daily_cap"]),
                   f"{a}_enabled": _on(bool(rule["enabled"]))}
    return values | {k: _text(getattr(r, k)) for k in _RULE_SETTINGS}


def read_rules(errors: FormErrors, v: dict[str, str]) -> RulesIn | None:
    data: dict[str, Any] = {}
    for a in ACTIONS:
        label = ACTION_LABELS[a]
        data[a] = {"points": forms.integer(errors, f"{a}_points", v.get(f"{a}_points", ""), f"{label}积分", 0, 10**6),
                   "daily_cap": forms.optional_integer(errors, f"{a}_cap", v.get(f"{a}_cap", ""), f"{label}每日上限",
                                                       1, 10**9),
                   "enabled": v.get(f"{a}_enabled") == "on"}
    data["streak_days"] = forms.integer(errors, "streak_days", v.get("streak_days", ""), "连续签到天数", 2, 365)
    data["points_per_yuan_deduction"] = forms.integer(errors, "points_per_yuan_deduction",
                                                      v.get("points_per_yuan_deduction", ""), "抵扣比例", 1, 10**6)
    data["max_order_deduction_percent"] = forms.integer(errors, "max_order_deduction_percent",
                                                        v.get("max_order_deduction_percent", ""), "抵扣上限", 0, 100)
    expiry = v.get("expiry", "")
    if expiry not in EXPIRY:
        errors.add("expiry", "请选择积分有效期规则。")
    data["expiry"] = expiry
    data["expiry_days"] = forms.optional_integer(errors, "expiry_days", v.get("expiry_days", ""), "有效天数", 1,
                                                 36500)
    if expiry == "days" and data["expiry_days"] is None:
        errors.add("expiry_days", "按天过期时请填写有效天数。")
    if errors:
        return None
    return RulesIn.model_validate(data)


# --- the tier ladder ---------------------------------------------------------------------------

def tier_values(prog: ProgramOut) -> dict[str, str]:
    values: dict[str, str] = {}
    for lv in prog.levels:
        values |= _benefit_values(lv.code, lv) | {f"{lv.code}_name": lv.name,
                                                  f"{lv.code}_min_growth": str(lv.min_growth)}
    values |= _benefit_values("black", prog.black_card) | {"black_name": prog.black_card.name}
    values["growth_per_yuan"] = str(prog.growth_per_yuan)
    for kind, n in prog.action_growth.items():
        values[f"action_{kind}"] = str(n)
    return values


def action_kinds(prog: ProgramOut) -> dict[str, str]:
    """The interactions that earn growth: the known ones first, then any other the tenant configured."""
    return TIER_ACTIONS | {k: k for k in prog.action_growth if k not in TIER_ACTIONS}


def _benefit_values(prefix: str, b: Any) -> dict[str, str]:
    return {f"{prefix}_discount_percent": str(b.discount_percent), f"{prefix}_early": str(b.flash_sale_early_minutes),
            f"{prefix}_group_size": str(b.group_size_max), f"{prefix}_priority": _on(b.priority_service)}


def read_tiers(errors: FormErrors, v: dict[str, str], kinds: dict[str, str]) -> ProgramIn | None:
    levels = []
    for code in LEVELS:
        growth = 0 if code == "regular" else forms.integer(errors, f"{code}_min_growth",
                                                           v.get(f"{code}_min_growth", ""), "所需成长值", 1, 10**9)
        levels.append({"code": code, "name": _name(errors, code, v), "min_growth": growth,
                       **_read_benefits(errors, code, v)})
    if not errors and not levels[1]["min_growth"] < levels[2]["min_growth"]:
        errors.add("gold_min_growth", "黄金会员所需成长值必须高于白银会员。")
    black = {"name": _name(errors, "black", v), **_read_benefits(errors, "black", v)}
    per_yuan = forms.integer(errors, "growth_per_yuan", v.get("growth_per_yuan", ""), "每元成长值", 0, 100)
    actions = {k: forms.integer(errors, f"action_{k}", v.get(f"action_{k}", "0") or "0", f"{label}成长值", 0, 1000)
               for k, label in kinds.items()}
    if errors:
        return None
    return ProgramIn.model_validate({"levels": levels, "black_card": black, "growth_per_yuan": per_yuan,
                                     "action_growth": actions})


def _name(errors: FormErrors, prefix: str, v: dict[str, str]) -> str:
    name = v.get(f"{prefix}_name", "").strip()
    if not 1 <= len(name) <= 20:
        errors.add(f"{prefix}_name", "等级名称请填写 1–20 个字。")
    return name


def _read_benefits(errors: FormErrors, prefix: str, v: dict[str, str]) -> dict[str, Any]:
    return {
        "discount_percent": forms.integer(errors, f"{prefix}_discount_percent",
                                          v.get(f"{prefix}_discount_percent", ""), "会员价优惠（%）", 0, 50),
        "flash_sale_early_minutes": forms.integer(errors, f"{prefix}_early", v.get(f"{prefix}_early", ""),
                                                  "秒杀提前分钟", 0, 1440),
        "group_size_max": forms.integer(errors, f"{prefix}_group_size", v.get(f"{prefix}_group_size", ""),
                                        "拼团人数上限", 2, 1000),
        "priority_service": v.get(f"{prefix}_priority") == "on"}
