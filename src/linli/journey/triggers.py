"""Who enters a journey: members named by events (through the outbox), and members found by scans over
time (idle N days, a segment on a schedule), run by the due job."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.journey import audiences, engine
from linli.journey import repository as repo
from linli.lifecycle import service as lifecycle
from linli.models import Journey, JourneyVersion
from linli.order import service as orders

SCAN_BATCH = 500
_EPOCH = date(2000, 1, 1)


def _matches(s: Session, ev: Event, flt: dict[str, Any]) -> bool:
    p = ev.payload
    for key, want in flt.items():
        if key == "has_fresh":
            facts = orders.commission_facts(s, ev.tenant_id, int(p["order_id"]))
            if facts is None or facts.has_fresh != want:
                return False
        elif key == "min_payable_fen":
            if int(p.get("payable_fen", 0)) < want:
                return False
        elif p.get(key) != want:
            return False
    return True


def on_event(s: Session, ev: Event) -> int:
    """Enrol the event's member in every active journey started by this topic whose filter matches."""
    member_id = ev.payload.get("member_id")
    if not isinstance(member_id, int):
        return 0
    enrolled = 0
    for j, v in repo.active_for_topic(s, ev.tenant_id, ev.topic):
        if j.activated_at is not None and ev.created_at <= j.activated_at:
            continue  # it happened before the journey was switched on
        defn = v.definition
        if not _matches(s, ev, defn["trigger"]["filter"]):
            continue
        key = f"ev:{ev.id}" if defn["reentry"] == "every_trigger" else "once"
        enrolled += engine.enrol(s, j, v, member_id, key, ev.created_at, {"event": ev.topic, **ev.payload})
    return enrolled


def scan(s: Session, tenant_id: int, journey_id: int, at: datetime) -> int:
    """One pass of an idle or schedule trigger over (scanned_until, at]. The journey row is locked (a
    concurrent runner skips it); enrolments are unique anyway."""
    j = repo.journey(s, tenant_id, journey_id, lock=True, skip_locked=True)
    if j is None or j.status != "active" or j.trigger_kind not in ("idle", "schedule"):
        return 0
    v = repo.version(s, tenant_id, j.id, j.version)
    assert v is not None
    since = j.scanned_until or at
    if since >= at:
        j.scanned_until = max(since, at)
        return 0
    trig = v.definition["trigger"]
    n = _idle(s, j, v, trig["days"], since, at) if trig["kind"] == "idle" else _schedule(s, j, v, trig, since, at)
    j.scanned_until = at
    return n


def _idle(s: Session, j: Journey, v: JourneyVersion, days: int, since: datetime, at: datetime) -> int:
    """Members whose N idle days were completed in (since, at]: last active in (since - N, at - N]. The
    entry key is the start of the idle spell, so a member who comes back and goes quiet again re-enters."""
    span = timedelta(days=days)
    once = v.definition["reentry"] == "once"
    enrolled, after = 0, 0
    while True:
        batch = lifecycle.last_active_between(s, j.tenant_id, since - span, at - span, after, SCAN_BATCH)
        for member_id, last_active in batch:
            key = "once" if once else f"idle:{last_active.isoformat()}"
            enrolled += engine.enrol(s, j, v, member_id, key, last_active + span,
                                     {"idle_since": last_active.isoformat()})
        if len(batch) < SCAN_BATCH:
            return enrolled
        after = batch[-1][0]


def last_slot(trig: dict[str, Any], since: datetime, at: datetime) -> datetime | None:
    """The latest schedule instant in (since, at] (HH:MM Asia/Shanghai every N days), or None. Only the
    latest: a runner that was stopped for a week does not send a week of schedules at once."""
    hh, mm = (int(x) for x in trig["at"].split(":"))
    day = at.astimezone(engine.SHANGHAI).date()
    for _ in range(trig["every_days"] + 1):
        if (day - _EPOCH).days % trig["every_days"] == 0:
            slot = datetime(day.year, day.month, day.day, hh, mm, tzinfo=engine.SHANGHAI).astimezone(UTC)
            if since < slot <= at:
                return slot
            if slot <= since:
                return None
        day -= timedelta(days=1)
    return None


def _schedule(s: Session, j: Journey, v: JourneyVersion, trig: dict[str, Any], since: datetime,
              at: datetime) -> int:
    slot = last_slot(trig, since, at)
    if slot is None:
        return 0
    once = v.definition["reentry"] == "once"
    key = "once" if once else f"slot:{slot.astimezone(engine.SHANGHAI).date().isoformat()}"
    return sum(engine.enrol(s, j, v, m, key, slot, {"slot": slot.isoformat()})
               for m in audiences.segment_members(s, j.tenant_id, trig["segment_id"]))
