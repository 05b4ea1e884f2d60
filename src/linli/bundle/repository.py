from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from linli.models import Bundle, BundleItem


def get(s: Session, tenant_id: int, bundle_id: int) -> Bundle | None:
    return s.scalar(select(Bundle).where(Bundle.tenant_id == tenant_id, Bundle.id == bundle_id))


def listing(tenant_id: int) -> Select[Any]:
    return select(Bundle).where(Bundle.tenant_id == tenant_id)


def items(s: Session, tenant_id: int, bundle_ids: Sequence[int]) -> dict[int, list[BundleItem]]:
    out: dict[int, list[BundleItem]] = {i: [] for i in bundle_ids}
    for it in s.scalars(select(BundleItem).where(BundleItem.tenant_id == tenant_id,
                                                 BundleItem.bundle_id.in_(bundle_ids)).order_by(BundleItem.id)):
        out[it.bundle_id].append(it)
    return out
