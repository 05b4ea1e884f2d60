"""The compensation generator: who it finds, once per member per case, coupons or points, messages, and
the 3-day and 7-day follow-ups."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import select

from linli.core import clock
from linli.crisis import jobs
from linli.models import CrisisRecipient, MessageDelivery, PointsTransaction
from linli.points import service as points
from tests.alert.helpers import AT, add_orders, point_of
from tests.crisis.helpers import counts, criteria, world
from tests.factories import Factory
from tests.traceability.helpers import batch, entries


def test_preview_then_issue_once_per_member_with_a_message(make: Factory) -> None:
    kit = make.tenant()
    w = world(kit)
    case = kit.post("/crises", {"title": "草莓批次变质", "severity": 2})
    url = f"/api/v1/crises/{case['id']}/compensations"
    preview = kit.client.post(f"{url}/preview", json=criteria(w), headers=kit.op).json()
    assert "matched" in preview, preview
    assert (preview["matched"], preview["to_issue"], preview["sample_member_ids"]) == (3, 3, w["buyers"])
    assert counts(kit, case["id"], w["coupon_id"]) == (0, 0, 0)  # a preview writes nothing
    done = kit.post(f"/crises/{case['id']}/compensations", criteria(w))
    assert (done["matched"], done["issued"]) == (3, 3)
    again = kit.post(f"/crises/{case['id']}/compensations", criteria(w, kind="points", points=50,
                                                                     coupon_template_id=None))
    assert (again["matched"], again["issued"]) == (3, 0)  # nobody twice in one case, whatever is given
    assert counts(kit, case["id"], w["coupon_id"]) == (3, 3, 3)
    one = kit.client.post(f"{url}/preview", json=criteria(w, community_id=w["community_id"]), headers=kit.op)
    assert one.json()["already_compensated"] == 3 and one.json()["to_issue"] == 0
    detail = kit.client.get(f"/api/v1/crises/{case['id']}", headers=kit.op).json()
    assert sorted(r["member_id"] for r in detail["recipients"]) == w["buyers"]


def test_points_compensation_and_bad_criteria(make: Factory) -> None:
    kit = make.tenant()
    w = world(kit, buyers=2)
    case = kit.post("/crises", {"title": "配送延误"})
    kit.post(f"/crises/{case['id']}/compensations", criteria(w, kind="points", points=30, coupon_template_id=None))
    with kit.db.unit_of_work() as s:
        assert [points.balance(s, kit.tenant_id, m) for m in w["buyers"]] == [30, 30]
    url = f"/api/v1/crises/{case['id']}/compensations"
    for body, code in ((criteria(w, until=criteria(w)["since"]), "invalid_window"),
                       (criteria(w, since=None, until=None), "window_required"),
                       (criteria(w, product_id=99999), "unknown_product"),
                       (criteria(w, community_id=99999), "unknown_community")):
        r = kit.client.post(url, json=body, headers=kit.op)
        assert r.status_code == 422 and r.json()["error"]["code"] == code, r.text
    r = kit.client.post(url, json=criteria(w, coupon_template_id=None), headers=kit.op)
    assert r.status_code == 422  # a coupon compensation names its coupon


def test_follow_ups_go_out_once_at_3_and_7_days(make: Factory) -> None:
    kit = make.tenant()
    w = world(kit, buyers=2)
    case = kit.post("/crises", {"title": "鸡蛋破损"})
    kit.post(f"/crises/{case['id']}/compensations", criteria(w))
    start = clock.now()
    assert jobs.run_due(kit.db, start + timedelta(days=2, hours=23)) == 0
    assert jobs.run_due(kit.db, start + timedelta(days=3)) == 2
    assert jobs.run_due(kit.db, start + timedelta(days=3, hours=1)) == 0
    assert jobs.run_due(kit.db, start + timedelta(days=7)) == 2
    assert jobs.run_due(kit.db, start + timedelta(days=8)) == 0
    detail = kit.client.get(f"/api/v1/crises/{case['id']}", headers=kit.op).json()
    assert detail["followups_sent"] == {"3": 2, "7": 2}
    assert counts(kit, case["id"], w["coupon_id"]) == (2, 2, 6)  # compensation + two follow-ups each


def test_concurrent_runs_compensate_each_member_once(make: Factory) -> None:
    kit = make.tenant()
    w = world(kit, buyers=6)
    case = kit.post("/crises", {"title": "并发补偿"})

    def issue(_: int) -> int:
        return kit.client.post(f"/api/v1/crises/{case['id']}/compensations", json=criteria(w),
                               headers=kit.op).status_code

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert set(pool.map(issue, range(3))) == {201}
    assert counts(kit, case["id"], w["coupon_id"]) == (6, 6, 6)


def test_a_batch_reaches_the_buyers_of_its_sale_window_only_and_once(make: Factory) -> None:
    """Orders carry no batch: a batch picks the product's orders paid in its sale window — from its first
    入库/到店 entry to just after its 售罄 entry. Two batches of one product sold one after the other."""
    kit = make.tenant()
    c = kit.community()
    point = point_of(kit, c["id"])
    product, other = kit.product()["id"], kit.product()["id"]
    a, b = batch(kit, "CRISIS-A", product_id=product)["id"], batch(kit, "CRISIS-B", product_id=product)["id"]
    sale = ("harvest", "storage", "arrival", "sold_out")  # 6 hours apart: on sale from +6h to +18h
    a_start, b_start = AT - timedelta(days=5, hours=6), AT - timedelta(days=3)
    entries(kit, a, sale, a_start)
    entries(kit, b, sale, b_start)
    a_on, a_off = a_start + timedelta(hours=6), a_start + timedelta(hours=18)
    m = {name: kit.member(c["id"])[0]["id"] for name in (
        "a_first", "a_twice", "a_last", "a_and_b", "b_only", "harvest_only", "between", "other_product")}

    def buy(name: str, at: datetime, n: int = 1, product_id: int = product) -> None:
        add_orders(kit.db, kit.tenant_id, m[name], point, n, at=at, product_id=product_id)

    buy("a_first", a_on)  # the window includes its first instant …
    buy("a_twice", a_on + timedelta(hours=3), n=2)
    buy("a_last", a_off)  # … and the 售罄 entry's
    buy("a_and_b", a_on + timedelta(hours=6))
    buy("a_and_b", b_start + timedelta(hours=12))
    buy("b_only", b_start + timedelta(hours=12))
    buy("harvest_only", a_start + timedelta(hours=3))  # harvested, not yet on sale
    buy("between", a_off + timedelta(hours=12))  # A sold out, B not yet in
    buy("other_product", a_on + timedelta(hours=3), product_id=other)
    in_a = sorted(m[k] for k in ("a_first", "a_twice", "a_last", "a_and_b"))
    case = kit.post("/crises", {"title": "A批次农残超标"})
    url = f"/api/v1/crises/{case['id']}/compensations"
    body = {"product_id": product, "batch_id": a, "kind": "points", "points": 40, "message": "A批次补偿"}
    preview = kit.client.post(f"{url}/preview", json=body, headers=kit.op).json()
    assert (preview["matched"], preview["to_issue"], preview["sample_member_ids"]) == (4, 4, in_a), preview
    window = (datetime.fromisoformat(preview["since"]), datetime.fromisoformat(preview["until"]))
    assert window == (a_on, a_off + timedelta(seconds=1))

    def ledger() -> tuple[list[tuple[int, str, int, str]], list[int], list[int]]:
        """(the case's points transactions, its recipients, its messages' members)."""
        with kit.db.unit_of_work() as s:
            txs = s.execute(select(PointsTransaction.member_id, PointsTransaction.kind, PointsTransaction.amount,
                                   PointsTransaction.key).where(PointsTransaction.tenant_id == kit.tenant_id)
                            .order_by(PointsTransaction.member_id, PointsTransaction.id)).all()
            rec = s.scalars(select(CrisisRecipient.member_id).where(CrisisRecipient.case_id == case["id"])
                            .order_by(CrisisRecipient.member_id)).all()
            msg = s.scalars(select(MessageDelivery.member_id).where(MessageDelivery.tenant_id == kit.tenant_id,
                                                                     MessageDelivery.source == "crisis")
                            .order_by(MessageDelivery.member_id)).all()
        return [tuple(t) for t in txs], list(rec), list(msg)

    expected = ([(mid, "grant", 40, f"crisis:{case['id']}:{mid}") for mid in in_a], in_a, in_a)
    key = {**kit.op, "Idempotency-Key": "crisis-batch-a"}
    done = kit.post(f"/crises/{case['id']}/compensations", body, headers=key)
    assert (done["batch_id"], done["matched"], done["issued"]) == (a, 4, 4)
    assert ledger() == expected
    replay = kit.client.post(url, json=body, headers=key)
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json() == done
    again = kit.post(f"/crises/{case['id']}/compensations", body)  # a new run in the same case
    assert (again["matched"], again["issued"]) == (4, 0)
    assert ledger() == expected
    with kit.db.unit_of_work() as s:
        assert {k: points.balance(s, kit.tenant_id, v) for k, v in m.items()} == {
            k: 40 if v in in_a else 0 for k, v in m.items()}
    b_side = kit.client.post(f"{url}/preview", json={**body, "batch_id": b}, headers=kit.op).json()
    assert (b_side["matched"], b_side["already_compensated"], b_side["sample_member_ids"]) == (2, 1, [m["b_only"]])
