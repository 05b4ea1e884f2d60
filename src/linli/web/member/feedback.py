"""社区意见亭 in the member app: ask the FAQ bot (有帮助 / 没帮助 / 转人工), submit feedback with photos and a
voice recording, follow one's tickets, add to them, confirm the result and rate it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.feedback import attachments, bot
from linli.feedback import service as feedback
from linli.feedback.schemas import CATEGORIES, AskOut, ConfirmIn, TicketIn
from linli.order import service as orders
from linli.web.member.guard import MemberPage
from linli.web.member.pages import not_found, path_id
from linli.web.member.templating import render

router = APIRouter()
STATUS = {"open": "待响应", "processing": "处理中", "resolved": "待您确认", "closed": "已关闭"}
Text = Annotated[str, Form(max_length=2000)]
Files = Annotated[list[UploadFile] | None, File()]
MAX_FILES = 7  # six photos and a recording


def _kiosk(request: Request, p: Principal, s: Session, status_code: int = 200, error: str | None = None,
           answer: AskOut | None = None, asked: str = "", typed: dict[str, str] | None = None) -> Response:
    mine, _ = orders.search(s, p, None, None, None, 20, None)
    return render(request, "member/feedback.html", status_code=status_code, p=p, title="社区意见亭", back="/m/me",
                  tickets=feedback.mine(s, p, 50), statuses=STATUS, categories=CATEGORIES, orders=mine,
                  error=error, answer=answer, asked=asked, typed=typed or {})


@router.get("/feedback")
def kiosk(request: Request, p: MemberPage, s: Db) -> Response:
    return _kiosk(request, p, s)


@router.post("/feedback/ask")
def ask(request: Request, p: MemberPage, s: Db, question: Text = "") -> Response:
    question = question.strip()
    if not 2 <= len(question) <= 200 or "\x00" in question:
        return _kiosk(request, p, s, 422, "请输入 2-200 字的问题。")
    try:
        answer = bot.ask(s, p, question)
    except Invalid as e:
        s.rollback()
        return _kiosk(request, p, s, 422, e.message if e.code == "sensitive_content" else "提问失败。")
    if answer.outcome == "handed_off":
        return RedirectResponse(f"/m/feedback/{answer.ticket_id}?handed_off=1", status_code=303)
    return _kiosk(request, p, s, answer=answer, asked=question)


@router.post("/feedback/exchanges/{exchange_id}/{action}")
def rate_answer(request: Request, p: MemberPage, s: Db, exchange_id: str, action: str) -> Response:
    if action not in ("helpful", "not-helpful", "handoff"):
        return not_found(request, p, "页面不存在。")
    try:
        ex = path_id(exchange_id, "exchange")
        out = bot.rate(s, p, ex, True) if action == "helpful" else (
            bot.rate(s, p, ex, False) if action == "not-helpful" else bot.handoff(s, p, ex))
    except NotFound:
        return not_found(request, p, "问答记录不存在。")
    if out.ticket_id is not None:
        return RedirectResponse(f"/m/feedback/{out.ticket_id}?handed_off=1", status_code=303)
    return RedirectResponse("/m/feedback?thanks=1", status_code=303)


@router.post("/feedback")
def submit(request: Request, p: MemberPage, s: Db, category: Text = "", text: Text = "", order_id: Text = "",
           files: Files = None) -> Response:
    typed = {"category": category, "text": text, "order_id": order_id}
    try:
        data = TicketIn.model_validate({"category": category, "text": text,
                                        "order_id": int(order_id) if order_id.isdigit() else None})
    except (ValidationError, ValueError):
        return _kiosk(request, p, s, 422, "请选择分类并填写 2-1000 字的反馈内容。", typed=typed)
    uploads = [f for f in files or [] if f.filename]
    if len(uploads) > MAX_FILES:
        return _kiosk(request, p, s, 422, "图片最多 6 张，语音最多 1 段。", typed=typed)
    try:
        ticket = feedback.submit(s, p, data)
        for f in uploads:
            attachments.attach(s, p, ticket.id, f.file.read(attachments.MAX_VOICE_BYTES + 1))
    except NotFound:
        s.rollback()
        return _kiosk(request, p, s, 404, "只能关联您自己的订单。", typed=typed)
    except Invalid as e:  # the whole submission rolls back: nothing half-written
        s.rollback()
        return _kiosk(request, p, s, 422, e.message, typed=typed)
    return RedirectResponse(f"/m/feedback/{ticket.id}?submitted=1", status_code=303)


def _ticket(request: Request, p: Principal, s: Session, ticket_id: str, status_code: int = 200,
            error: str | None = None) -> Response:
    try:
        t = feedback.detail(s, p, path_id(ticket_id, "feedback"))
    except NotFound:
        return not_found(request, p, "反馈不存在。")
    q = request.query_params
    return render(request, "member/feedback_ticket.html", status_code=status_code, p=p, title=f"反馈 #{t.id}",
                  back="/m/feedback", t=t, statuses=STATUS, error=error, submitted=q.get("submitted"),
                  handed_off=q.get("handed_off"))


@router.get("/feedback/{ticket_id}")
def ticket_page(request: Request, p: MemberPage, s: Db, ticket_id: str) -> Response:
    return _ticket(request, p, s, ticket_id)


@router.post("/feedback/{ticket_id}/reply")
def reply(request: Request, p: MemberPage, s: Db, ticket_id: str, body: Text = "") -> Response:
    if not body.strip() or len(body.strip()) > 1000:
        return _ticket(request, p, s, ticket_id, 422, "请填写补充内容（1000 字以内）。")
    try:
        feedback.reply(s, p, path_id(ticket_id, "feedback"), body.strip())
    except NotFound:
        return not_found(request, p, "反馈不存在。")
    except Conflict:
        return _ticket(request, p, s, ticket_id, 409, "反馈已关闭。")
    return RedirectResponse(f"/m/feedback/{ticket_id}", status_code=303)


@router.post("/feedback/{ticket_id}/confirm")
def confirm(request: Request, p: MemberPage, s: Db, ticket_id: str, solved: Text = "", rating: Text = "",
            comment: Text = "") -> Response:
    try:
        data = ConfirmIn(solved=solved == "yes", rating=int(rating) if rating in ("1", "2", "3", "4", "5") else None,
                         comment=comment.strip() or None)
        feedback.confirm(s, p, path_id(ticket_id, "feedback"), data)
    except ValidationError:
        return _ticket(request, p, s, ticket_id, 422, "补充说明太长了。")
    except NotFound:
        return not_found(request, p, "反馈不存在。")
    except Conflict:
        return _ticket(request, p, s, ticket_id, 409, "这条反馈现在不能确认。")
    return RedirectResponse(f"/m/feedback/{ticket_id}", status_code=303)


@router.get("/feedback/attachments/{attachment_id}")
def attachment(request: Request, p: MemberPage, s: Db, attachment_id: str) -> Response:
    try:
        path, content_type = attachments.file_of(s, p, path_id(attachment_id, "attachment"))
    except NotFound:
        return not_found(request, p, "附件不存在。")
    return FileResponse(path, media_type=content_type, headers={"Cache-Control": "private, max-age=3600",
                                                                "X-Content-Type-Options": "nosniff"})
