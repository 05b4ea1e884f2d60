from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel

from linli.content import engagement, images, polls, reviews, service
from linli.content.schemas import (
    CommentIn,
    CommentOut,
    DwellIn,
    ImageOut,
    ModerateIn,
    OptionStatusOut,
    PollIn,
    PollOut,
    PostIn,
    PostKind,
    PostOut,
    ProposalIn,
    ReactionOut,
    ReviewIn,
    VoteIn,
)
from linli.core.errors import NotFound
from linli.core.http import Auth, Db, LeaderOrOperator, MemberOrOperator, MemberP, Operator
from linli.core.pagination import Page
from linli.core.schemas import Id, In, Limit

router = APIRouter(tags=["content"])
Cursor = Annotated[str | None, Query(max_length=20)]
Topic = Annotated[str | None, Query(min_length=1, max_length=20, pattern=r"^[^#\s\x00]+$")]


class OkOut(BaseModel):
    ok: bool = True


class DwellOut(BaseModel):
    counted_ms: int


class DecisionIn(In):
    approved: bool


# --- posts -----------------------------------------------------------------------------------------

@router.post("/posts", status_code=201, response_model=PostOut)
def create_post(data: PostIn, p: MemberOrOperator, s: Db) -> PostOut:
    """A member's post in their community (ugc, or a recipe), or an operator's PGC / recipe (community_id None =
    every community). 422 `sensitive_content` if the text is blocked; held as `pending_review` if it needs a
    moderator."""
    return service.create(s, p, data)


@router.get("/posts", response_model=Page[PostOut])
def community_wall(p: Auth, s: Db, community_id: Id | None = None, topic: Topic = None,
                   kind: PostKind | None = None, limit: Limit = 20, cursor: Cursor = None) -> Page[PostOut]:
    """The 邻里圈 wall: a member's own community (community_id is ignored for members) plus tenant-wide posts,
    pinned ones first on the first page; ?topic= filters by #话题#."""
    items, nxt = service.wall(s, p, community_id, topic, kind, limit, cursor)
    return Page[PostOut](items=items, next_cursor=nxt)


@router.get("/posts/{post_id}", response_model=PostOut)
def get_post(post_id: Id, p: Auth, s: Db) -> PostOut:
    return service.get(s, p, post_id)


@router.post("/posts/{post_id}/status", response_model=PostOut)
def moderate_post(post_id: Id, data: ModerateIn, p: Operator, s: Db) -> PostOut:
    """Take a post down, restore it, pin or unpin it."""
    return service.moderate(s, p, post_id, data.action)


@router.put("/posts/{post_id}/like", response_model=ReactionOut)
def like(post_id: Id, p: MemberP, s: Db) -> ReactionOut:
    """Like (idempotent: liking twice keeps one like)."""
    return engagement.react(s, p, post_id, "like", True)


@router.delete("/posts/{post_id}/like", response_model=ReactionOut)
def unlike(post_id: Id, p: MemberP, s: Db) -> ReactionOut:
    return engagement.react(s, p, post_id, "like", False)


@router.put("/posts/{post_id}/favourite", response_model=ReactionOut)
def favourite(post_id: Id, p: MemberP, s: Db) -> ReactionOut:
    """Favourite (收藏; idempotent)."""
    return engagement.react(s, p, post_id, "favourite", True)


@router.delete("/posts/{post_id}/favourite", response_model=ReactionOut)
def unfavourite(post_id: Id, p: MemberP, s: Db) -> ReactionOut:
    return engagement.react(s, p, post_id, "favourite", False)


@router.get("/posts/{post_id}/comments", response_model=list[CommentOut])
def list_comments(post_id: Id, p: Auth, s: Db) -> list[CommentOut]:
    return engagement.comments(s, p, post_id)


@router.post("/posts/{post_id}/comments", status_code=201, response_model=CommentOut)
def add_comment(post_id: Id, data: CommentIn, p: MemberP, s: Db) -> CommentOut:
    return engagement.comment(s, p, post_id, data)


@router.post("/posts/{post_id}/views", response_model=OkOut)
def add_view(post_id: Id, p: MemberP, s: Db) -> OkOut:
    engagement.view(s, p, post_id)
    return OkOut()


@router.post("/posts/{post_id}/dwell", response_model=DwellOut)
def add_dwell(post_id: Id, data: DwellIn, p: MemberP, s: Db) -> DwellOut:
    """The milliseconds the post was visible (sent when the page is left); at most 10 minutes count."""
    return DwellOut(counted_ms=engagement.dwell(s, p, post_id, data.ms))


@router.post("/posts/{post_id}/shares", response_model=OkOut)
def add_share(post_id: Id, p: MemberP, s: Db) -> OkOut:
    engagement.share(s, p, post_id)
    return OkOut()


@router.get("/me/favourites", response_model=Page[PostOut])
def my_favourites(p: MemberP, s: Db, limit: Limit = 20, cursor: Cursor = None) -> Page[PostOut]:
    items, nxt = service.favourites(s, p, limit, cursor)
    return Page[PostOut](items=items, next_cursor=nxt)


@router.post("/post-images", status_code=201, response_model=ImageOut)
def upload_post_image(p: MemberOrOperator, file: Annotated[UploadFile, File()]) -> ImageOut:
    """An image for a post (JPEG, PNG, GIF or WebP by its bytes, at most 5 MB); send its `name` in `images`."""
    name = images.store(file.file.read(images.MAX_BYTES + 1), file.content_type)
    return ImageOut(name=name, url=images.url_of(name))


@router.get("/post-images/{name}", response_class=FileResponse)
def post_image(name: str) -> FileResponse:
    """Public, named by the content's hash (unguessable; the answer never changes)."""
    found = images.path_of(name)
    if found is None:
        raise NotFound("image not found", code="image_not_found")
    return FileResponse(found[0], media_type=found[1],
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})


# --- reviews ---------------------------------------------------------------------------------------

@router.post("/reviews", status_code=201, response_model=PostOut)
def create_review(data: ReviewIn, p: MemberP, s: Db) -> PostOut:
    """Review a product of one of the member's picked-up orders (once per order and product)."""
    return reviews.create(s, p, data)


@router.get("/products/{product_id}/reviews", response_model=Page[PostOut])
def product_reviews(product_id: Id, p: Auth, s: Db, limit: Limit = 20, cursor: Cursor = None) -> Page[PostOut]:
    items, nxt = reviews.of_product(s, p, product_id, limit, cursor)
    return Page[PostOut](items=items, next_cursor=nxt)


# --- polls -----------------------------------------------------------------------------------------

@router.post("/polls", status_code=201, response_model=PollOut)
def create_poll(data: PollIn, p: LeaderOrOperator, s: Db) -> PollOut:
    """A poll or co-creation vote; a leader's is for their own community."""
    return polls.create(s, p, data)


@router.get("/polls", response_model=Page[PollOut])
def list_polls(p: Auth, s: Db, limit: Limit = 20, cursor: Cursor = None) -> Page[PollOut]:
    items, nxt = polls.search(s, p, limit, cursor)
    return Page[PollOut](items=items, next_cursor=nxt)


@router.get("/polls/{poll_id}", response_model=PollOut)
def get_poll(poll_id: Id, p: Auth, s: Db) -> PollOut:
    """The poll with its results: votes and share of ballots per option."""
    return polls.get(s, p, poll_id)


@router.post("/polls/{poll_id}/votes", status_code=201, response_model=PollOut)
def vote(poll_id: Id, data: VoteIn, p: MemberP, s: Db) -> PollOut:
    """One ballot per member: 409 `already_voted`; after the deadline 409 `poll_closed`."""
    return polls.vote(s, p, poll_id, data)


@router.post("/polls/{poll_id}/options", status_code=201, response_model=OptionStatusOut)
def propose_option(poll_id: Id, data: ProposalIn, p: MemberP, s: Db) -> OptionStatusOut:
    """Propose an option in a co-creation vote (screened; may wait for review)."""
    return polls.propose(s, p, poll_id, data)


@router.post("/poll-options/{poll_option_id}/decision", response_model=OptionStatusOut)
def decide_option(poll_option_id: Id, data: DecisionIn, p: Operator, s: Db) -> OptionStatusOut:
    return polls.review_option(s, p, poll_option_id, data.approved)
