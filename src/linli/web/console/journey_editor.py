"""The journey builder's form: a definition shown as one fieldset per step, read back from the posted form,
and steps inserted or removed while the graph stays connected. Nothing here checks the result: the journey
service checks the whole definition on save (cycles, unreachable steps, ...) and the page shows its verdict."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping
from typing import Any

KINDS = {"wait": "等待", "send_message": "发送消息", "issue_coupon": "发放优惠券", "grant_points": "赠送积分",
         "leader_task": "团长任务", "condition": "条件判断"}
CHECKS = {"has_ordered": "入旅程后已下单", "has_interacted": "入旅程后有下单或互动", "stage_is": "生命周期阶段为"}
STAGES = {"new": "新用户", "active": "活跃", "silent": "沉默", "dormant": "休眠", "core": "核心"}
ERRORS = {
    "journey_cycle": "步骤之间形成了循环：旅程必须一路向前，不能回到走过的步骤。",
    "journey_unreachable_step": "有步骤无法从第一步到达，请把它接到某一步之后，或删除它。",
    "journey_missing_target": "有步骤指向了不存在的步骤。",
    "journey_duplicate_step": "步骤编号重复。",
    "journey_bad_value": "填写的数值不正确：小时数、积分须为正整数，时刻须为 时:分（如 10:00），文字不能为空或过长。",
    "journey_missing_field": "有必填项没有填写（如等待的小时数或时刻、消息的标题和内容）。",
    "journey_unknown_field": "表单包含未知的字段。",
    "unknown_coupon_template": "所选的优惠券不存在。",
    "unknown_segment": "所选的人群不存在。",
    "journey_template_param_missing": "这个模板需要选择一张优惠券。",
    "unknown_journey_template": "没有这个模板。",
}


def error_text(code: str) -> str:
    return ERRORS.get(code, "保存失败，请检查填写的内容。")


def kind_of(step: dict[str, Any]) -> str:
    return str(step["action"]) if step["type"] == "action" else str(step["type"])


def _int(text: str | None) -> Any:
    """A whole number as a number; anything else stays text, so the definition check refuses it."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else (text or None)


def _text(text: str | None) -> str | None:
    return (text or "").strip() or None


def read_form(defn: dict[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The definition with every step's fields replaced by the posted ones (s<i>_<field>)."""
    out = copy.deepcopy(defn)
    for i, st in enumerate(out["steps"]):
        def got(field: str, i: int = i) -> str | None:
            return form.get(f"s{i}_{field}")

        kind = kind_of(st)
        if kind == "wait":
            st["hours"], st["until"] = _int(got("hours")), _text(got("until"))
        elif kind == "send_message":
            st["title"], st["body"] = _text(got("title")), _text(got("body"))
            st["category"] = got("category") or st.get("category", "marketing")
        elif kind == "issue_coupon":
            st["template_id"] = _int(got("template_id"))
        elif kind == "grant_points":
            st["amount"], st["reason"] = _int(got("amount")), _text(got("reason"))
        elif kind == "leader_task":
            st["title"], st["note"], st["due_hours"] = _text(got("title")), _text(got("note")), _int(got("due_hours"))
        elif kind == "condition":
            check = got("check") or st["check"]["kind"]
            st["check"] = {"kind": check, "stage": got("stage") or "silent"} if check == "stage_is" else (
                {"kind": check} if check in CHECKS else st["check"])
        if st["type"] == "condition":
            st["if_true"], st["if_false"] = got("if_true") or None, got("if_false") or None
        elif st["type"] != "branch":
            st["next"] = got("next") or None
    return _dropped_nones(out)


def _dropped_nones(defn: dict[str, Any]) -> dict[str, Any]:
    """Optional fields left empty are left out (the check fills in their defaults)."""
    keep = {"next", "if_true", "if_false"}
    defn["steps"] = [{k: v for k, v in st.items() if v is not None or k in keep} for st in defn["steps"]]
    return defn


def _fresh_id(defn: dict[str, Any], kind: str) -> str:
    taken = {st["id"] for st in defn["steps"]}
    return next(f"{kind}_{n}" for n in itertools.count(1) if f"{kind}_{n}" not in taken)


def new_step(kind: str, step_id: str, nxt: str | None, coupon_id: int | None) -> dict[str, Any]:
    if kind == "wait":
        return {"id": step_id, "type": "wait", "hours": 24, "next": nxt}
    if kind == "condition":
        return {"id": step_id, "type": "condition", "check": {"kind": "has_ordered"}, "if_true": nxt, "if_false": nxt}
    base: dict[str, Any] = {"id": step_id, "type": "action", "action": kind, "next": nxt}
    defaults: dict[str, dict[str, Any]] = {
        "send_message": {"title": "来自社区的消息", "body": "请填写消息内容。"},
        "issue_coupon": {"template_id": coupon_id},
        "grant_points": {"amount": 10, "reason": "自动化SOP赠送"},
        "leader_task": {"title": "回访邻居", "note": "", "due_hours": 24}}
    return base | defaults[kind]


def insert_after(defn: dict[str, Any], after: str, kind: str, coupon_id: int | None) -> dict[str, Any]:
    """A new step after `after` (empty: before the first), taking over where that step led."""
    out = copy.deepcopy(defn)
    step_id = _fresh_id(out, kind)
    if not after:
        out["steps"].insert(0, new_step(kind, step_id, out["start"], coupon_id))
        out["start"] = step_id
        return out
    for i, st in enumerate(out["steps"]):
        if st["id"] == after and st["type"] not in ("condition", "branch"):
            out["steps"].insert(i + 1, new_step(kind, step_id, st["next"], coupon_id))
            st["next"] = step_id
            return out
    return out


def remove(defn: dict[str, Any], step_id: str) -> dict[str, Any]:
    """Drop a wait or action step; whatever led to it now leads where it led."""
    out = copy.deepcopy(defn)
    gone = next((st for st in out["steps"] if st["id"] == step_id and st["type"] in ("wait", "action")), None)
    if gone is None or len(out["steps"]) == 1:
        return out
    out["steps"] = [st for st in out["steps"] if st is not gone]
    for st in out["steps"]:
        for key in ("next", "if_true", "if_false"):
            if st.get(key) == step_id:
                st[key] = gone["next"]
        for path in st.get("paths", []):
            if path["next"] == step_id:
                path["next"] = gone["next"]
    if out["start"] == step_id:
        out["start"] = gone["next"]
    return out
