"""Group leaders (团长). Recruitment, tiers and commission come with the leaders issue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core import clock, outbox
from linli.leader import repository as repo
from linli.models import Leader
from linli.tenancy import service as tenancy


def create(s: Session, tenant_id: int, username: str, password: str, name: str, phone: str,
           community_id: int, member_id: int | None = None, since: datetime | None = None,
           password_hash: str | None = None) -> Leader:
    community.require_community(s, tenant_id, community_id, as_input=True)
    user = tenancy.create_user(s, tenant_id, username, password, "leader", name, password_hash)
    leader = Leader(tenant_id=tenant_id, user_id=user.id, member_id=member_id, community_id=community_id,
                    name=name, phone=phone, since=since or clock.now())
    s.add(leader)
    s.flush()
    outbox.emit(s, tenant_id, "leader.created", {"leader_id": leader.id, "community_id": community_id})
    return leader


def exists(s: Session, tenant_id: int, leader_id: int) -> bool:
    return repo.get(s, tenant_id, leader_id) is not None


def leader_id_for_user(s: Session, tenant_id: int, user_id: int) -> int | None:
    leader = repo.by_user(s, tenant_id, user_id)
    return leader.id if leader else None
