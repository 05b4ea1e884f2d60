"""Shared pieces of the cross-cutting API suites: the route table, the error shape, row counts,
a populated tenant, and a real HTTP server for the concurrency tests."""

from __future__ import annotations

import re
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import func, select

from linli.checkin import months
from linli.commission.jobs import settle_due
from linli.core import clock
from linli.core.db import Base, Database
from linli.core.jobs import run_due
from linli.core.runtime import get_runtime
from linli.events import build_registry
from linli.leader.idcard import check_char
from tests import snapshot
from tests.api.delivery_world import delivery_world
from tests.api.localservice_world import localservice_world
from tests.factories import PASSWORD, Factory, TenantKit, bearer
from tests.locker.world import locker_world

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


@dataclass(frozen=True)
class Upload:
    """A multipart body: one file in the form field `field`."""

    filename: str
    content: bytes
    content_type: str
    field: str = "file"


PROOF = Upload("proof.png", b"\x89PNG\r\n\x1a\n proof of residence", "image/png")  # a PNG by its bytes
PRODUCT_IMAGE = Upload("apple.png", b"\x89PNG\r\n\x1a\n an apple", "image/png")
# public files named by their content hash, not by a tenant's id: no token, no tenant, no id to walk
PUBLIC_FILES = frozenset({"GET /api/v1/product-images/{name}", "GET /api/v1/post-images/{name}"})
# routes that need query parameters to be answered at all
REQUIRED_QUERY: dict[str, Callable[[Populated], dict[str, Any]]] = {
    "GET /api/v1/assessments": lambda w: {"month": w.assessed_month},
    "GET /api/v1/predictions/participation": lambda w: {"kind": "group_buy", "id": w.group_buy_id},
    "GET /api/v1/scenario-campaigns/calendar": lambda w: {"month": "2026-09"},
    "GET /api/v1/calendar": lambda w: {"month": "2026-10"},
    "GET /api/v1/insight/assortment": lambda w: {"community_id": w.community_id},
}


def send(client: Any, method: str, url: str, headers: dict[str, str], body: Any = None,
         params: dict[str, Any] | None = None) -> Any:
    """One request with a JSON body, a multipart upload (Upload) or no body (None)."""
    if isinstance(body, Upload):
        return client.request(method, url, headers=headers, params=params,
                              files={body.field: (body.filename, body.content, body.content_type)})
    if body is None:
        return client.request(method, url, headers=headers, params=params)
    return client.request(method, url, headers=headers, params=params, json=body)


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
    application_id: int  # the member's leader application: pending, with a proof file
    recruit_application_id: int  # approved: its member is now a leader too
    recruit_member_id: int
    recruit_leader_id: int
    recruit_point_id: int  # the pickup point the approval made
    recruit_h: dict[str, str]  # the member-turned-leader, logged in as leader
    picked_order_id: int  # picked up at point_id and rated by the member
    rating_id: int
    withdrawal_id: int  # the leader's, requested (not decided)
    assessed_month: str  # the last of three past months assessed, each with warnings
    case_id: int  # the leader's replacement suggestion of assessed_month, undecided
    help_task_id: int  # a task of the leader's help plan, not done
    journey_id: int  # a draft journey (the welcome SOP's template), never activated: it enrols nobody here
    leader_task_id: int  # a callback task of the leader's, about the member, open
    inbox_message_id: int  # a service message the operator sent the member: in their inbox, unread
    delivery_id: int  # its delivery in the log
    tag_id: int  # the tag "any" (every member), computed
    audience_segment_id: int  # a segment of that tag, computed: every member
    segment_id: int  # a computed segment holding the member and the invitee
    scenario_campaign_id: int  # a draft scenario campaign to that segment, its window 30 days ahead
    pilot_campaign_id: int  # another draft one, 40 days ahead, piloted in the community
    experiment_id: int  # a standalone A/B test, draft
    pilot_id: int  # the pilot of pilot_campaign_id, not reviewed yet
    moderation_case_id: int  # a member's comment the word screen sent to review, pending
    post_id: int  # a tenant-wide official post (published) with the product picture's bytes as its image
    poll_id: int  # a tenant-wide co-creation vote, open
    poll_option_id: int  # its first option

    batch_id: int  # a traceability batch of the product, code POP-1, with harvest and storage entries
    calendar_event_id: int  # an operator's calendar event in the community (the leader may change it)
    ticket_id: int  # the member's feedback ticket, open, with a voice attachment
    attachment_id: int  # that voice recording
    faq_id: int  # a FAQ entry (pickup hours)
    exchange_id: int  # the member's question the bot answered from it

    alert_id: int  # an open cancel-rate alert (written as the alert job writes it)
    crisis_id: int  # an open crisis case, from that alert
    crisis_step_id: int  # its first playbook step

    merchant_id: int  # a local-service merchant serving the community (tests/api/localservice_world.py)
    service_id: int  # its 3-seat service
    slot_id: int  # a slot of it two days ahead
    booking_id: int  # the member's confirmed booking of that slot

    locker_id: int  # a locker (智能柜) of the leader with two small compartments (tests/locker/world.py)
    compartment_id: int  # its first compartment
    parcel_id: int  # a parcel waiting in it: the member's paid order locker_order_id
    locker_order_id: int

    warehouse_id: int  # a micro-warehouse the leader runs (tests/api/delivery_world.py)
    rider_id: int  # its rider
    home_delivery_id: int  # 送货上门 of order_id, planned into delivery_batch_id
    delivery_batch_id: int

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


_worlds: dict[tuple[str, tuple[str | None, ...]], tuple[snapshot.Snapshot, list[Populated]]] = {}


def populated(make: Factory, *slugs: str | None) -> list[Populated]:
    """populate(make, slug) for each slug, into the test's empty database: built through the API the first
    time in this process for this backend, then written back from a snapshot (tests/snapshot.py), moved to now.
    Each test still gets its own copy: what one test changes, the next does not see."""
    key = (make.db.url, slugs or (None,))
    var_dir = get_runtime().settings.var_dir
    if key not in _worlds:
        worlds = [populate(make, slug) for slug in key[1]]
        keep = Path(tempfile.mkdtemp(prefix="linli-world-"))
        _worlds[key] = (snapshot.take(make.db, var_dir, keep), worlds)
        return worlds
    snap, worlds = _worlds[key]
    snapshot.restore(make.db, snap, var_dir)
    return [replace(w, t=replace(w.t, client=make.client, db=make.db)) for w in worlds]


def populate(make: Factory, slug: str | None = None) -> Populated:
    t = make.tenant(slug)
    community_id = t.community(pickup_point=False)["id"]  # its points: the leader's and the recruit's
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
    recruitment = _recruit(t, community_id, member_h)
    picked = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                                "pickup_point_id": point_id}, member_h)
    t.post(f"/orders/{picked['id']}/pay", None, member_h, expect=200)
    picked_code = t.client.get(f"{API}/orders/{picked['id']}", headers=member_h).json()["pickup_code"]
    t.post(f"/orders/{picked['id']}/pickup", {"code": picked_code}, leader_h, expect=200)
    rating = t.post(f"/orders/{picked['id']}/rating", {"stars": 4, "comment": "很新鲜"}, member_h)
    withdrawal_id = _withdrawal(t, leader_h)
    assessed = _assessments(t, leader_id, leader_h)
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
                     grant_transaction_id=grant["transaction_id"], member_points=balance, **recruitment,
                     picked_order_id=picked["id"], rating_id=rating["id"], withdrawal_id=withdrawal_id,
                     **assessed, **_journey(t, coupon["id"], leader_id, member["id"]), **_audience(t),
                     **_message(t, member["id"], member_h),
                     **_campaigns(t, [member["id"], invitee["id"]], community_id),
                     **_trace_and_calendar(t, product["id"], community_id),
                     moderation_case_id=_moderation_case(t, member["id"]), **_content(t),
                     **_feedback(t, member_h), **_alert_and_crisis(t),
                     **localservice_world(t, community_id, member_h),
                     **locker_world(t, community_id, leader_id, leader_h, member_h, product["id"]),
                     **delivery_world(t, community_id, leader_id, leader_h, member["id"], order["id"],
                                      building["id"]))



def _alert_and_crisis(t: TenantKit) -> dict[str, int]:
    from linli.models import Alert

    today = clock.today_start_local()
    with t.db.unit_of_work() as s:
        a = Alert(tenant_id=t.tenant_id, metric="cancel_rate", scope_kind="tenant", scope_id=0, scope_name="全平台",
                  window_start=today - timedelta(days=1), window_end=today, value=20.0, threshold=15.0, base=40,
                  detail={}, status="open", last_value=20.0, note="")
        s.add(a)
        s.flush()
        alert_id = a.id
    case = t.post("/crises", {"title": "取消率异常", "severity": 2, "alert_id": alert_id})
    return {"alert_id": alert_id, "crisis_id": case["id"], "crisis_step_id": case["steps"][0]["id"]}


def _content(t: TenantKit) -> dict[str, int]:
    image = t.client.post(f"{API}/post-images", headers=t.op, files={"file": (
        PRODUCT_IMAGE.filename, PRODUCT_IMAGE.content, PRODUCT_IMAGE.content_type)}).json()
    post = t.post("/posts", {"kind": "pgc", "body": "邻里圈公告 #团购#", "images": [image["name"]]})
    poll = t.post("/polls", {"kind": "cocreation", "title": "新菜品起名", "options": ["邻里红烧肉", "家常豆腐"],
                             "deadline": (clock.now() + timedelta(days=30)).isoformat()})
    return {"post_id": post["id"], "poll_id": poll["id"], "poll_option_id": poll["options"][0]["id"]}


def _feedback(t: TenantKit, member_h: dict[str, str]) -> dict[str, int]:
    """A kiosk ticket with a voice recording, a FAQ entry and a bot answer from it."""
    ticket = t.post("/feedback/tickets", {"category": "商品质量", "text": "苹果有两个烂了"}, member_h)
    voice = t.client.post(f"{API}/feedback/tickets/{ticket['id']}/attachments", headers=member_h,
                          files={"file": ("v.webm", b"\x1a\x45\xdf\xa3 voice", "audio/webm")}).json()
    faq = t.post("/feedback/faq", {"question": "自提点几点可以取货？", "keywords": "提货时间 拿货 几点",
                                   "answer": "每天 8:00-21:00。", "category": "配送与自提"})
    asked = t.post("/feedback/bot/ask", {"question": "几点可以去拿货"}, member_h, expect=200)
    return {"ticket_id": ticket["id"], "attachment_id": voice["id"], "faq_id": faq["id"],
            "exchange_id": asked["exchange_id"]}


def _moderation_case(t: TenantKit, member_id: int) -> int:
    from linli.moderation import service as moderation

    with t.db.unit_of_work() as s:
        verdict = moderation.screen(s, t.tenant_id, subject_kind="comment", subject_id=1, text="有需要的加微信",
                                    author_member_id=member_id)
    assert verdict.case_id is not None
    return verdict.case_id


def _trace_and_calendar(t: TenantKit, product_id: int, community_id: int) -> dict[str, int]:
    batch = t.post("/batches", {"code": "POP-1", "product_id": product_id, "origin": "山东烟台", "producer": "栖霞果园",
                                "produced_on": "2026-09-01", "quantity": 100})
    for i, stage in enumerate(("harvest", "storage")):
        t.post(f"/batches/{batch['id']}/entries", {
            "stage": stage, "occurred_at": (clock.now() - timedelta(days=3 - i)).isoformat()})
    event = t.post("/calendar/events", {"title": "社区义诊", "starts_at": "2026-10-03T09:00:00+08:00",
                                        "ends_at": "2026-10-03T11:00:00+08:00", "community_id": community_id})
    return {"batch_id": batch["id"], "calendar_event_id": event["id"]}


def application_body(community_id: int, id17: str = "33010619900307123") -> dict[str, Any]:
    """A leader application with a valid resident ID number (its check character computed)."""
    return {"community_id": community_id, "pickup_kind": "leader_home", "address": "3幢1单元101", "lat": 30.28,
            "lng": 120.12, "intro": "热心居民", "real_name": "王芳", "id_number": id17 + check_char(id17),
            "leader_type": "social"}


def _recruit(t: TenantKit, community_id: int, applicant_h: dict[str, str]) -> dict[str, Any]:
    """The applicant's pending application with its proof, and another member's approved one, who then
    logs in as leader."""
    pending = t.post("/leader-applications", application_body(community_id), applicant_h)
    r = t.client.post(f"{API}/leader-applications/{pending['id']}/proof", headers=applicant_h,
                      files={PROOF.field: (PROOF.filename, PROOF.content, PROOF.content_type)})
    assert r.status_code == 200, r.text
    recruit, recruit_mh = t.member(community_id)
    approved = t.post("/leader-applications", application_body(community_id, "11010119851231002"), recruit_mh)
    done = t.post(f"/leader-applications/{approved['id']}/approve", None, expect=200)
    r = t.client.post(f"{API}/auth/login", json={"tenant": t.slug, "username": recruit["username"],
                                                  "password": PASSWORD, "role": "leader"})
    assert r.status_code == 200, r.text
    return {"application_id": pending["id"], "recruit_application_id": approved["id"],
            "recruit_member_id": recruit["id"],
            "recruit_leader_id": done["leader_id"], "recruit_point_id": done["pickup_point_id"],
            "recruit_h": bearer(r.json()["access_token"])}


def _withdrawal(t: TenantKit, leader_h: dict[str, str]) -> int:
    """Settle the leader's commission on the picked-up order (past its return window), then ask for 1 fen
    of it, leaving the rest available."""
    run_due(t.db, [], build_registry())  # the order events reach the commission ledger
    with clock.frozen_at(clock.now() + timedelta(days=31)):
        settle_due(t.db, clock.now())
    available = t.client.get(f"{API}/leader/commission", headers=leader_h).json()["available_fen"]
    assert available >= 10, available
    return int(t.post("/leader/withdrawals", {"amount_fen": 1}, leader_h)["id"])


def _assessments(t: TenantKit, leader_id: int, leader_h: dict[str, str]) -> dict[str, Any]:
    """Three past months assessed: every leader is weak in each, so the leader has a help plan (month 2)
    and a replacement suggestion (month 3)."""
    first = months.today().replace(day=1)
    for _ in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
    assessed = []
    for _ in range(3):
        assessed.append(months.month_of(first))
        t.post("/assessments/run", {"month": assessed[-1]}, expect=200)
        first = months.next_first(first)
    cases = t.client.get(f"{API}/leader/assessments", headers=leader_h).json()["cases"]
    case = next(c for c in cases if c["kind"] == "replacement_suggested" and c["month"] == assessed[-1])
    plan = next(c for c in cases if c["kind"] == "help_plan")
    return {"assessed_month": assessed[-1], "case_id": case["id"], "help_task_id": plan["tasks"][0]["id"]}


def journey_body(coupon_id: int) -> dict[str, Any]:
    """A small journey: on joining, a coupon, a day's wait, then a points gift to those who have not ordered."""
    return {"name": "新人关怀", "definition": {
        "trigger": {"kind": "event", "topic": "member.joined"},
        "steps": [{"id": "coupon", "type": "action", "action": "issue_coupon", "template_id": coupon_id,
                   "next": "wait"},
                  {"id": "wait", "type": "wait", "hours": 24, "next": "ordered"},
                  {"id": "ordered", "type": "condition", "check": {"kind": "has_ordered"}, "if_true": None,
                   "if_false": "gift"},
                  {"id": "gift", "type": "action", "action": "grant_points", "amount": 50, "next": None}]}}


def _journey(t: TenantKit, coupon_id: int, leader_id: int, member_id: int) -> dict[str, Any]:
    """A draft journey from the welcome template, and a callback task a journey gave the leader."""
    from linli.models import LeaderTask

    journey = t.post("/journeys/from-template", {"template": "welcome_48h", "coupon_template_id": coupon_id})
    with t.db.unit_of_work() as s:
        task = LeaderTask(tenant_id=t.tenant_id, leader_id=leader_id, member_id=member_id, kind="callback",
                          title="回访邻居", note="", source_key=f"populate:{member_id}")
        s.add(task)
        s.flush()
        task_id = task.id
    return {"journey_id": journey["id"], "leader_task_id": task_id}


def _audience(t: TenantKit) -> dict[str, Any]:
    """A tag every member carries and a segment of it, computed by the bulk job."""
    tag = t.post("/tags", {"code": "any", "name": "全部会员", "rule": "days_since_join >= 0"})
    segment = t.post("/segments", {"name": "全部会员", "definition": {"tag": "any"}})
    t.post("/audience/refresh", None, expect=200)
    return {"tag_id": tag["id"], "audience_segment_id": segment["id"]}


def _message(t: TenantKit, member_id: int, member_h: dict[str, str]) -> dict[str, Any]:
    """The operator's service message to the member, in their inbox."""
    sent = t.post("/messages", message_body([member_id]))
    inbox = t.client.get(f"{API}/me/messages", headers=member_h).json()
    return {"inbox_message_id": inbox["items"][0]["id"], "delivery_id": sent["deliveries"][0]["id"]}


def _campaigns(t: TenantKit, member_ids: list[int], community_id: int) -> dict[str, Any]:
    """A segment (written as the audience job leaves it), two draft scenario campaigns to it, a standalone
    experiment and a pilot of the second campaign in the community."""
    from linli.models import Segment, SegmentMember

    with t.db.unit_of_work() as s:
        seg = Segment(tenant_id=t.tenant_id, name="中秋人群", description="", definition={"tag": "any"})
        s.add(seg)
        s.flush()
        s.add_all(SegmentMember(tenant_id=t.tenant_id, segment_id=seg.id, member_id=m, since=clock.now())
                  for m in member_ids)
        segment_id = seg.id
    first = t.post("/scenario-campaigns", scenario_campaign_body(segment_id, 30))
    second = t.post("/scenario-campaigns", scenario_campaign_body(segment_id, 40))
    experiment = t.post("/experiments", experiment_body())
    pilot = t.post("/pilots", {"name": "试点", "campaign_id": second["id"], "community_ids": [community_id]})
    return {"segment_id": segment_id, "scenario_campaign_id": first["id"], "pilot_campaign_id": second["id"],
            "experiment_id": experiment["id"], "pilot_id": pilot["id"]}


def scenario_campaign_body(segment_id: int, days_ahead: int) -> dict[str, Any]:
    """A one-day campaign starting days_ahead from now (no two days share a window, so none overlap)."""
    start = clock.now() + timedelta(days=days_ahead)
    return {"name": "中秋团圆", "scenario": "mid_autumn", "segment_id": segment_id, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(days=1)).isoformat(), "title": "中秋月饼", "body": "月饼礼盒限时优惠"}


def experiment_body() -> dict[str, Any]:
    return {"name": "文案测试", "conversion_days": 7, "variants": [
        {"code": "A", "name": "原文案", "weight": 50, "is_control": True},
        {"code": "B", "name": "新文案", "weight": 50, "title": "月饼买一送一"}]}


def message_body(member_ids: list[int], category: str = "service") -> dict[str, Any]:
    return {"member_ids": member_ids, "category": category, "title": "取货提醒",
            "body": "您的订单已到自提点，请及时取货。"}


def messaging_settings_body() -> dict[str, Any]:
    return {"quiet_hours_enabled": True, "quiet_start": "22:00", "quiet_end": "08:00", "marketing_daily_cap": 2,
            "marketing_weekly_cap": 5}


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
