"""Parallel withdrawal requests can never overdraw the available commission."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from linli.models import CommissionAccount


def test_20_parallel_withdrawals_of_100_on_1000(shop):
    t = shop.t
    with t.db.unit_of_work() as s:  # a settled balance of 1,000 fen (no order: the identity check is below)
        s.add(CommissionAccount(tenant_id=t.tenant_id, leader_id=shop.leader_id, pending_fen=0, available_fen=1000,
                                held_fen=0, withdrawn_fen=0, owed_fen=0))

    def withdraw(i: int) -> tuple[int, str | None]:
        r = t.client.post("/api/v1/leader/withdrawals", headers={**shop.lh, "Idempotency-Key": f"w{i}"},
                          json={"amount_fen": 100})
        return r.status_code, (r.json().get("error") or {}).get("code")

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = Counter(pool.map(withdraw, range(20)))

    assert results == {(201, None): 10, (409, "insufficient_commission"): 10}
    account = shop.get("/leader/commission")
    assert (account["available_fen"], account["held_fen"]) == (0, 1000)
    assert len(shop.get("/withdrawals?status=requested", t.op)["items"]) == 10


def test_parallel_approvals_pay_out_once(shop):
    t = shop.t
    with t.db.unit_of_work() as s:
        s.add(CommissionAccount(tenant_id=t.tenant_id, leader_id=shop.leader_id, pending_fen=0, available_fen=1000,
                                held_fen=0, withdrawn_fen=0, owed_fen=0))
    w = t.post("/leader/withdrawals", {"amount_fen": 600}, shop.lh)

    def approve(_: int) -> int:
        return t.client.post(f"/api/v1/withdrawals/{w['id']}/approve", headers=t.op).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert Counter(pool.map(approve, range(10))) == {200: 1, 409: 9}
    account = shop.get("/leader/commission")
    assert (account["available_fen"], account["held_fen"], account["withdrawn_fen"]) == (400, 0, 600)
