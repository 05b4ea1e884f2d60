"""The console's 自提网络 page and the member's 我的自提点 page (TestClient)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.client import Client
from tests.pickup.helpers import LAT, LNG, STEP, act, network, paid_orders, points_of
from tests.web.test_chinese_text import english


def _browser(t, cookie: str, path: str, headers) -> TestClient:
    c = Client(t.client.app, headers={"Origin": "http://testserver"})  # a browser's same-origin form posts
    c.cookies.set(cookie, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path=path)
    return c


def test_console_lists_loads_and_closes_a_point_with_a_reason(make) -> None:
    t = make.tenant()
    net = network(t)
    orders = paid_orders(net, t.members(3, net.community_id))
    web = _browser(t, "linli_token", "/console", t.op)
    page = web.get("/console/pickup")
    assert page.status_code == 200 and not english(page.text), english(page.text)
    assert "自提网络" in page.text and "幸福里团长家" in page.text and "3 / 不限" in page.text
    assert "0 / 2" in page.text  # 便民超市: nothing waiting, holds 2

    refused = web.post(f"/console/pickup/points/{net.a}/status", data={"action": "close", "reason": " "})
    assert refused.status_code == 422 and "请填写原因" in refused.text
    assert set(points_of(t, orders).values()) == {net.a}
    done = web.post(f"/console/pickup/points/{net.a}/status", data={"action": "close", "reason": "团长搬家"},
                         follow_redirects=False)
    assert done.status_code == 303
    assert sorted(points_of(t, orders).values()) == [net.b, net.b, net.c]
    page = web.get("/console/pickup", params={"status": "closed"})
    assert "团长搬家" in page.text and "便民超市" not in page.text.split('id="point-table"')[1].split("</table>")[0]
    run_link = page.text.split('href="/console/pickup/runs/')[1].split('"')[0]
    run = web.get(f"/console/pickup/runs/{run_link}")
    assert run.status_code == 200 and run.text.count('data-outcome="moved"') == 3 and "原自提点已关闭" in run.text
    closed_today = web.get("/console/pickup", params={"start": "2026-10-12", "end": "2026-10-12"}).text
    table = closed_today.split('id="point-table"')[1].split("</table>")[0]
    assert f'data-point="{net.a}"' in table and f'data-point="{net.b}"' not in table
    csv = web.get("/console/pickup", params={"format": "csv"})
    assert csv.status_code == 200 and "已关闭" in csv.content.decode("utf-8-sig")
    bad = web.post(f"/console/pickup/points/{net.b}/closures",
                        data={"starts_at": "2026-10-12T10:00", "ends_at": "2026-10-12T09:00", "reason": "装修"})
    assert bad.status_code == 422


def test_member_sees_nearby_points_by_distance_and_chooses_one(make) -> None:
    t = make.tenant()
    net = network(t)
    act(t, f"/points/{net.c}/pause", {"reason": "团长外出"})
    [mh] = t.members(1, net.community_id)
    phone = _browser(t, "linli_member", "/m", mh)
    page = phone.get("/m/pickup-points")
    assert page.status_code == 200 and not english(page.text), english(page.text)
    text = page.text
    order = [text.index(name) for name in ("幸福里团长家", "便民超市", "3号楼驿站", "远处门店")]
    assert order == sorted(order) and "距您 334 米" in text and "暂停" in text and "我的自提点" in text
    assert "own-point-notice" not in text  # their own point (A) is open
    refused = phone.post("/m/pickup-points/choose", data={"point_id": str(net.c)})
    assert refused.status_code == 409 and "暂停" in refused.text
    chosen = phone.post("/m/pickup-points/choose", data={"point_id": str(net.b)}, follow_redirects=False)
    assert chosen.status_code == 303
    mine = t.client.get("/api/v1/pickup/nearby", headers=mh).json()
    assert [n["point"]["id"] for n in mine if n["chosen"]] == [net.b]

    # a member living in a building next to 3号楼驿站 walks from there, not from the community's gate
    building = t.post(f"/communities/{net.community_id}/buildings", {"name": "3幢", "lat": LAT + 2 * STEP, "lng": LNG})
    home = t.post(f"/buildings/{building['id']}/households", {"unit_no": "1单元101", "unit_type": "两室一厅",
                                                              "family_structure": "young_family"})
    m = t.post("/members", {"username": "near-c", "password": "password-1", "name": "王阿姨", "phone": "13800001111",
                            "community_id": net.community_id, "household_id": home["id"]})
    near = t.client.get("/api/v1/pickup/nearby", headers=t.token("member", m["user_id"], member_id=m["id"])).json()
    assert (near[0]["point"]["id"], near[0]["distance_m"]) == (net.c, 0) and near[0]["label"] == "暂停"
    act(t, f"/points/{net.b}/pause", {"reason": "团长外出"})
    assert "您的自提点「便民超市」暂停（团长外出）" in phone.get("/m/pickup-points").text
