"""SLA timers (1 h / 3 d / 5 d from submission): run-due records each breach once, escalates level by level
and emits feedback.sla_breached; met timers never breach; settings apply to new tickets."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from linli.core import clock
from linli.feedback import jobs
from linli.feedback import service as feedback
from tests.feedback.helpers import breaches, due, events, get, level, submit


def test_breaches_recorded_once_each_and_escalate(make, morning):
    t = make.tenant()
    _, mh = t.member()
    late = submit(t, mh)
    answered = submit(t, mh, text="团长态度不好", category="团长服务")
    clock.set_process_time(morning + timedelta(minutes=30))
    t.post(f"/feedback/tickets/{answered['id']}/replies", {"body": "马上核实"})  # within the hour

    due(t, morning + timedelta(minutes=59))
    assert breaches(t) == []
    due(t, morning + timedelta(minutes=61))
    due(t, morning + timedelta(minutes=62))
    assert breaches(t) == [(late["id"], "first_response", 1)]
    row = get(t, "/feedback/tickets", queue="overdue")["items"]
    assert [x["id"] for x in row] == [late["id"]] and row[0]["escalation_level"] == 1
    assert row[0]["seconds_left"] > 0  # its next timer (resolution) still runs

    due(t, morning + timedelta(days=3, minutes=1))
    assert sorted(breaches(t)) == sorted([(late["id"], "first_response", 1), (late["id"], "resolution", 2),
                                          (answered["id"], "resolution", 1)])
    sent = events(t, "feedback.sla_breached")
    assert len(sent) == 3
    assert {(e["ticket_id"], e["timer"], e["level"], e["escalated_to"]) for e in sent} >= {
        (late["id"], "resolution", 2, "主管")}
    assert level(t, late["id"]) == 2


def test_a_timer_met_late_still_counts_once(make, morning):
    t = make.tenant()
    _, mh = t.member()
    ticket = submit(t, mh)
    clock.set_process_time(morning + timedelta(hours=2))
    t.post(f"/feedback/tickets/{ticket['id']}/resolve", {"note": "已补发"}, expect=200)  # late, before any run
    due(t, morning + timedelta(hours=3))
    assert breaches(t) == [(ticket["id"], "first_response", 1)]
    t.post(f"/feedback/tickets/{ticket['id']}/follow-up", {"note": "回访满意"}, expect=200)
    due(t, morning + timedelta(days=6))
    assert breaches(t) == [(ticket["id"], "first_response", 1)]  # resolved and followed up in time


def test_breached_and_open_counts(make, morning):
    t = make.tenant()
    _, mh = t.member()
    submit(t, mh)
    closed = submit(t, mh, text="建议增加水果品类", category="功能建议")
    t.post(f"/feedback/tickets/{closed['id']}/resolve", {"note": "已采纳"}, expect=200)
    t.post(f"/feedback/tickets/{closed['id']}/follow-up", {"note": "已回访"}, expect=200)
    due(t, morning + timedelta(hours=2))
    with t.db.unit_of_work() as s:
        assert feedback.open_count(s, t.tenant_id) == 1
        assert feedback.breached_count(s, t.tenant_id, since=morning, until=morning + timedelta(days=1)) == 1
        assert feedback.breached_count(s, t.tenant_id, since=morning + timedelta(days=1),
                                       until=morning + timedelta(days=2)) == 0


def test_settings_apply_to_new_tickets(make, morning):
    t = make.tenant()
    _, mh = t.member()
    assert get(t, "/feedback/settings")["first_response_minutes"] == 60
    before = submit(t, mh)
    body = {"first_response_minutes": 30, "resolution_minutes": 2 * 24 * 60, "follow_up_minutes": 4 * 24 * 60}
    r = t.client.put("/api/v1/feedback/settings", json=body, headers=t.op)
    assert r.status_code == 200 and r.json()["first_response_minutes"] == 30
    r = t.client.put("/api/v1/feedback/settings", json={**body, "first_response_minutes": 5000}, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_sla"
    after = submit(t, mh)
    assert after["seconds_left"] == 1800 and before["seconds_left"] == 3600
    due(t, morning + timedelta(minutes=45))
    assert breaches(t) == [(after["id"], "first_response", 1)]


def test_run_due_by_cli(make, morning):
    from click.testing import CliRunner

    from linli.cli import main

    t = make.tenant()
    _, mh = t.member()
    ticket = submit(t, mh)
    at = (morning + timedelta(hours=2)).isoformat()
    result = CliRunner().invoke(main, ["run-due", "--at", at])  # the runtime is the test database
    assert result.exit_code == 0, result.output
    assert "feedback.sla: 1" in result.output
    assert breaches(t) == [(ticket["id"], "first_response", 1)]


def test_concurrent_runs_record_each_breach_once(make, morning):
    t = make.tenant()
    headers = t.members(3)
    ids = [submit(t, h)["id"] for h in headers]
    at = morning + timedelta(days=6)
    with ThreadPoolExecutor(max_workers=3) as pool:
        recorded = list(pool.map(lambda _: jobs.run_due(t.db, at), range(3)))
    assert sum(recorded) == 9
    assert sorted(breaches(t)) == sorted((i, tm, lv) for i in ids for tm, lv in
                                         (("first_response", 1), ("resolution", 2), ("follow_up", 3)))
    assert len(events(t, "feedback.sla_breached")) == 9
