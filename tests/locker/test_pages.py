"""The locker pages: the console's overview, parcel list, export and forms; the leader's workbench (放入 / 已取回);
the member's parcels with the code and 一键开箱 — in Chinese."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from linli.locker import jobs
from tests.client import Client
from tests.factories import PASSWORD
from tests.locker.helpers import API, code_of, locker, order_status, paid_order
from tests.web.test_chinese_text import english


def _browser(t, cookie: str, path: str, headers) -> TestClient:
    c = Client(t.client.app, headers={"Origin": "http://testserver"})  # a browser's same-origin form posts
    c.cookies.set(cookie, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path=path)
    return c


def test_console_workbench_and_member_pages(make, morning):
    t = make.tenant()
    lk = locker(t, small=1, medium=1)
    m, other = t.members(2)
    first, second = paid_order(t, lk, m), paid_order(t, lk, m)

    bench = _browser(t, "linli_leader", "/w", lk.leader)
    page = bench.get("/w/lockers")
    assert page.status_code == 200 and not english(page.text), english(page.text)
    assert f'data-awaiting="{first}"' in page.text and f'data-awaiting="{second}"' in page.text
    put = bench.post(f"/w/lockers/{lk.id}/deposit", data={"order_id": str(first), "size": "S"})
    assert put.status_code == 200 and "已放入 01 号格口" in put.text
    full = bench.post(f"/w/lockers/{lk.id}/deposit", data={"order_id": str(second), "size": "S"})
    assert full.status_code == 409 and "没有空闲格口" in full.text
    bench.post(f"/w/lockers/{lk.id}/deposit", data={"order_id": str(second), "size": "M"})
    assert bench.post(f"/w/lockers/{lk.id}/deposit", data={"order_id": "x", "size": "S"}).status_code == 422

    phone = _browser(t, "linli_member", "/m", m)
    mine = phone.get("/m/lockers")
    parcels = t.client.get(f"{API}/mine", headers=m).json()
    codes = {p["order_id"]: code_of(t, m, p["id"]) for p in parcels}
    assert mine.status_code == 200 and not english(mine.text), english(mine.text)
    assert all(code in mine.text for code in codes.values())
    theirs = _browser(t, "linli_member", "/m", other).get("/m/lockers")
    assert not any(code in theirs.text for code in codes.values()) and "柜中暂无您的包裹" in theirs.text
    first_parcel = next(p["id"] for p in parcels if p["order_id"] == first)
    opened = phone.post(f"/m/lockers/parcels/{first_parcel}/open")
    assert opened.status_code == 200 and "格口已打开" in opened.text and order_status(t, first) == "picked_up"
    assert phone.post(f"/m/lockers/parcels/{first_parcel}/open").status_code == 409

    jobs.run_due(t.db, morning + timedelta(hours=49))  # the second one expires back to the leader
    back = bench.get("/w/lockers")
    assert "超时待取回（1）" in back.text and 'data-expired="' in back.text
    expired_id = next(p["id"] for p in t.client.get(f"{API}/mine", headers=m).json() if p["order_id"] == second)
    assert "已确认取回" in bench.post(f"/w/lockers/parcels/{expired_id}/taken-back").text

    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303
    console = t.client.get("/console/lockers?status=all")
    assert console.status_code == 200 and not english(console.text), english(console.text)
    assert f'data-locker="{lk.id}"' in console.text and console.text.count('data-parcel="') == 2
    assert 'data-locker-chart="locker-chart-data"' in console.text
    live = t.client.get("/console/lockers")
    assert 'data-parcel="' not in live.text  # 待取件: none left
    csv = t.client.get("/console/lockers?status=all&format=csv").content.decode("utf-8-sig")
    assert "已取件" in csv and "已超时退回" in csv and "3号楼智能柜" in csv
    added = t.client.post(f"/console/lockers/{lk.id}/compartments", data={"small": "2", "large": "1"})
    assert added.status_code == 200 and "格口已添加" in added.text
    assert len(t.client.get(f"{API}/{lk.id}/compartments", headers=t.op).json()) == 5
    assert t.client.post(f"/console/lockers/{lk.id}/compartments", data={"small": "-1"}).status_code == 422
    assert t.client.post("/console/lockers/settings", data={"hold_hours": "24", "remind_hours": "24"}
                         ).status_code == 422
    t.client.post("/console/lockers/settings", data={"hold_hours": "36", "remind_hours": "6"})
    assert t.client.get(f"{API}/settings", headers=t.op).json() == {"hold_hours": 36, "remind_hours": 6}
