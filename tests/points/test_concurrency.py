"""Points under contention: parallel requests never overspend a balance nor pass a daily cap."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from linli.points import service
from tests.points.checks import assert_consistent


def test_20_parallel_redemptions_of_10_on_a_balance_of_100(bank):
    m, mh = bank.member()
    bank.run(service.grant, m, 100, "活动", "g:1")

    def redeem(i: int) -> tuple[int, str | None]:
        r = bank.t.client.post("/api/v1/points/redemptions", headers={**mh, "Idempotency-Key": f"k{i}"},
                               json={"kind": "charity", "amount": 10})
        return r.status_code, (r.json().get("error") or {}).get("code")

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = Counter(pool.map(redeem, range(20)))

    assert results == {(201, None): 10, (409, "insufficient_points"): 10}
    assert bank.balance(m) == 0
    assert_consistent(bank.db, bank.t.tenant_id)


def test_parallel_goods_redemptions_never_oversell(bank):
    members = [bank.member() for _ in range(8)]
    for m, _ in members:
        bank.run(service.grant, m, 100, "活动", f"g:{m}")
    item = bank.t.post("/points/catalog-items", {"name": "抽纸", "points_cost": 20, "stock": 5})

    def redeem(i: int) -> int:
        _, h = members[i % len(members)]
        return bank.t.client.post("/api/v1/points/redemptions", headers=h,
                                  json={"kind": "goods", "item_id": item["id"], "amount": 20}).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = Counter(pool.map(redeem, range(16)))

    assert codes == {201: 5, 409: 11}
    assert bank.t.client.get(f"/api/v1/points/catalog-items/{item['id']}", headers=bank.t.op).json()["stock"] == 0
    assert sum(bank.balance(m) for m, _ in members) == 8 * 100 - 5 * 20
    assert_consistent(bank.db, bank.t.tenant_id)


def test_daily_cap_holds_under_20_parallel_earns(bank):
    m, _ = bank.member()

    def earn(i: int) -> int:
        return int(bank.run(service.earn, m, "review", f"review:{i}"))

    with ThreadPoolExecutor(max_workers=20) as pool:
        credited = list(pool.map(earn, range(20)))

    assert sorted(credited, reverse=True)[:4] == [10, 10, 10, 0] and sum(credited) == 30  # cap 30 a day
    assert bank.balance(m) == 30
    assert_consistent(bank.db, bank.t.tenant_id)


def test_the_same_key_earned_in_parallel_credits_once(bank):
    m, _ = bank.member()

    def earn(_: int) -> int:
        return int(bank.run(service.earn, m, "share", "share:once"))

    with ThreadPoolExecutor(max_workers=20) as pool:
        assert sorted(pool.map(earn, range(20))) == [0] * 19 + [5]
    assert bank.balance(m) == 5
