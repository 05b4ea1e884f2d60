"""我的居民: the members of a leader's community, with their stage, last order and the leader's call and
visit notes. A leader sees and notes only members of their own community; anyone else is "not found"."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.errors import NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.leader import repository as repo
from linli.leader.schemas import ContactNoteIn, ContactNoteOut, MyMemberOut
from linli.leader.service import require
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.models import ContactNote


def _out(n: ContactNote) -> ContactNoteOut:
    return ContactNoteOut(id=n.id, member_id=n.member_id, kind=n.kind, note=n.note, created_at=n.created_at)


def _community(s: Session, p: Principal) -> int:
    assert p.leader_id is not None
    return require(s, p.tenant_id, p.leader_id).community_id


def _require_neighbour(s: Session, p: Principal, member_id: int) -> None:
    if members.communities_of(s, p.tenant_id, [member_id]).get(member_id) != _community(s, p):
        raise NotFound("member not found in your community", code="member_not_found")


def my_members(s: Session, p: Principal, q: str | None, limit: int,
               cursor: str | None) -> tuple[list[MyMemberOut], str | None]:
    """Newest members first; `q` matches name or phone. Three queries a page, whatever its size."""
    assert p.leader_id is not None
    rows, nxt = members.search(s, p, q, _community(s, p), limit, cursor)
    ids = [m.id for m in rows]
    facts = lifecycle.facts_of(s, p.tenant_id, ids)
    notes = repo.latest_contact_notes(s, p.tenant_id, p.leader_id, ids)
    items = []
    for m in rows:
        stage, last_order = facts.get(m.id, (None, None))
        note = notes.get(m.id)
        items.append(MyMemberOut(id=m.id, name=m.name, phone=m.phone, joined_at=m.joined_at, stage=stage,
                                 last_order_at=last_order, last_note=_out(note) if note else None))
    return items, nxt


def add_note(s: Session, p: Principal, member_id: int, data: ContactNoteIn) -> ContactNoteOut:
    assert p.leader_id is not None
    _require_neighbour(s, p, member_id)
    note = ContactNote(tenant_id=p.tenant_id, leader_id=p.leader_id, member_id=member_id, kind=data.kind,
                       note=data.note)
    s.add(note)
    s.flush()
    return _out(note)


def notes(s: Session, p: Principal, member_id: int, limit: int,
          cursor: str | None) -> tuple[list[ContactNoteOut], str | None]:
    """The leader's own notes on one member, newest first."""
    assert p.leader_id is not None
    _require_neighbour(s, p, member_id)
    rows, nxt = fetch_page(s, repo.contact_notes(p.tenant_id, p.leader_id, member_id), ContactNote.id, limit, cursor)
    return [_out(n) for n in rows], nxt
