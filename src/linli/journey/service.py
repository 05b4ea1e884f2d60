"""Journeys: the operator's definitions (versioned, checked whole on every save), templates, activation,
per-step funnel figures and the leader's tasks; plus the entry points the handlers and the due job use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Invalid, NotFound
from linli.core.outbox import Event
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.journey import audiences, definition, engine, triggers
from linli.journey import repository as repo
from linli.journey.schemas import (
    FromTemplateIn,
    FunnelOut,
    JourneyIn,
    JourneyOut,
    JourneyPatch,
    LeaderTaskOut,
    StepFunnelOut,
    TaskDoneIn,
    TemplateOut,
    TemplateParamOut,
)
from linli.journey.templates import BY_CODE, TEMPLATES, fill
from linli.member import service as members
from linli.models import Journey, JourneyVersion, LeaderTask

TRIGGER_TOPICS = tuple(definition.EVENT_FILTERS)


# --- definitions ------------------------------------------------------------------------------

def _checked(s: Session, tenant_id: int, raw: Any) -> dict[str, Any]:
    """The normalised definition, with every coupon and segment it names found in this tenant."""
    defn = definition.parse(raw)
    coupon_ids, segment_ids = definition.referenced(defn)
    for cid in sorted(coupon_ids):
        try:
            coupons.require_template(s, tenant_id, cid)
        except NotFound as exc:
            raise Invalid(f"coupon {cid} not found", code="unknown_coupon_template") from exc
    for sid in sorted(segment_ids):
        audiences.require_segment(s, tenant_id, sid)
    return defn


def _out(j: Journey, v: JourneyVersion) -> JourneyOut:
    return JourneyOut(id=j.id, name=j.name, description=j.description, status=j.status, version=j.version,
                      template_code=j.template_code, trigger_kind=j.trigger_kind, trigger_topic=j.trigger_topic,
                      conversion_days=j.conversion_days, created_at=j.created_at, updated_at=j.updated_at,
                      definition=v.definition)


def _new(s: Session, tenant_id: int, name: str, description: str, conversion_days: int, defn: dict[str, Any],
         template_code: str | None) -> JourneyOut:
    now = clock.now()
    j = Journey(tenant_id=tenant_id, name=name, description=description, status="draft", version=1,
                template_code=template_code, trigger_kind=defn["trigger"]["kind"],
                trigger_topic=defn["trigger"].get("topic"), conversion_days=conversion_days,
                created_at=now, updated_at=now)
    s.add(j)
    s.flush()
    v = JourneyVersion(tenant_id=tenant_id, journey_id=j.id, version=1, definition=defn, created_at=now)
    s.add(v)
    s.flush()
    return _out(j, v)


def create(s: Session, p: Principal, data: JourneyIn) -> JourneyOut:
    defn = _checked(s, p.tenant_id, data.definition)
    return _new(s, p.tenant_id, data.name, data.description, data.conversion_days, defn, None)


def templates() -> list[TemplateOut]:
    return [TemplateOut(code=t.code, name=t.name, description=t.description, conversion_days=t.conversion_days,
                        params=[TemplateParamOut(name=x.name, label=x.label) for x in t.params],
                        definition=t.definition) for t in TEMPLATES]


def from_template(s: Session, p: Principal, data: FromTemplateIn) -> JourneyOut:
    t = BY_CODE.get(data.template)
    if t is None:
        raise Invalid(f"no template {data.template!r}", code="unknown_journey_template")
    params = {"coupon_template_id": data.coupon_template_id} if data.coupon_template_id else {}
    defn = _checked(s, p.tenant_id, fill(t.definition, params))
    return _new(s, p.tenant_id, data.name or t.name, t.description, t.conversion_days, defn, t.code)


def _require(s: Session, tenant_id: int, journey_id: int, lock: bool = False) -> Journey:
    j = repo.journey(s, tenant_id, journey_id, lock=lock)
    if j is None:
        raise NotFound("journey not found", code="journey_not_found")
    return j


def _current(s: Session, j: Journey) -> JourneyVersion:
    v = repo.version(s, j.tenant_id, j.id, j.version)
    assert v is not None
    return v


def get(s: Session, p: Principal, journey_id: int) -> JourneyOut:
    j = _require(s, p.tenant_id, journey_id)
    return _out(j, _current(s, j))


def search(s: Session, p: Principal, status: str | None, limit: int,
           cursor: str | None) -> tuple[list[JourneyOut], str | None]:
    rows, nxt = fetch_page(s, repo.search(p.tenant_id, status), Journey.id, limit, cursor)
    return [_out(j, _current(s, j)) for j in rows], nxt


def update(s: Session, p: Principal, journey_id: int, data: JourneyPatch) -> JourneyOut:
    j = _require(s, p.tenant_id, journey_id, lock=True)
    v = _current(s, j)
    if data.definition is not None:
        defn = _checked(s, p.tenant_id, data.definition)
        if defn != v.definition:
            v = JourneyVersion(tenant_id=j.tenant_id, journey_id=j.id, version=j.version + 1, definition=defn,
                               created_at=clock.now())
            s.add(v)
            j.version = v.version
            j.trigger_kind, j.trigger_topic = defn["trigger"]["kind"], defn["trigger"].get("topic")
            if j.status == "active" and j.trigger_kind != "event":
                j.scanned_until = j.scanned_until or clock.now()
    if data.name is not None:
        j.name = data.name
    if data.description is not None:
        j.description = data.description
    if data.conversion_days is not None:
        j.conversion_days = data.conversion_days
    j.updated_at = clock.now()
    s.flush()
    return _out(j, v)


def set_status(s: Session, p: Principal, journey_id: int, status: str) -> JourneyOut:
    """activate / pause. Triggers look only forward from activation: events from before it (a backlog still
    in the outbox, what happened while paused) enrol nobody, and idle and schedule triggers do not catch up;
    runs of paused journeys wait where they are."""
    j = _require(s, p.tenant_id, journey_id, lock=True)
    if j.status != status:
        j.status = status
        j.updated_at = clock.now()
        if status == "active":
            j.scanned_until = j.activated_at = clock.now()
    return _out(j, _current(s, j))


# --- funnel -----------------------------------------------------------------------------------

def step_label(step: dict[str, Any]) -> str:
    """What a step does, in Chinese (the console and the funnel). Also for a definition the check refused,
    shown back to the operator: nothing is assumed present."""
    kind = step.get("type")
    if kind == "wait":
        hours, until = step.get("hours"), step.get("until")
        return "等待" + (f"{hours}小时" if hours else "") + (f"至{until}" if until else "")
    if kind == "condition":
        names = {"has_ordered": "入旅程后已下单", "has_interacted": "入旅程后有互动", "stage_is": "生命周期阶段",
                 "in_segment": "在人群中", "has_tag": "有标签"}
        check = step.get("check")
        return "判断：" + names.get(check.get("kind", "") if isinstance(check, dict) else "", "条件")
    if kind == "branch":
        return "分流：" + " / ".join(f"{x.get('label', '')} {x.get('percent', '')}%" for x in step.get("paths", []))
    names = {"send_message": "发送消息", "issue_coupon": "发放优惠券", "grant_points": "赠送积分",
             "leader_task": "团长任务"}
    action = step.get("action", "")
    extra = step.get("title") or (f"{step.get('amount')}分" if action == "grant_points" else "")
    return names.get(action, "动作") + (f"：{extra}" if extra else "")


_TOPICS = {"member.joined": "新会员加入", "order.paid": "订单支付", "order.picked_up": "订单提货",
           "member.stage_changed": "生命周期阶段变化", "member.interacted": "会员互动",
           "segment.entered": "进入人群", "segment.left": "离开人群"}
_STAGES = {"new": "新用户", "active": "活跃", "silent": "沉默", "dormant": "休眠", "core": "核心"}


def trigger_label(trigger: dict[str, Any]) -> str:
    """What starts a journey, in Chinese."""
    if trigger["kind"] == "idle":
        return f"连续{trigger['days']}天没有下单和互动"
    if trigger["kind"] == "schedule":
        return f"每{trigger['every_days']}天 {trigger['at']}（人群 #{trigger['segment_id']}）"
    flt = trigger["filter"]
    text = _TOPICS[trigger["topic"]]
    if flt.get("has_fresh"):
        text += "（含生鲜）"
    if "min_payable_fen" in flt:
        text += f"（满{flt['min_payable_fen'] / 100:g}元）"
    if "to" in flt:
        text = f"进入{_STAGES[flt['to']]}期"
    if "segment_id" in flt:
        text += f" #{flt['segment_id']}"
    return text


def funnel(s: Session, p: Principal, journey_id: int, version: int | None) -> FunnelOut:
    j = _require(s, p.tenant_id, journey_id)
    v = repo.version(s, p.tenant_id, j.id, version or j.version)
    if v is None:
        raise NotFound("no such version of this journey", code="journey_version_not_found")
    counts: dict[str, dict[str, Any]] = {}
    for step_id, status, outcome, n, converted in repo.funnel_rows(s, p.tenant_id, j.id, v.id):
        c = counts.setdefault(step_id, {"entered": 0, "done": 0, "pending": 0, "failed": 0, "outcomes": {},
                                        "converted": 0})
        c["entered"] += n
        c[status] += n
        c["converted"] += converted
        if status == "done" and outcome:
            c["outcomes"][outcome] = c["outcomes"].get(outcome, 0) + n
    steps = []
    for st in v.definition["steps"]:
        c = counts.get(st["id"], {"entered": 0, "done": 0, "pending": 0, "failed": 0, "outcomes": {},
                                  "converted": 0})
        is_action = st["type"] == "action"
        steps.append(StepFunnelOut(
            step_id=st["id"], type=st["type"], label=step_label(st), entered=c["entered"], completed=c["done"],
            pending=c["pending"], failed=c["failed"], outcomes=c["outcomes"],
            converted=c["converted"] if is_action else None,
            conversion_rate=(round(c["converted"] / c["done"], 4) if c["done"] else 0.0) if is_action else None))
    enrolled, finished = repo.enrolment_counts(s, p.tenant_id, j.id, v.id)
    return FunnelOut(journey_id=j.id, version=v.version, conversion_days=j.conversion_days, enrolled=enrolled,
                     finished=finished, steps=steps)


# --- leader tasks -----------------------------------------------------------------------------

def _task_out(t: LeaderTask, names: dict[int, str]) -> LeaderTaskOut:
    return LeaderTaskOut(id=t.id, member_id=t.member_id, member_name=names.get(t.member_id, ""), kind=t.kind,
                         title=t.title, note=t.note, due_at=t.due_at, created_at=t.created_at, done_at=t.done_at,
                         done_note=t.done_note)


def tasks(s: Session, p: Principal, done: bool | None, limit: int,
          cursor: str | None) -> tuple[list[LeaderTaskOut], str | None]:
    assert p.leader_id is not None
    rows, nxt = fetch_page(s, repo.tasks_of(p.tenant_id, p.leader_id, done), LeaderTask.id, limit, cursor)
    names = members.names(s, p.tenant_id, [t.member_id for t in rows])
    return [_task_out(t, names) for t in rows], nxt


def task_done(s: Session, p: Principal, task_id: int, data: TaskDoneIn) -> LeaderTaskOut:
    """Mark my task done (a repeat keeps the first time and note)."""
    t = repo.task(s, p.tenant_id, task_id, lock=True)
    if t is None or t.leader_id != p.leader_id:
        raise NotFound("task not found", code="leader_task_not_found")
    if t.done_at is None:
        t.done_at, t.done_note = clock.now(), data.note
    return _task_out(t, members.names(s, p.tenant_id, [t.member_id]))


# --- for the handlers and the due job ---------------------------------------------------------

def enrol_from_event(s: Session, ev: Event) -> int:
    return triggers.on_event(s, ev)


def run_step(s: Session, tenant_id: int, run_id: int) -> bool:
    return engine.run_step(s, tenant_id, run_id)


def record_failure(s: Session, tenant_id: int, run_id: int, error: str) -> None:
    engine.record_failure(s, tenant_id, run_id, error)


def order_converts(s: Session, tenant_id: int, member_id: int, paid_at: datetime) -> int:
    return repo.mark_converted(s, tenant_id, member_id, paid_at)


def scans_due(s: Session) -> list[tuple[int, int]]:
    return [(t, j) for t in repo.tenants_with_active(s) for j in repo.scanning(s, t)]


def scan(s: Session, tenant_id: int, journey_id: int, at: datetime) -> int:
    return triggers.scan(s, tenant_id, journey_id, at)


def tenants_with_pending(s: Session) -> list[int]:
    return repo.tenants_with_pending(s)


def due_runs(s: Session, tenant_id: int, at: datetime, after_id: int, limit: int) -> list[int]:
    return repo.due_runs(s, tenant_id, at, after_id, limit)
