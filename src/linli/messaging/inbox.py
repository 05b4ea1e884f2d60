"""The member's side: the inbox (站内信), reading, preferences and unsubscribing (by the member, by the
one-tap link, by replying T to an SMS)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.messaging import repository as repo
from linli.messaging.schemas import InboxMessageOut, InboxOut, PreferencesIn, PreferencesOut
from linli.models.messaging import InboxMessage, MessagePreference

SMS_STOP_WORDS = frozenset({"T", "TD", "退订", "N"})


def _member(p: Principal) -> int:
    assert p.member_id is not None
    return p.member_id


def inbox(s: Session, p: Principal, limit: int, cursor: str | None) -> InboxOut:
    member_id = _member(p)
    rows, next_cursor = fetch_page(s, repo.inbox_query(p.tenant_id, member_id), InboxMessage.id, limit, cursor)
    return InboxOut(items=[InboxMessageOut.model_validate(m) for m in rows], next_cursor=next_cursor,
                    unread=repo.unread_count(s, p.tenant_id, member_id))


def unread(s: Session, p: Principal) -> int:
    return repo.unread_count(s, p.tenant_id, _member(p))


def message(s: Session, p: Principal, message_id: int) -> InboxMessageOut:
    m = repo.inbox_message(s, p.tenant_id, _member(p), message_id)
    if m is None:
        raise NotFound("no such message", code="message_not_found")
    return InboxMessageOut.model_validate(m)


def mark_read(s: Session, p: Principal, message_id: int) -> InboxMessageOut:
    message(s, p, message_id)
    repo.mark_read(s, p.tenant_id, _member(p), message_id, clock.now())
    s.expire_all()
    return message(s, p, message_id)


def _prefs_out(row: MessagePreference) -> PreferencesOut:
    return PreferencesOut(marketing=row.marketing, sms=row.sms, wechat=row.wechat,
                          wechat_bound=row.wechat_openid is not None)


def preferences(s: Session, p: Principal) -> PreferencesOut:
    """A member never written to has no row yet: everything on (reading writes nothing)."""
    row = repo.preferences(s, p.tenant_id, _member(p))
    return _prefs_out(row) if row is not None else PreferencesOut(marketing=True, sms=True, wechat=True,
                                                                   wechat_bound=False)


def unsubscribe_link(s: Session, tenant_id: int, member_id: int) -> str | None:
    """The one-tap link (no sign-in) that stops marketing, once the member has a preference row."""
    row = repo.preferences(s, tenant_id, member_id)
    return f"/m/unsubscribe/{row.unsubscribe_token}" if row is not None else None


def set_preferences(s: Session, p: Principal, data: PreferencesIn) -> PreferencesOut:
    row = repo.lock_preferences(s, p.tenant_id, _member(p))
    row.marketing, row.sms, row.wechat, row.updated_at = data.marketing, data.sms, data.wechat, clock.now()
    s.flush()
    return _prefs_out(row)


def by_token(s: Session, token: str) -> MessagePreference:
    """The preference row an unsubscribe link names (the token is the whole credential: it only unsubscribes)."""
    row = repo.preferences_by_token(s, token) if token.isascii() and token.isalnum() and len(token) == 32 else None
    if row is None:
        raise NotFound("this unsubscribe link is not valid", code="unsubscribe_link_invalid")
    return row


def unsubscribe_marketing(s: Session, token: str) -> MessagePreference:
    row = by_token(s, token)
    row.marketing, row.updated_at = False, clock.now()
    s.flush()
    return row


def sms_reply(s: Session, tenant_id: int, member_id: int, text: str) -> bool:
    """A member's reply to one of our SMS: T / TD / 退订 stops SMS to them. True if it was a stop word."""
    if text.strip().upper() not in SMS_STOP_WORDS:
        return False
    row = repo.lock_preferences(s, tenant_id, member_id)
    row.sms, row.updated_at = False, clock.now()
    s.flush()
    return True


def bind_wechat(s: Session, tenant_id: int, member_id: int, openid: str | None) -> None:
    """The member's WeChat openid (from WeChat sign-in), or None to unbind."""
    row = repo.lock_preferences(s, tenant_id, member_id)
    row.wechat_openid, row.updated_at = openid, clock.now()
    s.flush()
