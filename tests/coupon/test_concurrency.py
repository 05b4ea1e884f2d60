"""Claims under contention: the total and the per-member limit hold by construction."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from linli.core.errors import Conflict
from linli.coupon import service
from linli.coupon.service import Line
from linli.models import MemberCoupon
from tests.coupon.helpers import claim, code, coupon


def test_64_parallel_claims_of_a_coupon_with_total_1(make):
    t = make.tenant()
    c = coupon(t, total=1)
    members = t.members(64)

    def attempt(h):
        r = claim(t, h, c["id"])
        return r.status_code, code(r)

    with ThreadPoolExecutor(max_workers=64) as pool:
        results = Counter(pool.map(attempt, members))
    assert results == {(201, None): 1, (409, "exhausted"): 63}
    assert t.client.get(f"/api/v1/coupons/{c['id']}", headers=t.op).json()["claimed"] == 1
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(MemberCoupon)) == 1


def test_a_burst_of_20_claims_by_one_member_of_a_limit_1_coupon(make):
    t = make.tenant()
    c = coupon(t, total=100, per_member_limit=1)
    (h,) = t.members(1)

    def attempt(_i):
        r = claim(t, h, c["id"])
        return r.status_code, code(r)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = Counter(pool.map(attempt, range(20)))
    assert results == {(201, None): 1, (409, "limit_exceeded"): 19}
    assert t.client.get(f"/api/v1/coupons/{c['id']}", headers=t.op).json()["claimed"] == 1


def test_a_limit_3_coupon_under_a_burst_gives_exactly_3(make):
    t = make.tenant()
    c = coupon(t, total=100, per_member_limit=3)
    (h,) = t.members(1)
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = Counter(pool.map(lambda _i: claim(t, h, c["id"]).status_code, range(12)))
    assert codes[201] == 3 and codes[409] == 9
    assert len(t.client.get("/api/v1/me/coupons", headers=h).json()["items"]) == 3


def test_two_orders_racing_for_one_coupon_one_wins(make):
    from linli.core.runtime import get_runtime

    t = make.tenant()
    c = coupon(t, min_spend_fen=0)
    (h,) = t.members(1)
    mc = claim(t, h, c["id"]).json()["member_coupon_id"]
    member_id = get_runtime().signer.verify(h["Authorization"].split()[1]).member_id

    def use(order_id):
        try:
            with t.db.unit_of_work() as s:
                return service.use(s, t.tenant_id, member_id, mc, order_id, [Line(1, None, 5000)])
        except Conflict as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = Counter(pool.map(use, range(1000, 1008)))
    assert results == {1000: 1, "coupon_unusable": 7}
