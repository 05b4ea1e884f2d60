"""常见问题 (the FAQ the bot answers from: add, edit, delete, load the starter entries) and the kiosk's SLA
settings (时限设置). Registered before feedback_pages: /feedback/faq is not a ticket id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.feedback import bot
from linli.feedback import service as feedback
from linli.feedback.schemas import FAQ_CATEGORIES, FaqIn, SettingsIn
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Field = Annotated[str, Form(max_length=4000)]


def _faq(request: Request, p: Principal, s: Session, status_code: int = 200, error: str | None = None,
         edit_id: int | None = None, typed: dict[str, str] | None = None) -> Response:
    entries = bot.entries(s, p)
    editing = next((e for e in entries if e.id == edit_id), None)
    return render(request, "console/feedback_faq.html", status_code=status_code, p=p, nav="feedback_faq",
                  title="常见问题", entries=entries, editing=editing, typed=typed or {}, error=error,
                  categories=FAQ_CATEGORIES, stats=bot.stats(s, p.tenant_id),
                  done=request.query_params.get("done", ""))


@router.get("/feedback/faq")
def faq_page(request: Request, p: ConsoleOperator, s: Db, edit: str = "") -> Response:
    return _faq(request, p, s, edit_id=int(edit) if is_id(edit) else None)


def _read(question: str, answer: str, keywords: str, category: str, active: str) -> FaqIn:
    return FaqIn(question=question, answer=answer, keywords=keywords, category=category, active=active == "on")


@router.post("/feedback/faq")
def create_faq(request: Request, p: ConsoleOperator, s: Db, question: Field = "", answer: Field = "",
               keywords: Field = "", category: Field = "其他", active: Field = "on") -> Response:
    typed = {"question": question, "answer": answer, "keywords": keywords, "category": category}
    try:
        bot.create_entry(s, p.tenant_id, _read(question, answer, keywords, category, active))
    except ValidationError:
        return _faq(request, p, s, 422, "请填写问题（2-200 字）、答案（2-2000 字）和分类。", typed=typed)
    return RedirectResponse("/console/feedback/faq?done=saved", status_code=303)


@router.post("/feedback/faq/defaults")
def load_defaults(request: Request, p: ConsoleOperator, s: Db) -> Response:
    bot.load_defaults(s, p.tenant_id)
    return RedirectResponse("/console/feedback/faq?done=loaded", status_code=303)


@router.post("/feedback/faq/{faq_id}")
def update_faq(request: Request, p: ConsoleOperator, s: Db, faq_id: str, question: Field = "", answer: Field = "",
               keywords: Field = "", category: Field = "其他", active: Field = "") -> Response:
    if not is_id(faq_id):
        return _faq(request, p, s, 404, "常见问题不存在。")
    try:
        bot.update_entry(s, p, int(faq_id), _read(question, answer, keywords, category, active))
    except ValidationError:
        return _faq(request, p, s, 422, "请填写问题（2-200 字）、答案（2-2000 字）和分类。", edit_id=int(faq_id))
    except NotFound:
        return _faq(request, p, s, 404, "常见问题不存在。")
    return RedirectResponse("/console/feedback/faq?done=saved", status_code=303)


@router.post("/feedback/faq/{faq_id}/delete")
def delete_faq(request: Request, p: ConsoleOperator, s: Db, faq_id: str) -> Response:
    try:
        if not is_id(faq_id):
            raise NotFound("not found", code="faq_not_found")
        bot.delete_entry(s, p, int(faq_id))
    except NotFound:
        return _faq(request, p, s, 404, "常见问题不存在。")
    except Conflict as e:
        return _faq(request, p, s, 409, e.message)
    return RedirectResponse("/console/feedback/faq?done=deleted", status_code=303)


def _settings(request: Request, p: Principal, s: Session, status_code: int = 200,
              error: str | None = None) -> Response:
    return render(request, "console/feedback_settings.html", status_code=status_code, p=p, nav="feedback_settings",
                  title="反馈时限设置", cfg=feedback.get_settings(s, p), error=error,
                  done=request.query_params.get("done", ""))


@router.get("/feedback/settings")
def settings_page(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _settings(request, p, s)


@router.post("/feedback/settings")
def save_settings(request: Request, p: ConsoleOperator, s: Db, first_response_minutes: Field = "",
                  resolution_hours: Field = "", follow_up_hours: Field = "", bot_min_score: Field = "") -> Response:
    try:
        data = SettingsIn(first_response_minutes=int(first_response_minutes),
                          resolution_minutes=int(resolution_hours) * 60, follow_up_minutes=int(follow_up_hours) * 60,
                          bot_min_score=float(bot_min_score))
        feedback.save_settings(s, p, data)
    except (ValueError, ValidationError):
        return _settings(request, p, s, 422, "请填写有效的时限（首次响应 5 分钟以上，解决与回访按小时）和机器人阈值。")
    except Invalid:
        s.rollback()
        return _settings(request, p, s, 422, "首次响应须早于解决时限，解决时限不得晚于回访时限。")
    return RedirectResponse("/console/feedback/settings?done=saved", status_code=303)
