from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import FileResponse

from linli.core.http import Db, MemberP, Operator, require
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, ShortSearch
from linli.core.security import Principal
from linli.leader import applications, contacts, tiers, training
from linli.leader import service as leaders
from linli.leader.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApprovedOut,
    ContactNoteIn,
    ContactNoteOut,
    CourseOut,
    LeaderDetailOut,
    LeaderProfile,
    LeaderType,
    MyMemberOut,
    RejectIn,
    Tier,
    TierOut,
    TiersIn,
)

router = APIRouter(tags=["leaders"])
Cursor = Annotated[str | None, Query(max_length=20)]
AppStatus = Literal["pending", "approved", "rejected"]
LeaderP = Annotated[Principal, Depends(require("leader"))]  # an operator has no profile: 403, not 404


@router.post("/leader-applications", status_code=201, response_model=ApplicationOut)
def apply(data: ApplicationIn, p: MemberP, s: Db) -> ApplicationOut:
    return applications.apply(s, p, data)


@router.post("/leader-applications/{application_id}/proof", response_model=ApplicationOut)
def upload_proof(application_id: Id, p: MemberP, s: Db, file: Annotated[UploadFile, File()]) -> ApplicationOut:
    content = file.file.read(applications.PROOF_MAX_BYTES + 1)
    return applications.attach_proof(s, p, application_id, content, file.content_type or "")


@router.get("/leader-applications/{application_id}/proof", response_class=FileResponse)
def get_proof(application_id: Id, p: Operator, s: Db) -> FileResponse:
    path, content_type = applications.proof(s, p, application_id)
    return FileResponse(path, media_type=content_type)


@router.get("/leader-applications", response_model=Page[ApplicationOut])
def list_applications(p: Operator, s: Db, status: AppStatus | None = None, limit: Limit = 50,
                      cursor: Cursor = None) -> Page[ApplicationOut]:
    items, nxt = applications.search(s, p, status, limit, cursor)
    return Page[ApplicationOut](items=items, next_cursor=nxt)


@router.get("/leader-applications/{application_id}", response_model=ApplicationOut)
def get_application(application_id: Id, p: Operator, s: Db) -> ApplicationOut:
    return applications.get(s, p, application_id)


@router.post("/leader-applications/{application_id}/approve", response_model=ApprovedOut)
def approve(application_id: Id, p: Operator, s: Db) -> ApprovedOut:
    return applications.approve(s, p, application_id)


@router.post("/leader-applications/{application_id}/reject", response_model=ApplicationOut)
def reject(application_id: Id, data: RejectIn, p: Operator, s: Db) -> ApplicationOut:
    return applications.reject(s, p, application_id, data.reason)


@router.get("/me/leader-application", response_model=ApplicationOut)
def my_application(p: MemberP, s: Db) -> ApplicationOut:
    return applications.mine(s, p)


@router.get("/leaders", response_model=Page[LeaderProfile])
def list_leaders(p: Operator, s: Db, tier: Tier | None = None, type: LeaderType | None = None,
                 limit: Limit = 50, cursor: Cursor = None) -> Page[LeaderProfile]:
    items, nxt = leaders.search(s, p.tenant_id, tier, type, limit, cursor)
    return Page[LeaderProfile](items=items, next_cursor=nxt)


@router.get("/leaders/{leader_id}", response_model=LeaderDetailOut)
def get_leader(leader_id: Id, p: Operator, s: Db) -> LeaderDetailOut:
    return leaders.detail(s, p.tenant_id, leader_id)


@router.get("/leader/profile", response_model=LeaderDetailOut)
def my_profile(p: LeaderP, s: Db) -> LeaderDetailOut:
    return leaders.detail_for(s, p)


@router.get("/leader-tiers", response_model=list[TierOut])
def get_tiers(p: Operator, s: Db) -> list[TierOut]:
    return tiers.table(s, p.tenant_id)


@router.put("/leader-tiers", response_model=list[TierOut])
def put_tiers(data: TiersIn, p: Operator, s: Db) -> list[TierOut]:
    return tiers.put(s, p, data)


@router.get("/leader/members", response_model=Page[MyMemberOut])
def my_members(p: LeaderP, s: Db, q: ShortSearch = None, limit: Limit = 50,
               cursor: Cursor = None) -> Page[MyMemberOut]:
    items, nxt = contacts.my_members(s, p, q.strip() if q and q.strip() else None, limit, cursor)
    return Page[MyMemberOut](items=items, next_cursor=nxt)


@router.post("/leader/members/{member_id}/notes", status_code=201, response_model=ContactNoteOut)
def add_contact_note(member_id: Id, data: ContactNoteIn, p: LeaderP, s: Db) -> ContactNoteOut:
    return contacts.add_note(s, p, member_id, data)


@router.get("/leader/members/{member_id}/notes", response_model=Page[ContactNoteOut])
def contact_notes(member_id: Id, p: LeaderP, s: Db, limit: Limit = 50, cursor: Cursor = None) -> Page[ContactNoteOut]:
    items, nxt = contacts.notes(s, p, member_id, limit, cursor)
    return Page[ContactNoteOut](items=items, next_cursor=nxt)


@router.get("/leader/training", response_model=list[CourseOut])
def my_training(p: LeaderP, s: Db) -> list[CourseOut]:
    return training.courses(s, p)
