"""The feedback kiosk's tickets: a member submits (screened by moderation), operators reply, assign, resolve
and follow up (回访), the member confirms and rates. SLA due instants are fixed at submission ("1-3-5": all
three counted from then); sla.py records the breaches. Services never commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.outbox import emit
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.feedback import repository as repo
from linli.feedback.schemas import (
    AttachmentOut,
    BreachOut,
    ConfirmIn,
    MessageOut,
    SettingsIn,
    SettingsOut,
    TicketDetailOut,
    TicketIn,
    TicketOut,
)
from linli.leader import service as leaders
from linli.member import service as members
from linli.models import FeedbackMessage, FeedbackSettings, FeedbackTicket
from linli.moderation import service as moderation
from linli.order import service as orders
from linli.tenancy import service as tenancy

# which timer runs in each status (the one the queues show the time left of)
RUNNING_TIMER = {"open": "first_response", "processing": "resolution", "resolved": "follow_up"}


# --- agreed cross-domain reads (alerts) -------------------------------------------------------

def breached_count(s: Session, tenant_id: int, *, since: datetime, until: datetime) -> int:
    """SLA breaches recorded in [since, until)."""
    return repo.breached_count(s, tenant_id, clock.as_utc(since), clock.as_utc(until))


def open_count(s: Session, tenant_id: int) -> int:
    """Tickets not closed yet."""
    return repo.open_count(s, tenant_id)


# --- settings -----------------------------------------------------------------------------------

def settings_of(s: Session, tenant_id: int) -> FeedbackSettings:
    return repo.ensure_settings(s, tenant_id)


def get_settings(s: Session, p: Principal) -> SettingsOut:
    return SettingsOut.model_validate(settings_of(s, p.tenant_id))


def save_settings(s: Session, p: Principal, data: SettingsIn) -> SettingsOut:
    """New due instants apply to tickets submitted from now on; open tickets keep the promise made to them."""
    if not data.first_response_minutes < data.resolution_minutes <= data.follow_up_minutes:
        raise Invalid("首次响应时限须短于解决时限，解决时限不得长于回访时限", code="invalid_sla")
    row = repo.ensure_settings(s, p.tenant_id)
    row.first_response_minutes = data.first_response_minutes
    row.resolution_minutes = data.resolution_minutes
    row.follow_up_minutes = data.follow_up_minutes
    row.bot_min_score = data.bot_min_score
    row.updated_at = clock.now()
    s.flush()
    return SettingsOut.model_validate(row)


# --- the member's side --------------------------------------------------------------------------

def submit(s: Session, p: Principal, data: TicketIn, source: str = "kiosk") -> FeedbackTicket:
    """A new ticket with the member's words as its first message. Moderation screens the text after the
    row exists: "block" refuses (422, the request rolls back), "review" keeps it pending review."""
    member_id = member_of(p)
    if data.order_id is not None:
        order = orders.visible(s, p, data.order_id)  # the member's own order, else 404 order_not_found
        if order.member_id != member_id:
            raise NotFound("order not found", code="order_not_found")
    cfg = repo.ensure_settings(s, p.tenant_id)
    now = clock.now()
    ticket = FeedbackTicket(
        tenant_id=p.tenant_id, member_id=member_id, order_id=data.order_id, category=data.category,
        community_id=members.communities_of(s, p.tenant_id, [member_id]).get(member_id), text=data.text,
        source=source, status="open", review_status="ok", escalation_level=0, created_at=now,
        first_response_due_at=now + timedelta(minutes=cfg.first_response_minutes),
        resolution_due_at=now + timedelta(minutes=cfg.resolution_minutes),
        follow_up_due_at=now + timedelta(minutes=cfg.follow_up_minutes))
    s.add(ticket)
    s.flush()
    verdict = moderation.screen(s, p.tenant_id, subject_kind="feedback", subject_id=ticket.id, text=data.text,
                                author_member_id=member_id)
    if verdict.decision == "block":
        raise moderation.sensitive_content(verdict)
    if verdict.decision == "review":
        ticket.review_status = "pending"
    _say(s, ticket, "member", None, data.text)
    emit(s, p.tenant_id, "feedback.created", {"ticket_id": ticket.id, "member_id": member_id,
                                              "category": ticket.category, "source": source})
    return ticket


def mine(s: Session, p: Principal, limit: int = 50) -> list[FeedbackTicket]:
    return repo.tickets_of_member(s, p.tenant_id, member_of(p), limit)


def confirm(s: Session, p: Principal, ticket_id: int, data: ConfirmIn) -> FeedbackTicket:
    """The member's 效果反馈 on a resolved ticket: solved closes it (the follow-up is done, with the rating);
    not solved reopens it to 处理中 (its resolution timer runs again from the original promise)."""
    ticket = visible(s, p, ticket_id, lock=True)
    if ticket.status != "resolved":
        raise Conflict("只有已解决待回访的反馈可以确认", code="not_resolved")
    now = clock.now()
    if data.solved:
        ticket.rating = data.rating
        ticket.member_confirmed_at = ticket.followed_up_at = ticket.closed_at = now
        ticket.status = "closed"
        note = f"会员确认已解决{f'，评分 {data.rating} 星' if data.rating else ''}"
    else:
        ticket.status, ticket.resolved_at = "processing", None
        note = "会员反馈问题未解决，工单已重新打开"
    _say(s, ticket, "system", None, note + (f"：{data.comment}" if data.comment else ""))
    emit(s, p.tenant_id, "feedback.confirmed", {"ticket_id": ticket.id, "solved": data.solved,
                                                "rating": data.rating})
    return ticket


# --- both sides -----------------------------------------------------------------------------

def visible(s: Session, p: Principal, ticket_id: int, lock: bool = False) -> FeedbackTicket:
    """Operators see every ticket of the tenant, a member only their own; anyone else gets 404."""
    ticket = repo.ticket(s, p.tenant_id, ticket_id, lock=lock)
    if ticket is None or (p.role != "operator" and (p.role != "member" or ticket.member_id != p.member_id)):
        raise NotFound("feedback not found", code="feedback_not_found")
    return ticket


def reply(s: Session, p: Principal, ticket_id: int, body: str) -> FeedbackMessage:
    """An operator's reply (the first one meets the 1 h timer and moves 待响应 to 处理中), or the member adding
    to their own open ticket."""
    ticket = visible(s, p, ticket_id, lock=True)
    if ticket.status == "closed":
        raise Conflict("反馈已关闭", code="feedback_closed")
    if p.role == "operator":
        ticket.first_responded_at = ticket.first_responded_at or clock.now()
        if ticket.status == "open":
            ticket.status = "processing"
        msg = _say(s, ticket, "operator", p.user_id, body)
        _notify(s, ticket, "您的反馈有新回复", body, f"reply:{msg.id}")
        return msg
    return _say(s, ticket, "member", None, body)


def messages(s: Session, p: Principal, ticket_id: int) -> list[FeedbackMessage]:
    visible(s, p, ticket_id)
    return repo.messages(s, p.tenant_id, ticket_id)


# --- the operator's side ------------------------------------------------------------------------

def assign(s: Session, p: Principal, ticket_id: int, user_id: int | None) -> FeedbackTicket:
    ticket = visible(s, p, ticket_id, lock=True)
    target = user_id or p.user_id
    user = tenancy.user(s, p.tenant_id, target)
    if user is None or user.role != "operator":
        raise Invalid("只能指派给本平台的运营人员", code="invalid_assignee")
    ticket.assignee_user_id = target
    _say(s, ticket, "system", p.user_id, f"已指派给 {user.name or user.username}")
    return ticket


def resolve(s: Session, p: Principal, ticket_id: int, note: str) -> FeedbackTicket:
    """The solution (解决方案): meets the 3 d timer (and the 1 h one, if nothing was said before)."""
    ticket = visible(s, p, ticket_id, lock=True)
    if ticket.status not in ("open", "processing"):
        raise Conflict("该反馈已解决或已关闭", code="already_resolved")
    now = clock.now()
    ticket.first_responded_at = ticket.first_responded_at or now
    ticket.status, ticket.resolved_at, ticket.resolution_note = "resolved", now, note
    _say(s, ticket, "operator", p.user_id, f"【解决方案】{note}")
    _notify(s, ticket, "您的反馈已处理", note, f"resolved:{ticket.id}:{now.isoformat()}")
    emit(s, p.tenant_id, "feedback.resolved", {"ticket_id": ticket.id})
    return ticket


def follow_up(s: Session, p: Principal, ticket_id: int, note: str) -> FeedbackTicket:
    """The 回访 note on a resolved ticket: meets the 5 d timer and closes the ticket."""
    ticket = visible(s, p, ticket_id, lock=True)
    if ticket.status != "resolved":
        raise Conflict("只有已解决待回访的反馈可以回访", code="not_resolved")
    now = clock.now()
    ticket.follow_up_note, ticket.followed_up_at, ticket.closed_at, ticket.status = note, now, now, "closed"
    _say(s, ticket, "operator", p.user_id, f"【回访】{note}")
    return ticket


def timer_state(ticket: FeedbackTicket, now: datetime | None = None) -> tuple[str | None, int | None]:
    """The timer that runs in the ticket's status and its seconds left (negative once overdue)."""
    timer = RUNNING_TIMER.get(ticket.status)
    if timer is None:
        return None, None
    due = {"first_response": ticket.first_response_due_at, "resolution": ticket.resolution_due_at,
           "follow_up": ticket.follow_up_due_at}[timer]
    return timer, int((due - (now or clock.now())).total_seconds())


def on_moderation_decided(s: Session, tenant_id: int, ticket_id: int, decision: str) -> None:
    """A person decided a ticket held for review: approved shows it as usual; rejected closes it."""
    ticket = repo.ticket(s, tenant_id, ticket_id, lock=True)
    if ticket is None or ticket.review_status != "pending":
        return
    if decision == "approved":
        ticket.review_status = "ok"
        return
    ticket.review_status = "rejected"
    if ticket.status != "closed":
        ticket.status, ticket.closed_at = "closed", clock.now()
        _say(s, ticket, "system", None, "内容未通过审核，反馈已关闭")


def _say(s: Session, ticket: FeedbackTicket, kind: str, user_id: int | None, body: str) -> FeedbackMessage:
    msg = FeedbackMessage(tenant_id=ticket.tenant_id, ticket_id=ticket.id, author_kind=kind,
                          author_user_id=user_id, body=body, created_at=clock.now())
    s.add(msg)
    s.flush()
    return msg


def _notify(s: Session, ticket: FeedbackTicket, title: str, body: str, key: str) -> None:
    from linli.messaging import service as messaging  # service message to the member's inbox
    from linli.messaging.schemas import OutgoingMessage

    messaging.send_to_member(s, ticket.tenant_id, ticket.member_id, OutgoingMessage(
        category="service", title=title, body=body[:200], dedupe_key=f"feedback:{ticket.id}:{key}",
        source="feedback", link=f"/m/feedback/{ticket.id}"))


def member_of(p: Principal) -> int:
    if p.role != "member" or p.member_id is None:
        raise Forbidden("only members can do this", code="forbidden")
    return p.member_id


# --- shapes ---------------------------------------------------------------------------------

def out(ticket: FeedbackTicket) -> TicketOut:
    timer, left = timer_state(ticket)
    return TicketOut.model_validate(ticket).model_copy(update={"due_timer": timer, "seconds_left": left})


def detail(s: Session, p: Principal, ticket_id: int) -> TicketDetailOut:
    ticket = visible(s, p, ticket_id)
    base = out(ticket).model_dump()
    return TicketDetailOut(
        **base, resolution_note=ticket.resolution_note, follow_up_note=ticket.follow_up_note,
        messages=[MessageOut.model_validate(m) for m in repo.messages(s, p.tenant_id, ticket_id)],
        attachments=[AttachmentOut(id=a.id, kind=a.kind, content_type=a.content_type, size_bytes=a.size_bytes,
                                   url=f"/api/v1/feedback/attachments/{a.id}")
                     for a in repo.attachments(s, p.tenant_id, ticket_id)],
        breaches=[BreachOut.model_validate(b) for b in repo.breaches(s, p.tenant_id, ticket_id)])


def search(s: Session, p: Principal, queue: str | None, category: str | None, community_id: int | None,
           since: datetime | None, until: datetime | None, limit: int,
           cursor: str | None) -> tuple[list[TicketOut], str | None]:
    since, until = (clock.as_utc(since) if since else None), (clock.as_utc(until) if until else None)
    stmt = repo.queue(p.tenant_id, queue, category, [community_id] if community_id else None, since, until)
    rows, nxt = fetch_page(s, stmt, FeedbackTicket.id, limit, cursor)
    return [out(t) for t in rows], nxt


def about_my_community(s: Session, p: Principal, limit: int = 50) -> list[TicketOut]:
    """A leader's read-only view: the feedback from members of the leader's community, newest first."""
    if p.role != "leader" or p.leader_id is None:
        raise Forbidden("only leaders can do this", code="forbidden")
    community_id = leaders.profile(s, p.tenant_id, p.leader_id).community_id
    stmt = repo.queue(p.tenant_id, None, None, [community_id], None, None)
    rows = s.scalars(stmt.order_by(FeedbackTicket.created_at.desc(), FeedbackTicket.id.desc()).limit(limit))
    return [out(t) for t in rows]
