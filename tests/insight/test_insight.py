"""邻里洞察 end to end: heatmaps by building / family structure / unit type net of refunds, activity per building,
sales per H3 cell, assortment advice and stock turnover, over a hand-built neighbourhood."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linli.core import clock
from tests.factories import PASSWORD
from tests.insight.helpers import building, buy, household, resident
from tests.web.test_chinese_text import english

API = "/api/v1/insight"


@pytest.fixture
def town(make, morning):
    """Two communities; everything happened two days ago. A: 1幢 (a young family), 2幢 (an elderly couple), and a
    resident with no household; B: one young family."""
    clock.set_process_time(morning - timedelta(days=2))
    t = make.tenant()
    a = t.community(name="阳光小区", lat=30.28, lng=120.12)
    b = t.community(name="翠苑", lat=30.26, lng=120.10)
    a1, a2 = building(t, a["id"], "1幢", 30.28, 120.12), building(t, a["id"], "2幢", 30.30, 120.15)
    b1 = building(t, b["id"], "1幢", 30.26, 120.10)
    young, old = household(t, a1, "两室一厅", "young_family"), household(t, a2, "三室两厅", "elderly")
    far = household(t, b1, "两室一厅", "young_family")
    baby = t.product(price_fen=5000, category="母婴用品", name="婴儿纸尿裤")["id"]
    daily = t.product(price_fen=1000, category="日用百货", name="抽纸")["id"]
    idle = t.product(price_fen=800, category="日用百货", name="衣架")["id"]
    _, m1 = resident(t, a["id"], young, "小王")
    _, m2 = resident(t, a["id"], old, "老李")
    _, m3 = resident(t, a["id"], None, "小周")
    _, m4 = resident(t, b["id"], far, "小陈")
    buy(t, m1, [(baby, 2)])                       # 1幢 母婴 10000
    buy(t, m1, [(daily, 1)], pay=False)           # never paid: not counted
    refunded = buy(t, m2, [(daily, 3)])           # 2幢 日用 3000, one unit refunded below
    buy(t, m3, [(baby, 1)])                       # no household 母婴 5000
    buy(t, m4, [(baby, 1), (daily, 5)])           # B 母婴 5000 + 日用 5000
    item = refunded["items"][0]["id"]
    t.post(f"/orders/{refunded['id']}/refund", {"reason": "买多了", "lines": [{"item_id": item, "quantity": 1}]},
           m2, expect=200)
    t.post("/checkins", None, m1)
    clock.set_process_time(morning)
    return {"t": t, "a": a["id"], "b": b["id"], "baby": baby, "daily": daily, "idle": idle}


def _get(t, path, **params):
    r = t.client.get(f"{API}{path}", params=params, headers=t.op)
    assert r.status_code == 200, r.text
    return r.json()


def _cells(m):
    return {(row, col): m["values"][i][j] for i, row in enumerate(m["rows"]) for j, col in enumerate(m["columns"])}


def test_heatmaps_by_building_family_and_unit_type_net_of_refunds(town):
    t, a = town["t"], town["a"]
    m = _get(t, "/heatmap", dimension="building", community_id=a)
    assert m["rows"] == ["1幢", "2幢", "未登记住户"]
    cells = _cells(m)
    assert cells[("1幢", "母婴用品")] == 10000 and cells[("2幢", "日用百货")] == 2000
    assert cells[("未登记住户", "母婴用品")] == 5000
    assert cells[("1幢", "日用百货")] == cells[("2幢", "母婴用品")] == 0
    assert m["total"] == 17000 and m["row_totals"] == [10000, 2000, 5000]
    i, j = m["rows"].index("1幢"), m["columns"].index("母婴用品")
    assert m["shares"][i][j] == round(10000 / 17000, 4) and m["row_shares"][i][j] == 1.0

    orders = _cells(_get(t, "/heatmap", dimension="building", metric="orders", community_id=a))
    assert orders[("1幢", "母婴用品")] == orders[("2幢", "日用百货")] == orders[("未登记住户", "母婴用品")] == 1
    units = _cells(_get(t, "/heatmap", dimension="building", metric="units", community_id=a))
    assert units[("2幢", "日用百货")] == 2  # three bought, one refunded

    family = _get(t, "/heatmap", dimension="family", community_id=a)
    assert family["rows"] == ["年轻家庭", "老年家庭", "未登记住户"]
    assert _cells(family)[("年轻家庭", "母婴用品")] == 10000 and _cells(family)[("老年家庭", "日用百货")] == 2000
    unit = _get(t, "/heatmap", dimension="unit_type", community_id=a)
    assert unit["rows"] == ["两室一厅", "三室两厅", "未登记住户"]

    everywhere = _get(t, "/heatmap", dimension="building")
    assert everywhere["total"] == 27000 and _cells(everywhere)[("翠苑 1幢", "日用百货")] == 5000

    act = _get(t, "/activity", community_id=a)
    rows = dict(zip(act["rows"], act["values"], strict=True))
    assert act["columns"] == ["会员数", "活跃会员", "活跃户数", "下单会员", "订单数", "签到次数", "发帖数"]
    assert rows == {"1幢": [1, 1, 1, 1, 1, 1, 0], "2幢": [1, 1, 1, 1, 1, 0, 0], "未登记住户": [1, 1, 0, 1, 1, 0, 0]}

    geo = _get(t, "/geo")
    by_cell = {c["cell"]: c for c in geo["cells"]}
    assert geo["total_fen"] == 27000 and len(by_cell) == 3
    top = geo["cells"][0]  # 1幢 and the resident without a household stand at the community's place
    assert top["sales_fen"] == 15000 and top["buildings"] == ["阳光小区 1幢"] and top["share"] == round(15 / 27, 4)
    assert sorted(c["sales_fen"] for c in geo["cells"]) == [2000, 10000, 15000]

    assert t.client.get(f"{API}/heatmap", params={"days": 0}, headers=t.op).status_code == 422
    assert t.client.get(f"{API}/heatmap", params={"community_id": 2**60}, headers=t.op).status_code == 404


def test_assortment_advice_and_turnover(town):
    t, a = town["t"], town["a"]
    advice = _get(t, "/assortment", community_id=a)
    assert advice["similar_communities"] == []  # B's household mix is too different: compared with the tenant
    assert [(i["action"], i["category"], i["product_name"]) for i in advice["items"]] == [
        ("增加", "日用百货", None), ("清理", "日用百货", "衣架")]
    up = advice["items"][0]
    assert up["reason"] == ("近30天全平台「日用百货」占销售额 25.9%，本小区仅 11.8%（全平台 25.9%），"
                            "低 14.2 个百分点：建议增加该品类的品种与备货。")
    assert up["figures"]["own_sales_fen"] == 2000 and up["figures"]["benchmark"] == "tenant"
    assert advice["items"][1]["reason"] == "近30天全平台零销量，库存 100 件：建议促销清理库存或下架。"

    out = _get(t, "/turnover")
    products = {r["name"]: r for r in out["products"]}
    baby = products["婴儿纸尿裤"]  # 100 in two days ago, 4 sold then: 96 held for 2 of the 30 days
    assert (baby["units_sold"], baby["stock_now"], baby["average_stock"]) == (4, 96, 6.4)
    assert baby["turnover"] == 0.625 and baby["days_on_hand"] == 720.0 and baby["stock_source"] == "ledger"
    assert products["抽纸"]["units_sold"] == 7  # 3 + 5, one refunded
    assert products["衣架"]["no_sales_30d"] and products["衣架"]["turnover"] == 0.0
    assert (out["on_shelf"], out["slow_movers"], out["slow_mover_rate"]) == (3, 1, 0.3333)
    cats = {c["category"]: c for c in out["categories"]}
    assert cats["日用百货"]["products"] == 2 and cats["日用百货"]["slow_movers"] == 1


def test_console_page_draws_the_heatmaps_and_exports_each_table(town):
    t, a = town["t"], town["a"]
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303
    page = t.client.get("/console/insight", params={"community": a, "days": 30, "metric": "sales_fen"})
    assert page.status_code == 200 and not english(page.text), english(page.text)
    for marker in ('data-insight-heatmap="data-building"', 'data-insight-heatmap="data-family"',
                   'data-insight-heatmap="data-unit_type"', 'data-insight-geo="data-geo"', "/static/insight.js",
                   "¥170.00", "33.3%", "未达标", "建议增加该品类的品种与备货", "衣架"):
        assert marker in page.text, marker
    tenant_wide = t.client.get("/console/insight")
    assert tenant_wide.status_code == 200 and "¥270.00" in tenant_wide.text
    assert "请在上方选择一个小区" in tenant_wide.text

    csv = t.client.get("/console/insight/export", params={"table": "building", "community": a, "format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    first = dict(zip(header, lines[1].split(","), strict=True))
    assert first["维度"] == "1幢" and first["母婴用品"] == "100.00" and first["母婴用品 占比"] == "100.0%"
    assert lines[-1].startswith("合计,") and "170.00" in lines[-1]
    for table in ("family", "unit_type", "activity", "geo", "advice", "turnover", "categories"):
        got = t.client.get("/console/insight/export", params={"table": table, "community": a, "format": "xlsx"})
        assert got.status_code == 200 and got.content[:2] == b"PK", table
    assert t.client.get("/console/insight/export", params={"table": "nope"}).status_code == 404
    assert t.client.get("/console/insight", params={"community": 987654}).status_code == 404
