from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse, JSONResponse

from linli.core import clock
from linli.core.http import Db, IdemKey, MemberOrOperator, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.feedback import attachments, bot, service
from linli.feedback.schemas import (
    AskIn,
    AskOut,
    AssignIn,
    AttachmentOut,
    BotStatsOut,
    Category,
    ConfirmIn,
    FaqIn,
    FaqOut,
    FollowUpIn,
    HelpfulIn,
    MessageOut,
    Queue,
    ReplyIn,
    ResolveIn,
    SettingsIn,
    SettingsOut,
    TicketDetailOut,
    TicketIn,
    TicketOut,
)

router = APIRouter(prefix="/feedback", tags=["feedback"])
Cursor = Annotated[str | None, Query(max_length=20)]


# --- the member's kiosk -------------------------------------------------------------------------

@router.post("/tickets", status_code=201, response_model=TicketDetailOut)
def submit(data: TicketIn, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    def work() -> TicketDetailOut:
        ticket = service.submit(s, p, data)
        return service.detail(s, p, ticket.id)
    return idempotent(s, p, request, key, data, 201, work)


@router.get("/tickets/mine", response_model=list[TicketOut])
def mine(p: MemberP, s: Db, limit: Limit = 50) -> list[TicketOut]:
    return [service.out(t) for t in service.mine(s, p, limit)]


@router.post("/tickets/{ticket_id}/attachments", status_code=201, response_model=AttachmentOut)
def attach(ticket_id: Id, p: MemberP, s: Db, file: Annotated[UploadFile, File()]) -> AttachmentOut:
    row = attachments.attach(s, p, ticket_id, file.file.read(attachments.MAX_VOICE_BYTES + 1))
    return AttachmentOut(id=row.id, kind=row.kind, content_type=row.content_type, size_bytes=row.size_bytes,
                         url=attachments.url_of(row.id))


@router.post("/tickets/{ticket_id}/confirm", response_model=TicketOut)
def confirm(ticket_id: Id, data: ConfirmIn, p: MemberP, s: Db) -> TicketOut:
    return service.out(service.confirm(s, p, ticket_id, data))


@router.post("/bot/ask", response_model=AskOut)
def ask(data: AskIn, p: MemberP, s: Db) -> AskOut:
    return bot.ask(s, p, data.question)


@router.post("/bot/exchanges/{exchange_id}/helpful", response_model=AskOut)
def rate_answer(exchange_id: Id, data: HelpfulIn, p: MemberP, s: Db) -> AskOut:
    return bot.rate(s, p, exchange_id, data.helpful)


@router.post("/bot/exchanges/{exchange_id}/handoff", response_model=AskOut)
def hand_off(exchange_id: Id, p: MemberP, s: Db) -> AskOut:
    return bot.handoff(s, p, exchange_id)


# --- both sides ---------------------------------------------------------------------------------

@router.get("/tickets/{ticket_id}", response_model=TicketDetailOut)
def get_ticket(ticket_id: Id, p: MemberOrOperator, s: Db) -> TicketDetailOut:
    return service.detail(s, p, ticket_id)


@router.post("/tickets/{ticket_id}/replies", status_code=201, response_model=MessageOut)
def reply(ticket_id: Id, data: ReplyIn, p: MemberOrOperator, s: Db) -> MessageOut:
    return MessageOut.model_validate(service.reply(s, p, ticket_id, data.body))


@router.get("/attachments/{attachment_id}", response_class=FileResponse)
def attachment_file(attachment_id: Id, p: MemberOrOperator, s: Db) -> FileResponse:
    path, content_type = attachments.file_of(s, p, attachment_id)
    return FileResponse(path, media_type=content_type, headers={"Cache-Control": "private, max-age=3600",
                                                                "X-Content-Type-Options": "nosniff"})


# --- operators ----------------------------------------------------------------------------------

@router.get("/tickets", response_model=Page[TicketOut])
def list_tickets(p: Operator, s: Db, queue: Queue | None = None, category: Category | None = None,
                 community_id: Id | None = None, since: datetime | None = None, until: datetime | None = None,
                 limit: Limit = 50, cursor: Cursor = None) -> Page[TicketOut]:
    items, nxt = service.search(s, p, queue, category, community_id, since, until, limit, cursor)
    return Page[TicketOut](items=items, next_cursor=nxt)


@router.post("/tickets/{ticket_id}/assign", response_model=TicketOut)
def assign(ticket_id: Id, data: AssignIn, p: Operator, s: Db) -> TicketOut:
    return service.out(service.assign(s, p, ticket_id, data.user_id))


@router.post("/tickets/{ticket_id}/resolve", response_model=TicketOut)
def resolve(ticket_id: Id, data: ResolveIn, p: Operator, s: Db) -> TicketOut:
    return service.out(service.resolve(s, p, ticket_id, data.note))


@router.post("/tickets/{ticket_id}/follow-up", response_model=TicketOut)
def follow_up(ticket_id: Id, data: FollowUpIn, p: Operator, s: Db) -> TicketOut:
    return service.out(service.follow_up(s, p, ticket_id, data.note))


@router.get("/faq", response_model=list[FaqOut])
def list_faq(p: Operator, s: Db) -> list[FaqOut]:
    return bot.entries(s, p)


@router.post("/faq", status_code=201, response_model=FaqOut)
def create_faq(data: FaqIn, p: Operator, s: Db) -> FaqOut:
    return bot.create_entry(s, p.tenant_id, data)


@router.put("/faq/{faq_id}", response_model=FaqOut)
def update_faq(faq_id: Id, data: FaqIn, p: Operator, s: Db) -> FaqOut:
    return bot.update_entry(s, p, faq_id, data)


@router.delete("/faq/{faq_id}", status_code=204)
def delete_faq(faq_id: Id, p: Operator, s: Db) -> Response:
    bot.delete_entry(s, p, faq_id)
    return Response(status_code=204)


@router.get("/bot/stats", response_model=BotStatsOut)
def bot_stats(p: Operator, s: Db, since: datetime | None = None) -> BotStatsOut:
    return bot.stats(s, p.tenant_id, clock.as_utc(since) if since else None)


@router.get("/settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsOut:
    return service.get_settings(s, p)


@router.put("/settings", response_model=SettingsOut)
def save_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsOut:
    return service.save_settings(s, p, data)
