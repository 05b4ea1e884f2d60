"""Running journeys: enrol members, then move each enrolment through its steps, one step run at a time.

Exactly once per member and step, under retries and several workers:
- an enrolment is unique per (version, member, entry key) and a step run per (enrolment, step): both are
  written with INSERT … ON CONFLICT DO NOTHING, so a redelivered event or a racing runner adds nothing;
- a run is executed only by whoever holds its row lock while it is still `pending`, and in the same
  transaction it is marked done and the next step's run is written; a failure rolls all of it back;
- the side effects themselves are idempotent on `journey:<enrolment>:<step>` in their own domains.
Time: a run is due at `due_at`; a wait step's run is due when the wait ends, counted from when the previous
step was due (not from when a late runner got to it), so "3 days after the purchase" means exactly that.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from linli.core import clock, outbox
from linli.journey import actions
from linli.journey import repository as repo
from linli.models import Journey, JourneyEnrolment, JourneyStepRun, JourneyVersion

SHANGHAI = ZoneInfo("Asia/Shanghai")
STEP_DUE = "journey.step_due"  # emitted for a run that is due at once, so the worker runs it without waiting


def wait_until(start: datetime, step: dict[str, Any]) -> datetime:
    """When a wait step that begins at `start` ends: after `hours`, then (if `until`) at the next HH:MM
    in Asia/Shanghai at or after that."""
    at = start + timedelta(hours=step["hours"] or 0)
    if step["until"]:
        hh, mm = (int(x) for x in step["until"].split(":"))
        local = at.astimezone(SHANGHAI)
        target = local.replace(hour=hh, minute=mm, second=0, microsecond=0)
        if target < local:
            target += timedelta(days=1)
        at = target.astimezone(UTC)
    return at


def _steps(defn: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {st["id"]: st for st in defn["steps"]}


def enrol(s: Session, j: Journey, v: JourneyVersion, member_id: int, entry_key: str, at: datetime,
          context: dict[str, Any]) -> bool:
    """Put a member into the version (once per entry key) and write the first step's run. False when the
    member was already enrolled with this key."""
    enrolment_id = repo.add_enrolment(s, {
        "tenant_id": j.tenant_id, "journey_id": j.id, "version_id": v.id, "member_id": member_id,
        "entry_key": entry_key[:80], "context": context, "enrolled_at": at})
    if enrolment_id is None:
        return False
    _add_run(s, j.tenant_id, j.id, v.id, enrolment_id, member_id, _steps(v.definition)[v.definition["start"]], at)
    return True


def _add_run(s: Session, tenant_id: int, journey_id: int, version_id: int, enrolment_id: int, member_id: int,
             step: dict[str, Any], base: datetime) -> None:
    due = wait_until(base, step) if step["type"] == "wait" else base
    run_id = repo.add_run(s, {
        "tenant_id": tenant_id, "journey_id": journey_id, "version_id": version_id, "enrolment_id": enrolment_id,
        "member_id": member_id, "step_id": step["id"], "step_type": step["type"], "status": "pending",
        "due_at": due, "created_at": clock.now(), "attempts": 0})
    if run_id is not None and due <= clock.now():
        outbox.emit(s, tenant_id, STEP_DUE, {"run_id": run_id, "journey_id": journey_id})


def _branch(enrolment_id: int, step: dict[str, Any]) -> dict[str, Any]:
    """A stable draw per enrolment and step: a retry takes the same path."""
    draw = int.from_bytes(hashlib.sha256(f"{enrolment_id}:{step['id']}".encode()).digest()[:8], "big") % 100
    for path in step["paths"]:
        if draw < path["percent"]:
            return dict(path)
        draw -= path["percent"]
    return dict(step["paths"][-1])


def run_step(s: Session, tenant_id: int, run_id: int, skip_locked: bool = True) -> bool:
    """Run one due step if it is still pending and its journey active; True if this call ran it."""
    run = repo.lock_run(s, tenant_id, run_id, skip_locked)
    now = clock.now()
    if run is None or run.status != "pending" or run.due_at > now:
        return False
    j = repo.journey(s, tenant_id, run.journey_id)
    enrolment = repo.enrolment(s, tenant_id, run.enrolment_id)
    version = repo.version_by_id(s, tenant_id, run.version_id)
    if j is None or j.status != "active" or enrolment is None or version is None:
        return False  # paused: the run waits for the journey to be resumed
    step = _steps(version.definition)[run.step_id]
    nxt = _execute(s, j, enrolment, run, step, now)
    run.status, run.finished_at = "done", now
    if nxt is None:
        enrolment.finished_at = now
    else:
        _add_run(s, tenant_id, j.id, version.id, enrolment.id, enrolment.member_id,
                 _steps(version.definition)[nxt], run.due_at)
    return True


def _execute(s: Session, j: Journey, enrolment: JourneyEnrolment, run: JourneyStepRun, step: dict[str, Any],
             now: datetime) -> str | None:
    """Do the step; record its outcome on the run; return the next step id (None: the end)."""
    kind = step["type"]
    if kind == "wait":
        run.outcome = "waited"
        return step["next"]
    if kind == "action":
        run.outcome = actions.perform(s, j.tenant_id, j.id, enrolment.id, enrolment.member_id, step)[:40]
        run.convert_by = now + timedelta(days=j.conversion_days)
        return step["next"]
    if kind == "condition":
        ok = actions.check(s, j.tenant_id, enrolment.member_id, enrolment.enrolled_at, step["check"])
        run.outcome = "true" if ok else "false"
        return step["if_true" if ok else "if_false"]
    path = _branch(enrolment.id, step)
    run.outcome = path["label"]
    return path["next"]


def record_failure(s: Session, tenant_id: int, run_id: int, error: str, max_attempts: int = 10) -> None:
    """After a failed attempt (its transaction rolled back): count it and back off; give up after
    max_attempts (status failed, the enrolment stops there)."""
    run = repo.lock_run(s, tenant_id, run_id, skip_locked=False)
    if run is None or run.status != "pending":
        return
    run.attempts += 1
    run.last_error = error[:500]
    run.due_at = clock.now() + timedelta(minutes=min(2 ** run.attempts, 24 * 60))
    if run.attempts >= max_attempts:
        run.status, run.finished_at, run.outcome = "failed", clock.now(), "failed"
