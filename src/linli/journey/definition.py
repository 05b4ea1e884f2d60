"""A journey definition: its trigger and its graph of steps, checked as a whole before anything is saved.

Shape (JSON):
  {"trigger": {...}, "reentry": "once" | "every_trigger", "start": "<step id>", "steps": [{...}, ...]}
Triggers:  {"kind": "event", "topic": "order.paid", "filter": {"has_fresh": true}}
           {"kind": "idle", "days": 3}                 members crossing N days without order or interaction
           {"kind": "schedule", "every_days": 7, "at": "10:00", "segment_id": 4}
Steps:     {"id", "type": "wait", "hours": 72 | "until": "10:00" (both: the first HH:MM after the hours), "next"}
           {"id", "type": "action", "action": "send_message" | "issue_coupon" | "grant_points" | "leader_task",
            ..., "next"}
           {"id", "type": "condition", "check": {"kind": ...}, "if_true", "if_false"}
           {"id", "type": "branch", "paths": [{"percent": 50, "next": "a"}, {"percent": 50, "next": "b"}]}
A `next` of null ends the journey. The graph must be a DAG in which every step is reachable from start.
Every fault is a 422 with its own code; the normalised definition (defaults filled in) is what is stored.
"""

from __future__ import annotations

import re
from typing import Any

from linli.core.errors import Invalid
from linli.messaging.schemas import LINK

STAGES = ("new", "active", "silent", "dormant", "core")
EVENT_FILTERS: dict[str, dict[str, type]] = {
    "member.joined": {},
    "order.paid": {"has_fresh": bool, "min_payable_fen": int},
    "order.picked_up": {"has_fresh": bool},
    "member.stage_changed": {"to": str, "from": str},
    "member.interacted": {"kind": str},
    "segment.entered": {"segment_id": int},
    "segment.left": {"segment_id": int},
}
ACTION_FIELDS: dict[str, dict[str, tuple[type, bool]]] = {  # field -> (type, required)
    "send_message": {"title": (str, True), "body": (str, True), "category": (str, False),
                     "channels": (list, False), "link": (str, False)},
    "issue_coupon": {"template_id": (int, True)},
    "grant_points": {"amount": (int, True), "reason": (str, False)},
    "leader_task": {"title": (str, True), "note": (str, False), "due_hours": (int, False)},
}
CHECKS: dict[str, dict[str, type]] = {
    "has_ordered": {},  # a paid order since enrolment
    "has_interacted": {},  # an order or interaction since enrolment
    "stage_is": {"stage": str},
    "in_segment": {"segment_id": int},
    "has_tag": {"tag": str},
}
CHANNELS = ("inbox", "sms", "wechat")
MAX_STEPS = 50
_STEP_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def bad(code: str, message: str) -> Invalid:
    return Invalid(message, code=code)


def _only(obj: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise bad("journey_bad_value", f"{where}: must be an object")
    extra = sorted(set(obj) - allowed)
    if extra:
        raise bad("journey_unknown_field", f"{where}: unknown field {extra[0]!r}")
    return obj


def _typed(obj: dict[str, Any], key: str, kind: type, where: str, required: bool = True) -> Any:
    if key not in obj or obj[key] is None:
        if required:
            raise bad("journey_missing_field", f"{where}: {key} is required")
        return None
    value = obj[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise bad("journey_bad_value", f"{where}: {key} must be {kind.__name__}")
    return value


def _text(obj: dict[str, Any], key: str, where: str, limit: int, required: bool = True) -> str | None:
    value = _typed(obj, key, str, where, required)
    if value is not None and not (0 < len(value.strip()) <= limit and "\x00" not in value):
        raise bad("journey_bad_value", f"{where}: {key} must be 1-{limit} characters")
    return value


def _positive(obj: dict[str, Any], key: str, where: str, limit: int, required: bool = True) -> int | None:
    value = _typed(obj, key, int, where, required)
    if value is not None and not 0 < value <= limit:
        raise bad("journey_bad_value", f"{where}: {key} must be 1-{limit}")
    return value


def _time(obj: dict[str, Any], key: str, where: str, required: bool) -> str | None:
    value = _typed(obj, key, str, where, required)
    if value is not None and not _TIME.match(value):
        raise bad("journey_bad_value", f"{where}: {key} must be HH:MM")
    return value


def parse_trigger(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or "kind" not in raw:
        raise bad("journey_missing_field", "trigger: kind is required")
    kind = raw["kind"]
    if kind == "event":
        obj = _only(raw, "trigger", {"kind", "topic", "filter"})
        topic = _typed(obj, "topic", str, "trigger")
        if topic not in EVENT_FILTERS:
            raise bad("journey_unknown_trigger", f"trigger: no journey can start on {topic!r}")
        flt = _only(obj.get("filter") or {}, "trigger.filter", set(EVENT_FILTERS[topic]))
        for key, kind_of in EVENT_FILTERS[topic].items():
            _typed(flt, key, kind_of, "trigger.filter", required=False)
        for key in ("to", "from"):
            if key in flt and flt[key] not in STAGES:
                raise bad("journey_bad_value", f"trigger.filter: {key} must be one of {', '.join(STAGES)}")
        return {"kind": "event", "topic": topic, "filter": dict(flt)}
    if kind == "idle":
        obj = _only(raw, "trigger", {"kind", "days"})
        return {"kind": "idle", "days": _positive(obj, "days", "trigger", 365)}
    if kind == "schedule":
        obj = _only(raw, "trigger", {"kind", "every_days", "at", "segment_id"})
        return {"kind": "schedule", "every_days": _positive(obj, "every_days", "trigger", 365),
                "at": _time(obj, "at", "trigger", True), "segment_id": _positive(obj, "segment_id", "trigger", 2**62)}
    raise bad("journey_unknown_trigger", f"trigger: unknown kind {kind!r}")


def _parse_action(obj: dict[str, Any], where: str) -> dict[str, Any]:
    action = obj.get("action")
    if not isinstance(action, str) or action not in ACTION_FIELDS:
        raise bad("journey_unknown_action", f"{where}: unknown action {action!r}")
    _only(obj, where, {"id", "type", "action", "next", *ACTION_FIELDS[action]})
    out: dict[str, Any] = {"action": action}
    if action == "send_message":
        out["title"] = _text(obj, "title", where, 60)
        out["body"] = _text(obj, "body", where, 500)
        out["category"] = _typed(obj, "category", str, where, False) or "marketing"
        if out["category"] not in ("marketing", "service"):
            raise bad("journey_bad_value", f"{where}: category must be marketing or service")
        channels = _typed(obj, "channels", list, where, False) or ["inbox"]
        if not channels or any(c not in CHANNELS for c in channels) or len(set(channels)) != len(channels):
            raise bad("journey_bad_value", f"{where}: channels must be distinct, of {', '.join(CHANNELS)}")
        out["channels"] = channels
        out["link"] = _text(obj, "link", where, 300, required=False)
        if out["link"] is not None and not LINK.match(out["link"]):
            raise bad("journey_bad_value", f"{where}: link must be a member-app page (/m/...) or an https address")
    elif action == "issue_coupon":
        out["template_id"] = _positive(obj, "template_id", where, 2**62)
    elif action == "grant_points":
        out["amount"] = _positive(obj, "amount", where, 1_000_000)
        out["reason"] = _text(obj, "reason", where, 100, required=False) or "自动化SOP赠送"
    else:
        out["title"] = _text(obj, "title", where, 100)
        out["note"] = _text(obj, "note", where, 500, required=False) or ""
        out["due_hours"] = _positive(obj, "due_hours", where, 24 * 90, required=False) or 24
    return out


def _parse_check(raw: Any, where: str) -> dict[str, Any]:
    kind = raw.get("kind") if isinstance(raw, dict) else raw
    if not isinstance(kind, str) or kind not in CHECKS:
        raise bad("journey_unknown_condition", f"{where}: unknown check {kind!r}")
    obj = _only(raw, f"{where}.check", {"kind", *CHECKS[kind]})
    out: dict[str, Any] = {"kind": obj["kind"]}
    for key, kind_of in CHECKS[obj["kind"]].items():
        out[key] = _typed(obj, key, kind_of, f"{where}.check")
    if out["kind"] == "stage_is" and out["stage"] not in STAGES:
        raise bad("journey_bad_value", f"{where}.check: stage must be one of {', '.join(STAGES)}")
    if out["kind"] == "has_tag" and not 0 < len(out["tag"]) <= 60:
        raise bad("journey_bad_value", f"{where}.check: tag must be 1-60 characters")
    return out


def _target(obj: dict[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = _typed(obj, key, str, where, required)
    return value


def parse_step(raw: Any, index: int) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise bad("journey_bad_value", f"steps[{index}]: must be an object")
    step_id = raw.get("id")
    if not isinstance(step_id, str) or not _STEP_ID.match(step_id):
        raise bad("journey_bad_value", f"steps[{index}]: id must be 1-40 letters, digits, _ or -")
    where = f"step {step_id}"
    kind = raw.get("type")
    if kind == "wait":
        obj = _only(raw, where, {"id", "type", "hours", "until", "next"})
        hours = _positive(obj, "hours", where, 24 * 365, required=False)
        until = _time(obj, "until", where, required=False)
        if hours is None and until is None:
            raise bad("journey_missing_field", f"{where}: a wait needs hours or until")
        return {"id": step_id, "type": "wait", "hours": hours, "until": until, "next": _target(obj, "next", where)}
    if kind == "action":
        return {"id": step_id, "type": "action", **_parse_action(raw, where), "next": _target(raw, "next", where)}
    if kind == "condition":
        obj = _only(raw, where, {"id", "type", "check", "if_true", "if_false"})
        if "check" not in obj:
            raise bad("journey_missing_field", f"{where}: check is required")
        return {"id": step_id, "type": "condition", "check": _parse_check(obj["check"], where),
                "if_true": _target(obj, "if_true", where), "if_false": _target(obj, "if_false", where)}
    if kind == "branch":
        obj = _only(raw, where, {"id", "type", "paths"})
        paths = _typed(obj, "paths", list, where)
        if not 2 <= len(paths) <= 5:
            raise bad("journey_bad_value", f"{where}: a branch has 2-5 paths")
        parsed = []
        for i, p in enumerate(paths):
            path = _only(p, f"{where}.paths[{i}]", {"percent", "next", "label"})
            label = _text(path, "label", f"{where}.paths[{i}]", 20, required=False) or chr(ord("a") + i)
            parsed.append({"percent": _positive(path, "percent", f"{where}.paths[{i}]", 100), "label": label,
                           "next": _target(path, "next", f"{where}.paths[{i}]")})
        if sum(int(p["percent"] or 0) for p in parsed) != 100:
            raise bad("journey_bad_value", f"{where}: the paths' percents must add up to 100")
        if len({p["label"] for p in parsed}) != len(parsed):
            raise bad("journey_bad_value", f"{where}: path labels must differ")
        return {"id": step_id, "type": "branch", "paths": parsed}
    raise bad("journey_unknown_step_type", f"{where}: unknown step type {kind!r}")


def targets(step: dict[str, Any]) -> list[str]:
    """The steps this one can lead to (None = the end)."""
    if step["type"] == "condition":
        found = [step["if_true"], step["if_false"]]
    elif step["type"] == "branch":
        found = [p["next"] for p in step["paths"]]
    else:
        found = [step["next"]]
    return [t for t in found if t is not None]


def parse(raw: Any) -> dict[str, Any]:
    """Check a whole definition and return it normalised; raises Invalid (422) with a journey_* code."""
    obj = _only(raw, "definition", {"trigger", "reentry", "start", "steps"})
    if "trigger" not in obj:
        raise bad("journey_missing_field", "definition: trigger is required")
    trigger = parse_trigger(obj["trigger"])
    reentry = obj.get("reentry", "once")
    if reentry not in ("once", "every_trigger"):
        raise bad("journey_bad_value", "reentry must be once or every_trigger")
    raw_steps = _typed(obj, "steps", list, "definition")
    if not 0 < len(raw_steps) <= MAX_STEPS:
        raise bad("journey_bad_value", f"a journey has 1-{MAX_STEPS} steps")
    steps = [parse_step(r, i) for i, r in enumerate(raw_steps)]
    by_id: dict[str, dict[str, Any]] = {}
    for st in steps:
        if st["id"] in by_id:
            raise bad("journey_duplicate_step", f"step id {st['id']!r} is used twice")
        by_id[st["id"]] = st
    start = _typed(obj, "start", str, "definition", required=False) or steps[0]["id"]
    if start not in by_id:
        raise bad("journey_missing_target", f"start names no step: {start!r}")
    for st in steps:
        for t in targets(st):
            if t not in by_id:
                raise bad("journey_missing_target", f"step {st['id']} leads to a missing step {t!r}")
    _check_acyclic(by_id, start)
    return {"trigger": trigger, "reentry": reentry, "start": start, "steps": steps}


def _check_acyclic(by_id: dict[str, dict[str, Any]], start: str) -> None:
    """Depth-first walk from start: a step met again while still on the path is a cycle; a step never met
    is unreachable. (A cycle among unreachable steps is reported as unreachable.)"""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    stack: list[tuple[str, list[str]]] = [(start, list(targets(by_id[start])))]
    state[start] = 1
    while stack:
        node, rest = stack[-1]
        if not rest:
            state[node] = 2
            stack.pop()
            continue
        nxt = rest.pop()
        if state.get(nxt) == 1:
            raise bad("journey_cycle", f"steps {nxt} -> … -> {node} -> {nxt} form a cycle; a journey must not loop")
        if nxt not in state:
            state[nxt] = 1
            stack.append((nxt, list(targets(by_id[nxt]))))
    missing = [sid for sid in by_id if sid not in state]
    if missing:
        raise bad("journey_unreachable_step", f"step {missing[0]} cannot be reached from start")


def referenced(defn: dict[str, Any]) -> tuple[set[int], set[int]]:
    """(coupon template ids, segment ids) the definition names, to check they exist in the tenant."""
    coupons = {st["template_id"] for st in defn["steps"] if st.get("action") == "issue_coupon"}
    segments = {st["check"]["segment_id"] for st in defn["steps"]
                if st["type"] == "condition" and st["check"]["kind"] == "in_segment"}
    trig = defn["trigger"]
    if trig["kind"] == "schedule":
        segments.add(trig["segment_id"])
    if trig["kind"] == "event" and "segment_id" in trig["filter"]:
        segments.add(trig["filter"]["segment_id"])
    return coupons, segments
