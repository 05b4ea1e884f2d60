"""The compensation generator: who it finds, once per member per case, coupons or points, messages, and
the 3-day and 7-day follow-ups."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from linli.core import clock
from linli.crisis import jobs
from linli.points import service as points
from tests.crisis.helpers import counts, criteria, world
from tests.factories import Factory


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
