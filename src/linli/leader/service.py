"""Group leaders (团长): who they are, their type and their 星火计划 tier (rules in linli.leader.ladder).
Recruitment lives in linli.leader.applications."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core import clock, outbox
from linli.core.errors import Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.leader import ladder
from linli.leader import repository as repo
from linli.leader.schemas import LadderProgress, LeaderDetailOut, LeaderProfile, TierHistoryOut, TierOut
from linli.member import service as members
from linli.models import Leader, LeaderTierHistory
from linli.order import service as orders
from linli.tenancy import service as tenancy


def create(s: Session, tenant_id: int, username: str, password: str, name: str, phone: str,
           community_id: int, member_id: int | None = None, since: datetime | None = None,
           password_hash: str | None = None) -> Leader:
    """A leader with their own login (demo and operator-made leaders)."""
    community.require_community(s, tenant_id, community_id, as_input=True)
    user = tenancy.create_user(s, tenant_id, username, password, "leader", name, password_hash)
    return add(s, tenant_id, user.id, member_id, community_id, name, phone, since)


def add(s: Session, tenant_id: int, user_id: int, member_id: int | None, community_id: int, name: str,
        phone: str, since: datetime | None = None, leader_type: str = "resource") -> Leader:
    """The leaders row for an existing user (an approved applicant keeps their member login)."""
    leader = Leader(tenant_id=tenant_id, user_id=user_id, member_id=member_id, community_id=community_id,
                    name=name, phone=phone, since=since or clock.now(), tier="none", leader_type=leader_type,
                    declared_type=leader_type,
                    type_reason=ladder.DECLARED_REASON)
    s.add(leader)
    s.flush()
    outbox.emit(s, tenant_id, "leader.created", {"leader_id": leader.id, "community_id": community_id})
    return leader


def exists(s: Session, tenant_id: int, leader_id: int) -> bool:
    return repo.get(s, tenant_id, leader_id) is not None


def leader_id_for_user(s: Session, tenant_id: int, user_id: int) -> int | None:
    leader = repo.by_user(s, tenant_id, user_id)
    return leader.id if leader else None


def require(s: Session, tenant_id: int, leader_id: int, lock: bool = False) -> Leader:
    leader = repo.get(s, tenant_id, leader_id, lock)
    if leader is None:
        raise NotFound("leader not found", code="leader_not_found")
    return leader


def _profile(leader: Leader) -> LeaderProfile:
    return LeaderProfile(id=leader.id, name=leader.name, community_id=leader.community_id,
                         member_id=leader.member_id, tier=leader.tier, type=leader.leader_type,
                         type_reason=leader.type_reason, since=leader.since)


def profile(s: Session, tenant_id: int, leader_id: int) -> LeaderProfile:
    return _profile(require(s, tenant_id, leader_id))


def tier_of(s: Session, tenant_id: int, leader_id: int) -> str:
    return require(s, tenant_id, leader_id).tier


def leader_ids(s: Session, tenant_id: int) -> list[int]:
    return repo.ids(s, tenant_id)


def benefits(s: Session, tenant_id: int) -> dict[str, ladder.TierBenefits]:
    """Every tier's commission and benefits: the tenant's settings over the defaults in code."""
    out = dict(ladder.DEFAULT_BENEFITS)
    for tier, row in repo.tier_settings(s, tenant_id).items():
        out[tier] = ladder.TierBenefits(tier, ladder.TIER_NAMES[tier], row.commission_bp, row.training_access,
                                        row.priority_selection, row.marketing_subsidy_fen)
    return out


def commission_rate_bp(s: Session, tenant_id: int, leader_id: int) -> int:
    return benefits(s, tenant_id)[tier_of(s, tenant_id, leader_id)].commission_bp


def leader_of_point(s: Session, tenant_id: int, pickup_point_id: int) -> int | None:
    try:
        return community.pickup_point(s, tenant_id, pickup_point_id).leader_id
    except NotFound:
        return None


def set_tier(s: Session, tenant_id: int, leader_id: int, tier: str, reason: str) -> bool:
    """Move a leader to `tier`, up or down. False if already there. Writes history and emits
    `leader.tier_changed` {leader_id, from_tier, to_tier, reason}."""
    if tier not in ladder.TIERS:
        raise Invalid(f"tier: one of {', '.join(ladder.TIERS)}", code="invalid_tier")
    leader = require(s, tenant_id, leader_id)
    s.refresh(leader)  # a concurrent change may have moved it since it was loaded
    current = leader.tier
    if current == tier or not repo.change_tier(s, tenant_id, leader_id, current, tier):
        return False
    s.refresh(leader)
    now = clock.now()
    s.add(LeaderTierHistory(tenant_id=tenant_id, leader_id=leader_id, from_tier=current, to_tier=tier,
                            reason=reason[:200], at=now))
    s.flush()
    outbox.emit(s, tenant_id, "leader.tier_changed", {"leader_id": leader_id, "from_tier": current,
                                                      "to_tier": tier, "reason": reason[:200]})
    return True


def _measures(s: Session, tenant_id: int, leader: Leader, at: datetime) -> ladder.Measures:
    start, end = ladder.window(at)
    points = community.point_ids_of_leader(s, tenant_id, leader.id)
    recent = orders.leader_facts(s, tenant_id, points, start, end)
    return ladder.Measures(
        picked_up=recent.picked_up, buyers=recent.buyers, repeat_buyers=recent.repeat_buyers,
        new_members=members.count_in_community(s, tenant_id, leader.community_id, start, end),
        community_members=members.count_in_community(s, tenant_id, leader.community_id, None, end),
        gmv_fen=orders.leader_gmv(s, tenant_id, points, end))


def ladder_progress(s: Session, tenant_id: int, leader_id: int, at: datetime | None = None) -> LadderProgress:
    leader = require(s, tenant_id, leader_id)
    at = at or clock.now()
    m = _measures(s, tenant_id, leader, at)
    nxt = ladder.next_tier(leader.tier)
    thresholds = {"observer": {"activity": ladder.ACTIVITY_MIN},
                  "steward": {"conversion_bp": ladder.CONVERSION_MIN_BP},
                  "ambassador": {"gmv_fen": ladder.GMV_MIN_FEN}}
    return LadderProgress(tier=leader.tier, at=at, activity=m.activity, conversion_bp=m.conversion_bp,
                          gmv_fen=m.gmv_fen, community_members=m.community_members, buyers_30d=m.buyers,
                          earned_tier=ladder.earned_tier(m), next_tier=nxt,
                          next_threshold=thresholds[nxt] if nxt else None)


def promote(s: Session, tenant_id: int, leader_id: int, at: datetime | None = None) -> bool:
    """Recompute the type and promote if the ladder allows a higher tier, unless an assessment demoted the
    leader this month. Never demotes."""
    leader = require(s, tenant_id, leader_id)
    at = at or clock.now()
    m = _measures(s, tenant_id, leader, at)
    kinds = [community.pickup_point(s, tenant_id, p).kind
             for p in community.point_ids_of_leader(s, tenant_id, leader.id)]
    leader.leader_type, leader.type_reason = ladder.leader_type(leader.declared_type, kinds, m)
    s.flush()
    earned = ladder.earned_tier(m)
    if ladder.rank(earned) <= ladder.rank(leader.tier):
        return False
    last = repo.last_change(s, tenant_id, leader_id)
    if last is not None and ladder.demotion_holds(last.from_tier, last.to_tier, last.at, at):
        return False
    return set_tier(s, tenant_id, leader_id, earned, tier_reason(m))


def tier_reason(m: ladder.Measures) -> str:
    """Why a tier was earned, in the words the leader pages show."""
    return f"星火计划：活跃度 {m.activity}，转化率 {m.conversion_bp / 100:.2f}%，成交额 {m.gmv_fen / 100:.2f} 元"


def search(s: Session, tenant_id: int, tier: str | None, leader_type: str | None, limit: int,
           cursor: str | None) -> tuple[list[LeaderProfile], str | None]:
    rows, nxt = fetch_page(s, repo.search(tenant_id, tier, leader_type), Leader.id, limit, cursor)
    return [_profile(r) for r in rows], nxt


def detail(s: Session, tenant_id: int, leader_id: int) -> LeaderDetailOut:
    return LeaderDetailOut(profile=profile(s, tenant_id, leader_id),
                           progress=ladder_progress(s, tenant_id, leader_id),
                           history=[TierHistoryOut.model_validate(h) for h in repo.history(s, tenant_id, leader_id)])


def detail_for(s: Session, p: Principal) -> LeaderDetailOut:
    """The calling leader's own profile (GET /leader/profile)."""
    if p.leader_id is None:
        raise NotFound("not signed in as a leader", code="leader_not_found")
    return detail(s, p.tenant_id, p.leader_id)


def rate_timeline(s: Session, tenant_id: int, leader_id: int) -> list[tuple[datetime | None, int]]:
    """(from, commission rate in bp) steps of a leader's tier over time, oldest first; the first step (from
    None) is the rate before any tier change. Today's tier settings price every step."""
    rates = benefits(s, tenant_id)
    steps = repo.history(s, tenant_id, leader_id)
    first = steps[0].from_tier if steps else tier_of(s, tenant_id, leader_id)
    return [(None, rates[first].commission_bp)] + [(h.at, rates[h.to_tier].commission_bp) for h in steps]


def profiles(s: Session, tenant_id: int, leader_ids: list[int]) -> dict[int, LeaderProfile]:
    """leader id -> profile for a page of rows in one query; ids not found (or of another tenant) are absent."""
    return {leader.id: _profile(leader) for leader in repo.many(s, tenant_id, leader_ids)}


def tier_benefits(s: Session, tenant_id: int, *tiers: str | None) -> list[TierOut | None]:
    """Each tier's commission rate and benefits (the tenant's settings over the defaults), None for None."""
    table = benefits(s, tenant_id)
    return [TierOut.model_validate(table[t]) if t else None for t in tiers]


def preview_days(s: Session, tenant_id: int, leader_id: int) -> int:
    """How far ahead the leader sees scheduled campaigns (优先选品 lengthens it)."""
    priority = benefits(s, tenant_id)[tier_of(s, tenant_id, leader_id)].priority_selection
    return ladder.PRIORITY_PREVIEW_DAYS if priority else ladder.PREVIEW_DAYS


def profiles_out(rows: Sequence[Leader]) -> list[LeaderProfile]:
    """Leaders as the API shows them (the console's list batches)."""
    return [_profile(r) for r in rows]
