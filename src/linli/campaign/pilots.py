"""Pilots (试点-复盘-推广): a campaign or a standalone experiment tried in a few communities first, a review
that compares those communities with the rest over the pilot's window, then a roll-out to all (or to
chosen) communities — or the pilot is abandoned. pilot -> reviewed -> rolled_out | abandoned (abandon
also straight from pilot); any other move is 409 pilot_bad_transition.

The pilot works through the subject's scope: the campaign's (or experiment's) community_ids are the
pilot communities until the roll-out widens them; the sender then reaches the newcomers once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.campaign import experiments, service
from linli.campaign import repository as repo
from linli.campaign.schemas import (
    CommunityFiguresOut,
    GroupFiguresOut,
    PilotIn,
    PilotOut,
    PilotReviewOut,
    ReviewIn,
    RolloutIn,
)
from linli.community import service as community
from linli.community.schemas import CommunityOut
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.member import service as members
from linli.models import Pilot
from linli.order import service as orders

DEFAULT_DAYS = 14  # a standalone experiment's pilot window when none is given


def _out(x: Pilot) -> PilotOut:
    return PilotOut.model_validate(x)


def create(s: Session, p: Principal, data: PilotIn) -> PilotOut:
    if (data.campaign_id is None) == (data.experiment_id is None):
        raise Invalid("name exactly one of campaign_id and experiment_id", code="pilot_subject_required")
    if not data.community_ids:
        raise Invalid("a pilot needs one or more communities", code="pilot_no_communities")
    scope = service.check_communities(s, p.tenant_id, data.community_ids)
    now = clock.now()
    if data.campaign_id is not None:
        c = repo.campaign(s, p.tenant_id, data.campaign_id)
        if c is None:
            raise Invalid(f"campaign {data.campaign_id} not found", code="unknown_campaign")
        if c.status not in ("draft", "scheduled"):
            raise Conflict("pilot a campaign before it starts sending", code="campaign_not_draft")
        start, end = data.starts_at or c.starts_at, data.ends_at or c.ends_at
    else:
        assert data.experiment_id is not None
        e = repo.experiment(s, p.tenant_id, data.experiment_id)
        if e is None:
            raise Invalid(f"experiment {data.experiment_id} not found", code="unknown_experiment")
        if e.campaign_id is not None:
            raise Invalid("pilot the experiment's campaign instead", code="pilot_use_campaign")
        if e.status == "stopped":
            raise Conflict("the experiment is stopped", code="experiment_bad_transition")
        start = data.starts_at or now
        end = data.ends_at or start + timedelta(days=DEFAULT_DAYS)
    service.check_window(start, end)
    if repo.open_pilot_of(s, p.tenant_id, data.campaign_id, data.experiment_id) is not None:
        raise Conflict("this already has an open pilot", code="pilot_exists")
    _scope_subject(s, p.tenant_id, data.campaign_id, data.experiment_id, scope)
    x = Pilot(tenant_id=p.tenant_id, name=data.name, campaign_id=data.campaign_id, experiment_id=data.experiment_id,
              community_ids=scope, starts_at=start, ends_at=end, status="pilot", created_at=now)
    s.add(x)
    s.flush()
    return _out(x)


def _scope_subject(s: Session, tenant_id: int, campaign_id: int | None, experiment_id: int | None,
                   scope: list[int] | None) -> None:
    if campaign_id is not None:
        service.set_scope(s, tenant_id, campaign_id, scope)
    elif experiment_id is not None:
        experiments.set_scope(s, tenant_id, experiment_id, scope)


def require(s: Session, tenant_id: int, pilot_id: int, lock: bool = False) -> Pilot:
    x = repo.pilot(s, tenant_id, pilot_id, lock=lock)
    if x is None:
        raise NotFound("pilot not found", code="pilot_not_found")
    return x


def get(s: Session, p: Principal, pilot_id: int) -> PilotOut:
    return _out(require(s, p.tenant_id, pilot_id))


def search(s: Session, p: Principal, status: str | None, limit: int,
           cursor: str | None) -> tuple[list[PilotOut], str | None]:
    rows, nxt = fetch_page(s, repo.pilots(p.tenant_id, status), Pilot.id, limit, cursor)
    return [_out(x) for x in rows], nxt


def _move(x: Pilot, allowed: tuple[str, ...], to: str) -> None:
    if x.status not in allowed:
        raise Conflict(f"a pilot that is {x.status} cannot become {to}", code="pilot_bad_transition")
    x.status = to


def mark_reviewed(s: Session, p: Principal, pilot_id: int, data: ReviewIn) -> PilotOut:
    x = require(s, p.tenant_id, pilot_id, lock=True)
    _move(x, ("pilot",), "reviewed")
    x.review_note, x.reviewed_at = data.note, clock.now()
    return _out(x)


def roll_out(s: Session, p: Principal, pilot_id: int, data: RolloutIn) -> PilotOut:
    """Widen the subject to every community (None) or to the pilot's plus the chosen ones."""
    x = require(s, p.tenant_id, pilot_id, lock=True)
    extra = service.check_communities(s, p.tenant_id, data.community_ids)
    _move(x, ("reviewed",), "rolled_out")
    scope = None if extra is None else sorted(set(x.community_ids) | set(extra))
    if x.campaign_id is not None:
        c = repo.campaign(s, p.tenant_id, x.campaign_id)
        if c is None or c.status not in repo.LIVE:
            raise Conflict("the campaign is over: nothing left to roll out", code="campaign_not_live")
    else:
        assert x.experiment_id is not None
        e = repo.experiment(s, p.tenant_id, x.experiment_id)
        if e is None or e.status == "stopped":
            raise Conflict("the experiment is stopped: nothing left to roll out", code="experiment_bad_transition")
    _scope_subject(s, p.tenant_id, x.campaign_id, x.experiment_id, scope)
    x.rollout_community_ids, x.closed_at = scope, clock.now()
    return _out(x)


def abandon(s: Session, p: Principal, pilot_id: int) -> PilotOut:
    """The subject keeps its pilot scope: it ends in the pilot communities as planned, never wider."""
    x = require(s, p.tenant_id, pilot_id, lock=True)
    _move(x, ("pilot", "reviewed"), "abandoned")
    x.closed_at = clock.now()
    return _out(x)


# --- review -----------------------------------------------------------------------------------

def _all_communities(s: Session, p: Principal) -> list[CommunityOut]:
    found: list[CommunityOut] = []
    cursor: str | None = None
    while True:
        page, cursor = community.search_communities(s, p, None, 200, cursor)
        found.extend(page)
        if cursor is None:
            return found


def _group(rows: list[CommunityFiguresOut]) -> GroupFiguresOut:
    m = sum(r.members for r in rows)
    b, o, g = sum(r.buyers for r in rows), sum(r.orders for r in rows), sum(r.gmv_fen for r in rows)
    return GroupFiguresOut(communities=len(rows), members=m, buyers=b, orders=o, gmv_fen=g,
                           participation_rate=round(b / m, 6) if m else 0.0,
                           orders_per_member=round(o / m, 6) if m else 0.0, gmv_per_member_fen=g // m if m else 0)


def review(s: Session, p: Principal, pilot_id: int) -> PilotReviewOut:
    """Orders, GMV and participation (distinct buyers ÷ members) in the pilot's window so far, per
    community (orders counted at the community's pickup points), pilot communities against the rest."""
    x = require(s, p.tenant_id, pilot_id)
    start, end = x.starts_at, min(x.ends_at, clock.now())
    end = max(end, start)
    points: dict[int, list[int]] = {}
    for point, cid in community.communities_of_points(s, p.tenant_id).items():
        points.setdefault(cid, []).append(point)
    rows = []
    for c in _all_communities(s, p):
        gmv, n_orders, buyers = orders.sales_at_points(s, p.tenant_id, sorted(points.get(c.id, [])), start, end)
        n_members = members.count_in_community(s, p.tenant_id, c.id, None, end)
        rows.append(CommunityFiguresOut(
            community_id=c.id, name=c.name, in_pilot=c.id in x.community_ids, members=n_members, buyers=buyers,
            orders=n_orders, gmv_fen=gmv, participation_rate=round(buyers / n_members, 6) if n_members else 0.0))
    rows.sort(key=lambda r: (not r.in_pilot, r.community_id))
    pilot = _group([r for r in rows if r.in_pilot])
    rest = _group([r for r in rows if not r.in_pilot])
    lift = (round(pilot.participation_rate / rest.participation_rate - 1, 6)
            if rest.participation_rate else None)
    return PilotReviewOut(pilot_id=x.id, status=x.status, window_start=start, window_end=end, pilot=pilot,
                          rest=rest, participation_lift=lift, communities=rows)
