"""Geo check-in coupons (社区探秘): within the radius unlocks the coupon, once."""

from __future__ import annotations

import math
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from linli.core.outbox import HandlerRegistry, drain
from linli.models import GeoCheckin, MemberCoupon
from tests.coupon.helpers import code, coupon

SPOT = (30.2741, 120.1551)  # 杭州西湖边
EARTH_M = 6371008.8  # the mean radius haversine uses


def north_of(meters: float) -> tuple[float, float]:
    return SPOT[0] + math.degrees(meters / EARTH_M), SPOT[1]


def _spot(t, **kw):
    c = coupon(t, name="探秘券", min_spend_fen=0, total=50, per_member_limit=1)
    body = {"name": "鲜果合作店", "kind": "partner", "lat": SPOT[0], "lng": SPOT[1],
            "coupon_template_id": c["id"], **kw}
    return t.post("/geo-spots", body), c


def _checkin(t, h, spot_id, at):
    return t.client.post("/api/v1/geo-checkins", headers=h, json={"spot_id": spot_id, "lat": at[0], "lng": at[1]})


def test_checkin_within_3km_unlocks_once(make):
    t = make.tenant()
    spot, c = _spot(t)
    assert spot["radius_m"] == 3000
    near, far = t.members(2)
    r = _checkin(t, far, spot["id"], north_of(3100))
    assert r.status_code == 409 and code(r) == "too_far" and "3100 m" in r.json()["error"]["message"]
    ok = _checkin(t, near, spot["id"], north_of(2900))
    assert ok.status_code == 201 and ok.json()["distance_m"] == 2900
    mine = t.client.get("/api/v1/me/coupons", headers=near).json()["items"]
    assert [(m["id"], m["source"], m["template_id"]) for m in mine] == [(ok.json()["member_coupon_id"], "geo",
                                                                          c["id"])]
    again = _checkin(t, near, spot["id"], north_of(10))
    assert again.status_code == 409 and code(again) == "already_checked_in"
    seen = []
    registry = HandlerRegistry()
    registry.on("member.interacted", "spy", lambda _s, ev: seen.append(ev.payload))
    drain(t.db, registry)
    assert [(p["kind"], "at" in p) for p in seen] == [("geo_checkin", True)]


def test_spots_crud_and_bad_input(make):
    t = make.tenant()
    spot, _ = _spot(t, radius_m=500, kind="pickup_point")
    (h,) = t.members(1)
    for bad in ({"kind": "shop"}, {"lat": 91}, {"radius_m": 0}, {"coupon_template_id": 10**9}):
        body = {"name": "x", "kind": "partner", "lat": 30.0, "lng": 120.0, "coupon_template_id": 1, **bad}
        if "coupon_template_id" not in bad:
            body["coupon_template_id"] = spot["coupon_template_id"]
        r = t.client.post("/api/v1/geo-spots", headers=t.op, json=body)
        assert r.status_code == 422 and set(r.json()["error"]) == {"code", "message"}
    assert [s["id"] for s in t.client.get("/api/v1/geo-spots", headers=h).json()["items"]] == [spot["id"]]
    t.client.patch(f"/api/v1/geo-spots/{spot['id']}", headers=t.op, json={"active": False})
    assert t.client.get("/api/v1/geo-spots", headers=h).json()["items"] == []
    r = _checkin(t, h, spot["id"], SPOT)
    assert r.status_code == 422 and code(r) == "unknown_spot"
    r = t.client.post("/api/v1/geo-checkins", headers=h, json={"spot_id": spot["id"], "lat": 200, "lng": 0})
    assert r.status_code == 422
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(GeoCheckin)) == 0


def test_ten_parallel_checkins_of_one_member_give_one_coupon(make):
    t = make.tenant()
    spot, c = _spot(t)
    (h,) = t.members(1)

    def attempt(_i):
        r = _checkin(t, h, spot["id"], north_of(100))
        return r.status_code, code(r)

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = Counter(pool.map(attempt, range(10)))
    assert results == {(201, None): 1, (409, "already_checked_in"): 9}
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(MemberCoupon)) == 1
    assert t.client.get(f"/api/v1/coupons/{c['id']}", headers=t.op).json()["claimed"] == 1
