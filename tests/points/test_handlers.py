"""Points reacting to other domains: a paid order earns, referral rewards are granted and reversed."""

from __future__ import annotations

from linli.core import outbox
from linli.core.outbox import drain
from linli.events import build_registry
from tests.points.checks import assert_consistent


def _pay(t, h, product_id, quantity=1):
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": quantity}]}, h)
    t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
    return order["id"]


def _deliver(db):
    """Handle every pending event; the points.changed payloads seen on the way."""
    seen = []
    registry = build_registry()
    registry.on("points.changed", "spy", lambda _s, ev: seen.append(ev.payload))
    drain(db, registry)
    return seen


def test_a_paid_order_earns_a_point_per_yuan_once(bank):
    m, mh = bank.member()
    product = bank.t.product(price_fen=1299)
    _pay(bank.t, mh, product["id"], quantity=2)  # 25.98 yuan → 25 points
    changed = _deliver(bank.db)
    assert bank.balance(m) == 25
    assert [(c["member_id"], c["delta"], c["balance"], c["kind"]) for c in changed] == [(m, 25, 25, "order_paid")]
    assert_consistent(bank.db, bank.t.tenant_id)


def test_an_order_refunded_before_the_event_is_handled_earns_nothing(bank):
    m, mh = bank.member()
    product = bank.t.product(price_fen=5000)
    order_id = _pay(bank.t, mh, product["id"])
    bank.t.post(f"/orders/{order_id}/refund", {"reason": "不要了"}, mh, expect=200)
    drain(bank.db, build_registry())
    assert bank.balance(m) == 0


def test_referral_rewards_are_granted_reversed_and_granted_again(bank):
    m, _ = bank.member()
    payload = {"member_id": m, "rung": 1, "points": 100}
    changed = []
    for topic in ("referral.rewarded", "referral.reward_reversed", "referral.rewarded"):
        with bank.db.unit_of_work() as s:
            outbox.emit(s, bank.t.tenant_id, topic, payload)
        changed += _deliver(bank.db)
    assert bank.balance(m) == 100
    assert [(c["delta"], c["kind"]) for c in changed] == [(100, "invite"), (-100, "take_back"),
                                                                     (100, "invite")]
    assert_consistent(bank.db, bank.t.tenant_id)
