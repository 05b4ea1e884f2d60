from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from linli.core.http import Db, IdemKey, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, Search
from linli.traceability import qr, service
from linli.traceability.schemas import BatchDetailOut, BatchIn, BatchOut, EntryIn, EntryOut, VerifyOut

router = APIRouter(tags=["traceability"])
Cursor = Annotated[str | None, Query(max_length=20)]


@router.post("/batches", status_code=201, response_model=BatchOut)
def create_batch(data: BatchIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p, data))


@router.get("/batches", response_model=Page[BatchOut])
def list_batches(p: Operator, s: Db, product_id: Id | None = None, q: Search = None, limit: Limit = 50,
                 cursor: Cursor = None) -> Page[BatchOut]:
    items, nxt = service.search(s, p, product_id, q, limit, cursor)
    return Page[BatchOut](items=items, next_cursor=nxt)


@router.get("/batches/{batch_id}", response_model=BatchDetailOut)
def get_batch(batch_id: Id, p: Operator, s: Db) -> BatchDetailOut:
    return service.get(s, p, batch_id)


@router.post("/batches/{batch_id}/entries", status_code=201, response_model=EntryOut)
def add_entry(batch_id: Id, data: EntryIn, p: Operator, s: Db, request: Request,
              key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.append(s, p, batch_id, data))


@router.get("/batches/{batch_id}/verify", response_model=VerifyOut)
def verify_batch(batch_id: Id, p: Operator, s: Db) -> VerifyOut:
    return service.verify(s, p, batch_id)


@router.get("/batches/{batch_id}/qr.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}, "description": "the QR code of the public trace page"}})
def batch_qr(batch_id: Id, p: Operator, s: Db, request: Request) -> Response:
    url = str(request.base_url).rstrip("/") + service.trace_path(service.token_of(s, p, batch_id))
    return Response(qr.png(url), media_type="image/png")
