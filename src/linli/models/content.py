"""Community content (邻里圈): posts of four kinds (member UGC, operator PGC, recipes, product reviews), their
topics, likes/favourites, comments and views; polls and co-creation votes with their options and ballots."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

POST_STATUSES = "('pending_review', 'published', 'rejected', 'taken_down')"


class Post(Tenanted, Base):
    """A post. community_id None = tenant-wide (operator content only). A member's post has author_member_id,
    an operator's author_user_id. product_ids: the catalogue products a recipe links; a review names its order
    and product (one review per order and product: the unique key; NULLs never collide for other kinds).
    Product ids name another domain's rows (checked through its service: no foreign key)."""

    __tablename__ = "posts"
    __table_args__ = (
        CheckConstraint("kind IN ('ugc', 'pgc', 'recipe', 'review')", name="kind"),
        CheckConstraint(f"status IN {POST_STATUSES}", name="status"),
        CheckConstraint("stars IS NULL OR stars BETWEEN 1 AND 5", name="stars"),
        UniqueConstraint("tenant_id", "review_order_id", "review_product_id"),
        Index("ix_posts_tenant_community_status", "tenant_id", "community_id", "status"),
        Index("ix_posts_tenant_kind_created", "tenant_id", "kind", "created_at"),
        Index("ix_posts_tenant_author", "tenant_id", "author_member_id"),
    )

    kind: Mapped[str] = mapped_column(String(10))
    community_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("communities.id"))
    author_member_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("members.id"))
    author_user_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    title: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(String(2000))
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    ingredients: Mapped[str | None] = mapped_column(String(1000))
    steps: Mapped[str | None] = mapped_column(String(2000))
    product_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    review_order_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("orders.id"))
    review_product_id: Mapped[int | None] = mapped_column(IdType)
    stars: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="published")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    views: Mapped[int] = mapped_column(default=0)
    dwell_ms: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PostTopic(Tenanted, Base):
    """A #话题# of a post, one row each so the wall filters by topic with an index."""

    __tablename__ = "post_topics"
    __table_args__ = (
        UniqueConstraint("tenant_id", "post_id", "topic"),
        Index("ix_post_topics_tenant_topic", "tenant_id", "topic", "post_id"),
    )

    post_id: Mapped[int] = mapped_column(IdType, ForeignKey("posts.id"))
    topic: Mapped[str] = mapped_column(String(20))


class PostReaction(Tenanted, Base):
    """A like or a favourite: at most one of each per member and post (toggles are idempotent)."""

    __tablename__ = "post_reactions"
    __table_args__ = (
        CheckConstraint("kind IN ('like', 'favourite')", name="kind"),
        UniqueConstraint("tenant_id", "post_id", "member_id", "kind"),
        Index("ix_post_reactions_tenant_member_kind", "tenant_id", "member_id", "kind"),
    )

    post_id: Mapped[int] = mapped_column(IdType, ForeignKey("posts.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = created_at_column()


class PostComment(Tenanted, Base):
    __tablename__ = "post_comments"
    __table_args__ = (
        CheckConstraint("status IN ('pending_review', 'published', 'rejected')", name="status"),
        Index("ix_post_comments_tenant_post", "tenant_id", "post_id", "status"),
    )

    post_id: Mapped[int] = mapped_column(IdType, ForeignKey("posts.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    body: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="published")
    created_at: Mapped[datetime] = created_at_column()


class PostView(Tenanted, Base):
    """One view of a post (hot posts count them over a window)."""

    __tablename__ = "post_views"
    __table_args__ = (Index("ix_post_views_tenant_viewed", "tenant_id", "viewed_at", "post_id"),)

    post_id: Mapped[int] = mapped_column(IdType, ForeignKey("posts.id"))
    member_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("members.id"))
    viewed_at: Mapped[datetime] = created_at_column()


class Poll(Tenanted, Base):
    """A poll (投票) or a co-creation vote (共创: members may propose options, moderated). community_id None =
    every community. max_choices 1 = single choice."""

    __tablename__ = "polls"
    __table_args__ = (
        CheckConstraint("kind IN ('poll', 'cocreation')", name="kind"),
        CheckConstraint("max_choices BETWEEN 1 AND 10", name="max_choices"),
        Index("ix_polls_tenant_deadline", "tenant_id", "deadline"),
    )

    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    community_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("communities.id"))
    max_choices: Mapped[int] = mapped_column(default=1)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class PollOption(Tenanted, Base):
    __tablename__ = "poll_options"
    __table_args__ = (
        CheckConstraint("status IN ('pending_review', 'published', 'rejected')", name="status"),
        Index("ix_poll_options_tenant_poll", "tenant_id", "poll_id"),
    )

    poll_id: Mapped[int] = mapped_column(IdType, ForeignKey("polls.id"))
    text: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="published")
    proposed_by_member_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("members.id"))
    created_at: Mapped[datetime] = created_at_column()


class PollBallot(Tenanted, Base):
    """A member's one ballot in a poll (the unique key makes a second one impossible, concurrent or not)."""

    __tablename__ = "poll_ballots"
    __table_args__ = (UniqueConstraint("tenant_id", "poll_id", "member_id"),)

    poll_id: Mapped[int] = mapped_column(IdType, ForeignKey("polls.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    created_at: Mapped[datetime] = created_at_column()


class PollChoice(Tenanted, Base):
    """An option chosen on a ballot."""

    __tablename__ = "poll_choices"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ballot_id", "option_id"),
        Index("ix_poll_choices_tenant_poll", "tenant_id", "poll_id", "option_id"),
    )

    ballot_id: Mapped[int] = mapped_column(IdType, ForeignKey("poll_ballots.id"))
    poll_id: Mapped[int] = mapped_column(IdType, ForeignKey("polls.id"))
    option_id: Mapped[int] = mapped_column(IdType, ForeignKey("poll_options.id"))
