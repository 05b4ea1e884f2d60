"""The leader pages' success paths, through the forms: a withdrawal asked for on the workbench 佣金 page and paid
out on the console 提现审核 page; a help task marked done on the workbench 考核 page; a replacement suggestion
decided (keep / replace) on the console leader page. Each checks the database and what the page shows after."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from linli.checkin import months
from linli.core import clock
from tests.assessment.test_monthly import _month_after, _run, _tenant_with_leaders
from tests.commission.checks import assert_consistent
from tests.commission.conftest import Shop, shop  # noqa: F401  (the fixture: a leader with a point and a product)
from tests.web.test_leader_console import _console
from tests.web.test_workbench import _phone


def _action(html: str, row: str, verb: str) -> str:
    """The action of the `verb` form (approve, reject, decide, done) in the row marked `row` (e.g. data-case="7")."""
    found = re.search(rf'{re.escape(row)}.*?<form method="post" action="([^"]+/{verb})"', html, re.S)
    assert found, f"no {verb} form in {row}"
    return found.group(1)


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def test_withdrawal_asked_for_on_the_workbench_and_paid_out_on_the_console(shop: Shop) -> None:  # noqa: F811
    t = shop.t
    order = shop.buy(t.member()[1], 10)
    t.post(f"/orders/{order['id']}/pickup", {"code": order["pickup_code"]}, shop.lh, expect=200)
    shop.due()
    shop.due(clock.now() + timedelta(days=31))  # past the return window: settled
    available = shop.get("/leader/commission")["available_fen"]
    assert available == shop.rate_bp  # 10 × 10 yuan at rate_bp
    amount = available - 100  # all but one yuan

    wb = _phone(t, shop.lh)
    r = wb.post("/w/commission/withdrawals", data={"amount": _yuan(amount)[1:]}, follow_redirects=False)
    assert r.status_code == 303
    [w] = shop.get("/withdrawals")["items"]
    assert (w["status"], w["amount_fen"]) == ("requested", amount)
    account = shop.get("/leader/commission")
    assert (account["available_fen"], account["held_fen"]) == (100, amount)
    page = wb.get(r.headers["location"]).text
    assert "提现申请已提交" in page and '<strong id="available">¥1.00</strong>' in page
    mine = re.search(r'id="withdrawals">(.*?)</section>', page, re.S)
    assert mine and _yuan(amount) in mine.group(1) and "待审核" in mine.group(1)

    console = _console(t, t.op)
    queue = console.get("/console/withdrawals").text
    row = f'data-withdrawal="{w["id"]}"'
    name = shop.get(f"/leaders/{shop.leader_id}", t.op)["profile"]["name"]
    assert row in queue and name in queue  # the leader's name from the batch read
    r = console.post(_action(queue, row, "approve"), follow_redirects=False)
    assert r.status_code == 303
    approved = console.get(r.headers["location"]).text
    assert "已通过，请线下打款" in approved and row in approved
    assert shop.get("/withdrawals")["items"][0]["status"] == "approved"
    account = shop.get("/leader/commission")
    assert (account["available_fen"], account["held_fen"], account["withdrawn_fen"]) == (100, 0, amount)
    assert_consistent(t.db, t.tenant_id, shop.leader_id)
    page = wb.get("/w/commission").text
    assert "已打款" in page and "提现打款" in page
    assert re.search(rf"已提现</span><strong>{re.escape(_yuan(amount))}</strong>", page)


def test_help_task_marked_done_on_the_workbench(make) -> None:
    t = make.tenant()
    (weak_id, weak_h), *_ = _tenant_with_leaders(t, n=5)
    first = months.month_of(months.today())
    for month in (first, _month_after(first)):  # two warned months in a row: a help plan with tasks
        _run(t, month)
    [plan] = [c for c in t.client.get("/api/v1/leader/assessments", headers=weak_h).json()["cases"]
              if c["kind"] == "help_plan"]
    task, other = plan["tasks"]

    wb = _phone(t, weak_h)
    page = wb.get("/w/assessments").text
    assert task["text"] in page and f"/w/assessments/tasks/{other['id']}/done" in page
    r = wb.post(_action(page, task["text"], "done"), follow_redirects=False)
    assert r.status_code == 303
    page = wb.get(r.headers["location"]).text
    assert re.search(rf"{re.escape(task['text'])}</span>.*?</span>\s*<span class=\"status\">已完成</span>", page)
    assert f"/w/assessments/tasks/{task['id']}/done" not in page
    assert f"/w/assessments/tasks/{other['id']}/done" in page  # the other task still waits

    record = t.client.get(f"/api/v1/leaders/{weak_id}/assessments", headers=t.op).json()
    [after] = [c for c in record["cases"] if c["id"] == plan["id"]]
    assert after["status"] == "open"  # one of two tasks done: the plan goes on
    assert [t_["done_at"] is not None for t_ in after["tasks"]] == [True, False]
    assert [(e["action"], e["actor_role"], e["note"]) for e in after["events"]] == [
        ("opened", "system", plan["note"]), ("task_done", "leader", task["text"])]


@pytest.mark.parametrize(("decision", "status", "label", "notice"), [
    ("keep", "kept", "已留任", "已决定：留任。"), ("replace", "replaced", "已更换", "已决定：更换团长。")])
def test_replacement_suggestion_decided_on_the_console(make, decision, status, label, notice) -> None:
    t = make.tenant()
    (weak_id, _), *_ = _tenant_with_leaders(t, n=5)
    month = months.month_of(months.today())
    for _ in range(3):  # three warned months in a row: a replacement suggestion
        _run(t, month)
        month = _month_after(month)
    record = t.client.get(f"/api/v1/leaders/{weak_id}/assessments", headers=t.op).json()
    [case] = [c for c in record["cases"] if c["kind"] == "replacement_suggested"]
    assert case["status"] == "open"

    console = _console(t, t.op)
    listing = console.get("/console/leaders").text
    mine = re.search(rf'data-leader="{weak_id}">(.*?)</tr>', listing, re.S)
    open_warnings = sum(1 for c in record["cases"] if c["kind"] == "warning" and c["status"] == "open")
    assert mine and f'{record["assessments"][0]["total"]:.1f}' in mine.group(1)  # the newest month's score
    assert f'<span class="badge badge-warn">{open_warnings}</span>' in mine.group(1) and open_warnings == 3

    page = console.get(f"/console/leaders/{weak_id}").text
    row = f'data-case="{case["id"]}"'
    note = f"运营评估：{decision}"
    r = console.post(_action(page, row, "decide"), data={"decision": decision, "note": note}, follow_redirects=False)
    assert r.status_code == 303
    page = console.get(r.headers["location"]).text
    decided = re.search(rf"{re.escape(row)}>(.*?)</tr>", page, re.S)
    assert notice in page and decided
    assert f'<span class="badge">{label}</span>' in decided.group(1) and note in decided.group(1)
    assert "<form" not in decided.group(1)  # decided once: no form any more

    record = t.client.get(f"/api/v1/leaders/{weak_id}/assessments", headers=t.op).json()
    [after] = [c for c in record["cases"] if c["id"] == case["id"]]
    assert after["status"] == status and after["decided_at"] is not None
    assert [(e["action"], e["actor_role"], e["note"]) for e in after["events"]][1:] == [
        (f"decided_{decision}", "operator", note)]


def test_the_leaders_list_reads_a_page_of_leaders_in_a_fixed_number_of_queries(make) -> None:
    t = make.tenant()
    console = _console(t, t.op)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(t.db.engine, "before_cursor_execute", count)
        try:
            assert console.get("/console/leaders").status_code == 200
        finally:
            event.remove(t.db.engine, "before_cursor_execute", count)
        return len(statements)

    t.leader()
    one = queries()
    for _ in range(4):
        t.leader()
    assert queries() == one  # not one assessment read per row
