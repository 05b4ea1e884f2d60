"""Property: after any mix of pay / partial refund / full refund / cancel / pickup / settle (time moves),
the ledger equals the recomputation from the orders and the account identity holds."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from linli.core import clock
from tests.commission.checks import assert_consistent

SLOTS = st.integers(0, 3)
ops = st.one_of(
    st.tuples(st.just("pay"), st.integers(1, 9)),
    st.tuples(st.just("partial"), SLOTS, st.integers(1, 3)),
    st.tuples(st.just("full"), SLOTS),
    st.tuples(st.just("cancel"), SLOTS),
    st.tuples(st.just("pickup"), SLOTS),
    st.tuples(st.just("advance"), st.integers(10, 40)),
    st.tuples(st.just("withdraw"), st.integers(1, 500)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(ops, min_size=1, max_size=10))
@example(steps=[("pay", 5), ("pickup", 0), ("advance", 31), ("withdraw", 200), ("full", 0), ("pay", 9),
                 ("pickup", 1), ("advance", 31)])  # settled, withdrawn, refunded (owed), paid off
def test_any_mix_keeps_ledger_equal_to_orders(shop, steps):
    t = shop.t
    mh = t.member()[1]
    placed: list[dict] = []
    now = clock.now()
    for step in steps:
        kind = step[0]
        with clock.frozen_at(now):
            if kind == "pay":
                placed.append(shop.buy(mh, step[1]))
            elif kind == "withdraw":
                t.client.post("/api/v1/leader/withdrawals", headers=shop.lh, json={"amount_fen": step[1]})
            elif kind == "advance":
                now += timedelta(days=step[1])
            elif placed:
                order = placed[step[1] % len(placed)]
                if kind == "partial":
                    line = {"item_id": order["items"][0]["id"], "quantity": step[2]}
                    t.client.post(f"/api/v1/orders/{order['id']}/refund", headers=t.op,
                                  json={"reason": "部分退", "lines": [line]})
                elif kind == "full":
                    t.client.post(f"/api/v1/orders/{order['id']}/refund", headers=t.op, json={"reason": "退"})
                elif kind == "cancel":
                    t.client.post(f"/api/v1/orders/{order['id']}/cancel", headers=t.op, json={"reason": "取消"})
                else:
                    t.client.post(f"/api/v1/orders/{order['id']}/pickup", headers=shop.lh,
                                  json={"code": order["pickup_code"]})
        shop.due(now)  # delivers the events and settles what is due
        account = shop.get("/leader/commission")
        event(f"{kind}: owed" if account["owed_fen"] else f"{kind}: available" if account["available_fen"] else kind)
        assert_consistent(t.db, t.tenant_id, shop.leader_id)
