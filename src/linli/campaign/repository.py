"""The only place that reads and writes this domain's tables; every query tenant-scoped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.models import (
    CampaignRecipient,
    Experiment,
    ExperimentExposure,
    ExperimentVariant,
    Pilot,
    ScenarioCampaign,
)

_INSERT = {"postgresql": pg_insert, "sqlite": sqlite_insert}
LIVE = ("draft", "scheduled", "running")


# --- scenario campaigns -----------------------------------------------------------------------

def campaign(s: Session, tenant_id: int, campaign_id: int, lock: bool = False) -> ScenarioCampaign | None:
    stmt = select(ScenarioCampaign).where(ScenarioCampaign.tenant_id == tenant_id,
                                          ScenarioCampaign.id == campaign_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def campaigns(tenant_id: int, status: str | None) -> Select[Any]:
    stmt = select(ScenarioCampaign).where(ScenarioCampaign.tenant_id == tenant_id)
    return stmt.where(ScenarioCampaign.status == status) if status else stmt


def campaigns_between(s: Session, tenant_id: int, start: datetime, end: datetime) -> list[ScenarioCampaign]:
    """Campaigns whose window meets [start, end), by start."""
    return list(s.scalars(select(ScenarioCampaign).where(
        ScenarioCampaign.tenant_id == tenant_id, ScenarioCampaign.starts_at < end, ScenarioCampaign.ends_at > start)
        .order_by(ScenarioCampaign.starts_at, ScenarioCampaign.id)))


def overlapping(s: Session, tenant_id: int, segment_id: int, start: datetime, end: datetime,
                other_than: int | None) -> int | None:
    """A live campaign to the same segment whose window meets [start, end)."""
    stmt = select(ScenarioCampaign.id).where(
        ScenarioCampaign.tenant_id == tenant_id, ScenarioCampaign.segment_id == segment_id,
        ScenarioCampaign.status.in_(LIVE), ScenarioCampaign.starts_at < end, ScenarioCampaign.ends_at > start)
    if other_than is not None:
        stmt = stmt.where(ScenarioCampaign.id != other_than)
    return s.scalar(stmt.limit(1))


def due_to_start(s: Session, now: datetime) -> list[tuple[int, int]]:
    return [(t, i) for t, i in s.execute(select(ScenarioCampaign.tenant_id, ScenarioCampaign.id).where(
        ScenarioCampaign.status == "scheduled", ScenarioCampaign.starts_at <= now).order_by(ScenarioCampaign.id))]


def due_to_end(s: Session, now: datetime) -> list[tuple[int, int]]:
    return [(t, i) for t, i in s.execute(select(ScenarioCampaign.tenant_id, ScenarioCampaign.id).where(
        ScenarioCampaign.status == "running", ScenarioCampaign.ends_at <= now).order_by(ScenarioCampaign.id))]


def still_sending(s: Session) -> list[tuple[int, int]]:
    """Running campaigns with recipients to write or to send to."""
    pending = select(CampaignRecipient.id).where(CampaignRecipient.tenant_id == ScenarioCampaign.tenant_id,
                                                  CampaignRecipient.campaign_id == ScenarioCampaign.id,
                                                  CampaignRecipient.status == "pending").exists()
    return [(t, i) for t, i in s.execute(select(ScenarioCampaign.tenant_id, ScenarioCampaign.id).where(
        ScenarioCampaign.status == "running",
        (ScenarioCampaign.built_revision < ScenarioCampaign.scope_revision) | pending).order_by(ScenarioCampaign.id))]


# --- recipients -------------------------------------------------------------------------------

def recipient_member_ids(s: Session, tenant_id: int, campaign_id: int) -> set[int]:
    return set(s.scalars(select(CampaignRecipient.member_id).where(
        CampaignRecipient.tenant_id == tenant_id, CampaignRecipient.campaign_id == campaign_id)))


def add_recipients(s: Session, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), 1000):
        s.execute(insert(table(CampaignRecipient)), rows[i:i + 1000])


def pending_recipients(s: Session, tenant_id: int, campaign_id: int, limit: int) -> list[CampaignRecipient]:
    return list(s.scalars(select(CampaignRecipient).where(
        CampaignRecipient.tenant_id == tenant_id, CampaignRecipient.campaign_id == campaign_id,
        CampaignRecipient.status == "pending").order_by(CampaignRecipient.id).limit(limit)))


def has_pending(s: Session, tenant_id: int, campaign_id: int) -> bool:
    return s.scalar(select(CampaignRecipient.id).where(
        CampaignRecipient.tenant_id == tenant_id, CampaignRecipient.campaign_id == campaign_id,
        CampaignRecipient.status == "pending").limit(1)) is not None


def sending_counts(s: Session, tenant_id: int, campaign_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    if not campaign_ids:
        return out
    for cid, status, n in s.execute(select(CampaignRecipient.campaign_id, CampaignRecipient.status, func.count())
                                    .where(CampaignRecipient.tenant_id == tenant_id,
                                           CampaignRecipient.campaign_id.in_(list(campaign_ids)))
                                    .group_by(CampaignRecipient.campaign_id, CampaignRecipient.status)):
        out.setdefault(cid, {})[status] = int(n)
    return out


# --- experiments ------------------------------------------------------------------------------

def experiment(s: Session, tenant_id: int, experiment_id: int, lock: bool = False) -> Experiment | None:
    stmt = select(Experiment).where(Experiment.tenant_id == tenant_id, Experiment.id == experiment_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def experiments(tenant_id: int, status: str | None) -> Select[Any]:
    stmt = select(Experiment).where(Experiment.tenant_id == tenant_id)
    return stmt.where(Experiment.status == status) if status else stmt


def experiment_of_campaign(s: Session, tenant_id: int, campaign_id: int) -> Experiment | None:
    return s.scalar(select(Experiment).where(Experiment.tenant_id == tenant_id,
                                             Experiment.campaign_id == campaign_id))


def experiment_ids_of_campaigns(s: Session, tenant_id: int, campaign_ids: Sequence[int]) -> dict[int, int]:
    if not campaign_ids:
        return {}
    rows = s.execute(select(Experiment.id, Experiment.campaign_id).where(
        Experiment.tenant_id == tenant_id, Experiment.campaign_id.in_(list(campaign_ids))))
    return {c: e for e, c in rows if c is not None}


def variants(s: Session, tenant_id: int, experiment_ids: Sequence[int]) -> list[ExperimentVariant]:
    if not experiment_ids:
        return []
    return list(s.scalars(select(ExperimentVariant).where(
        ExperimentVariant.tenant_id == tenant_id, ExperimentVariant.experiment_id.in_(list(experiment_ids)))
        .order_by(ExperimentVariant.experiment_id, ExperimentVariant.position)))


def exposure(s: Session, tenant_id: int, experiment_id: int, member_id: int) -> ExperimentExposure | None:
    return s.scalar(select(ExperimentExposure).where(ExperimentExposure.tenant_id == tenant_id,
                                                     ExperimentExposure.experiment_id == experiment_id,
                                                     ExperimentExposure.member_id == member_id))


def add_exposure(s: Session, values: dict[str, Any]) -> None:
    """Once per (experiment, member): a repeat, or a racing worker, changes nothing."""
    t = table(ExperimentExposure)
    dialect_insert: Any = _INSERT[s.get_bind().dialect.name]
    s.execute(dialect_insert(t).values(**values).on_conflict_do_nothing(
        index_elements=["tenant_id", "experiment_id", "member_id"]))


def convert(s: Session, tenant_id: int, member_id: int, paid_at: datetime, order_id: int) -> int:
    """Every open exposure of the member whose window holds paid_at converts, once."""
    result = s.execute(update(ExperimentExposure).where(
        ExperimentExposure.tenant_id == tenant_id, ExperimentExposure.member_id == member_id,
        ExperimentExposure.converted_at.is_(None), ExperimentExposure.exposed_at <= paid_at,
        ExperimentExposure.convert_by >= paid_at).values(converted_at=paid_at, order_id=order_id)
        .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def results(s: Session, tenant_id: int, experiment_id: int) -> dict[int, tuple[int, int]]:
    """variant id -> (exposed, converted)."""
    rows = s.execute(select(ExperimentExposure.variant_id, func.count(),
                            func.count(ExperimentExposure.converted_at))
                     .where(ExperimentExposure.tenant_id == tenant_id,
                            ExperimentExposure.experiment_id == experiment_id)
                     .group_by(ExperimentExposure.variant_id))
    return {v: (int(n), int(c)) for v, n, c in rows}


# --- pilots -----------------------------------------------------------------------------------

def pilot(s: Session, tenant_id: int, pilot_id: int, lock: bool = False) -> Pilot | None:
    stmt = select(Pilot).where(Pilot.tenant_id == tenant_id, Pilot.id == pilot_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def pilots(tenant_id: int, status: str | None) -> Select[Any]:
    stmt = select(Pilot).where(Pilot.tenant_id == tenant_id)
    return stmt.where(Pilot.status == status) if status else stmt


def open_pilot_of(s: Session, tenant_id: int, campaign_id: int | None, experiment_id: int | None) -> int | None:
    stmt = select(Pilot.id).where(Pilot.tenant_id == tenant_id, Pilot.status.in_(("pilot", "reviewed")))
    stmt = stmt.where(Pilot.campaign_id == campaign_id) if campaign_id else stmt.where(
        Pilot.experiment_id == experiment_id)
    return s.scalar(stmt.limit(1))
