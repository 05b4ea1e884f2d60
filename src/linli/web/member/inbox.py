"""消息中心: the member's inbox and a message, what they receive (preferences), and the one-tap unsubscribe
page that a link in a message opens without signing in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.messaging import inbox
from linli.messaging.schemas import PreferencesIn
from linli.web import message_labels as words
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id, not_found
from linli.web.member.templating import PAGE_SIZE, render, templates

router = APIRouter()
words.install(templates.env)
Switch = Annotated[str, Form(max_length=3)]


@router.get("/inbox")
def inbox_page(request: Request, p: MemberPage, s: Db, cursor: str = "") -> Response:
    page = inbox.inbox(s, p, PAGE_SIZE, cursor if is_id(cursor) else None)
    return render(request, "member/inbox.html", p=p, title="消息中心", back="/m/me", page=page, cursor=cursor,
                  next_url=f"/m/inbox?cursor={page.next_cursor}" if page.next_cursor else None)


@router.get("/inbox/preferences")
def preferences_page(request: Request, p: MemberPage, s: Db, saved: str = "") -> Response:
    return render(request, "member/message_preferences.html", p=p, title="消息设置", back="/m/inbox",
                  prefs=inbox.preferences(s, p), saved=saved == "1")


@router.post("/inbox/preferences")
def save_preferences(p: MemberPage, s: Db, marketing: Switch = "", sms: Switch = "",
                     wechat: Switch = "") -> Response:
    inbox.set_preferences(s, p, PreferencesIn(marketing=marketing == "on", sms=sms == "on", wechat=wechat == "on"))
    return RedirectResponse("/m/inbox/preferences?saved=1", status_code=303)


@router.get("/inbox/{message_id}")
def message_page(request: Request, p: MemberPage, s: Db, message_id: str) -> Response:
    """Opening a message reads it (as in a mail app); only the first opening sets the time."""
    try:
        if not is_id(message_id):
            raise NotFound("no such message")
        m = inbox.mark_read(s, p, int(message_id))
    except NotFound:
        return not_found(request, p, "消息不存在。")
    assert p.member_id is not None
    link = inbox.unsubscribe_link(s, p.tenant_id, p.member_id) if m.category == "marketing" else None
    return render(request, "member/inbox_message.html", p=p, title="消息详情", back="/m/inbox", m=m,
                  unsubscribe=link)


@router.get("/unsubscribe/{token}")
def unsubscribe_page(request: Request, s: Db, token: str, done: str = "") -> Response:
    try:
        row = inbox.by_token(s, token)
    except NotFound:
        return _invalid(request)
    return render(request, "member/unsubscribe.html", title="退订营销消息", token=token,
                  done=done == "1" and not row.marketing, subscribed=row.marketing)


@router.post("/unsubscribe/{token}")
def unsubscribe(request: Request, s: Db, token: str) -> Response:
    try:
        inbox.unsubscribe_marketing(s, token)
    except NotFound:
        return _invalid(request)
    return RedirectResponse(f"/m/unsubscribe/{token}?done=1", status_code=303)


def _invalid(request: Request) -> Response:
    return render(request, "member/not_found.html", status_code=404, title="未找到", message="退订链接无效或已过期。")
