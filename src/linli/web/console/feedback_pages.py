"""意见反馈: the queues (待响应 / 处理中 / 待回访 / 已超时 / 已关闭) with the time left or overdue on each row,
filters (category, community, date), pages and export; a ticket with its conversation, reply, assign,
resolve and follow-up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.listing import Filters, Numbered
from linli.core.security import Principal
from linli.feedback import attachments, bot, sla
from linli.feedback import listing as feedback_listing
from linli.feedback import service as feedback
from linli.feedback.schemas import CATEGORIES, QUEUE_NAMES, TicketOut
from linli.member import service as members
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source
from linli.web.console.templating import is_id, render

router = APIRouter()
STATUS = {"open": "待响应", "processing": "处理中", "resolved": "待回访", "closed": "已关闭"}
ERRORS = {"feedback_closed": "反馈已关闭。", "already_resolved": "该反馈已解决或已关闭。",
          "not_resolved": "只有已解决待回访的反馈可以回访。", "invalid_assignee": "只能指派给运营人员。"}
Text = Annotated[str, Form(max_length=2000)]

VIEW = ListView(
    "/console/feedback", "意见反馈", "意见反馈", date_label="提交时间", statuses=QUEUE_NAMES, community=True,
    columns=[
        Column("反馈ID", lambda t, x: t.id),
        Column("分类", lambda t, x: t.category),
        Column("内容", lambda t, x: t.text),
        Column("会员ID", lambda t, x: t.member_id),
        Column("小区ID", lambda t, x: t.community_id),
        Column("状态", lambda t, x: STATUS.get(t.status, t.status)),
        Column("升级", lambda t, x: sla.level_name(t.escalation_level)),
        Column("评分", lambda t, x: t.rating),
        Column("提交时间", lambda t, x: t.created_at),
        Column("首次响应", lambda t, x: t.first_responded_at),
        Column("解决时间", lambda t, x: t.resolved_at),
        Column("关闭时间", lambda t, x: t.closed_at),
    ])


def time_left(seconds: int | None) -> str:
    """剩余 35 分钟 / 已超时 2 小时 5 分钟 (whole minutes; days past a day)."""
    if seconds is None:
        return "—"
    minutes = abs(seconds) // 60
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    text = (f"{days} 天 {hours} 小时" if days else f"{hours} 小时 {mins} 分钟" if hours else f"{mins} 分钟")
    return f"剩余 {text}" if seconds >= 0 else f"已超时 {text}"


def _source(category: str | None) -> Source:
    def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[Any]:
        return feedback_listing.page(s, p, f, number, size, category)

    def export(s: Session, p: Principal, f: Filters) -> Iterator[list[Any]]:
        return feedback_listing.export(s, p, f, category)
    return Source(page, export)


def _names(s: Session, p: Principal) -> Callable[[Any], dict[str, Any]]:
    def lookup(rows: list[TicketOut]) -> dict[str, Any]:
        return {"names": members.names(s, p.tenant_id, sorted({t.member_id for t in rows}))}
    return lookup


def _queue(request: Request, p: Principal, s: Session, status_code: int = 200, **context: Any) -> Response:
    wanted = request.query_params.get("status", "pending")
    status = wanted if wanted in QUEUE_NAMES or wanted == "all" else "pending"
    category = request.query_params.get("category", "")
    category = category if category in CATEGORIES else ""
    params = listing.read(request, VIEW, status=status)
    return listing.answer(request, p, s, VIEW, params, _source(category or None), template="console/feedback.html",
                          nav="feedback", lookup=_names(s, p), status_code=status_code, status=status,
                          tabs=[*QUEUE_NAMES.items(), ("all", "全部")], counts=feedback_listing.counts(s, p),
                          category=category, categories=CATEGORIES, time_left=time_left,
                          level_name=sla.level_name, statuses=STATUS, bot=bot.stats(s, p.tenant_id), **context)


@router.get("/feedback")
def queue(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _queue(request, p, s)


def _detail(request: Request, p: Principal, s: Session, ticket_id: str, status_code: int = 200,
            error: str | None = None) -> Response:
    try:
        if not is_id(ticket_id):
            raise NotFound("not found", code="feedback_not_found")
        ticket = feedback.detail(s, p, int(ticket_id))
    except NotFound:
        return _queue(request, p, s, 404, error=f"反馈 #{ticket_id} 不存在。")
    name = members.names(s, p.tenant_id, [ticket.member_id]).get(ticket.member_id, f"会员 #{ticket.member_id}")
    return render(request, "console/feedback_ticket.html", status_code=status_code, p=p, nav="feedback",
                  title=f"反馈 #{ticket.id}", t=ticket, member_name=name, statuses=STATUS, time_left=time_left,
                  level_name=sla.level_name, timer_names=sla.TIMER_NAMES, error=error,
                  done=request.query_params.get("done", ""))


@router.get("/feedback/{ticket_id}")
def ticket_page(request: Request, p: ConsoleOperator, s: Db, ticket_id: str) -> Response:
    return _detail(request, p, s, ticket_id)


def _act(request: Request, p: Principal, s: Session, ticket_id: str, done: str,
         act: Callable[[int], object]) -> Response:
    try:
        if not is_id(ticket_id):
            raise NotFound("not found", code="feedback_not_found")
        act(int(ticket_id))
    except NotFound:
        return _queue(request, p, s, 404, error=f"反馈 #{ticket_id} 不存在。")
    except (Conflict, Invalid) as e:
        s.rollback()
        return _detail(request, p, s, ticket_id, e.status, ERRORS.get(e.code or "", "操作失败。"))
    return RedirectResponse(f"/console/feedback/{ticket_id}?done={done}", status_code=303)


def _required(request: Request, p: Principal, s: Session, ticket_id: str, text: str, what: str) -> Response | None:
    if not text.strip() or "\x00" in text or len(text.strip()) > 1000:
        return _detail(request, p, s, ticket_id, 422, f"请填写{what}（1000 字以内）。")
    return None


@router.post("/feedback/{ticket_id}/reply")
def reply(request: Request, p: ConsoleOperator, s: Db, ticket_id: str, body: Text = "") -> Response:
    return _required(request, p, s, ticket_id, body, "回复内容") or _act(
        request, p, s, ticket_id, "replied", lambda i: feedback.reply(s, p, i, body.strip()))


@router.post("/feedback/{ticket_id}/assign")
def assign(request: Request, p: ConsoleOperator, s: Db, ticket_id: str) -> Response:
    return _act(request, p, s, ticket_id, "assigned", lambda i: feedback.assign(s, p, i, None))


@router.post("/feedback/{ticket_id}/resolve")
def resolve(request: Request, p: ConsoleOperator, s: Db, ticket_id: str, note: Text = "") -> Response:
    return _required(request, p, s, ticket_id, note, "解决方案") or _act(
        request, p, s, ticket_id, "resolved", lambda i: feedback.resolve(s, p, i, note.strip()))


@router.post("/feedback/{ticket_id}/follow-up")
def follow_up(request: Request, p: ConsoleOperator, s: Db, ticket_id: str, note: Text = "") -> Response:
    return _required(request, p, s, ticket_id, note, "回访记录") or _act(
        request, p, s, ticket_id, "followed_up", lambda i: feedback.follow_up(s, p, i, note.strip()))


@router.get("/feedback/attachments/{attachment_id}")
def attachment(request: Request, p: ConsoleOperator, s: Db, attachment_id: str) -> Response:
    try:
        if not is_id(attachment_id):
            raise NotFound("not found", code="attachment_not_found")
        path, content_type = attachments.file_of(s, p, int(attachment_id))
    except NotFound:
        return _queue(request, p, s, 404, error="附件不存在。")
    return FileResponse(path, media_type=content_type, headers={"Cache-Control": "private, max-age=3600",
                                                                "X-Content-Type-Options": "nosniff"})
