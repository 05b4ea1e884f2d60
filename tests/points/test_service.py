"""The points service that other domains call: earning with daily caps, grants and take-backs,
order deduction and refund settlement, all idempotent on their keys."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.points import service
from tests.points.checks import assert_consistent

AT = datetime(2026, 3, 5, 10, 0, tzinfo=clock.SHANGHAI)


def test_earn_is_idempotent_and_held_to_the_daily_cap(bank):
    m, _ = bank.member()
    with clock.frozen_at(AT):
        assert bank.run(service.earn, m, "review", "review:1") == 10
        assert bank.run(service.earn, m, "review", "review:1") == 0  # the same key credits once
        assert [bank.run(service.earn, m, "review", f"review:{i}") for i in (2, 3, 4)] == [10, 10, 0]  # cap 30
        assert bank.run(service.earn, m, "share", "share:1", units=3) == 15
        assert bank.run(service.earn, m, "share", "share:2", units=3) == 5  # clipped to the cap of 20
        assert bank.run(service.earn, m, "order_paid", "order:1:earn", units=1234) == 1234  # no cap
        assert bank.run(service.earn, m, "checkin", "checkin:1") == 5
        assert bank.run(service.earn, m, "checkin", "checkin:2") == 0  # 5 a day
    # the day is the Asia/Shanghai calendar day: 23:59 the same day is still capped, 00:00 is not
    with clock.frozen_at(AT.replace(hour=23, minute=59)):
        assert bank.run(service.earn, m, "review", "review:5") == 0
    with clock.frozen_at(AT.replace(hour=0) + timedelta(days=1)):
        assert bank.run(service.earn, m, "review", "review:6") == 10
    assert bank.balance(m) == 10 * 4 + 20 + 1234 + 5
    assert_consistent(bank.db, bank.t.tenant_id)


def test_rules_can_change_and_disable_an_action(bank):
    m, _ = bank.member()
    bank.rules(content={"points": 3, "daily_cap": 4, "enabled": True}, review={"points": 10, "enabled": False})
    assert bank.run(service.earn, m, "content", "c:1") == 3
    assert bank.run(service.earn, m, "content", "c:2") == 1
    assert bank.run(service.earn, m, "review", "r:1") == 0
    with pytest.raises(Invalid) as err:
        bank.run(service.earn, m, "dance", "d:1")
    assert err.value.code == "unknown_points_action"


def test_grant_and_take_back_are_idempotent_and_never_go_below_zero(bank):
    m, _ = bank.member()
    assert bank.run(service.grant, m, 50, "补偿", "g:1") == 50
    assert bank.run(service.grant, m, 50, "补偿", "g:1") == 0
    assert bank.run(service.take_back, m, 80, "撤回", "tb:1") == 50
    assert bank.run(service.take_back, m, 80, "撤回", "tb:1") == 0
    assert bank.balance(m) == 0
    for bad in (0, -5):
        with pytest.raises(Invalid):
            bank.run(service.grant, m, bad, "x", f"g:bad:{bad}")
    with pytest.raises(NotFound):
        bank.run(service.grant, 2**40, 10, "x", "g:nobody")
    assert_consistent(bank.db, bank.t.tenant_id)


def test_spend_on_order_checks_rate_cap_and_balance(bank):
    m, _ = bank.member()
    bank.run(service.grant, m, 1000, "x", "g:1")
    assert bank.run(service.spend_on_order, m, 1, 500, 2000) == 500  # 100 points = 1 yuan
    assert bank.run(service.spend_on_order, m, 1, 500, 2000) == 500  # a repeat: same discount, no debit
    assert bank.balance(m) == 500
    for order_id, points, payable, code in ((2, 1001, 2000, "points_over_limit"),  # over 50 % of the order
                                            (3, 600, 10000, "insufficient_points"),
                                            (4, -1, 1000, "points_over_limit")):
        with pytest.raises((Invalid, Conflict)) as err:
            bank.run(service.spend_on_order, m, order_id, points, payable)
        assert err.value.code == code
    bank.rules(points_per_yuan_deduction=300)
    with pytest.raises(Invalid) as err:
        bank.run(service.spend_on_order, m, 5, 100, 1000)  # 100 points = 33.3 fen: not whole
    assert err.value.code == "points_over_limit"
    assert bank.run(service.spend_on_order, m, 6, 300, 1000) == 100
    assert bank.balance(m) == 200
    assert_consistent(bank.db, bank.t.tenant_id)


def _order(bank, m, order_id, spend, payable_fen):
    discount = bank.run(service.spend_on_order, m, order_id, spend, payable_fen)
    paid = payable_fen - discount
    bank.run(service.earn, m, "order_paid", f"order:{order_id}:earn", units=paid // 100, reference=str(order_id))
    return paid // 100


def test_full_refund_restores_the_balance_before_the_order(bank):
    m, _ = bank.member()
    bank.run(service.grant, m, 1000, "x", "g:1")
    earned = _order(bank, m, 7, 600, 2000)
    assert earned == 14 and bank.balance(m) == 1000 - 600 + 14
    assert bank.run(service.settle_refund, m, 7, 1, 1, "order:7:refund:1") == 0
    assert bank.balance(m) == 1000
    assert bank.run(service.settle_refund, m, 7, 1, 1, "order:7:refund:1") == 0  # a repeat does nothing
    assert bank.balance(m) == 1000
    assert_consistent(bank.db, bank.t.tenant_id)


def test_partial_refunds_add_up_to_exactly_the_whole(bank):
    m, _ = bank.member()
    bank.run(service.grant, m, 100, "x", "g:1")
    _order(bank, m, 8, 100, 1100)  # pays 1000 fen: earns 10
    assert bank.balance(m) == 10
    for i in range(3):
        bank.run(service.settle_refund, m, 8, 1000, 3000, f"order:8:refund:{i}")
    assert bank.balance(m) == 100  # 33 + 33 + 34 back, 3 + 3 + 4 taken
    assert bank.run(service.settle_refund, m, 8, 1, 1, "order:8:refund:again") == 0  # nothing left to settle
    assert bank.balance(m) == 100
    assert_consistent(bank.db, bank.t.tenant_id)


def test_spent_earnings_are_deducted_from_the_refund_money(bank):
    m, _ = bank.member()
    _order(bank, m, 9, 0, 50000)  # earns 500
    bank.run(service.take_back, m, 480, "兑换", "spent:1")  # spent elsewhere; 20 left
    assert bank.run(service.settle_refund, m, 9, 1, 1, "order:9:refund:1") == 480  # 480 points = 480 fen short
    assert bank.balance(m) == 0
    assert bank.run(service.settle_refund, m, 9, 1, 1, "order:9:refund:1") == 480  # a repeat: same answer
    _order(bank, m, 10, 0, 50000)
    bank.rules(points_per_yuan_deduction=300)
    bank.run(service.take_back, m, 500, "兑换", "spent:2")
    assert bank.run(service.settle_refund, m, 10, 1, 2, "order:10:refund:1") == 84  # 250 points → ⌈83.3⌉ fen
    assert_consistent(bank.db, bank.t.tenant_id)


def test_earned_between_counts_earnings_by_member(bank):
    a, _ = bank.member()
    b, _ = bank.member()
    with clock.frozen_at(AT):
        bank.run(service.earn, a, "review", "r:a")
        bank.run(service.earn, b, "share", "s:b")
        bank.run(service.grant, b, 999, "运营补发", "g:b")  # a grant is not an earning
        bank.run(service.grant, a, 100, "邀请奖励", "inv:a", kind="invite")
    with clock.frozen_at(AT + timedelta(days=2)):
        bank.run(service.earn, a, "review", "r:a2")
    got = bank.run(service.earned_between, AT - timedelta(hours=1), AT + timedelta(days=1))
    assert got == {a: 110, b: 5}
    assert bank.run(service.earned_between, AT - timedelta(hours=1), AT + timedelta(days=3), ["review"]) == {a: 20}


def test_earnings_that_arrive_after_a_partial_refund_owe_its_share(bank):
    """The order.paid handler may run after part of the order was refunded: it earns on the order,
    then a zero share settles what the earlier refund owes."""
    m, _ = bank.member()
    assert bank.run(service.settle_refund, m, 11, 5000, 10000, "order:11:refund:1") == 0  # nothing earned yet
    bank.run(service.earn, m, "order_paid", "order:11:earn", units=100, reference="11")
    assert bank.run(service.settle_refund, m, 11, 0, 1, "order:11:earn:settle") == 0
    assert bank.balance(m) == 50
    bank.run(service.settle_refund, m, 11, 5000, 10000, "order:11:refund:2")
    assert bank.balance(m) == 0
    assert_consistent(bank.db, bank.t.tenant_id)
