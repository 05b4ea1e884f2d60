from __future__ import annotations


def test_weights_must_sum_to_100(make):
    t = make.tenant()
    got = t.client.get("/api/v1/assessments/settings", headers=t.op).json()
    assert (got["w_sales"], got["w_growth"], got["w_service"], got["w_activity"]) == (40, 20, 25, 15)
    assert got["warning_below"] == 40 and got["replace_after"] == 3
    r = t.client.put("/api/v1/assessments/settings", headers=t.op,
                     json={"w_sales": 50, "w_growth": 20, "w_service": 25, "w_activity": 15})
    assert r.status_code == 422
    r = t.client.put("/api/v1/assessments/settings", headers=t.op,
                     json={"w_sales": 30, "w_growth": 30, "w_service": 25, "w_activity": 15, "warning_below": 35})
    assert r.status_code == 200 and r.json()["w_sales"] == 30 and r.json()["warning_below"] == 35
    assert t.client.get("/api/v1/assessments/settings", headers=t.op).json()["w_growth"] == 30
    _, mh = t.member()
    assert t.client.get("/api/v1/assessments/settings", headers=mh).status_code == 403
