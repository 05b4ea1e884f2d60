"""`linli demo`: loads the deterministic demo tenant in one transaction, with a progress bar.

Reference data (tenant, communities, a few members, leaders, pickup points, products) goes through
the domain services, run "as of" its historical instant with `clock.frozen_at`; the bulk (most
members and 90 days of order history) is inserted with Core executemany. All in one transaction:
either the whole tenant is there or none of it, so "already loaded" is always the truth.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.catalog.schemas import ProductIn
from linli.community import service as community
from linli.community.schemas import CommunityIn, PickupPointIn
from linli.core import clock
from linli.core.db import Database, refresh_statistics
from linli.core.security import Principal, hash_password
from linli.demo import alerts as alerts_demo
from linli.demo import audience as audience_demo
from linli.demo import calendar as calendar_demo
from linli.demo import campaigns, data, loyalty
from linli.demo import content as content_demo
from linli.demo import delivery as delivery_demo
from linli.demo import feedback as feedback_demo
from linli.demo import journeys as journeys_demo
from linli.demo import leaders as leaders_demo
from linli.demo import localservice as localservice_demo
from linli.demo import locker as locker_demo
from linli.demo import messages as messages_demo
from linli.demo import moderation as moderation_demo
from linli.demo import pickup as pickup_demo
from linli.demo import recommend as recommend_demo
from linli.demo import scenarios as scenarios_demo
from linli.demo import traceability as traceability_demo
from linli.demo.history import Product, catalogue, plan_orders
from linli.demo.ledger import Ledger, simulate
from linli.demo.people import People, plan_people
from linli.demo.writer import Ids, row_count, write_history
from linli.leader import service as leaders
from linli.member import service as members
from linli.member.schemas import MemberIn
from linli.models import (
    Building,
    Category,
    Community,
    Household,
    Leader,
    Member,
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    PickupPoint,
    Refund,
    SandboxTransaction,
    StockMovement,
    User,
)
from linli.models import (
    Product as ProductRow,
)
from linli.tenancy import service as tenancy

PASSWORD = "linli-demo"
MEMBERS = 2000
SERVICE_MEMBERS = 5  # the first few members go through the member service, the rest in bulk


def load(db: Database, slug: str = "demo", seed: int = 20261123, scale: float = 1.0,
         quiet: bool = False) -> dict[str, Any] | None:
    """Load the demo tenant `slug`; returns its counts, or None when it already exists.
    scale shrinks the number of members (and so of orders); everything else stays complete."""
    out = Console(quiet=quiet)
    with db.unit_of_work() as s:
        if tenancy.tenant_by_slug(s, slug) is not None:
            out.print(f"demo tenant [bold]{slug}[/] is already loaded; nothing to do")
            return None
    started = time.perf_counter()
    now = clock.now()
    rng = random.Random(seed)
    columns = (TextColumn("{task.description:<14}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True, quiet=quiet)) as progress:
        task = progress.add_task("规划数据", total=None)
        people = plan_people(rng, now, max(50, round(MEMBERS * scale)))
        products = catalogue(rng)
        orders = plan_orders(rng, now, people, products)
        ledger = simulate(orders, products, now)
        reference = (len(data.COMMUNITIES) + len(people.buildings) + len(people.households) + len(people.members)
                     + len(people.leaders) + len(people.points) + len(products))
        progress.update(task, total=reference + row_count(orders, ledger), completed=0)

        def tick(label: str, n: int) -> None:
            progress.update(task, description=label, advance=n)

        with db.unit_of_work() as s:
            ids = _write_reference(s, slug, people, products, ledger, tick)
            write_history(s, ids, orders, products, ledger, tick)
            refresh_statistics(s)  # the later steps query four months of history
            steps = (  # each later part of the tenant, derived through the services from what came before
                ("会员积分与等级", lambda: loyalty.seed(s, ids, slug, rng, now)),
                ("团长与佣金", lambda: leaders_demo.seed(s, ids, slug, people, rng, now)),
                ("秒杀与拼团", lambda: campaigns.seed(s, ids, slug, people, products, rng, now)),
                ("站内消息", lambda: messages_demo.seed(s, ids, slug, now)),
                ("自动化SOP", lambda: journeys_demo.seed(s, ids, slug, now)),
                ("标签与人群", lambda: audience_demo.seed(s, ids, slug, now)),
                ("场景活动", lambda: scenarios_demo.seed(s, ids, slug, now)),
                ("社区日历", lambda: calendar_demo.seed(s, ids, slug, now)),
                ("批次追溯", lambda: traceability_demo.seed(s, ids, slug, products, now)),
                ("浏览与推荐", lambda: recommend_demo.seed(s, ids)),
                ("邻里圈与投票", lambda: content_demo.seed(s, ids, slug, now)),
                ("内容审核", lambda: moderation_demo.seed(s, ids, slug, now)),
                ("意见反馈", lambda: feedback_demo.seed(s, ids, slug, now)),
                ("自提网络", lambda: pickup_demo.seed(s, ids, slug, now)),
                ("智能柜", lambda: locker_demo.seed(s, ids, slug, now)),
                ("即时配送", lambda: delivery_demo.seed(s, ids, slug, now)),
                ("本地生活服务", lambda: localservice_demo.seed(s, ids, slug, now)),
                ("预警与危机处理", lambda: alerts_demo.seed(s, ids, slug, now)),
            )
            for label, step in steps:
                progress.update(task, description=label)
                step()
            refresh_statistics(s)  # the server's first queries, and the events the load left to deliver
            counts = _counts(s, ids.tenant)
        progress.update(task, description="完成")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    _summary(out, slug, counts, people)
    return counts


def _write_reference(s: Session, slug: str, people: People, products: list[Product], ledger: Ledger,
                     tick: Any) -> Ids:
    with clock.frozen_at(people.tenant_created):
        tenant_id = tenancy.create_tenant(s, slug, data.TENANT_NAME, "admin", PASSWORD).id
    admin = s.scalar(select(User.id).where(User.tenant_id == tenant_id, User.username == "admin"))
    assert admin is not None
    password_hash = hash_password(PASSWORD)  # once: argon2 per user would take minutes

    community_ids = []
    for i, c in enumerate(data.COMMUNITIES):
        with clock.frozen_at(people.tenant_created + timedelta(hours=1, minutes=7 * i)):
            community_ids.append(community.create_community(s, tenant_id, CommunityIn(
                name=c.name, address=f"{data.CITY}市{c.district}{c.address}", lat=c.lat, lng=c.lng,
                city=data.CITY, district=c.district)).id)
    tick("小区", len(community_ids))
    building_ids = _insert_ids(s, Building, [
        {"tenant_id": tenant_id, "community_id": community_ids[b.community], "name": b.name, "floors": b.floors,
         "lat": b.lat, "lng": b.lng}
        for b in people.buildings])
    tick("楼栋", len(building_ids))
    household_ids = _insert_ids(s, Household, [
        {"tenant_id": tenant_id, "building_id": building_ids[h.building], "unit_no": h.unit_no,
         "unit_type": h.unit_type, "family_structure": h.family} for h in people.households])
    tick("住户", len(household_ids))

    member_ids, member_users = [], []
    for m in people.members[:SERVICE_MEMBERS]:
        with clock.frozen_at(m.joined_at):
            created = members.create(s, tenant_id, MemberIn(
                username=m.username, password=PASSWORD, name=m.name, phone=m.phone,
                community_id=community_ids[m.community], household_id=household_ids[m.household]),
                password_hash=password_hash)
        member_ids.append(created.id)
        member_users.append(created.user_id)
    bulk = people.members[SERVICE_MEMBERS:]
    user_ids = _insert_ids(s, User, [
        {"tenant_id": tenant_id, "username": m.username, "password_hash": password_hash, "role": "member",
         "name": m.name, "is_active": True, "created_at": m.joined_at} for m in bulk])
    member_users.extend(user_ids)
    member_ids.extend(_insert_ids(s, Member, [
        {"tenant_id": tenant_id, "user_id": uid, "community_id": community_ids[m.community],
         "household_id": household_ids[m.household], "name": m.name, "phone": m.phone, "joined_at": m.joined_at}
        for m, uid in zip(bulk, user_ids, strict=True)]))
    tick("居民", len(member_ids))

    leader_rows = []
    for le in people.leaders:
        with clock.frozen_at(le.since):
            leader_rows.append(leaders.create(
                s, tenant_id, le.username, PASSWORD, le.name, le.phone, community_ids[le.community],
                member_id=member_ids[le.member] if le.member is not None else None, since=le.since,
                password_hash=password_hash))
    tick("团长", len(leader_rows))

    point_ids, pickers = [], []
    for pt in people.points:
        at = people.leaders[pt.leader].since if pt.leader is not None else people.launch - timedelta(days=3)
        leader = leader_rows[pt.leader] if pt.leader is not None else None
        with clock.frozen_at(at + timedelta(minutes=30)):
            point_ids.append(community.create_pickup_point(s, tenant_id, PickupPointIn.model_validate({
                "community_id": community_ids[pt.community], "name": pt.name, "kind": pt.kind,
                "lat": pt.lat, "lng": pt.lng, "capacity": pt.capacity,
                "leader_id": leader.id if leader else None, "address": pt.address,
                "opening_hours": pt.opening_hours})).id)
        pickers.append((leader.user_id, "leader") if leader else (admin, "operator"))
    tick("自提点", len(point_ids))

    operator = Principal(admin, tenant_id, slug, "operator")
    product_ids = []
    with clock.frozen_at(people.launch - timedelta(days=1)):
        for p, stock in zip(products, ledger.initial, strict=True):
            product_ids.append(catalog.create_product(s, operator, ProductIn(
                name=p.name, price_fen=p.price_fen, stock=stock, category=p.category, is_fresh=p.is_fresh,
                unit=p.unit, description="今日下单，次日自提" if p.is_fresh else "")).id)
    categories: Any = Category.__table__
    s.execute(categories.update().where(categories.c.tenant_id == tenant_id,
                                        categories.c.name == bindparam("b_name"))
              .values(sort=bindparam("b_sort")),
              [{"b_name": name, "b_sort": i} for i, name in enumerate(data.CATALOGUE, start=1)])
    tick("商品", len(product_ids))
    return Ids(tenant_id, admin, community_ids, member_ids, member_users, point_ids, pickers, product_ids)


def _insert_ids(s: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    table = model.__table__
    return list(s.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows).scalars())


def _counts(s: Session, tenant_id: int) -> dict[str, Any]:
    def count(model: Any, *where: Any) -> int:
        return int(s.scalar(select(func.count()).select_from(model)
                            .where(model.tenant_id == tenant_id, *where)) or 0)

    counts: dict[str, Any] = {"tenant_id": tenant_id}
    for key, model in (("communities", Community), ("buildings", Building), ("households", Household),
                       ("members", Member), ("leaders", Leader), ("pickup_points", PickupPoint),
                       ("categories", Category), ("products", ProductRow), ("orders", Order),
                       ("order_items", OrderItem), ("order_events", OrderEvent), ("payments", Payment),
                       ("refunds", Refund), ("stock_movements", StockMovement)):
        counts[key] = count(model)
    counts["sandbox_transactions"] = int(s.scalar(select(func.count()).select_from(SandboxTransaction).where(
        SandboxTransaction.request_key.like(f"t{tenant_id}:%"))) or 0)
    rows = s.execute(select(Order.status, func.count()).where(Order.tenant_id == tenant_id)
                     .group_by(Order.status).order_by(Order.status))
    counts["orders_by_status"] = {status: int(n) for status, n in rows}
    counts["order_days"] = len({clock.local(at).date() for at in s.scalars(
        select(Order.created_at).where(Order.tenant_id == tenant_id))})
    return counts


_LABELS = (("communities", "小区"), ("buildings", "楼栋"), ("households", "住户"), ("members", "居民"),
           ("leaders", "团长"), ("pickup_points", "自提点"), ("categories", "品类"), ("products", "商品"),
           ("orders", "订单"), ("order_items", "订单明细"), ("order_events", "订单时间线"),
           ("payments", "支付"), ("refunds", "退款"), ("stock_movements", "库存流水"))


_STATUS = {"picked_up": "已自提", "paid": "待自提", "cancelled": "已取消", "refunded": "已退款",
           "pending_payment": "待支付"}


def _summary(out: Console, slug: str, counts: dict[str, Any], people: People) -> None:
    table = Table(title=f"演示租户 {slug}（{counts['seconds']} 秒）", caption=data.TENANT_NAME)
    table.add_column("数据")
    table.add_column("数量", justify="right")
    for key, label in _LABELS:
        table.add_row(label, f"{counts[key]:,}")
        if key == "orders":
            for status, n in counts["orders_by_status"].items():
                table.add_row(f"  · {_STATUS.get(status, status)}", f"{n:,}")
    table.add_row("有订单的天数", str(counts["order_days"]))
    out.print(table)
    last_member = people.members[-1].username
    last_leader = people.leaders[-1].username
    out.print(f"登录（租户 [bold]{slug}[/]，密码都是 [bold]{PASSWORD}[/]）：运营 [bold]admin[/]；"
              f"团长 leader01 … {last_leader}；居民 member0001 … {last_member}")
