"""The only place that reads and writes this domain's tables; every query tenant-scoped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from linli.core import clock
from linli.models import ModerationCase, ModerationScreening, ModerationSettings, ModerationWord

OPEN = ("pending", "escalated")


# --- settings and words ---------------------------------------------------------------------------

def settings(s: Session, tenant_id: int) -> ModerationSettings | None:
    return s.scalar(select(ModerationSettings).where(ModerationSettings.tenant_id == tenant_id))


def words_version(s: Session, tenant_id: int) -> tuple[int, datetime | None]:
    """The list's version and when it last changed; (0, None) when the tenant never changed its list (it shares the
    built-in automaton). The instant makes the cache key unique even where a tenant id is used again (a restored
    database; the tests, which empty the database between tests)."""
    row = s.execute(select(ModerationSettings.words_version, ModerationSettings.updated_at)
                    .where(ModerationSettings.tenant_id == tenant_id)).first()
    return (int(row[0]), row[1]) if row else (0, None)


def bump_version(s: Session, tenant_id: int) -> None:
    """Raise the list version in the same transaction as the word change (the row is locked by the update)."""
    done = s.execute(update(ModerationSettings).where(ModerationSettings.tenant_id == tenant_id)
                     .values(words_version=ModerationSettings.words_version + 1, updated_at=clock.now()))
    if not done.rowcount:  # type: ignore[attr-defined]
        s.add(ModerationSettings(tenant_id=tenant_id, words_version=2, senior_user_ids=[]))
        s.flush()


def tenant_words(s: Session, tenant_id: int) -> list[ModerationWord]:
    return list(s.scalars(select(ModerationWord).where(ModerationWord.tenant_id == tenant_id)
                          .order_by(ModerationWord.id)))


def word(s: Session, tenant_id: int, text: str) -> ModerationWord | None:
    return s.scalar(select(ModerationWord).where(ModerationWord.tenant_id == tenant_id, ModerationWord.word == text))


# --- screenings ----------------------------------------------------------------------------------

def hit_count(s: Session, tenant_id: int, since: datetime, until: datetime) -> int:
    return s.scalar(select(func.count()).select_from(ModerationScreening).where(
        ModerationScreening.tenant_id == tenant_id, ModerationScreening.created_at >= since,
        ModerationScreening.created_at < until)) or 0


# --- cases ---------------------------------------------------------------------------------------

def case(s: Session, tenant_id: int, case_id: int, lock: bool = False) -> ModerationCase | None:
    stmt = select(ModerationCase).where(ModerationCase.tenant_id == tenant_id, ModerationCase.id == case_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def open_case_for(s: Session, tenant_id: int, subject_kind: str, subject_id: int) -> ModerationCase | None:
    return s.scalar(select(ModerationCase).where(
        ModerationCase.tenant_id == tenant_id, ModerationCase.subject_kind == subject_kind,
        ModerationCase.subject_id == subject_id, ModerationCase.status.in_(OPEN)).order_by(ModerationCase.id.desc()))


def cases(tenant_id: int, statuses: tuple[str, ...], subject_kind: str | None) -> Select[Any]:
    stmt = select(ModerationCase).where(ModerationCase.tenant_id == tenant_id,
                                        ModerationCase.status.in_(statuses))
    return stmt.where(ModerationCase.subject_kind == subject_kind) if subject_kind else stmt


def count_by_status(s: Session, tenant_id: int) -> dict[str, int]:
    rows = s.execute(select(ModerationCase.status, func.count()).where(ModerationCase.tenant_id == tenant_id)
                     .group_by(ModerationCase.status))
    return {status: n for status, n in rows}


def claim_decision(s: Session, tenant_id: int, case_id: int, from_status: str, values: dict[str, Any]) -> bool:
    """Move a case out of `from_status` once: a concurrent second decision updates no row."""
    done = s.execute(update(ModerationCase).where(
        ModerationCase.tenant_id == tenant_id, ModerationCase.id == case_id, ModerationCase.status == from_status)
        .values(**values).execution_options(synchronize_session="fetch"))
    return bool(done.rowcount)  # type: ignore[attr-defined]
