"""佣金 and 考核: my commission account, this month's statement and a withdrawal request; my monthly scores,
titles, warnings and help tasks (with a 完成 button)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from linli.assessment import service as assessment
from linli.commission import service as commission
from linli.commission import withdrawals
from linli.commission.schemas import WithdrawalIn
from linli.core.errors import Conflict, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.member.pages import is_id
from linli.web.member.templating import PAGE_SIZE, render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()


def _commission(request: Request, p: Principal, s: Db, status_code: int = 200, **context: object) -> Response:
    assert p.leader_id is not None
    return render(request, "workbench/commission.html", status_code=status_code, p=p, title="佣金",
                  tab="commission", account=commission.commission(s, p.tenant_id, p.leader_id, PAGE_SIZE, None),
                  statement=commission.statement(s, p.tenant_id, p.leader_id, None),
                  withdrawals=withdrawals.search(s, p, None, None, PAGE_SIZE, None).items, **context)


@router.get("/commission")
def my_commission(request: Request, p: LeaderPage, s: Db, done: str = "") -> Response:
    return _commission(request, p, s, done=done == "1")


@router.post("/commission/withdrawals")
def request_withdrawal(request: Request, p: LeaderPage, s: Db,
                       amount: Annotated[str, Form(max_length=20)] = "") -> Response:
    text = amount.strip()
    whole, _, cents = text.partition(".")
    if not (whole.isascii() and whole.isdigit() and len(whole) <= 9 and cents.isascii()
            and (cents == "" or (cents.isdigit() and len(cents) <= 2))) or int(whole + cents.ljust(2, "0")) <= 0:
        return _commission(request, p, s, 422, error="请填写正确的提现金额（元，最多两位小数）。", amount=text)
    try:
        withdrawals.request(s, p, WithdrawalIn(amount_fen=int(whole + cents.ljust(2, "0"))))
    except Conflict:
        return _commission(request, p, s, 409, error="可提现余额不足。", amount=text)
    return RedirectResponse("/w/commission?done=1", status_code=303)


def _assessments(request: Request, p: Principal, s: Db, status_code: int = 200, **context: object) -> Response:
    record = assessment.my_record(s, p)
    return render(request, "workbench/assessments.html", status_code=status_code, p=p, title="考核",
                  tab="assessments", record=record,
                  warnings=[c for c in record.cases if c.kind == "warning"],
                  tasks=[(c, t) for c in record.cases for t in c.tasks], **context)


@router.get("/assessments")
def my_assessments(request: Request, p: LeaderPage, s: Db) -> Response:
    return _assessments(request, p, s)


@router.post("/assessments/tasks/{task_id}/done")
def task_done(request: Request, p: LeaderPage, s: Db, task_id: str) -> Response:
    try:
        if not is_id(task_id):
            raise NotFound("help task not found", code="help_task_not_found")
        assessment.task_done(s, p, int(task_id))
    except NotFound:
        return _assessments(request, p, s, 404, error="没有找到该帮扶任务。")
    except Conflict:
        return _assessments(request, p, s, 409, error="该任务已经完成了。")
    return RedirectResponse("/w/assessments#tasks", status_code=303)
