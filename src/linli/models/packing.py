"""Packing (备货与分拣): the tenant's daily cut-off, which decides the delivery day of each paid order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base
from linli.models.base import Tenanted, created_at_column

DEFAULT_CUTOFF_MINUTES = 23 * 60  # 23:00 Asia/Shanghai


class PackingSettings(Tenanted, Base):
    """Orders paid before the cut-off (minutes after local midnight) reach the pickup point the next day; later
    ones the day after. No row means the default."""

    __tablename__ = "packing_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("cutoff_minutes > 0 AND cutoff_minutes <= 1440", name="cutoff_in_day"),
    )

    cutoff_minutes: Mapped[int] = mapped_column(default=DEFAULT_CUTOFF_MINUTES)
    updated_at: Mapped[datetime] = created_at_column()
