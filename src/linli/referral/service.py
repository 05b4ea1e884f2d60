"""Referral fission (1+N ladder). An invitee names their inviter by code while still new; the invite
counts once the invitee's first order is paid and has outlived the return window; each rung of the
ladder rewards the inviter once (points, delivered by event) and is reversed if the count falls back.
Anti-fraud: no self-invites (also a database constraint), one inviter per invitee (unique), the same
phone or device on both sides holds the referral for review."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.config import get_settings
from linli.core import clock, outbox
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.models import InviteCode, MemberDevice, Referral, ReferralProgram, ReferralReward
from linli.order import service as orders
from linli.referral import repository as repo
from linli.referral.schemas import BindIn, MyReferralOut, ProgramIn, ProgramOut, ReferralOut, RewardOut, Rung
from linli.tier import service as tiers

DEFAULT = ProgramIn(ladder=[Rung(invites=1, points=100), Rung(invites=3, points=300), Rung(invites=5, points=500)])
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a group chat
COUNTED = ("registered", "qualifying", "qualified")  # invites that count towards the privilege
_CODE = re.compile(r"[A-Z0-9]{4,12}")


def program(s: Session, tenant_id: int) -> ProgramOut:
    row = repo.program(s, tenant_id)
    data = DEFAULT.model_dump() if row is None else {
        "ladder": row.ladder, "unlock_at": row.unlock_at, "privilege": row.privilege,
        "bind_within_days": row.bind_within_days}
    return ProgramOut(**data)


def set_program(s: Session, p: Principal, data: ProgramIn) -> ProgramOut:
    row = repo.program(s, p.tenant_id)
    values = data.model_dump()
    if row is None:
        s.add(ReferralProgram(tenant_id=p.tenant_id, **values))
    else:
        for k, v in values.items():
            setattr(row, k, v)
    s.flush()
    return program(s, p.tenant_id)


def code_for(s: Session, tenant_id: int, member_id: int) -> str:
    existing = repo.code_of(s, tenant_id, member_id)
    if existing is not None:
        return existing.code
    for _ in range(10):
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        if repo.with_code_in_any_tenant(s, code):
            continue  # unique across tenants too: the public link /m/invite/{code} finds its tenant by it
        try:
            with s.begin_nested():
                s.add(InviteCode(tenant_id=tenant_id, member_id=member_id, code=code))
            return code
        except IntegrityError:
            existing = repo.code_of(s, tenant_id, member_id)  # a concurrent request made one
            if existing is not None:
                return existing.code
    raise RuntimeError("could not find a free invite code")


def mine(s: Session, p: Principal) -> MyReferralOut:
    assert p.member_id is not None
    prog = program(s, p.tenant_id)
    counts = repo.counts(s, p.tenant_id, p.member_id)
    qualified = counts.get("qualified", 0)
    invited = sum(counts.get(st, 0) for st in COUNTED)
    code = code_for(s, p.tenant_id, p.member_id)
    nxt = next((r["invites"] for r in prog.ladder if r["invites"] > qualified), None)
    if invited >= prog.unlock_at:  # invites bound before unlocks were recorded are recorded on the first look
        _unlock(s, p.tenant_id, p.member_id, prog, lock=False)
    unlocked = prog.privilege in tiers.privileges_of(s, p.tenant_id, p.member_id)
    return MyReferralOut(code=code, link=f"/m/invite/{code}", invited=invited, qualified=qualified,
                         rewards=[RewardOut.model_validate(r) for r in repo.rewards(s, p.tenant_id, p.member_id)],
                         privilege=prog.privilege, privilege_unlocked=unlocked, unlock_at=prog.unlock_at,
                         next_rung=nxt)


def _unlock(s: Session, tenant_id: int, inviter_id: int, prog: ProgramOut | None = None, lock: bool = True) -> None:
    """Seed 000: 邀请3人入群即解锁"超级拼手"特权 — registered invites (no purchase needed) reaching
    `unlock_at` unlock the program's privilege, recorded once and kept even if an invite is voided later.
    The inviter's code row is locked first, so two invitees binding at once are counted one after another."""
    prog = prog or program(s, tenant_id)
    if lock:
        invite = repo.code_of(s, tenant_id, inviter_id)
        if invite is not None:
            s.refresh(invite, with_for_update=True)
        s.flush()
    counts = repo.counts(s, tenant_id, inviter_id)
    if sum(counts.get(st, 0) for st in COUNTED) >= prog.unlock_at:
        tiers.unlock_privilege(s, tenant_id, inviter_id, prog.privilege, "referral")


def share_opened(s: Session, tenant_id: int, code: str, visitor_member_id: int, subject: str) -> bool:
    """A neighbour opened a member's share link (a link carrying the sharer's invite code, `?from=`):
    that visit is the share, recorded for the sharer as a `share` interaction — growth, and the share
    points rule once per visitor and subject (within its daily cap). A member opening their own link, or
    an unknown code, records nothing. Returns whether a share was recorded."""
    invite = repo.by_code(s, tenant_id, code) if _CODE.fullmatch(code) else None
    if invite is None or invite.member_id == visitor_member_id:
        return False
    lifecycle.record_interaction(s, tenant_id, invite.member_id, "share", ref=f"{subject}:by:{visitor_member_id}")
    return True


def remember_device(s: Session, tenant_id: int, member_id: int, device_id: str) -> None:
    if device_id in repo.devices(s, tenant_id, member_id):
        return
    try:
        with s.begin_nested():
            s.add(MemberDevice(tenant_id=tenant_id, member_id=member_id, device_id=device_id))
    except IntegrityError:
        pass  # recorded by a concurrent request


def bind(s: Session, p: Principal, data: BindIn) -> ReferralOut:
    assert p.member_id is not None
    invite = repo.by_code(s, p.tenant_id, data.code)
    if invite is None:
        raise Invalid("no such invite code", code="unknown_invite_code")
    if invite.member_id == p.member_id:
        raise Invalid("you cannot invite yourself", code="self_invite")
    if repo.referral_of_invitee(s, p.tenant_id, p.member_id) is not None:
        raise Conflict("you already have an inviter", code="already_referred")
    invitee = members.require_member(s, p.tenant_id, p.member_id)
    window = timedelta(days=program(s, p.tenant_id).bind_within_days)
    if invitee.joined_at < clock.now() - window or orders.has_paid_order(s, p.tenant_id, p.member_id):
        raise Conflict("only new members can name an inviter", code="not_new_member")
    if data.device_id:
        remember_device(s, p.tenant_id, p.member_id, data.device_id)
    flag = _fraud_flag(s, p.tenant_id, invite.member_id, p.member_id, invitee.phone)
    referral = Referral(tenant_id=p.tenant_id, inviter_member_id=invite.member_id, invitee_member_id=p.member_id,
                        status="flagged" if flag else "registered", flag_reason=flag, device_id=data.device_id)
    try:
        with s.begin_nested():
            s.add(referral)
    except IntegrityError as exc:
        raise Conflict("you already have an inviter", code="already_referred") from exc
    outbox.emit(s, p.tenant_id, "referral.bound", {"referral_id": referral.id, "inviter": invite.member_id,
                                                   "invitee": p.member_id, "flagged": bool(flag)})
    if not flag:  # a flagged invite counts once an operator approves it
        _unlock(s, p.tenant_id, invite.member_id)
    return ReferralOut.model_validate(referral)


def _fraud_flag(s: Session, tenant_id: int, inviter_id: int, invitee_id: int, invitee_phone: str) -> str | None:
    inviter = members.require_member(s, tenant_id, inviter_id)
    if inviter.phone == invitee_phone:
        return "same_phone"
    if repo.devices(s, tenant_id, inviter_id) & repo.devices(s, tenant_id, invitee_id):
        return "same_device"
    return None


def first_order_paid(s: Session, tenant_id: int, member_id: int, order_id: int, paid_at: datetime) -> None:
    referral = repo.referral_of_invitee(s, tenant_id, member_id, lock=True)
    if referral is None or referral.first_order_id is not None:
        return
    referral.first_order_id = order_id
    referral.qualifies_at = paid_at + timedelta(days=get_settings().return_window_days)
    if referral.status == "registered":
        referral.status = "qualifying"


def order_refunded(s: Session, tenant_id: int, member_id: int, order_id: int) -> None:
    """The invitee's first order was refunded: the invite no longer counts; its reward is reversed."""
    referral = repo.referral_of_invitee(s, tenant_id, member_id, lock=True)
    if referral is None or referral.first_order_id != order_id or referral.status in ("void", "flagged"):
        return
    was_qualified = referral.status == "qualified"
    referral.status = "void"
    if was_qualified:
        _settle_ladder(s, tenant_id, referral.inviter_member_id)


def qualify(s: Session, tenant_id: int, referral_id: int) -> bool:
    referral = repo.referral(s, tenant_id, referral_id, lock=True)
    if referral is None or referral.status != "qualifying" or referral.qualifies_at is None \
            or referral.qualifies_at > clock.now():
        return False
    referral.status = "qualified"
    _settle_ladder(s, tenant_id, referral.inviter_member_id)
    return True


def review(s: Session, p: Principal, referral_id: int, approve: bool) -> ReferralOut:
    referral = repo.referral(s, p.tenant_id, referral_id, lock=True)
    if referral is None:
        raise NotFound("referral not found", code="referral_not_found")
    if referral.status != "flagged":
        raise Conflict("only flagged referrals are reviewed", code="not_flagged")
    if not approve:
        referral.status = "void"
    elif referral.first_order_id is None:
        referral.status = "registered"
    else:
        referral.status = "qualifying"
    if approve:
        _unlock(s, p.tenant_id, referral.inviter_member_id)
    return ReferralOut.model_validate(referral)


def search(s: Session, p: Principal, status: str | None, limit: int,
           cursor: str | None) -> tuple[list[ReferralOut], str | None]:
    rows, nxt = fetch_page(s, repo.listing(p.tenant_id, status), Referral.id, limit, cursor)
    return [ReferralOut.model_validate(r) for r in rows], nxt


def _settle_ladder(s: Session, tenant_id: int, inviter_id: int) -> None:
    """Grant every rung the inviter has reached and reverse any they fell back below. The inviter's
    code row is locked first, so concurrent qualifications of one inviter count one after another."""
    invite = repo.code_of(s, tenant_id, inviter_id)
    if invite is not None:
        s.refresh(invite, with_for_update=True)
    s.flush()
    qualified = repo.counts(s, tenant_id, inviter_id).get("qualified", 0)
    held = {r.rung: r for r in repo.rewards(s, tenant_id, inviter_id)}
    for rung in program(s, tenant_id).ladder:
        reward = held.get(rung["invites"])
        if rung["invites"] <= qualified and (reward is None or reward.status == "reversed"):
            if reward is None:
                s.add(ReferralReward(tenant_id=tenant_id, inviter_member_id=inviter_id, rung=rung["invites"],
                                     points=rung["points"], status="granted"))
            else:
                reward.status = "granted"
            outbox.emit(s, tenant_id, "referral.rewarded", {"member_id": inviter_id, "rung": rung["invites"],
                                                            "points": rung["points"]})
        elif rung["invites"] > qualified and reward is not None and reward.status == "granted":
            reward.status = "reversed"
            outbox.emit(s, tenant_id, "referral.reward_reversed", {"member_id": inviter_id, "rung": rung["invites"],
                                                                   "points": reward.points})
