"""Assignment runs: choose the orders to (re)place, hand them to the optimiser, move the ones it sends elsewhere
(order.relocation), record the run with one row per moved or unplaced order, and tell each moved member.

Safe under concurrency: a run first locks the tenant's pickup settings row, so runs of one tenant go one at a
time and each reads the loads after the previous one committed; a repeat of a key answers the first run (the
key is unique); a move is a conditional UPDATE (still paid, still at the old point), so an order picked up or
moved meanwhile is left alone. Capacities are therefore never exceeded by runs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core import clock
from linli.core.errors import NotFound
from linli.member import service as members
from linli.messaging import service as messaging
from linli.messaging.schemas import OutgoingMessage
from linli.models import AssignmentMove, AssignmentRun
from linli.order import relocation
from linli.order.events import SYSTEM, Actor
from linli.pickup import optimiser
from linli.pickup import repository as repo
from linli.pickup.network import network
from linli.pickup.schemas import STATUS_NAMES, UNPLACED_NAMES, MoveOut, PointOut, RunOut

SOLVER = "ortools.min_cost_flow"


@dataclass(frozen=True)
class Home:
    lat: float
    lng: float
    preferred_point_id: int | None


def reassign(s: Session, tenant_id: int, key: str | None, trigger: str, *, point_ids: list[int] | None = None,
             paid_from: datetime | None = None, paid_until: datetime | None = None,
             user_id: int | None = None) -> RunOut:
    """One run (see the module's docstring). Which orders: those paid in [paid_from, paid_until) when a range is
    given (a delivery day), else those at `point_ids`, else those at every closed, paused or over-full point."""
    settings = repo.settings(s, tenant_id, lock=True)  # the tenant's runs queue here
    key = key or f"run:{uuid.uuid4().hex}"
    done = repo.run_by_key(s, tenant_id, key)
    if done is not None:
        return run_out(s, done)
    views = {v.id: v for v in network(s, tenant_id, with_closures=False)}
    if point_ids is not None:
        for pid in point_ids:
            if pid not in views:
                raise NotFound("pickup point not found", code="pickup_point_not_found")
    troubled = sorted(v.id for v in views.values() if v.effective_status != "open" or _over(v))
    ranged = paid_from is not None or paid_until is not None
    orders = relocation.awaiting_at(
        s, tenant_id, point_ids if point_ids is not None else (None if ranged else troubled),
        clock.as_utc(paid_from) if paid_from else None, clock.as_utc(paid_until) if paid_until else None)
    homes = home_of(s, tenant_id, sorted({o.member_id for o in orders}))
    plan = optimiser.solve(
        [optimiser.Parcel(o.order_id, homes[o.member_id].lat, homes[o.member_id].lng, o.pickup_point_id,
                          homes[o.member_id].preferred_point_id) for o in orders],
        _sites(views, orders), settings.max_distance_m, settings.preference_penalty_m)
    run = repo.add_run(s, AssignmentRun(tenant_id=tenant_id, key=key, trigger=trigger,
                                        pickup_point_id=point_ids[0] if point_ids and len(point_ids) == 1 else None,
                                        considered=len(orders), moved=0, kept=0, unplaced=0, total_distance_m=0,
                                        solver=SOLVER, created_by=user_id, created_at=clock.now()))
    actor = Actor(user_id, "operator") if user_id is not None else SYSTEM
    rows: list[AssignmentMove] = []
    for o in orders:
        row = AssignmentMove(tenant_id=tenant_id, run_id=run.id, order_id=o.order_id, member_id=o.member_id,
                             from_point_id=o.pickup_point_id)
        if o.order_id in plan.unplaced:
            row.to_point_id, row.distance_m, row.outcome = None, None, "unplaced"
            row.reason = UNPLACED_NAMES[plan.unplaced[o.order_id]]
            rows.append(row)
            continue
        to, metres = plan.placed[o.order_id]
        if to == o.pickup_point_id:
            run.kept += 1
            continue
        why = _why(views[o.pickup_point_id], ranged)
        if not relocation.relocate(s, tenant_id, o.order_id, o.pickup_point_id, to, actor, why):
            continue  # picked up, refunded or moved since it was read: nothing to do
        row.to_point_id, row.distance_m, row.outcome, row.reason = to, metres, "moved", why
        rows.append(row)
        run.total_distance_m += metres
        _tell(s, tenant_id, run.id, o, views[to], metres, why)
    run.moved = sum(1 for r in rows if r.outcome == "moved")
    run.unplaced = len(rows) - run.moved
    repo.add_moves(s, rows)
    return run_out(s, run)


def _over(v: PointOut) -> bool:
    return v.capacity is not None and v.load > v.capacity


def _sites(views: dict[int, PointOut], orders: list[relocation.Awaiting]) -> list[optimiser.Site]:
    """Open points with the room they have for the orders of this run (their own orders in it make room)."""
    here: dict[int, int] = {}
    for o in orders:
        here[o.pickup_point_id] = here.get(o.pickup_point_id, 0) + 1
    return [optimiser.Site(v.id, v.lat, v.lng,
                           None if v.capacity is None else max(0, v.capacity - (v.load - here.get(v.id, 0))))
            for v in views.values() if v.effective_status == "open"]


def home_of(s: Session, tenant_id: int, member_ids: list[int]) -> dict[int, Home]:
    """Where each member lives (their building, else their community) and their own pickup point: a few queries
    for the whole run, however many members it has."""
    places = community.building_places(s, tenant_id)
    lives = members.homes(s, tenant_id, member_ids)
    buildings = community.buildings_of_households(
        s, tenant_id, sorted({h.household_id for h in lives.values() if h.household_id is not None}))
    centres: dict[int, tuple[float, float]] = {}
    found: dict[int, Home] = {}
    for mid in member_ids:
        if mid not in lives:
            raise NotFound("member not found", code="member_not_found")
        home = lives[mid]
        place = places.get(buildings.get(home.household_id, 0)) if home.household_id is not None else None
        if place is not None:
            lat, lng = place.lat, place.lng
        else:
            if home.community_id not in centres:
                c = community.require_community(s, tenant_id, home.community_id)
                centres[home.community_id] = (c.lat, c.lng)
            lat, lng = centres[home.community_id]
        found[mid] = Home(lat, lng, home.pickup_point_id)
    return found


def _why(source: PointOut, ranged: bool) -> str:
    if source.effective_status != "open":
        return f"原自提点{STATUS_NAMES[source.effective_status]}" + (f"（{source.reason}）" if source.reason else "")
    if _over(source):
        return "原自提点包裹已满"
    return "按距离重新分配" if ranged else "自提点调整"


def _tell(s: Session, tenant_id: int, run_id: int, o: relocation.Awaiting, to: PointOut, metres: int,
          why: str) -> None:
    body = (f"您的订单（编号 {o.order_id}）改到「{to.name}」自提，原因：{why}。新自提点距您约 {metres} 米，"
            f"地址：{to.address or '见自提点页面'}，营业时间：{to.hours}。")
    messaging.send_to_member(s, tenant_id, o.member_id, OutgoingMessage(
        category="service", title="自提点变更通知", body=body[:1000], dedupe_key=f"pickup-move:{run_id}:{o.order_id}",
        source="pickup", link="/m/pickup-points"))


def run_out(s: Session, run: AssignmentRun, with_moves: bool = True) -> RunOut:
    out = RunOut.model_validate(run)
    if with_moves:
        out.moves = [MoveOut.model_validate(m) for m in repo.moves(s, run.tenant_id, run.id)]
    return out


def get_run(s: Session, tenant_id: int, run_id: int) -> RunOut:
    run = repo.run(s, tenant_id, run_id)
    if run is None:
        raise NotFound("assignment run not found", code="run_not_found")
    return run_out(s, run)


def recent_runs(s: Session, tenant_id: int, limit: int) -> list[RunOut]:
    return [run_out(s, r, with_moves=False) for r in repo.recent_runs(s, tenant_id, limit)]
