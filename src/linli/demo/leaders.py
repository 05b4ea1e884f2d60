"""The demo's leaders as an operator finds them after four months: members' ratings after pickup, the 星火计划
ladder checked every two weeks, three monthly assessments (so the weakest leaders carry warnings, help plans
and a replacement suggestion), the commission ledger taken over from the order history, withdrawals paid,
pending and rejected, applications waiting for review, and the first leader's notes on their neighbours.

Everything goes through the domain services, "as of" its historical instant with `clock.frozen_at`; only the
commission ledger is written in bulk (commission.service.take_over_history), as an import would be."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from linli.assessment import service as assessment
from linli.assessment.schemas import RatingIn
from linli.checkin import months
from linli.commission import service as commission
from linli.commission import withdrawals
from linli.commission.schemas import RejectIn, WithdrawalIn
from linli.community import service as community
from linli.core import clock
from linli.core.security import Principal
from linli.demo import data
from linli.demo.people import People
from linli.demo.writer import Ids
from linli.leader import applications, contacts, idcard
from linli.leader import service as leaders
from linli.leader.schemas import ApplicationIn, ContactKind, ContactNoteIn
from linli.order import service as orders

RATED_SHARE = 0.04  # of picked-up orders at leaders' points: most members never rate
WEAKEST = 4  # leaders whose members are often disappointed: the weakest sellers, who collect the warnings
SLIPPING = 12  # and, from this place up the sales ranking, leaders whose service slipped this last month
PRAISE = ("团长很热心，提货很方便", "东西新鲜，下次还来", "团长提醒很及时", "自提点离家近，方便")
COMPLAINTS = ("等了好久才拿到货", "鸡蛋碎了两个", "群里通知太晚了", "提货点没人，打电话才来")
APPLICANTS = 4  # the last one is rejected
NOTES: tuple[tuple[ContactKind, str], ...] = (
         ("call", "问了上周的大米口感，说很好，想要5kg装"), ("visit", "送了试吃的草莓，孩子很喜欢"),
         ("message", "提醒周五前下单，周六自提"), ("call", "老人不会用手机下单，约好帮她代下"),
         ("visit", "上门送货，顺便收集了对团购的建议"))


def seed(s: Session, ids: Ids, slug: str, people: People, rng: random.Random, now: datetime) -> None:
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    leader_ids = leaders.leader_ids(s, ids.tenant)
    _ratings(s, ids, slug, rng, _by_sales(s, ids.tenant, leader_ids, people.launch, now), now)
    _ladder_and_assessments(s, ids.tenant, leader_ids, people.launch, now)
    commission.take_over_history(s, ids.tenant, now)
    _withdrawals(s, operator, leader_ids, now)
    _applications(s, ids, slug, people, operator, rng, now)
    _notes(s, ids, slug, leader_ids[0], now)


def _by_sales(s: Session, tenant_id: int, leader_ids: list[int], start: datetime, end: datetime) -> list[int]:
    """Leader ids, weakest seller first."""
    sales = dict.fromkeys(leader_ids, 0)
    leader_of_point = community.leaders_of_points(s, tenant_id)
    for point_id, gmv in orders.gmv_by_point(s, tenant_id, start, end).items():
        if point_id in leader_of_point:
            sales[leader_of_point[point_id]] += gmv
    return sorted(leader_ids, key=lambda lid: (sales[lid], lid))


def _ratings(s: Session, ids: Ids, slug: str, rng: random.Random, ranked: list[int], now: datetime) -> None:
    """Most leaders are liked. The weakest sellers disappoint their members all along; a few mid-table leaders
    let service slip this last month (their members complain, and more of them rate)."""
    weakest, slipping = set(ranked[:WEAKEST]), set(ranked[SLIPPING:SLIPPING + WEAKEST])
    recent = now - timedelta(days=30)
    leader_of_point = community.leaders_of_points(s, ids.tenant)
    user_of = dict(zip(ids.members, ids.member_users, strict=True))
    for order_id, member_id, point_id, picked_up_at in orders.picked_up_at_points(s, ids.tenant,
                                                                                   list(leader_of_point)):
        leader_id = leader_of_point[point_id]
        low = leader_id in weakest or (leader_id in slipping and picked_up_at >= recent)
        if rng.random() >= RATED_SHARE * (3 if low else 1):
            continue
        stars = rng.choice((1, 2, 3, 3)) if low else rng.choice((4, 5, 5, 5))
        comment = rng.choice(COMPLAINTS if stars <= 3 else PRAISE) if rng.random() < 0.5 else None
        member = Principal(user_of[member_id], ids.tenant, slug, "member", member_id=member_id)
        with clock.frozen_at(picked_up_at + timedelta(hours=rng.uniform(1, 30))):
            assessment.rate(s, member, order_id, RatingIn(stars=stars, comment=comment))


def _ladder_and_assessments(s: Session, tenant_id: int, leader_ids: list[int], launch: datetime,
                            now: datetime) -> None:
    """Promotion checks every two weeks and each month's assessment on the 1st, in the order they happened."""
    checks: list[tuple[datetime, str | None]] = [(launch + timedelta(days=d), None)
                                                 for d in range(14, (now - launch).days, 14)]
    first = months.next_first(clock.local(launch).date())
    while True:
        after = months.next_first(first)
        at = _local_instant(after) + timedelta(hours=2)
        if at > now:
            break
        checks.append((at, months.month_of(first)))
        first = after
    checks.append((now, None))
    for at, month in sorted(checks, key=lambda c: c[0]):
        with clock.frozen_at(at):
            if month is not None:
                assessment.run_due(s, tenant_id, month)
            for lid in leader_ids:
                leaders.promote(s, tenant_id, lid, at)


def _local_instant(day: date) -> datetime:
    return months.bounds(months.month_of(day))[0]


def _withdrawals(s: Session, operator: Principal, leader_ids: list[int], now: datetime) -> None:
    """The richest leaders have cashed out; two wait for review; one was refused for missing bank details."""
    accounts = sorted(((commission.account_of(s, operator.tenant_id, lid).available_fen, lid) for lid in leader_ids),
                      reverse=True)
    for i, (available, lid) in enumerate(accounts[:7]):
        if available < 100:
            continue
        me = _leader(s, operator.tenant_id, operator.tenant_slug, lid)
        with clock.frozen_at(now - timedelta(days=3 - i % 3, hours=i)):
            w = withdrawals.request(s, me, WithdrawalIn(amount_fen=available // 2))
        with clock.frozen_at(now - timedelta(hours=20 - i)):
            if i < 4:
                withdrawals.approve(s, operator, w.id)
            elif i == 6:
                withdrawals.reject(s, operator, w.id, RejectIn(reason="收款账户信息不完整，请补充后重新申请"))


def _applications(s: Session, ids: Ids, slug: str, people: People, operator: Principal, rng: random.Random,
                  now: datetime) -> None:
    leading = {le.member for le in people.leaders if le.member is not None}
    candidates = [i for i in range(len(people.members)) if i not in leading]
    for n, i in enumerate(rng.sample(candidates, APPLICANTS)):
        m = people.members[i]
        c = data.COMMUNITIES[m.community]
        first17 = f"3301061985{(n % 12) + 1:02d}{(n * 7) % 28 + 1:02d}{100 + n:03d}"
        body = ApplicationIn(community_id=ids.communities[m.community], pickup_kind="leader_home",
                             address=f"{c.name}{n + 3}幢{n + 1}单元{n + 1}01", lat=c.lat, lng=c.lng,
                             intro="在小区住了五年，邻居都熟，愿意帮大家团菜", real_name=m.name,
                             id_number=first17 + idcard.check_char(first17), leader_type="social")
        member = Principal(ids.member_users[i], ids.tenant, slug, "member", member_id=ids.members[i])
        with clock.frozen_at(now - timedelta(days=APPLICANTS - n, hours=rng.uniform(0, 8))):
            app = applications.apply(s, member, body)
        if n == APPLICANTS - 1:
            with clock.frozen_at(now - timedelta(hours=5)):
                applications.reject(s, operator, app.id, "住址不在所选小区，请核实后重新申请")


def _notes(s: Session, ids: Ids, slug: str, leader_id: int, now: datetime) -> None:
    me = _leader(s, ids.tenant, slug, leader_id)
    neighbours, _ = contacts.my_members(s, me, None, len(NOTES), None)
    for k, (m, (kind, note)) in enumerate(zip(neighbours, NOTES, strict=False)):
        with clock.frozen_at(now - timedelta(days=k + 1, hours=3)):
            contacts.add_note(s, me, m.id, ContactNoteIn(kind=kind, note=note))


def _leader(s: Session, tenant_id: int, slug: str, leader_id: int) -> Principal:
    return Principal(leaders.require(s, tenant_id, leader_id).user_id, tenant_id, slug, "leader", leader_id=leader_id)
