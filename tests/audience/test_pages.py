"""Console pages: the tag list, the editor with its live preview, the segment builder, CSV export, a member's tags."""

from __future__ import annotations

from typing import Any

from tests.factories import SAME_ORIGIN
from tests.lifecycle.helpers import buy_and_pay


def _login(client: Any, t: Any) -> None:
    client.cookies.set("linli_token", t.op["Authorization"].split(" ", 1)[1], domain="testserver.local",
                       path="/console")


def test_define_preview_combine_export(client: Any, make: Any) -> None:
    t = make.tenant()
    t.community(name="阳光小区")
    fresh = t.product(category="新鲜水果", is_fresh=True, stock=100)
    (buyer, h), (idle, _) = t.member(), t.member()
    buy_and_pay(t, h, fresh["id"])
    _login(client, t)

    page = client.get("/console/audience/tags")
    assert page.status_code == 200 and "还没有标签" in page.text and "标签与人群" in page.text
    preview = client.post("/console/audience/tags/preview", data={"rule": "orders_30d >= 1"}, headers=SAME_ORIGIN)
    assert "当前匹配 1 / 2 位会员" in preview.text
    bad = client.post("/console/audience/tags/preview", data={"rule": "orders_forever >= 1"}, headers=SAME_ORIGIN)
    assert "规则里有未知的字段" in bad.text

    r = client.post("/console/audience/tags", data={"code": "buyer", "name": "买家", "rule": "orders_30d >= 1"},
                    headers=SAME_ORIGIN, follow_redirects=False)
    assert r.status_code == 303
    refused = client.post("/console/audience/tags", data={"code": "oops", "name": "坏", "rule": 'building > "3幢"'},
                          headers=SAME_ORIGIN)
    assert refused.status_code == 422 and "类型不匹配" in refused.text

    made = client.post("/console/audience/segments", data={"name": "没买过的", "no_tags": ["buyer"]},
                       headers=SAME_ORIGIN, follow_redirects=False)
    assert made.status_code == 303
    segment_url = made.headers["location"]
    empty = client.post("/console/audience/segments", data={"name": "空人群"}, headers=SAME_ORIGIN)
    assert empty.status_code == 422 and "请至少选择一个标签" in empty.text
    count = client.post("/console/audience/segments/preview", data={"all_tags": ["buyer"]}, headers=SAME_ORIGIN)
    assert "共 0 / 2 位会员" in count.text  # tags not computed yet

    done = client.post("/console/audience/refresh", headers=SAME_ORIGIN)
    assert done.status_code == 200 and "已计算 2 位会员" in done.text
    seg = client.get(segment_url)
    assert seg.status_code == 200 and idle["name"] in seg.text and buyer["name"] not in seg.text
    csv_text = client.get(f"{segment_url}/members.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith(f"{idle['id']},")
    detail = client.get(f"/console/members/{buyer['id']}")
    assert detail.status_code == 200 and 'data-tag="buyer"' in detail.text and "RFM：R" in detail.text
