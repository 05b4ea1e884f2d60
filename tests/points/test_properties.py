"""Property: for any sequence of earn / grant / spend on orders / redeem / expire (the clock moves) /
refund settlements, the ledger sums to every balance, every transaction's legs sum to zero, the
lots hold exactly the balance and no balance is ever negative."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from linli.core import clock
from linli.core.errors import Conflict, Invalid
from linli.core.security import Principal
from linli.points import jobs, redemptions, service
from linli.points.schemas import RedemptionIn
from tests.points.checks import assert_consistent

START = datetime(2026, 6, 1, 9, 0, tzinfo=clock.SHANGHAI)
ORDERS = st.integers(1, 4)

ops = st.one_of(
    st.tuples(st.just("earn"), st.sampled_from(["review", "share", "checkin", "content"]), st.integers(1, 3)),
    st.tuples(st.just("order"), ORDERS, st.integers(0, 300), st.integers(100, 5000)),
    st.tuples(st.just("grant"), st.integers(1, 500)),
    st.tuples(st.just("redeem"), st.integers(1, 400)),
    st.tuples(st.just("take_back"), st.integers(1, 400)),
    st.tuples(st.just("advance"), st.integers(1, 40)),
    st.tuples(st.just("refund"), ORDERS, st.integers(1, 3), st.integers(3, 3)),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(ops, min_size=1, max_size=14))
def test_any_sequence_keeps_the_ledger_whole(bank_with_member, steps):
    bank, m, user_id = bank_with_member
    tenant_id = bank.t.tenant_id
    member = Principal(user_id, tenant_id, bank.t.slug, "member", member_id=m)
    now = START
    run = f"{id(steps)}:{bank.counter()}"  # keys unique to this example (the member is shared)
    for i, step in enumerate(steps):
        key = f"{run}:{i}"
        with clock.frozen_at(now):
            try:
                with bank.db.unit_of_work() as s:
                    _apply(s, tenant_id, m, member, step, key, run, now)
                event(f"{step[0]}: done")
            except (Conflict, Invalid) as exc:
                assert exc.code in ("insufficient_points", "points_over_limit"), exc.code
                event(f"{step[0]}: refused ({exc.code})")
        if step[0] == "advance":
            now += timedelta(days=step[1])
            jobs.expire_due(bank.db, clock.as_utc(now))
        assert bank.balance(m) >= 0
    assert_consistent(bank.db, tenant_id)


def _apply(s, tenant_id, m, member, step, key, run, now):
    kind = step[0]
    if kind == "earn":
        service.earn(s, tenant_id, m, step[1], key, units=step[2])
    elif kind == "order":
        _, order, points, payable = step
        order_id = abs(hash((run, order))) % 10**9
        discount = service.spend_on_order(s, tenant_id, m, order_id, points, payable)
        service.earn(s, tenant_id, m, "order_paid", f"order:{order_id}:earn", units=(payable - discount) // 100,
                     reference=str(order_id))
    elif kind == "grant":
        service.grant(s, tenant_id, m, step[1], "grant", key)
    elif kind == "redeem":
        redemptions.redeem(s, member, RedemptionIn(kind="charity", amount=step[1]), key)
    elif kind == "take_back":
        service.take_back(s, tenant_id, m, step[1], "take back", key)
    elif kind == "refund":
        _, order, num, den = step
        service.settle_refund(s, tenant_id, m, abs(hash((run, order))) % 10**9, num, den, key)
