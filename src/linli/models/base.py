"""Column helpers shared by tenant-owned tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from linli.core import clock
from linli.core.db import IdType, UTCDateTime


class Tenanted:
    """Primary key plus tenant_id NOT NULL; every tenant-owned table has both."""

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(IdType, ForeignKey("tenants.id"), nullable=False)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=clock.now, nullable=False)
