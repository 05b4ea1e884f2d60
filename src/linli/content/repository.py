"""Every query of the content tables, tenant-scoped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.core.listing import Filters, within
from linli.models import (
    Poll,
    PollBallot,
    PollChoice,
    PollOption,
    Post,
    PostComment,
    PostReaction,
    PostTopic,
    PostView,
)

# --- posts -----------------------------------------------------------------------------------------

def post(s: Session, tenant_id: int, post_id: int, lock: bool = False) -> Post | None:
    stmt = select(Post).where(Post.tenant_id == tenant_id, Post.id == post_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def posts_by_id(s: Session, tenant_id: int, ids: Sequence[int]) -> dict[int, Post]:
    if not ids:
        return {}
    return {p.id: p for p in s.scalars(select(Post).where(Post.tenant_id == tenant_id, Post.id.in_(ids)))}


def add_topics(s: Session, tenant_id: int, post_id: int, topics: Sequence[str]) -> None:
    if topics:
        s.execute(insert(table(PostTopic)), [{"tenant_id": tenant_id, "post_id": post_id, "topic": t}
                                             for t in topics])


def wall(tenant_id: int, community_id: int | None, viewer_member_id: int | None, *, topic: str | None,
         kind: str | None, pinned: bool | None, exact: bool = False) -> Select[Any]:
    """Published posts of the community plus tenant-wide ones (exact: that community's only), and the viewer's
    own posts awaiting review."""
    visible = Post.status == "published"
    if viewer_member_id is not None:
        visible = or_(visible, and_(Post.status == "pending_review", Post.author_member_id == viewer_member_id))
    where = [Post.tenant_id == tenant_id, visible]
    if community_id is not None:
        where.append(Post.community_id == community_id if exact
                     else or_(Post.community_id == community_id, Post.community_id.is_(None)))
    if kind is not None:
        where.append(Post.kind == kind)
    if pinned is not None:
        where.append(Post.pinned.is_(pinned))
    if topic is not None:
        where.append(Post.id.in_(select(PostTopic.post_id).where(PostTopic.tenant_id == tenant_id,
                                                                 PostTopic.topic == topic)))
    return select(Post).where(*where)


def console_list(tenant_id: int, f: Filters, kind: str | None) -> Select[Any]:
    stmt = select(Post).where(Post.tenant_id == tenant_id)
    if f.status:
        stmt = stmt.where(Post.status == f.status)
    if f.community_id:
        stmt = stmt.where(Post.community_id == f.community_id)
    if kind:
        stmt = stmt.where(Post.kind == kind)
    if f.q:
        stmt = stmt.where(or_(Post.body.contains(f.q, autoescape=True), Post.title.contains(f.q, autoescape=True)))
    return within(stmt, Post.created_at, f)


def counts(s: Session, tenant_id: int, post_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """post id -> {"like": n, "favourite": n, "comment": n (published)}."""
    out: dict[int, dict[str, int]] = {i: {} for i in post_ids}
    if not post_ids:
        return out
    for pid, kind, n in s.execute(select(PostReaction.post_id, PostReaction.kind, func.count())
                                  .where(PostReaction.tenant_id == tenant_id, PostReaction.post_id.in_(post_ids))
                                  .group_by(PostReaction.post_id, PostReaction.kind)):
        out[pid][kind] = int(n)
    for pid, n in s.execute(select(PostComment.post_id, func.count())
                            .where(PostComment.tenant_id == tenant_id, PostComment.post_id.in_(post_ids),
                                   PostComment.status == "published").group_by(PostComment.post_id)):
        out[pid]["comment"] = int(n)
    return out


def reactions_of(s: Session, tenant_id: int, member_id: int, post_ids: Sequence[int]) -> set[tuple[int, str]]:
    if not post_ids:
        return set()
    rows = s.execute(select(PostReaction.post_id, PostReaction.kind).where(
        PostReaction.tenant_id == tenant_id, PostReaction.member_id == member_id,
        PostReaction.post_id.in_(post_ids)))
    return {(pid, kind) for pid, kind in rows}


def reaction_count(s: Session, tenant_id: int, post_id: int, kind: str) -> int:
    return int(s.scalar(select(func.count()).select_from(PostReaction).where(
        PostReaction.tenant_id == tenant_id, PostReaction.post_id == post_id, PostReaction.kind == kind)) or 0)


def has_reaction(s: Session, tenant_id: int, post_id: int, member_id: int, kind: str) -> bool:
    return s.scalar(select(PostReaction.id).where(
        PostReaction.tenant_id == tenant_id, PostReaction.post_id == post_id, PostReaction.member_id == member_id,
        PostReaction.kind == kind)) is not None


def remove_reaction(s: Session, tenant_id: int, post_id: int, member_id: int, kind: str) -> bool:
    result = s.execute(delete(PostReaction).where(
        PostReaction.tenant_id == tenant_id, PostReaction.post_id == post_id, PostReaction.member_id == member_id,
        PostReaction.kind == kind))
    return bool(getattr(result, "rowcount", 0))


def favourites_of(tenant_id: int, member_id: int) -> Select[Any]:
    return select(Post).where(Post.tenant_id == tenant_id, Post.status == "published", Post.id.in_(
        select(PostReaction.post_id).where(PostReaction.tenant_id == tenant_id, PostReaction.member_id == member_id,
                                           PostReaction.kind == "favourite")))


def comments(s: Session, tenant_id: int, post_id: int, viewer_member_id: int | None,
             limit: int) -> Sequence[PostComment]:
    visible = PostComment.status == "published"
    if viewer_member_id is not None:
        visible = or_(visible, and_(PostComment.status == "pending_review",
                                    PostComment.member_id == viewer_member_id))
    return s.scalars(select(PostComment).where(PostComment.tenant_id == tenant_id, PostComment.post_id == post_id,
                                               visible).order_by(PostComment.id).limit(limit)).all()


def comment(s: Session, tenant_id: int, comment_id: int) -> PostComment | None:
    return s.scalar(select(PostComment).where(PostComment.tenant_id == tenant_id, PostComment.id == comment_id))


def add_view(s: Session, tenant_id: int, post_id: int, member_id: int | None, at: datetime) -> None:
    s.execute(insert(table(PostView)), [{"tenant_id": tenant_id, "post_id": post_id, "member_id": member_id,
                                         "viewed_at": at}])
    s.execute(update(Post).where(Post.tenant_id == tenant_id, Post.id == post_id)
              .values(views=Post.views + 1).execution_options(synchronize_session=False))


def add_dwell(s: Session, tenant_id: int, post_id: int, ms: int) -> None:
    s.execute(update(Post).where(Post.tenant_id == tenant_id, Post.id == post_id)
              .values(dwell_ms=Post.dwell_ms + ms).execution_options(synchronize_session=False))


def review_of(s: Session, tenant_id: int, order_id: int, product_id: int) -> Post | None:
    return s.scalar(select(Post).where(Post.tenant_id == tenant_id, Post.review_order_id == order_id,
                                       Post.review_product_id == product_id))


def reviewed_products(s: Session, tenant_id: int, order_id: int) -> set[int]:
    return {pid for pid in s.scalars(select(Post.review_product_id).where(
        Post.tenant_id == tenant_id, Post.review_order_id == order_id)) if pid is not None}


def product_reviews(tenant_id: int, product_id: int) -> Select[Any]:
    return select(Post).where(Post.tenant_id == tenant_id, Post.kind == "review", Post.status == "published",
                              Post.review_product_id == product_id)


# --- reads for other domains -----------------------------------------------------------------------

def candidates(s: Session, tenant_id: int, community_id: int | None, limit: int) -> Sequence[Post]:
    stmt = select(Post).where(Post.tenant_id == tenant_id, Post.status == "published")
    if community_id is not None:
        stmt = stmt.where(or_(Post.community_id == community_id, Post.community_id.is_(None)))
    return s.scalars(stmt.order_by(Post.id.desc()).limit(limit)).all()


def views_since(s: Session, tenant_id: int, since: datetime, min_views: int) -> list[tuple[int, int]]:
    n = func.count().label("n")
    rows = s.execute(select(PostView.post_id, n).where(PostView.tenant_id == tenant_id, PostView.viewed_at >= since)
                     .group_by(PostView.post_id).having(func.count() >= min_views).order_by(n.desc()))
    return [(int(pid), int(c)) for pid, c in rows]


def review_counts(s: Session, tenant_id: int, since: datetime, until: datetime,
                  community_id: int | None) -> tuple[int, int]:
    stmt = select(func.count(), func.count().filter(Post.stars <= 2)).where(
        Post.tenant_id == tenant_id, Post.kind == "review", Post.status != "rejected",
        Post.created_at >= since, Post.created_at < until)
    if community_id is not None:
        stmt = stmt.where(Post.community_id == community_id)
    total, bad = s.execute(stmt).one()
    return int(total or 0), int(bad or 0)


# --- polls -----------------------------------------------------------------------------------------

def poll(s: Session, tenant_id: int, poll_id: int) -> Poll | None:
    return s.scalar(select(Poll).where(Poll.tenant_id == tenant_id, Poll.id == poll_id))


def polls(tenant_id: int, community_id: int | None, everyone: bool) -> Select[Any]:
    stmt = select(Poll).where(Poll.tenant_id == tenant_id)
    if not everyone:
        stmt = stmt.where(or_(Poll.community_id == community_id, Poll.community_id.is_(None)))
    return stmt


def options(s: Session, tenant_id: int, poll_ids: Sequence[int]) -> Sequence[PollOption]:
    if not poll_ids:
        return []
    return s.scalars(select(PollOption).where(PollOption.tenant_id == tenant_id, PollOption.poll_id.in_(poll_ids))
                     .order_by(PollOption.position, PollOption.id)).all()


def option(s: Session, tenant_id: int, option_id: int) -> PollOption | None:
    return s.scalar(select(PollOption).where(PollOption.tenant_id == tenant_id, PollOption.id == option_id))


def vote_counts(s: Session, tenant_id: int, poll_ids: Sequence[int]) -> dict[int, int]:
    if not poll_ids:
        return {}
    return {o: int(n) for o, n in s.execute(select(PollChoice.option_id, func.count()).where(
        PollChoice.tenant_id == tenant_id, PollChoice.poll_id.in_(poll_ids)).group_by(PollChoice.option_id))}


def ballot_counts(s: Session, tenant_id: int, poll_ids: Sequence[int]) -> dict[int, int]:
    if not poll_ids:
        return {}
    return {p: int(n) for p, n in s.execute(select(PollBallot.poll_id, func.count()).where(
        PollBallot.tenant_id == tenant_id, PollBallot.poll_id.in_(poll_ids)).group_by(PollBallot.poll_id))}


def my_choices(s: Session, tenant_id: int, member_id: int, poll_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    if not poll_ids:
        return out
    rows = s.execute(select(PollChoice.poll_id, PollChoice.option_id).join(
        PollBallot, PollBallot.id == PollChoice.ballot_id).where(
        PollBallot.tenant_id == tenant_id, PollBallot.member_id == member_id, PollBallot.poll_id.in_(poll_ids)))
    for pid, oid in rows:
        out.setdefault(pid, []).append(oid)
    return out


def add_choices(s: Session, tenant_id: int, ballot_id: int, poll_id: int, option_ids: Sequence[int]) -> None:
    s.execute(insert(table(PollChoice)), [{"tenant_id": tenant_id, "ballot_id": ballot_id, "poll_id": poll_id,
                                           "option_id": o} for o in option_ids])


def next_position(s: Session, tenant_id: int, poll_id: int) -> int:
    return int(s.scalar(select(func.coalesce(func.max(PollOption.position), 0)).where(
        PollOption.tenant_id == tenant_id, PollOption.poll_id == poll_id)) or 0) + 1
