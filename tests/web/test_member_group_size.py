"""The member app's size picker: a gold member starts a 百人团 from the group-buy page (issue 11)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from linli.core import clock
from linli.tier import service as tiers
from tests.client import Client
from tests.factories import SAME_ORIGIN


def _phone(t, headers) -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set("linli_member", headers["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                  path="/m")
    return c


def test_a_gold_member_picks_a_hundred_person_group_on_the_page(make):
    t = make.tenant()
    product = t.product(stock=200, price_fen=3990)
    campaign = t.post("/group-buys", {"product_id": product["id"], "price_fen": 2990, "group_size": 3,
                                      "time_limit_hours": 24, "stock": 150})
    m, h = t.member()
    with t.db.unit_of_work() as s:
        tiers.import_growth(s, t.tenant_id, m["id"], 5000, "test:gold", clock.now())
    phone = _phone(t, h)
    page = phone.get(f"/m/group-buys/{campaign['id']}").text
    assert 'id="group-size"' in page and '<option value="100">100人团</option>' in page
    assert '<option value="3" selected>3人团</option>' in page and "可发起最多 100 人团" in page
    r = phone.post(f"/m/group-buys/{campaign['id']}/start", data={"size": "100"}, follow_redirects=False)
    assert r.status_code == 303
    group_id = int(re.fullmatch(r"/m/groups/(\d+)", r.headers["location"]).group(1))
    assert t.client.get(f"/api/v1/groups/{group_id}", headers=t.op).json()["size"] == 100

    _, plain_h = t.member()
    plain = _phone(t, plain_h)
    assert '<option value="10">10人团</option>' in plain.get(f"/m/group-buys/{campaign['id']}").text
    r = plain.post(f"/m/group-buys/{campaign['id']}/start", data={"size": "100"})
    assert r.status_code == 409 and "你的会员等级还不能发起这么大的团" in r.text
