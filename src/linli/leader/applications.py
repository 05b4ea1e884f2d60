"""团长招募: a member applies, proves residence (三真工程 真人认证), an operator approves or rejects.
Approval makes the member a leader (same login) and opens their pickup point, in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.community import service as community
from linli.community.schemas import PickupPointIn
from linli.config import get_settings
from linli.core import clock, outbox, uploads
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.leader import idcard
from linli.leader import repository as repo
from linli.leader import service as leaders
from linli.leader.schemas import ApplicationIn, ApplicationOut, ApprovedOut
from linli.member import service as members
from linli.models import LeaderApplication

PROOF_TYPES = (uploads.JPEG, uploads.PNG, uploads.WEBP, uploads.PDF)
PROOF_MAX_BYTES = 5 * 1024 * 1024


def out(a: LeaderApplication) -> ApplicationOut:
    return ApplicationOut(
        id=a.id, member_id=a.member_id, community_id=a.community_id, status=a.status, pickup_kind=a.pickup_kind,
        address=a.address, lat=a.lat, lng=a.lng, intro=a.intro, real_name=a.real_name,
        id_number_masked=idcard.mask(a.id_number), leader_type=a.leader_type, has_proof=a.proof_sha256 is not None,
        reason=a.reason, leader_id=a.leader_id, pickup_point_id=a.pickup_point_id, decided_at=a.decided_at,
        created_at=a.created_at)


def _member_id(p: Principal) -> int:
    if p.member_id is None:
        raise NotFound("member not found", code="member_not_found")
    return p.member_id


def apply(s: Session, p: Principal, data: ApplicationIn) -> ApplicationOut:
    member_id = _member_id(p)
    number = idcard.validate(data.id_number)  # before anything is written
    community.require_community(s, p.tenant_id, data.community_id, as_input=True)
    member = members.require_member(s, p.tenant_id, member_id)
    if leaders.leader_id_for_user(s, p.tenant_id, member.user_id) is not None:
        raise Conflict("this member is already a leader", code="already_leader")
    app = LeaderApplication(
        tenant_id=p.tenant_id, member_id=member_id, open_member_id=member_id, community_id=data.community_id,
        status="pending", pickup_kind=data.pickup_kind, address=data.address, lat=data.lat, lng=data.lng,
        intro=data.intro, real_name=data.real_name, id_number=number, leader_type=data.leader_type)
    try:
        with s.begin_nested():  # UNIQUE(open_member_id): one open application, even under a race
            s.add(app)
    except IntegrityError:
        raise Conflict("an application is already open", code="application_exists") from None
    outbox.emit(s, p.tenant_id, "leader.application_submitted", {"application_id": app.id,
                                                                 "member_id": member_id})
    return out(app)


def _application(s: Session, tenant_id: int, app_id: int, lock: bool = False) -> LeaderApplication:
    app = repo.application(s, tenant_id, app_id, lock)
    if app is None:
        raise NotFound("application not found", code="application_not_found")
    return app


def attach_proof(s: Session, p: Principal, app_id: int, content: bytes, content_type: str) -> ApplicationOut:
    app = _application(s, p.tenant_id, app_id)
    if app.member_id != p.member_id:
        raise NotFound("application not found", code="application_not_found")
    if app.status != "pending":
        raise Conflict(f"application is {app.status}", code="not_pending")
    if not content or len(content) > PROOF_MAX_BYTES:
        raise Invalid("file: 1 byte to 5 MB", code="file_too_large" if content else "empty_file")
    content_type = uploads.checked(content, content_type, PROOF_TYPES)  # what the bytes are, not the claim
    digest = hashlib.sha256(content).hexdigest()
    path = _upload_path(digest)
    if not path.exists():  # content-addressed: the same bytes are stored once
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    app.proof_sha256, app.proof_content_type = digest, content_type
    s.flush()
    return out(app)


def _upload_path(digest: str) -> Path:
    return Path(get_settings().var_dir) / "uploads" / digest


def proof(s: Session, p: Principal, app_id: int) -> tuple[Path, str]:
    app = _application(s, p.tenant_id, app_id)
    if app.proof_sha256 is None or app.proof_content_type is None:
        raise NotFound("no proof uploaded", code="proof_not_found")
    path = _upload_path(app.proof_sha256)
    if not path.exists():
        raise NotFound("proof file missing", code="proof_not_found")
    with path.open("rb") as f:  # served as what its bytes are, whatever was declared when it was stored
        return path, uploads.sniff(f.read(uploads.HEAD_BYTES)) or "application/octet-stream"


def get(s: Session, p: Principal, app_id: int) -> ApplicationOut:
    return out(_application(s, p.tenant_id, app_id))


def mine(s: Session, p: Principal) -> ApplicationOut:
    app = repo.latest_application(s, p.tenant_id, _member_id(p))
    if app is None:
        raise NotFound("no application", code="application_not_found")
    return out(app)


def search(s: Session, p: Principal, status: str | None, limit: int,
           cursor: str | None) -> tuple[list[ApplicationOut], str | None]:
    rows, nxt = fetch_page(s, repo.applications(p.tenant_id, status), LeaderApplication.id, limit, cursor)
    return [out(r) for r in rows], nxt


def approve(s: Session, p: Principal, app_id: int) -> ApprovedOut:
    app = _application(s, p.tenant_id, app_id, lock=True)
    if app.status != "pending" or not repo.decide(s, p.tenant_id, app_id, {"status": "approved",
                                                                           "decided_at": clock.now()}):
        raise Conflict(f"application is {app.status}", code="not_pending")
    member = members.require_member(s, p.tenant_id, app.member_id)
    if leaders.leader_id_for_user(s, p.tenant_id, member.user_id) is not None:
        raise Conflict("this member is already a leader", code="already_leader")
    leader = leaders.add(s, p.tenant_id, member.user_id, member.id, app.community_id, member.name, member.phone,
                         leader_type=app.leader_type)
    point = community.create_pickup_point(s, p.tenant_id, PickupPointIn(
        community_id=app.community_id, name=f"{app.real_name}的自提点"[:60], kind=app.pickup_kind,  # type: ignore[arg-type]
        lat=app.lat, lng=app.lng, leader_id=leader.id, address=app.address[:200]))
    s.refresh(app)
    app.leader_id, app.pickup_point_id = leader.id, point.id
    s.flush()
    outbox.emit(s, p.tenant_id, "leader.application_approved", {
        "application_id": app.id, "member_id": member.id, "leader_id": leader.id, "pickup_point_id": point.id})
    return ApprovedOut(leader_id=leader.id, pickup_point_id=point.id)


def reject(s: Session, p: Principal, app_id: int, reason: str) -> ApplicationOut:
    app = _application(s, p.tenant_id, app_id, lock=True)
    if app.status != "pending" or not repo.decide(s, p.tenant_id, app_id, {
            "status": "rejected", "reason": reason, "decided_at": clock.now()}):
        raise Conflict(f"application is {app.status}", code="not_pending")
    s.refresh(app)
    outbox.emit(s, p.tenant_id, "leader.application_rejected", {"application_id": app.id,
                                                                "member_id": app.member_id})
    return out(app)
