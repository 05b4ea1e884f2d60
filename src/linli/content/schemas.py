"""HTTP shapes of posts, reviews, comments, reactions and polls, and the shapes other domains read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from linli.core.clock import as_utc
from linli.core.schemas import Id, In, Instant, Out

MAX_IMAGES = 9
PostKind = Literal["ugc", "pgc", "recipe", "review"]
PostStatus = Literal["pending_review", "published", "rejected", "taken_down"]
PollKind = Literal["poll", "cocreation"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
CommentText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
OptionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ImageName = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}\.(jpg|png|gif|webp)$")]
Images = Annotated[list[ImageName], Field(max_length=MAX_IMAGES)]


def _utc(at: datetime) -> datetime:
    try:
        return as_utc(at)
    except OverflowError as exc:
        raise ValueError("time out of range") from exc


TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc)]


class PostIn(In):
    """A member's post (in their own community) or, from an operator, a PGC post: community_id None =
    tenant-wide. kind recipe needs product_ids (1..20) and may carry ingredients and steps."""

    kind: Literal["ugc", "pgc", "recipe"] = "ugc"
    title: Title | None = None
    body: Text
    images: Images = []
    community_id: Id | None = None
    product_ids: Annotated[list[Id], Field(max_length=20)] = []
    ingredients: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None
    steps: LongText | None = None
    pinned: bool = False


class ReviewIn(In):
    order_id: Id
    product_id: Id
    stars: Annotated[int, Field(ge=1, le=5)]
    body: Text
    images: Images = []


class CommentIn(In):
    body: CommentText


class DwellIn(In):
    """Milliseconds the post was visible; above 10 minutes counts as 10 (a tab left open)."""

    ms: Annotated[int, Field(ge=0, le=24 * 3600 * 1000)]


class ModerateIn(In):
    action: Literal["take_down", "restore", "pin", "unpin"]


class PostOut(Out):
    id: int
    kind: str
    community_id: int | None
    author_member_id: int | None
    author_name: str
    title: str | None
    body: str
    images: list[str]
    image_urls: list[str]
    topics: list[str]
    ingredients: str | None
    steps: str | None
    product_ids: list[int]
    review_order_id: int | None
    review_product_id: int | None
    stars: int | None
    status: str
    pinned: bool
    views: int
    likes: int = 0
    favourites: int = 0
    comments: int = 0
    liked: bool = False
    favourited: bool = False
    created_at: Instant


class CommentOut(Out):
    id: int
    post_id: int
    member_id: int
    author_name: str = ""
    body: str
    status: str
    created_at: Instant


class ReactionOut(Out):
    post_id: int
    kind: str
    active: bool
    count: int


class ImageOut(Out):
    name: str
    url: str


class PollIn(In):
    kind: PollKind = "poll"
    title: Title
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    community_id: Id | None = None
    options: Annotated[list[OptionText], Field(min_length=2, max_length=10)]
    max_choices: Annotated[int, Field(ge=1, le=10)] = 1
    deadline: TimeIn


class VoteIn(In):
    option_ids: Annotated[list[Id], Field(min_length=1, max_length=10)]


class ProposalIn(In):
    text: OptionText


class OptionOut(Out):
    id: int
    text: str
    status: str
    votes: int = 0
    share: float = 0.0
    proposed_by_member_id: int | None = None


class PollOut(Out):
    id: int
    kind: str
    title: str
    description: str
    community_id: int | None
    max_choices: int
    deadline: Instant
    closed: bool
    ballots: int
    options: list[OptionOut]
    my_choices: list[int] = []
    created_at: Instant


class OptionStatusOut(Out):
    id: int
    poll_id: int
    text: str
    status: str


# --- what other domains read (plain data, no HTTP) -------------------------------------------------

@dataclass(frozen=True)
class PostCandidate:
    id: int
    community_id: int | None
    kind: str
    topic: str | None
    product_ids: list[int]
    created_at: datetime


@dataclass(frozen=True)
class HotPost:
    id: int
    title: str
    views: int
    community_id: int | None
    kind: str
