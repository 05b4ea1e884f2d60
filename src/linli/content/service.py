"""Posts (邻里圈): members' UGC in their own community, operators' PGC (a community or tenant-wide, pinnable),
recipes linked to catalogue products; the community wall; moderation outcomes; the reads other domains use.

Every text is screened by the moderation domain after its row is flushed: "block" refuses the request
(422 sensitive_content; the request's transaction rolls back, so nothing is written), "review" keeps the item
pending (visible to its author and the console only) until `moderation.decided`, "pass" publishes it. Points
and growth (lifecycle.record_interaction) are credited when a post is published, once per post."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.community import service as community
from linli.content import images, topics
from linli.content import repository as repo
from linli.content.schemas import HotPost, PostCandidate, PostIn, PostOut
from linli.core import clock
from linli.core.errors import Forbidden, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.leader import service as leaders
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.models import Post
from linli.moderation import service as moderation

OFFICIAL = "社区官方"
MAX_PINNED = 20


# --- shapes ----------------------------------------------------------------------------------------

def outs(s: Session, tenant_id: int, rows: Sequence[Post], viewer_member_id: int | None = None) -> list[PostOut]:
    ids = [r.id for r in rows]
    figures = repo.counts(s, tenant_id, ids)
    mine = repo.reactions_of(s, tenant_id, viewer_member_id, ids) if viewer_member_id else set()
    names = members.names(s, tenant_id, sorted({r.author_member_id for r in rows if r.author_member_id}))
    out = []
    for r in rows:
        n = figures.get(r.id, {})
        out.append(PostOut(
            id=r.id, kind=r.kind, community_id=r.community_id, author_member_id=r.author_member_id,
            author_name=names.get(r.author_member_id, "邻居") if r.author_member_id else OFFICIAL,
            title=r.title, body=r.body, images=list(r.images or []),
            image_urls=[images.url_of(i) for i in r.images or []], topics=list(r.topics or []),
            ingredients=r.ingredients, steps=r.steps, product_ids=list(r.product_ids or []),
            review_order_id=r.review_order_id, review_product_id=r.review_product_id, stars=r.stars,
            status=r.status, pinned=r.pinned, views=r.views, likes=n.get("like", 0),
            favourites=n.get("favourite", 0), comments=n.get("comment", 0), liked=(r.id, "like") in mine,
            favourited=(r.id, "favourite") in mine, created_at=r.created_at))
    return out


def out(s: Session, p: Principal, post: Post) -> PostOut:
    return outs(s, p.tenant_id, [post], p.member_id)[0]


# --- writing ---------------------------------------------------------------------------------------

def check_images(names: Sequence[str]) -> list[str]:
    for name in names:
        if not images.exists(name):
            raise Invalid(f"image {name} was not uploaded", code="unknown_image")
    return list(dict.fromkeys(names))


def _check_products(s: Session, tenant_id: int, product_ids: Sequence[int]) -> list[int]:
    for pid in product_ids:
        catalog.brief(s, tenant_id, pid)  # 422 unknown_product
    return list(dict.fromkeys(product_ids))


def member_community(s: Session, p: Principal) -> int:
    if p.member_id is None:
        raise Forbidden("members only", code="forbidden")
    return members.require_member(s, p.tenant_id, p.member_id).community_id


def create(s: Session, p: Principal, data: PostIn) -> PostOut:
    return out(s, p, add(s, p, data))


def add(s: Session, p: Principal, data: PostIn) -> Post:
    """create() without the answer's shaping (the demo writes many)."""
    if p.role == "member":
        if data.kind == "pgc" or data.pinned:
            raise Forbidden("only operators publish official posts", code="forbidden")
        community_id: int | None = member_community(s, p)
        if data.community_id is not None and data.community_id != community_id:
            raise Invalid("members post in their own community", code="not_your_community")
    else:  # an operator's post is official content: ugc is read as pgc
        community_id = data.community_id
        if community_id is not None:
            community.require_community(s, p.tenant_id, community_id, as_input=True)
    if data.kind == "recipe" and not data.product_ids:
        raise Invalid("a recipe links at least one product", code="recipe_needs_products")
    kind = data.kind if data.kind == "recipe" else ("ugc" if p.role == "member" else "pgc")
    post = Post(tenant_id=p.tenant_id, kind=kind,
                community_id=community_id, author_member_id=p.member_id if p.role == "member" else None,
                author_user_id=p.user_id if p.role != "member" else None, title=data.title, body=data.body,
                images=check_images(data.images), topics=topics.parse(f"{data.title or ''} {data.body}"),
                ingredients=data.ingredients if data.kind == "recipe" else None,
                steps=data.steps if data.kind == "recipe" else None,
                product_ids=_check_products(s, p.tenant_id, data.product_ids) if data.kind == "recipe" else [],
                pinned=data.pinned and p.role == "operator", status="pending_review", created_at=clock.now())
    return submit(s, post)


def submit(s: Session, post: Post) -> Post:
    """Insert, flush, screen; then publish or hold (or refuse: the caller's transaction rolls back)."""
    s.add(post)
    s.flush()
    return screen(s, post)


def screen(s: Session, post: Post) -> Post:
    """Screen a flushed post's text and publish or hold it; "block" raises (nothing may be kept)."""
    repo.add_topics(s, post.tenant_id, post.id, post.topics)
    text = "\n".join(t for t in (post.title, post.body, post.ingredients, post.steps) if t)
    verdict = moderation.screen(s, post.tenant_id, subject_kind="post", subject_id=post.id, text=text,
                                author_member_id=post.author_member_id)
    if verdict.decision == "block":
        raise moderation.sensitive_content(verdict)
    if verdict.decision == "pass":
        publish(s, post)
    return post


def publish(s: Session, post: Post) -> None:
    post.status = "published"
    post.published_at = post.published_at or clock.now()
    if post.author_member_id is not None:
        kind = "review" if post.kind == "review" else "post"
        ref = f"review:{post.review_order_id}:{post.review_product_id}" if post.kind == "review" else f"post:{post.id}"
        lifecycle.record_interaction(s, post.tenant_id, post.author_member_id, kind, ref=ref)


def on_decided(s: Session, tenant_id: int, post_id: int, approved: bool) -> None:
    """A moderator's decision on a held post (idempotent: only a pending post moves)."""
    post = repo.post(s, tenant_id, post_id, lock=True)
    if post is None or post.status != "pending_review":
        return
    if approved:
        publish(s, post)
    else:
        post.status = "rejected"


def moderate(s: Session, p: Principal, post_id: int, action: str) -> PostOut:
    """The console: take a post down, restore it, pin or unpin it."""
    post = repo.post(s, p.tenant_id, post_id, lock=True)
    if post is None:
        raise NotFound("post not found", code="post_not_found")
    if action == "take_down":
        post.status, post.pinned = "taken_down", False
    elif action == "restore":
        if post.status != "taken_down":
            raise Invalid("only a taken-down post is restored", code="not_taken_down")
        post.status = "published"
        post.published_at = post.published_at or clock.now()
    else:
        if action == "pin" and post.status != "published":
            raise Invalid("only a published post is pinned", code="not_published")
        post.pinned = action == "pin"
    return out(s, p, post)


# --- reading ---------------------------------------------------------------------------------------

def visible_post(s: Session, p: Principal, post_id: int) -> Post:
    """The post if the caller may see it: operators every one; others published posts of their community,
    tenant-wide ones and reviews, and their own posts whatever the status. Else 404 (no existence leak)."""
    post = repo.post(s, p.tenant_id, post_id)
    if post is None:
        raise NotFound("post not found", code="post_not_found")
    if p.role == "operator" or (p.member_id is not None and post.author_member_id == p.member_id):
        return post
    if post.status == "published" and (post.community_id is None or post.kind == "review"
                                       or post.community_id == _viewer_community(s, p)):
        return post
    raise NotFound("post not found", code="post_not_found")


def _viewer_community(s: Session, p: Principal) -> int | None:
    if p.member_id is not None:
        return members.require_member(s, p.tenant_id, p.member_id).community_id
    if p.leader_id is not None:
        return leaders.profile(s, p.tenant_id, p.leader_id).community_id
    return None


def get(s: Session, p: Principal, post_id: int) -> PostOut:
    return out(s, p, visible_post(s, p, post_id))


def wall(s: Session, p: Principal, community_id: int | None, topic: str | None, kind: str | None, limit: int,
         cursor: str | None) -> tuple[list[PostOut], str | None]:
    """The topic wall: a member's own community (whatever community_id says), pinned posts first (on the first
    page), then newest first. Operators see one community's own posts, or (None) every published post."""
    if p.role == "member":
        community_id = member_community(s, p)
    elif p.role == "leader":  # a leader reads their own community's wall
        community_id = leaders.profile(s, p.tenant_id, p.leader_id or 0).community_id
    viewer = p.member_id if p.role == "member" else None
    exact = p.role == "operator"  # the console's filter: that community's own posts
    pinned: list[Post] = []
    if not cursor:
        pinned = list(s.scalars(repo.wall(p.tenant_id, community_id, None, topic=topic, kind=kind, pinned=True,
                                          exact=exact).order_by(Post.id.desc()).limit(MAX_PINNED)))
    rows, nxt = fetch_page(s, repo.wall(p.tenant_id, community_id, viewer, topic=topic, kind=kind, pinned=False,
                                        exact=exact), Post.id, limit, cursor)
    return outs(s, p.tenant_id, [*pinned, *rows], p.member_id), nxt


def favourites(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[PostOut], str | None]:
    rows, nxt = fetch_page(s, repo.favourites_of(p.tenant_id, p.member_id or 0), Post.id, limit, cursor)
    return outs(s, p.tenant_id, rows, p.member_id), nxt


# --- reads for other domains (the agreed functions) ------------------------------------------------

def candidate_posts(s: Session, tenant_id: int, community_id: int | None, limit: int) -> list[PostCandidate]:
    """Published posts a member of the community may see (tenant-wide ones included), newest first."""
    rows = repo.candidates(s, tenant_id, community_id, limit)
    return [PostCandidate(id=r.id, community_id=r.community_id, kind=r.kind,
                          topic=r.topics[0] if r.topics else None, created_at=r.created_at,
                          product_ids=list(r.product_ids or []) or ([r.review_product_id] if r.review_product_id
                                                                    else [])) for r in rows]


def hot_posts(s: Session, tenant_id: int, *, min_views: int, since: datetime) -> list[HotPost]:
    """Posts viewed at least min_views times since `since`, most viewed first (views = those in the window)."""
    counted = repo.views_since(s, tenant_id, since, max(1, min_views))
    found = repo.posts_by_id(s, tenant_id, [pid for pid, _ in counted])
    return [HotPost(id=pid, title=title_of(found[pid]), views=n, community_id=found[pid].community_id,
                    kind=found[pid].kind) for pid, n in counted if pid in found]


def review_stats(s: Session, tenant_id: int, *, since: datetime, until: datetime,
                 community_id: int | None = None) -> tuple[int, int]:
    """(reviews, bad reviews with stars <= 2) written in [since, until), rejected ones left out."""
    return repo.review_counts(s, tenant_id, since, until, community_id)


def title_of(post: Post) -> str:
    return post.title or (post.body[:30] + ("…" if len(post.body) > 30 else ""))
