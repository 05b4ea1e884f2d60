"""Read-only post counts for the insight domain's activity heatmap."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.models import Post


def posts_by_member(s: Session, tenant_id: int, since: datetime, until: datetime) -> dict[int, int]:
    """member -> posts they wrote in [since, until) that are published."""
    rows = s.execute(select(Post.author_member_id, func.count(Post.id))
                     .where(Post.tenant_id == tenant_id, Post.created_at >= since, Post.created_at < until,
                            Post.author_member_id.is_not(None), Post.status == "published")
                     .group_by(Post.author_member_id))
    return {int(m): int(n) for m, n in rows if m is not None}
