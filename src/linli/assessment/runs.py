"""The monthly run: gather each leader's facts in a few set-based queries, score, store, apply."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.assessment import cases, scoring
from linli.assessment import repository as repo
from linli.assessment.scoring import Facts
from linli.assessment.settings import current
from linli.checkin import months
from linli.checkin import service as checkins
from linli.community import service as community
from linli.core import outbox
from linli.leader import service as leaders
from linli.member import service as members
from linli.models import AssessmentRun, LeaderAssessment
from linli.order import service as orders


def claim(s: Session, tenant_id: int, month: str, actor_user_id: int | None) -> AssessmentRun | None:
    """The (tenant, month) run row; None if it already existed (the job then skips the month)."""
    run = AssessmentRun(tenant_id=tenant_id, month=month, leaders=0, actor_user_id=actor_user_id)
    try:
        with s.begin_nested():
            s.add(run)
        return run
    except IntegrityError:
        return None


def facts(s: Session, tenant_id: int, month: str) -> tuple[list[Facts], dict[int, str]]:
    start, end = months.bounds(month)
    leader_ids = leaders.leader_ids(s, tenant_id)
    profiles = {lid: leaders.profile(s, tenant_id, lid) for lid in leader_ids}
    points: dict[int, list[int]] = {}
    for point_id, lid in community.leaders_of_points(s, tenant_id).items():
        points.setdefault(lid, []).append(point_id)
    gmv = orders.gmv_by_point(s, tenant_id, start, end)
    first_buyers = orders.first_buyers_by_point(s, tenant_id, start, end)
    joined = members.joined_by_community(s, tenant_id, start, end)
    stars = repo.stars_by_leader(s, tenant_id, start, end)
    by_member = checkins.counts_by_member(s, tenant_id, month)
    activity: dict[int, int] = {}
    for member_id, community_id in members.communities_of(s, tenant_id, list(by_member)).items():
        activity[community_id] = activity.get(community_id, 0) + by_member[member_id]
    out = []
    for lid in leader_ids:
        mine, c = points.get(lid, []), profiles[lid].community_id
        avg, n = stars.get(lid, (None, 0))
        out.append(Facts(lid, sum(gmv.get(p, 0) for p in mine),
                         joined.get(c, 0) + sum(first_buyers.get(p, 0) for p in mine),
                         None if avg is None else round(avg, 2), n, activity.get(c, 0)))
    return out, {lid: pr.tier for lid, pr in profiles.items()}


def assess(s: Session, tenant_id: int, month: str, run: AssessmentRun) -> int:
    """Score every leader for the month. Re-running updates the scores in place; a leader's demotion
    and the cases of a month are applied once (the first time the leader is assessed that month)."""
    cfg = current(s, tenant_id)
    gathered, tiers = facts(s, tenant_id, month)
    ranked = scoring.score(gathered, (cfg.w_sales, cfg.w_growth, cfg.w_service, cfg.w_activity),
                           cfg.warning_bottom_pct)
    existing = repo.assessments_of_month(s, tenant_id, month)
    warned: list[scoring.Score] = []
    for sc in ranked:
        f = sc.facts
        row = existing.get(f.leader_id)
        first_time = row is None
        if row is None:
            tier = tiers[f.leader_id]
            row = LeaderAssessment(tenant_id=tenant_id, month=month, leader_id=f.leader_id, tier_before=tier,
                                   tier_after=tier)
            s.add(row)
        row.sales_fen, row.new_members, row.avg_stars = f.sales_fen, f.new_members, f.avg_stars
        row.ratings, row.activity = f.ratings, f.activity
        row.sales_score, row.growth_score, row.service_score = sc.sales, sc.growth, sc.service
        row.activity_score, row.total, row.rank, row.title = sc.activity, sc.total, sc.rank, sc.title
        row.warned = row.warned or sc.total < cfg.warning_below or sc.bottom
        if first_time:  # the month's benefits (the marketing subsidy) follow the tier held when it ended
            outbox.emit(s, tenant_id, "leader.assessed", {"leader_id": f.leader_id, "month": month,
                                                          "tier": row.tier_before, "total": sc.total})
        if first_time and sc.demote:
            lower = scoring.step_down(row.tier_before)
            if lower != row.tier_before and leaders.set_tier(s, tenant_id, f.leader_id, lower,
                                                             f"{month} 考核排名后 20%（第 {sc.rank} 名）"):
                row.tier_after = lower
        if row.warned:
            warned.append(sc)
    s.flush()
    cases.open_cases(s, tenant_id, month, warned, cfg.replace_after)
    run.leaders = len(ranked)
    return len(ranked)
