"""The FAQ bot (智能客服) and its entries: routine questions answered from the FAQ above a score threshold,
the rest — and every 没帮助 or 转人工 — handed to people as a ticket carrying the question. Every question
is logged (answered / handed off / helpful) for the console's answer rate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Conflict, NotFound
from linli.core.security import Principal
from linli.feedback import faq_index, service
from linli.feedback import repository as repo
from linli.feedback.faq_defaults import FAQ_DEFAULTS
from linli.feedback.schemas import CATEGORIES, AskOut, BotStatsOut, FaqIn, FaqOut, TicketIn
from linli.models import FaqEntry, FaqExchange, FeedbackMessage

# --- entries (console) --------------------------------------------------------------------------

def entries(s: Session, p: Principal) -> list[FaqOut]:
    return [FaqOut.model_validate(e) for e in repo.faq_entries(s, p.tenant_id)]


def create_entry(s: Session, tenant_id: int, data: FaqIn) -> FaqOut:
    now = clock.now()
    entry = FaqEntry(tenant_id=tenant_id, question=data.question, answer=data.answer, keywords=data.keywords,
                     category=data.category, active=data.active, created_at=now, updated_at=now)
    s.add(entry)
    s.flush()
    repo.bump_faq_revision(s, tenant_id)
    return FaqOut.model_validate(entry)


def update_entry(s: Session, p: Principal, faq_id: int, data: FaqIn) -> FaqOut:
    entry = _entry(s, p.tenant_id, faq_id)
    entry.question, entry.answer, entry.keywords = data.question, data.answer, data.keywords
    entry.category, entry.active, entry.updated_at = data.category, data.active, clock.now()
    repo.bump_faq_revision(s, p.tenant_id)
    s.flush()
    return FaqOut.model_validate(entry)


def delete_entry(s: Session, p: Principal, faq_id: int) -> None:
    """Only an entry the bot never answered with: the log keeps what each member was told (409 faq_in_use;
    switch it off instead)."""
    entry = _entry(s, p.tenant_id, faq_id)
    if repo.faq_used(s, p.tenant_id, faq_id):
        raise Conflict("机器人已用这条问题回答过会员，请停用而不是删除", code="faq_in_use")
    s.delete(entry)
    repo.bump_faq_revision(s, p.tenant_id)
    s.flush()


def _entry(s: Session, tenant_id: int, faq_id: int) -> FaqEntry:
    entry = repo.faq_entry(s, tenant_id, faq_id)
    if entry is None:
        raise NotFound("FAQ entry not found", code="faq_not_found")
    return entry


# --- the member asks ----------------------------------------------------------------------------

def ask(s: Session, p: Principal, question: str) -> AskOut:
    member_id = service.member_of(p)
    cfg = repo.ensure_settings(s, p.tenant_id)
    hit = faq_index.best(p.tenant_id, cfg.faq_revision, None, question, load=lambda: [
        (e.id, e.question, e.keywords) for e in repo.faq_entries(s, p.tenant_id, active_only=True)])
    entry = repo.faq_entry(s, p.tenant_id, hit.faq_id) if hit else None
    ex = FaqExchange(tenant_id=p.tenant_id, member_id=member_id, question=question, score=hit.score if hit else 0,
                     faq_id=entry.id if entry else None, outcome="answered", created_at=clock.now())
    s.add(ex)
    s.flush()
    if entry is not None and hit is not None and hit.score >= cfg.bot_min_score \
            and hit.coverage >= faq_index.MIN_COVERAGE:
        return AskOut(exchange_id=ex.id, outcome="answered", faq_id=entry.id, question=entry.question,
                      answer=entry.answer, score=ex.score)
    return _out(ex, _hand_off(s, p, ex, entry.category if entry else "其他", answered=None))


def rate(s: Session, p: Principal, exchange_id: int, helpful: bool) -> AskOut:
    """有帮助 closes the exchange; 没帮助 hands it to people (once, however often it is pressed)."""
    ex = _exchange(s, p, exchange_id)
    ex.helpful = helpful
    if helpful:
        s.flush()
        return _out(ex, ex.ticket_id)
    return handoff(s, p, exchange_id)


def handoff(s: Session, p: Principal, exchange_id: int) -> AskOut:
    """转人工: a ticket with the question (the bot's answer, if it gave one, in the conversation)."""
    ex = _exchange(s, p, exchange_id)
    if ex.ticket_id is not None:
        return _out(ex, ex.ticket_id)
    entry = repo.faq_entry(s, p.tenant_id, ex.faq_id) if ex.faq_id else None
    return _out(ex, _hand_off(s, p, ex, entry.category if entry else "其他", answered=entry))


def _hand_off(s: Session, p: Principal, ex: FaqExchange, topic: str, answered: FaqEntry | None) -> int:
    """The ticket takes the entry's topic when it is a kiosk category (配送与自提, 售后退款 …), else 其他."""
    category = topic if topic in CATEGORIES else "其他"
    ticket = service.submit(s, p, TicketIn(category=category, text=ex.question), source="bot")  # type: ignore[arg-type]
    if answered is not None:
        s.add(FeedbackMessage(tenant_id=p.tenant_id, ticket_id=ticket.id, author_kind="bot", body=(
            f"机器人曾回答（{answered.question}）：{answered.answer}")[:2000], created_at=clock.now()))
    ex.outcome, ex.ticket_id = "handed_off", ticket.id
    s.flush()
    return ticket.id


def _exchange(s: Session, p: Principal, exchange_id: int) -> FaqExchange:
    ex = repo.exchange(s, p.tenant_id, exchange_id, lock=True)
    if ex is None or ex.member_id != p.member_id:
        raise NotFound("exchange not found", code="exchange_not_found")
    return ex


def _out(ex: FaqExchange, ticket_id: int | None) -> AskOut:
    if ex.outcome == "handed_off" and ticket_id is None:
        raise Conflict("hand-off without a ticket", code="handoff_failed")
    return AskOut(exchange_id=ex.id, outcome=ex.outcome, faq_id=ex.faq_id, score=ex.score,  # type: ignore[arg-type]
                  ticket_id=ticket_id)


# --- the console's figures ----------------------------------------------------------------------

def stats(s: Session, tenant_id: int, since: datetime | None = None) -> BotStatsOut:
    """answer_rate: the share of questions the bot finished itself (answered, not handed off)."""
    n = repo.bot_stats(s, tenant_id, since)
    return BotStatsOut(**n, answer_rate=round(n["answered"] / n["asked"], 4) if n["asked"] else 0.0)


def load_defaults(s: Session, tenant_id: int) -> int:
    """Adds the starter entries (faq_defaults.py) the tenant does not have yet (same question); how many."""
    have = {e.question for e in repo.faq_entries(s, tenant_id)}
    added = 0
    for category, question, keywords, answer in FAQ_DEFAULTS:
        if question not in have:
            create_entry(s, tenant_id, FaqIn(category=category, question=question, keywords=keywords,
                                             answer=answer))
            added += 1
    return added
