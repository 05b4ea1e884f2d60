from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Db, IdemKey, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.messaging import inbox, log, service
from linli.messaging.schemas import (
    DeliveryOut,
    InboxMessageOut,
    InboxOut,
    PreferencesIn,
    PreferencesOut,
    SendIn,
    SendOut,
    SettingsIn,
    SettingsOut,
)

router = APIRouter(tags=["messaging"])
Cursor = Annotated[str | None, Query(max_length=20)]
Source = Annotated[str | None, Query(max_length=60, pattern=r"^[0-9A-Za-z_:\-]*$")]


@router.get("/me/messages", response_model=InboxOut)
def my_messages(p: MemberP, s: Db, limit: Limit = 20, cursor: Cursor = None) -> InboxOut:
    return inbox.inbox(s, p, limit, cursor)


@router.post("/me/messages/{message_id}/read", response_model=InboxMessageOut)
def read_message(message_id: Id, p: MemberP, s: Db) -> InboxMessageOut:
    return inbox.mark_read(s, p, message_id)


@router.get("/me/message-preferences", response_model=PreferencesOut)
def my_preferences(p: MemberP, s: Db) -> PreferencesOut:
    return inbox.preferences(s, p)


@router.put("/me/message-preferences", response_model=PreferencesOut)
def set_my_preferences(data: PreferencesIn, p: MemberP, s: Db) -> PreferencesOut:
    return inbox.set_preferences(s, p, data)


@router.get("/message-deliveries", response_model=Page[DeliveryOut])
def list_deliveries(p: Operator, s: Db, member_id: Id | None = None,
                    channel: Literal["inbox", "sms", "wechat"] | None = None,
                    status: Literal["queued", "deferred", "sent", "skipped", "failed"] | None = None,
                    source: Source = None, since: datetime | None = None, until: datetime | None = None,
                    limit: Limit = 50, cursor: Cursor = None) -> Page[DeliveryOut]:
    f = log.LogFilter(member_id, channel, status, source, since, until)
    return log.deliveries(s, p, f, limit, cursor)


@router.get("/message-deliveries/{delivery_id}", response_model=DeliveryOut)
def get_delivery(delivery_id: Id, p: Operator, s: Db) -> DeliveryOut:
    return log.delivery(s, p, delivery_id)


@router.get("/messaging/settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsOut:
    return service.settings_out(s, p.tenant_id)


@router.put("/messaging/settings", response_model=SettingsOut)
def put_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsOut:
    return service.save_settings(s, p.tenant_id, data)


@router.post("/messages", status_code=201, response_model=SendOut)
def send_message(data: SendIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: log.send(s, p, data))
