"""Smart lockers: deposit into a free compartment with a code, open with the code once, the rules that refuse."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.models import LockerCompartment, OrderEvent
from tests.locker.helpers import API, code_of, collect, deposit, inbox, locker, order_status, paid_order, parcel_rows


def _compartments(t, lk) -> dict[str, str]:
    r = t.client.get(f"{API}/{lk.id}/compartments", headers=lk.leader)
    assert r.status_code == 200, r.text
    return {c["label"]: c["status"] for c in r.json()}


def test_a_parcel_goes_in_with_a_code_and_comes_out_once(make):
    t = make.tenant()
    lk = locker(t, small=2, medium=1)
    owner, other = t.members(2)
    order_id = paid_order(t, lk, owner)
    assert [a["order_id"] for a in t.client.get(f"{API}/{lk.id}/awaiting", headers=lk.leader).json()] == [order_id]

    parcel = deposit(t, lk, order_id, "M")
    assert (parcel["compartment_label"], parcel["size"], parcel["status"]) == ("03", "M", "live")
    assert parcel["code"] is None  # the leader never sees the code
    code = code_of(t, owner, parcel["id"])
    assert len(code) == 6 and code.isdigit()
    assert _compartments(t, lk) == {"01": "free", "02": "free", "03": "occupied"}
    assert t.client.get(f"{API}/{lk.id}/awaiting", headers=lk.leader).json() == []
    member_id = t.client.get("/api/v1/me", headers=owner).json()["member_id"]
    (title, body), = inbox(t, member_id)
    assert "智能柜" in title and code in body and "03" in body
    assert all(p["id"] != parcel["id"] for p in t.client.get(f"{API}/mine", headers=other).json())

    wrong = "000000" if code != "000000" else "111111"
    assert collect(t, lk, wrong, owner, expect=409)["error"]["code"] == "wrong_code"
    assert collect(t, lk, code, other, expect=409)["error"]["code"] == "wrong_code"  # not their parcel
    opened = collect(t, lk, code, owner)
    assert (opened["parcel_id"], opened["order_id"], opened["compartment_label"]) == (parcel["id"], order_id, "03")
    assert order_status(t, order_id) == "picked_up"
    assert _compartments(t, lk)["03"] == "free"
    # the kiosk retries (its answer was lost): the same answer, no second hand-over
    assert collect(t, lk, code, t.op) == opened
    with t.db.unit_of_work() as s:
        handed = s.scalars(select(OrderEvent.detail).where(OrderEvent.order_id == order_id,
                                                           OrderEvent.action == "picked_up")).all()
    assert [d.get("via") for d in handed] == ["locker"]
    assert [(p.status, p.collected_at is not None) for p in parcel_rows(t)] == [("collected", True)]


def test_deposits_that_are_refused_change_nothing(make):
    t = make.tenant()
    lk = locker(t, small=1, medium=0)
    m, = t.members(1)
    elsewhere = t.post("/orders", {"items": [{"product_id": lk.product_id, "quantity": 1}]}, m)
    t.post(f"/orders/{elsewhere['id']}/pay", None, m, expect=200)
    assert deposit(t, lk, elsewhere["id"], expect=409)["error"]["code"] == "order_not_at_locker"
    unpaid = t.post("/orders", {"items": [{"product_id": lk.product_id, "quantity": 1}],
                                "pickup_point_id": lk.id}, m)
    assert deposit(t, lk, unpaid["id"], expect=409)["error"]["code"] == "not_ready_for_pickup"
    first, second = paid_order(t, lk, m), paid_order(t, lk, m)
    assert deposit(t, lk, first, "M", expect=409)["error"]["code"] == "no_free_compartment"
    deposit(t, lk, first)
    assert deposit(t, lk, first, expect=409)["error"]["code"] == "already_in_locker"
    assert deposit(t, lk, second, expect=409)["error"]["code"] == "no_free_compartment"
    _, _, stranger = t.leader()
    r = t.client.post(f"{API}/{lk.id}/deposits", json={"order_id": second, "size": "S"}, headers=stranger)
    assert r.status_code == 404 and r.json()["error"]["code"] == "locker_not_found"
    assert len(parcel_rows(t)) == 1
    # compartments never past the point's capacity; an occupied one cannot be marked out of order
    assert t.post(f"/lockers/{lk.id}/compartments", {"small": 48}, expect=422)["error"]["code"] == "over_capacity"
    with t.db.unit_of_work() as s:
        box = s.scalar(select(LockerCompartment.id).where(LockerCompartment.pickup_point_id == lk.id))
        assert s.scalar(select(func.count()).select_from(LockerCompartment)
                        .where(LockerCompartment.pickup_point_id == lk.id)) == 1
    assert t.post(f"/lockers/compartments/{box}/status", {"status": "out_of_order"}, lk.leader,
                  expect=409)["error"]["code"] == "compartment_occupied"


def test_out_of_order_compartments_are_skipped_and_guessing_is_throttled(make):
    t = make.tenant()
    lk = locker(t, small=2, medium=0)
    m, = t.members(1)
    boxes = t.client.get(f"{API}/{lk.id}/compartments", headers=lk.leader).json()
    t.post(f"/lockers/compartments/{boxes[0]['id']}/status", {"status": "out_of_order"}, lk.leader, expect=200)
    parcel = deposit(t, lk, paid_order(t, lk, m))
    assert parcel["compartment_label"] == "02"
    code = code_of(t, m, parcel["id"])
    wrong = [f"{n:06d}" for n in range(10) if f"{n:06d}" != code][:5]
    for guess in wrong:
        collect(t, lk, guess, m, expect=409)
    assert collect(t, lk, code, m, expect=429)["error"]["code"] == "too_many_attempts"
    assert [p.status for p in parcel_rows(t)] == ["live"]
    overview, = t.client.get(API, headers=t.op).json()
    assert (overview["compartments"], overview["occupied"], overview["out_of_order"], overview["free"]) == (2, 1, 1, 0)
