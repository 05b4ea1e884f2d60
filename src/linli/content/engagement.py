"""What members do with a post: like and favourite (set, unset, toggle: one row per member, post and kind),
comment (moderated), view, dwell and share. Each is a behaviour event for recommendation; comments and shares
also credit points and growth (lifecycle.record_interaction, once per comment / per member and post)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.content import repository as repo
from linli.content import service
from linli.content.schemas import CommentIn, CommentOut, ReactionOut
from linli.core import clock
from linli.core.errors import Forbidden, Invalid, NotFound
from linli.core.security import Principal
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.models import Post, PostComment, PostReaction
from linli.moderation import service as moderation
from linli.recommend import service as recommend

MAX_DWELL_MS = 10 * 60 * 1000  # one report counts at most 10 minutes: longer is a tab left open
MIN_DWELL_MS = 300  # shorter is a bounce, not reading


def _member(p: Principal) -> int:
    if p.member_id is None:
        raise Forbidden("members only", code="forbidden")
    return p.member_id


def _published(s: Session, p: Principal, post_id: int) -> Post:
    post = service.visible_post(s, p, post_id)
    if post.status != "published":
        raise Invalid("the post is not published", code="post_not_published")
    return post


def _behaviour(s: Session, p: Principal, post: Post, action: str, dwell_ms: int | None = None) -> None:
    recommend.record_behaviour(s, p.tenant_id, _member(p), item_kind="post", item_id=post.id, action=action,
                               dwell_ms=dwell_ms, community_id=post.community_id)


def react(s: Session, p: Principal, post_id: int, kind: str, want: bool | None) -> ReactionOut:
    """Set (want True), unset (False) or toggle (None) the member's like or favourite. Setting twice or unsetting
    twice changes nothing; a concurrent duplicate insert meets the unique key and counts as already set."""
    member_id = _member(p)
    post = _published(s, p, post_id)
    has = repo.has_reaction(s, p.tenant_id, post.id, member_id, kind)
    target = (not has) if want is None else want
    if target and not has:
        try:
            with s.begin_nested():
                s.add(PostReaction(tenant_id=p.tenant_id, post_id=post.id, member_id=member_id, kind=kind,
                                   created_at=clock.now()))
            _behaviour(s, p, post, kind)
        except IntegrityError:
            pass  # a concurrent request set it first: the same end state
    elif not target and has:
        repo.remove_reaction(s, p.tenant_id, post.id, member_id, kind)
    return ReactionOut(post_id=post.id, kind=kind, active=target,
                       count=repo.reaction_count(s, p.tenant_id, post.id, kind))


def comment(s: Session, p: Principal, post_id: int, data: CommentIn) -> CommentOut:
    member_id = _member(p)
    post = _published(s, p, post_id)
    row = PostComment(tenant_id=p.tenant_id, post_id=post.id, member_id=member_id, body=data.body,
                      status="pending_review", created_at=clock.now())
    s.add(row)
    s.flush()
    verdict = moderation.screen(s, p.tenant_id, subject_kind="comment", subject_id=row.id, text=data.body,
                                author_member_id=member_id)
    if verdict.decision == "block":
        raise moderation.sensitive_content(verdict)
    if verdict.decision == "pass":
        _publish_comment(s, row)
    _behaviour(s, p, post, "comment")
    return _comment_outs(s, p.tenant_id, [row])[0]


def _publish_comment(s: Session, row: PostComment) -> None:
    row.status = "published"
    lifecycle.record_interaction(s, row.tenant_id, row.member_id, "comment", ref=f"comment:{row.id}")


def on_comment_decided(s: Session, tenant_id: int, comment_id: int, approved: bool) -> None:
    row = repo.comment(s, tenant_id, comment_id)
    if row is None or row.status != "pending_review":
        return
    if approved:
        _publish_comment(s, row)
    else:
        row.status = "rejected"


def comments(s: Session, p: Principal, post_id: int, limit: int = 200) -> list[CommentOut]:
    post = service.visible_post(s, p, post_id)
    return _comment_outs(s, p.tenant_id, repo.comments(s, p.tenant_id, post.id, p.member_id, limit))


def _comment_outs(s: Session, tenant_id: int, rows: Sequence[PostComment]) -> list[CommentOut]:
    found = list(rows)
    names = members.names(s, tenant_id, sorted({c.member_id for c in found}))
    return [CommentOut(id=c.id, post_id=c.post_id, member_id=c.member_id, author_name=names.get(c.member_id, "邻居"),
                       body=c.body, status=c.status, created_at=c.created_at) for c in found]


def view(s: Session, p: Principal, post_id: int) -> None:
    """A member opened the post: one view row (hot posts count them) and a behaviour event."""
    post = _published(s, p, post_id)
    repo.add_view(s, p.tenant_id, post.id, p.member_id, clock.now())
    if p.member_id is not None:
        _behaviour(s, p, post, "view")


def dwell(s: Session, p: Principal, post_id: int, ms: int) -> int:
    """The time the post was visible, reported when the page is left; capped at 10 minutes; a bounce (under
    0.3 s) is ignored. Answers the milliseconds counted."""
    post = _published(s, p, post_id)
    counted = min(ms, MAX_DWELL_MS)
    if counted < MIN_DWELL_MS:
        return 0
    repo.add_dwell(s, p.tenant_id, post.id, counted)
    _behaviour(s, p, post, "dwell", dwell_ms=counted)
    return counted


def share(s: Session, p: Principal, post_id: int) -> None:
    post = _published(s, p, post_id)
    _behaviour(s, p, post, "share")
    lifecycle.record_interaction(s, p.tenant_id, _member(p), "share", ref=f"post:{post.id}")


def require_comment(s: Session, tenant_id: int, comment_id: int) -> PostComment:
    row = repo.comment(s, tenant_id, comment_id)
    if row is None:
        raise NotFound("comment not found", code="comment_not_found")
    return row
