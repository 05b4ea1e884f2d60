"""Member lifecycle stages (seed 000's four quadrants, plus dormant): new → active ⇄ silent → dormant,
and core for long-standing repeat buyers. Facts (joined, last order, last interaction, paid orders)
are kept current by event handlers; the stage is recomputed on each of those events and, as time
passes, by the `lifecycle.recompute` due job. Every change writes a history row and emits
`member.stage_changed`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core import clock, outbox
from linli.core.errors import Invalid
from linli.core.security import Principal
from linli.lifecycle import repository as repo
from linli.lifecycle.schemas import (
    DayCounts,
    DistributionOut,
    HistoryOut,
    LifecycleOut,
    MyLifecycleOut,
    SettingsIn,
    SettingsOut,
)
from linli.lifecycle.stages import DEFAULT, LABELS, Thresholds, stage_at
from linli.member import service as members
from linli.models import LifecycleSettings, MemberActivity, MemberStageHistory
from linli.order import service as orders

STAGES = ("new", "active", "silent", "dormant", "core")
_KIND_CHARS = set("abcdefghijklmnopqrstuvwxyz_")


def thresholds(s: Session, tenant_id: int) -> Thresholds:
    row = repo.settings(s, tenant_id)
    if row is None:
        return DEFAULT
    return Thresholds(row.new_days, row.silent_days, row.dormant_days, row.core_days, row.core_orders)


def get_settings(s: Session, p: Principal) -> SettingsOut:
    return SettingsOut.model_validate(thresholds(s, p.tenant_id), from_attributes=True)


def put_settings(s: Session, p: Principal, data: SettingsIn) -> SettingsOut:
    """New thresholds apply to events from now on and to everyone at the next recompute run."""
    row = repo.settings(s, p.tenant_id)
    if row is None:
        s.add(LifecycleSettings(tenant_id=p.tenant_id, **data.model_dump()))
    else:
        for k, v in data.model_dump().items():
            setattr(row, k, v)
    s.flush()
    return get_settings(s, p)


# --- public functions other domains call -------------------------------------------------------


def record_interaction(s: Session, tenant_id: int, member_id: int, kind: str, ref: str | None = None) -> None:
    """A non-order action that really happened (login, checkin, review, share, post, comment, vote,
    geo_checkin, …), recorded by the domain where it happens — members never report their own. Emits
    `member.interacted`, which keeps the member active here, earns growth in the tier domain (once per
    kind per day) and, for the kinds with a points rule, points (once per `ref`: the action's own
    identity, e.g. "order:12" for the review of order 12, so a repeat of the same action earns nothing)."""
    if not (0 < len(kind) <= 30 and set(kind) <= _KIND_CHARS):
        raise Invalid("kind must be 1-30 lowercase letters or underscores", code="invalid_interaction_kind")
    if ref is not None and not 0 < len(ref) <= 80:
        raise Invalid("ref must be 1-80 characters", code="invalid_interaction_ref")
    payload: dict[str, object] = {"member_id": member_id, "kind": kind, "at": clock.now().isoformat()}
    if ref is not None:
        payload["ref"] = ref
    outbox.emit(s, tenant_id, "member.interacted", payload)


# --- reactions (called by handlers) ------------------------------------------------------------

def joined(s: Session, tenant_id: int, member_id: int) -> None:
    _activity(s, tenant_id, member_id)


def order_paid(s: Session, tenant_id: int, member_id: int, paid_at: datetime) -> None:
    act = _activity(s, tenant_id, member_id, lock=True)
    act.last_order_at = max(act.last_order_at or paid_at, paid_at)
    act.last_active_at = max(act.last_active_at, paid_at)
    act.paid_orders = orders.paid_order_count(s, tenant_id, member_id)  # a count, not +1: idempotent
    _restage(s, act, clock.now(), "order_paid")


def order_returned(s: Session, tenant_id: int, member_id: int) -> None:
    act = _activity(s, tenant_id, member_id, lock=True)
    act.paid_orders = orders.paid_order_count(s, tenant_id, member_id)
    _restage(s, act, clock.now(), "order_refunded")


def interacted(s: Session, tenant_id: int, member_id: int, kind: str, at: datetime) -> None:
    act = _activity(s, tenant_id, member_id, lock=True)
    act.last_interaction_at = max(act.last_interaction_at or at, at)
    act.last_active_at = max(act.last_active_at, at)
    _restage(s, act, clock.now(), f"interaction:{kind}"[:40])


def recompute_batch(s: Session, tenant_id: int, t: Thresholds, at: datetime, after_id: int,
                    limit: int) -> tuple[int, int | None]:
    """Move the next batch of members whose stage changed with time. Returns (changed, last id seen)."""
    rows = repo.changing(s, tenant_id, t, at, after_id, limit)
    changed = sum(_restage(s, act, at, "time", t) for act in rows)
    return changed, (rows[-1].id if rows else None)


def sync_from_orders(s: Session, tenant_id: int) -> int:
    """For members and orders written without events (imports, the demo loader): every member gets an
    activity row (stage `new` as of joining), then every member's last payment and paid-order count comes
    from the order domain in one query; the next recompute run restages them."""
    joined = members.joined_at_by_member(s, tenant_id)
    known = repo.member_ids_with_activity(s, tenant_id)
    repo.add_new_members(s, tenant_id, sorted((m, at) for m, at in joined.items() if m not in known))
    facts = orders.paid_facts_by_member(s, tenant_id)
    repo.set_order_facts(s, tenant_id, facts)
    return len(facts)


# --- reading -----------------------------------------------------------------------------------

def facts_of(s: Session, tenant_id: int, member_ids: Sequence[int]) -> dict[int, tuple[str, datetime | None]]:
    """member id -> (stage, last paid order time) for a page of members (one query); members without a
    row yet are left out."""
    return {a.member_id: (a.stage, a.last_order_at) for a in repo.activities(s, tenant_id, member_ids)}


def last_active_of(s: Session, tenant_id: int, member_id: int) -> datetime | None:
    """The latest of joining, last paid order and last interaction (None: no activity row yet)."""
    found = repo.activity(s, tenant_id, member_id)
    return None if found is None else found.last_active_at


def last_active_between(s: Session, tenant_id: int, lo: datetime, hi: datetime, after_id: int,
                        limit: int) -> list[tuple[int, datetime]]:
    """(member id, last active) of the members whose last activity falls in (lo, hi], a page by member id:
    who crossed N idle days between two instants (journeys' idle trigger)."""
    return repo.last_active_between(s, tenant_id, lo, hi, after_id, limit)


def mine(s: Session, p: Principal) -> MyLifecycleOut:
    assert p.member_id is not None
    act = _activity(s, p.tenant_id, p.member_id)
    return MyLifecycleOut(stage=act.stage, label=LABELS[act.stage], since=act.stage_since)


def of_member(s: Session, p: Principal, member_id: int) -> LifecycleOut:
    act = _activity(s, p.tenant_id, member_id)
    return LifecycleOut(member_id=member_id, stage=act.stage, label=LABELS[act.stage], since=act.stage_since,
                        joined_at=act.joined_at, last_order_at=act.last_order_at,
                        last_interaction_at=act.last_interaction_at, paid_orders=act.paid_orders,
                        history=[HistoryOut.model_validate(h) for h in repo.history(s, p.tenant_id, member_id)])


def distribution(s: Session, p: Principal, days: int) -> DistributionOut:
    """Members per stage at the end of each of the last `days` days (Asia/Shanghai), replayed from
    the stage history: one pass over the changes, oldest first."""
    today = clock.local(clock.now()).date()
    first = today - timedelta(days=days - 1)
    ends = [clock.as_utc(datetime.combine(first + timedelta(days=i + 1), datetime.min.time()))
            for i in range(days)]
    stage_of_member: dict[int, str] = {}
    counts: Counter[str] = Counter()
    items: list[DayCounts] = []
    changes = iter(repo.history_until(s, p.tenant_id, ends[-1]))
    pending = next(changes, None)
    for i, end in enumerate(ends):
        while pending is not None and pending[2] < end:
            member_id, stage, _at = pending
            old = stage_of_member.get(member_id)
            if old is not None:
                counts[old] -= 1
            stage_of_member[member_id] = stage
            counts[stage] += 1
            pending = next(changes, None)
        items.append(DayCounts(day=first + timedelta(days=i), **{st: counts[st] for st in STAGES}))
    return DistributionOut(stages=list(STAGES), items=items)


# --- internals ---------------------------------------------------------------------------------

def _activity(s: Session, tenant_id: int, member_id: int, lock: bool = False) -> MemberActivity:
    """The member's activity row, created (with its first stage) on first use."""
    act = repo.activity(s, tenant_id, member_id, lock=lock)
    if act is not None:
        return act
    member = members.require_member(s, tenant_id, member_id)
    stage = "new"  # as of joining; a later stage follows below as a change of its own
    act = MemberActivity(tenant_id=tenant_id, member_id=member_id, joined_at=member.joined_at,
                         last_active_at=member.joined_at, paid_orders=0, stage=stage, stage_since=member.joined_at)
    try:
        with s.begin_nested():
            s.add(act)
            s.add(MemberStageHistory(tenant_id=tenant_id, member_id=member_id, from_stage=None, to_stage=stage,
                                     at=member.joined_at, reason="joined"))
    except IntegrityError:  # a concurrent handler made it first
        found = repo.activity(s, tenant_id, member_id, lock=lock)
        assert found is not None
        return found
    outbox.emit(s, tenant_id, "member.stage_changed", {"member_id": member_id, "from": None, "to": stage})
    _restage(s, act, max(clock.now(), member.joined_at), "time")  # e.g. a member from before lifecycles
    return act


def _restage(s: Session, act: MemberActivity, at: datetime, reason: str, t: Thresholds | None = None) -> bool:
    """Apply the rule to a locked row; on a change write history and emit the event."""
    t = t or thresholds(s, act.tenant_id)
    stage = stage_at(t, act.joined_at, act.last_active_at, act.paid_orders, at)
    if stage == act.stage:
        return False
    s.add(MemberStageHistory(tenant_id=act.tenant_id, member_id=act.member_id, from_stage=act.stage,
                             to_stage=stage, at=at, reason=reason))
    outbox.emit(s, act.tenant_id, "member.stage_changed", {"member_id": act.member_id, "from": act.stage,
                                                           "to": stage})
    act.stage, act.stage_since = stage, at
    return True


def entered_stage(s: Session, tenant_id: int, stage: str, start: datetime, end: datetime) -> int:
    """Members who entered `stage` (new | active | silent | core …) in [start, end) (the silent-members alert)."""
    return repo.entered_stage(s, tenant_id, stage, start, end)
