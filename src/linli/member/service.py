"""Members (residents)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.community.schemas import PickupPointOut
from linli.core import outbox
from linli.core.errors import NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.member import repository as repo
from linli.member.schemas import MemberIn, MemberOut, PickupChoiceOut
from linli.models import Member, MemberPickupPoint
from linli.moderation import service as moderation
from linli.tenancy import service as tenancy


def create(s: Session, tenant_id: int, data: MemberIn, password_hash: str | None = None) -> MemberOut:
    community.require_community(s, tenant_id, data.community_id, as_input=True)
    if data.household_id is not None:
        community.require_household(s, tenant_id, data.household_id, data.community_id)
    user = tenancy.create_user(s, tenant_id, data.username, data.password, "member", data.name,
                               password_hash=password_hash)
    member = Member(tenant_id=tenant_id, user_id=user.id, community_id=data.community_id,
                    household_id=data.household_id, name=data.name, phone=data.phone)
    s.add(member)
    s.flush()
    # a prohibited name refuses the sign-up; a suspicious one is kept and queued for review (flagged by its case)
    verdict = moderation.screen(s, tenant_id, subject_kind="member_name", subject_id=member.id, text=data.name,
                                author_member_id=member.id)
    if verdict.blocked:
        raise moderation.sensitive_content(verdict)
    outbox.emit(s, tenant_id, "member.joined", {"member_id": member.id, "community_id": member.community_id})
    return _out(member, user.username)


def get(s: Session, p: Principal, member_id: int) -> MemberOut:
    member = repo.get(s, p.tenant_id, member_id)
    if member is None:
        raise NotFound("member not found", code="member_not_found")
    return _out(member, repo.usernames(s, p.tenant_id, [member.user_id])[member.user_id])


def require_member(s: Session, tenant_id: int, member_id: int) -> Member:
    member = repo.get(s, tenant_id, member_id)
    if member is None:
        raise NotFound("member not found", code="member_not_found")
    return member


def default_pickup_point(s: Session, tenant_id: int, member_id: int) -> int | None:
    """Where the member's orders go when they name no pickup point: the point they chose, else their
    community's first (a leader-run one before the others); None when the community has no point."""
    choice = repo.pickup_choice(s, tenant_id, member_id)
    if choice is not None:
        return choice.pickup_point_id
    points = community.points_of_community(s, tenant_id, require_member(s, tenant_id, member_id).community_id)
    return points[0].id if points else None


@dataclass(frozen=True)
class MemberHome:
    community_id: int
    household_id: int | None
    pickup_point_id: int | None  # as default_pickup_point: the chosen point, else the community's first


def homes(s: Session, tenant_id: int, member_ids: Sequence[int]) -> dict[int, MemberHome]:
    """Each member's community, household and default pickup point, in a query and one more per community whose
    members chose no point (for runs over thousands of orders; members not in the tenant are left out)."""
    firsts: dict[int, int | None] = {}
    found: dict[int, MemberHome] = {}
    for mid, cid, hid, chosen in repo.homes(s, tenant_id, member_ids):
        if chosen is None and cid not in firsts:
            points = community.points_of_community(s, tenant_id, cid)
            firsts[cid] = points[0].id if points else None
        found[mid] = MemberHome(cid, hid, chosen if chosen is not None else firsts[cid])
    return found


def pickup_choice(s: Session, p: Principal) -> PickupChoiceOut:
    assert p.member_id is not None
    point_id = default_pickup_point(s, p.tenant_id, p.member_id)
    point = community.pickup_point(s, p.tenant_id, point_id) if point_id is not None else None
    return PickupChoiceOut(pickup_point_id=point_id,
                           chosen=repo.pickup_choice(s, p.tenant_id, p.member_id) is not None,
                           point=PickupPointOut.model_validate(point) if point is not None else None)


def choose_pickup_point(s: Session, p: Principal, point_id: int | None) -> PickupChoiceOut:
    """The member's own pickup point (any point of the tenant: near home, work or a relative);
    None goes back to the community's default."""
    assert p.member_id is not None
    choice = repo.pickup_choice(s, p.tenant_id, p.member_id)
    if point_id is None:
        if choice is not None:
            repo.drop_pickup_choice(s, choice)
    else:
        community.pickup_point(s, p.tenant_id, point_id, as_input=True)
        if choice is None:
            repo.add_pickup_choice(s, MemberPickupPoint(tenant_id=p.tenant_id, member_id=p.member_id,
                                                        pickup_point_id=point_id))
        else:
            choice.pickup_point_id = point_id
            s.flush()
    return pickup_choice(s, p)


def member_id_for_user(s: Session, tenant_id: int, user_id: int) -> int | None:
    m = repo.by_user(s, tenant_id, user_id)
    return m.id if m else None


def names(s: Session, tenant_id: int, member_ids: Sequence[int]) -> dict[int, str]:
    return repo.names(s, tenant_id, member_ids)


def communities_of(s: Session, tenant_id: int, member_ids: Sequence[int]) -> dict[int, int]:
    """member id -> community id."""
    return repo.communities_of(s, tenant_id, member_ids)


def joined_at_by_member(s: Session, tenant_id: int) -> dict[int, datetime]:
    """Every member of the tenant and when they joined (bulk imports, e.g. lifecycle facts)."""
    return repo.joined_at_by_member(s, tenant_id)


def search(s: Session, p: Principal, q: str | None, community_id: int | None, limit: int,
           cursor: str | None) -> tuple[list[MemberOut], str | None]:
    rows, nxt = fetch_page(s, repo.search(p.tenant_id, q, community_id), Member.id, limit, cursor)
    users = repo.usernames(s, p.tenant_id, [m.user_id for m in rows])
    return [_out(m, users.get(m.user_id, "")) for m in rows], nxt


def _out(m: Member, username: str) -> MemberOut:
    return MemberOut(id=m.id, user_id=m.user_id, username=username, name=m.name, phone=m.phone,
                     community_id=m.community_id, household_id=m.household_id, joined_at=m.joined_at)


def count_in_community(s: Session, tenant_id: int, community_id: int, joined_since: datetime | None,
                       until: datetime) -> int:
    """Members of a community who joined before `until` (and at or after `joined_since` if given)."""
    return repo.count_in_community(s, tenant_id, community_id, joined_since, until)


def joined_by_community(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    """community id -> members who joined in [start, end)."""
    return repo.joined_by_community(s, tenant_id, start, end)


def member_out(m: Member, username: str) -> MemberOut:
    """A member as the API shows it (the console's list shapes its batches with it)."""
    return _out(m, username)
