"""Shared pieces of the cross-cutting API suites: the route table, the error shape, row counts,
a populated tenant, and a real HTTP server for the concurrency tests."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import func, select

from linli.core import clock
from linli.core.db import Base, Database
from tests.factories import PASSWORD, Factory, TenantKit

API = "/api/v1"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
PARAM = re.compile(r"{(\w+)}")
# Failed logins and wrong pickup codes are counted on purpose, outside the failed request.
COUNTED_ON_FAILURE = frozenset({"failure_counters"})


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # the template, e.g. /api/v1/orders/{order_id}/pay

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(PARAM.findall(self.path))

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, **ids: Any) -> str:
        return PARAM.sub(lambda m: str(ids[m.group(1)]), self.path)


def api_endpoints(app: FastAPI) -> list[Endpoint]:
    """Every operation under /api/v1, found by walking the app's routes (included routers are
    nested since FastAPI 0.137, so walk them through their route contexts). Cross-checked with the
    OpenAPI document so that the walk can never silently come back empty."""
    found: set[Endpoint] = set()
    for ctx in iter_route_contexts(app.routes):
        if not isinstance(ctx.original_route, APIRoute) or not (ctx.path or "").startswith(API + "/"):
            continue
        for method in ctx.methods or ():
            found.add(Endpoint(method.upper(), ctx.path))
    documented = {Endpoint(m.upper(), path) for path, ops in app.openapi()["paths"].items()
                  if path.startswith(API + "/") for m in ops}
    assert found == documented, (found ^ documented)
    assert len(found) >= 15, found
    return sorted(found, key=lambda e: (e.path, e.method))


def assert_error(r: Any, status: int, code: str | None = None) -> dict[str, str]:
    """The response is exactly {"error": {"code": <snake_case>, "message": <text>}} with `status`."""
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text}"
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    err = body["error"]
    assert isinstance(err, dict) and set(err) == {"code", "message"}, body
    assert isinstance(err["code"], str) and SNAKE.match(err["code"]), body
    assert isinstance(err["message"], str) and err["message"].strip(), body
    if code is not None:
        assert err["code"] == code, body
    return err


def row_counts(db: Database) -> dict[str, int]:
    """Rows in every table but the failure counters."""
    with db.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables if t.name not in COUNTED_ON_FAILURE}


@dataclass
class Populated:
    """A tenant with one of everything: community, leader with a pickup point, product, member,
    a paid order at the leader's point (and a pending one), a running flash sale, a group-buy with
    an open group, a bundle, a selling presale, a building with a household, and a new member
    referred by the member."""

    t: TenantKit
    community_id: int
    leader_id: int
    leader_h: dict[str, str]
    point_id: int
    product_id: int
    category_id: int
    member_id: int
    member_user_id: int
    member_username: str
    member_h: dict[str, str]
    order_id: int  # paid, at point_id
    pending_order_id: int
    item_id: int  # the paid order's line
    flash_sale_id: int  # running now
    group_buy_id: int
    group_id: int  # open, started by the member
    group_order_id: int  # the member's seat in it
    other_product_id: int  # the bundle's second component
    bundle_id: int
    presale_id: int  # selling now
    building_id: int
    household_id: int
    invitee_member_id: int  # a new member who named the member as inviter
    invitee_h: dict[str, str]
    referral_id: int
    invite_code: str  # the member's
    invitee_code: str  # the invitee's (read once here: the first read creates it)
    coupon_id: int  # a fixed coupon template, on offer
    member_coupon_id: int  # the member's claimed coupon of it
    geo_coupon_id: int  # the geo spot's coupon template
    spot_id: int  # a geo check-in spot, active
    geo_member_coupon_id: int  # the coupon the member unlocked by checking in at spot_id
    catalog_item_id: int  # a points catalogue item, active, in stock
    grant_transaction_id: int  # the operator's points grant to the member
    member_points: int  # the member's balance after populate (the grant and the check-in)

    @property
    def op(self) -> dict[str, str]:
        return self.t.op

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        r = self.t.client.get(f"{API}{path}", headers=headers or self.op, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    def pickup_code(self, order_id: int | None = None) -> str:
        code = self.get(f"/orders/{order_id or self.order_id}", self.member_h)["pickup_code"]
        assert code
        return code


def populate(make: Factory, slug: str | None = None) -> Populated:
    t = make.tenant(slug)
    community_id = t.community()["id"]
    leader_id, point_id, leader_h = t.leader(community_id)
    product = t.product(stock=50, price_fen=990)
    member, _ = t.member(community_id)
    member_h = t.login(member["username"], PASSWORD)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 2}],
                               "pickup_point_id": point_id}, member_h)
    t.post(f"/orders/{order['id']}/pay", None, member_h, expect=200)
    pending = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}]}, member_h)
    sale = t.post("/flash-sales", flash_sale_body(product["id"]))
    campaign = t.post("/group-buys", group_buy_body(product["id"]))
    group = t.post(f"/group-buys/{campaign['id']}/groups", None, member_h)
    other = t.product(stock=30, price_fen=300)
    bundle = t.post("/bundles", {"name": f"套餐{product['id']}", "price_fen": 1000, "items": [
        {"product_id": product["id"], "quantity": 1}, {"product_id": other["id"], "quantity": 1}]})
    presale = t.post("/presales", presale_body(product["id"]))
    building = t.post(f"/communities/{community_id}/buildings", {"name": "1幢"})
    household = t.post(f"/buildings/{building['id']}/households", household_body())
    invitee, invitee_h = t.member(community_id)
    code = t.client.get("/api/v1/me/referral", headers=member_h).json()["code"]
    referral = t.post("/referrals", {"code": code}, invitee_h)
    invitee_code = t.client.get("/api/v1/me/referral", headers=invitee_h).json()["code"]
    coupon = t.post("/coupons", coupon_body())
    claimed = t.post(f"/coupons/{coupon['id']}/claim", None, member_h)
    geo_coupon = t.post("/coupons", coupon_body("探店券"))
    spot = t.post("/geo-spots", geo_spot_body(geo_coupon["id"]))
    unlocked = t.post("/geo-checkins", {"spot_id": spot["id"], "lat": SPOT[0], "lng": SPOT[1]}, member_h)
    item = t.post("/points/catalog-items", {"name": "环保袋", "points_cost": 100, "stock": 10})
    grant = t.post("/points/grants", {"member_id": member["id"], "amount": 500, "reason": "新人礼"})
    t.post("/checkins", None, member_h)
    balance = t.client.get("/api/v1/me/points", headers=member_h).json()["balance"]
    assert balance >= 500
    return Populated(t=t, community_id=community_id, leader_id=leader_id, leader_h=leader_h,
                     point_id=point_id, product_id=product["id"], category_id=product["category_id"],
                     member_id=member["id"], member_user_id=member["user_id"],
                     member_username=member["username"], member_h=member_h, order_id=order["id"],
                     pending_order_id=pending["id"], item_id=order["items"][0]["id"], flash_sale_id=sale["id"],
                     group_buy_id=campaign["id"], group_id=group["group_id"],
                     group_order_id=group["order_id"], other_product_id=other["id"], bundle_id=bundle["id"],
                     presale_id=presale["id"],
                     building_id=building["id"], household_id=household["id"], invitee_member_id=invitee["id"],
                     invitee_h=invitee_h, referral_id=referral["id"], invite_code=code, invitee_code=invitee_code,
                     coupon_id=coupon["id"], member_coupon_id=claimed["member_coupon_id"],
                     geo_coupon_id=geo_coupon["id"], spot_id=spot["id"],
                     geo_member_coupon_id=unlocked["member_coupon_id"], catalog_item_id=item["id"],
                     grant_transaction_id=grant["transaction_id"], member_points=balance)


SPOT = (30.2, 120.1)  # where the populated geo spot is


def coupon_body(name: str = "满30减5") -> dict[str, Any]:
    """A fixed coupon on offer from a minute ago, each claim valid for 30 days."""
    return {"name": name, "discount_fen": 500, "min_spend_fen": 3000, "total": 100, "per_member_limit": 1,
            "valid_from": (clock.now() - timedelta(minutes=1)).isoformat(), "valid_days": 30}


def tier_program_body(silver: int = 1000, gold: int = 5000) -> dict[str, Any]:
    """The whole tier ladder: regular from 0, then silver and gold at the given growth."""
    return {"levels": [{"code": "regular", "name": "普通会员", "min_growth": 0},
                       {"code": "silver", "name": "白银会员", "min_growth": silver, "discount_percent": 2},
                       {"code": "gold", "name": "黄金会员", "min_growth": gold, "discount_percent": 5,
                        "group_size_max": 100}],
            "black_card": {"name": "黑卡会员", "discount_percent": 10, "priority_service": True},
            "growth_per_yuan": 1}


def geo_spot_body(coupon_id: int) -> dict[str, Any]:
    return {"name": "街角咖啡", "kind": "partner", "lat": SPOT[0], "lng": SPOT[1], "radius_m": 3000,
            "coupon_template_id": coupon_id}


def presale_body(product_id: int, quantity: int = 20) -> dict[str, Any]:
    """Selling from a minute ago for an hour, delivered tomorrow."""
    now = clock.now()
    return {"product_id": product_id, "price_fen": 600, "quantity": quantity, "per_member_limit": 5,
            "starts_at": (now - timedelta(minutes=1)).isoformat(), "ends_at": (now + timedelta(hours=1)).isoformat(),
            "delivers_at": (now + timedelta(days=1)).isoformat()}


def household_body(unit_no: str = "101") -> dict[str, Any]:
    return {"unit_no": unit_no, "unit_type": "两室一厅", "family_structure": "young_family"}


def group_buy_body(product_id: int, stock: int = 6) -> dict[str, Any]:
    return {"product_id": product_id, "price_fen": 800, "group_size": 3, "time_limit_hours": 24, "stock": stock}


def flash_sale_body(product_id: int, quantity: int = 5) -> dict[str, Any]:
    """A sale running from a minute ago for an hour."""
    now = clock.now()
    return {"product_id": product_id, "price_fen": 500, "quantity": quantity, "per_member_limit": 2,
            "starts_at": (now - timedelta(minutes=1)).isoformat(), "ends_at": (now + timedelta(hours=1)).isoformat()}


@pytest.fixture
def live_server(db: Database) -> Iterator[str]:
    """The app served by uvicorn on a free local port, in a thread of this process (same runtime)."""
    import uvicorn

    from linli.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(background=False), log_config=None, access_log=False,
                            lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
