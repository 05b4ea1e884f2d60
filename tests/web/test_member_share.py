"""A member's share is recorded when a neighbour opens the shared group link (issue 11): the link carries
the sharer's invite code; the sharer earns the share rule once per visitor and group, never for opening
their own link."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from linli.core.outbox import drain
from linli.events import build_registry
from linli.models import PointsTransaction
from tests.client import Client
from tests.factories import SAME_ORIGIN
from tests.lifecycle.helpers import events

COOKIE = "linli_member"


def _phone(t, headers) -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set(COOKIE, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path="/m")
    return c


def _share_points(t, member_id: int) -> list[int]:
    with t.db.unit_of_work() as s:
        return list(s.scalars(select(PointsTransaction.amount).where(
            PointsTransaction.tenant_id == t.tenant_id, PointsTransaction.member_id == member_id,
            PointsTransaction.kind == "share")))


def test_a_share_counts_when_a_neighbour_opens_the_link(make):
    t = make.tenant()
    product = t.product(stock=30, price_fen=3990)
    campaign = t.post("/group-buys", {"product_id": product["id"], "price_fen": 2990, "group_size": 3,
                                      "time_limit_hours": 24, "stock": 20})
    (a, ha), (b, hb), (c, hc) = t.member(), t.member(), t.member()
    phone_a = _phone(t, ha)
    started = phone_a.post(f"/m/group-buys/{campaign['id']}/start", follow_redirects=False)
    group_id = int(re.fullmatch(r"/m/groups/(\d+)", started.headers["location"]).group(1))
    link = re.search(r'id="share-link" value="([^"]+)"', phone_a.get(f"/m/groups/{group_id}").text).group(1)
    path = link.removeprefix("http://testserver")

    assert phone_a.get(path).status_code == 200  # the sharer opening their own link is no share
    assert [e for e in events(t, "member.interacted", a["id"]) if e["kind"] == "share"] == []
    for phone in (_phone(t, hb), _phone(t, hb), _phone(t, hc)):  # b twice, c once
        assert phone.get(path).status_code == 200
    shares = [e["ref"] for e in events(t, "member.interacted", a["id"]) if e["kind"] == "share"]
    assert shares == [f"group:{group_id}:by:{b['id']}"] * 2 + [f"group:{group_id}:by:{c['id']}"]
    drain(t.db, build_registry())
    assert _share_points(t, a["id"]) == [5, 5]  # the default share rule, once per neighbour
    assert t.client.get("/api/v1/me/tier", headers=ha).json()["growth"] == 2  # share growth once a day

    # an unknown or malformed code, or a group that does not exist, records nothing
    before = len(events(t, "member.interacted", a["id"]))
    phone_b = _phone(t, hb)
    assert phone_b.get(f"/m/groups/{group_id}?from=NOSUCH99").status_code == 200
    assert phone_b.get(f"/m/groups/{group_id}?from=<x>").status_code == 200
    assert phone_b.get(f"/m/groups/999999?{path.split('?')[1]}").status_code == 404
    assert len(events(t, "member.interacted", a["id"])) == before
