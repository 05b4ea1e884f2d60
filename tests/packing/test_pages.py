"""The pages: the workbench's lists (cards, print, CSV / Excel), its scan page, the member's QR code on the order
page, and the console's lists with the cut-off form — in Chinese."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from linli.core import clock
from linli.packing import qr
from tests.packing.helpers import browser, get, home, paid, resident
from tests.web.test_chinese_text import english

DAY = "2026-10-13"


def test_workbench_lists_export_and_scan(make, morning):
    t = make.tenant()
    cid = t.default_community()
    _, point, leader_h = t.leader(cid)
    grapes = t.product(name="阳光玫瑰葡萄", unit="盒")["id"]
    _, h = resident(t, "张三", "13812341234", home(t, cid, "3幢", "2单元502"))
    order = paid(t, h, point, [(grapes, 2)])
    wb = browser(t, leader_h, "linli_leader", "/w")

    page = wb.get("/w/packing", params={"day": DAY})
    assert page.status_code == 200 and not english(page.text), english(page.text)
    assert "张三" in page.text and "138****1234" in page.text and "3幢 2单元502" in page.text
    assert f'href="/w/scan?order_id={order["id"]}"' in page.text and order["pickup_code"] not in page.text
    assert 'id="print"' in page.text and "/static/packing.css" in page.text
    stock = wb.get("/w/packing", params={"day": DAY, "tab": "stock"})
    assert "阳光玫瑰葡萄" in stock.text and 'id="stock-total">2<' in stock.text
    sheet = wb.get("/w/packing", params={"day": DAY, "tab": "sort", "format": "csv"})
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["序号", "自提点", "楼栋", "单元房号", "姓名", "手机"]
    assert rows[1][2:8] == ["3幢", "2单元502", "张三", "138****1234", "阳光玫瑰葡萄×2盒", "2"]
    book = wb.get("/w/packing", params={"day": DAY, "tab": "stock", "format": "xlsx"})
    values = list(load_workbook(io.BytesIO(book.content)).active.values)
    assert values[0] == ("自提点", "商品", "规格/单位", "数量", "订单数")
    assert values[1][1:] == ("阳光玫瑰葡萄", "盒", 2, 1)

    scan = wb.get(f"/w/scan?order_id={order['id']}")
    assert scan.status_code == 200 and not english(scan.text) and 'capture="environment"' in scan.text
    token = get(t, f"/packing/orders/{order['id']}/pickup-token", h)["token"]
    done = wb.post("/w/scan", data={"token": token})
    assert done.status_code == 200 and "已核销，提货成功" in done.text and "138****1234" in done.text
    again = wb.post("/w/scan", data={"token": token})
    assert again.status_code == 409 and "该订单已核销" in again.text
    assert wb.post("/w/scan", data={"token": "随便"}).status_code == 422


def test_member_qr_code_and_console_lists(make, morning):
    t = make.tenant()
    _, point, leader_h = t.leader()
    milk = t.product(name="鲜牛奶", unit="瓶")["id"]
    _, h = resident(t, "李四", "13700001111")
    _, other_h = resident(t, "王五", "13600002222")
    order = paid(t, h, point, [(milk, 3)])
    me = browser(t, h, "linli_member", "/m")
    page = me.get(f"/m/orders/{order['id']}")
    assert page.status_code == 200 and f'src="/m/orders/{order["id"]}/pickup-qr.png"' in page.text
    picture = me.get(f"/m/orders/{order['id']}/pickup-qr.png")
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
    assert picture.headers["cache-control"] == "private, no-store"
    assert browser(t, other_h, "linli_member", "/m").get(f"/m/orders/{order['id']}/pickup-qr.png").status_code == 404

    console = browser(t, t.op, "linli_token", "/console")
    lists = console.get("/console/packing", params={"day": DAY, "tab": "sort"})
    assert lists.status_code == 200 and not english(lists.text), english(lists.text)
    assert "李四" in lists.text and "137****1111" in lists.text and order["pickup_code"] not in lists.text
    book = console.get("/console/packing", params={"day": DAY, "tab": "stock", "format": "xlsx"})
    assert list(load_workbook(io.BytesIO(book.content)).active.values)[1][1:] == ("鲜牛奶", "瓶", 3, 1)
    bad = console.post("/console/packing/settings", data={"cutoff": "0:61"})
    assert bad.status_code == 422 and "截单时间格式" in bad.text
    saved = console.post("/console/packing/settings", data={"cutoff": "21:30"}, follow_redirects=False)
    assert saved.status_code == 303 and get(t, "/packing/settings", t.op)["cutoff"] == "21:30"

    # an expired code on the scan page: a clear message, the order still waiting
    token = qr.issue(t.tenant_id, order["id"], order["pickup_code"])[0]
    clock.set_process_time(morning + qr.TTL + timedelta(minutes=1))
    expired = browser(t, leader_h, "linli_leader", "/w").post("/w/scan", data={"token": token})
    assert expired.status_code == 422 and "二维码已过期" in expired.text
    assert get(t, f"/orders/{order['id']}", h)["status"] == "paid"
