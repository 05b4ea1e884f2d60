"""content: posts (UGC/PGC, recipes, reviews), polls and co-creation votes, likes, favourites, comments

Revision ID: 0029_content
Revises: 0028_campaign
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0029_content'
down_revision = '0028_campaign'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('posts',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('community_id', Id, nullable=True),
    sa.Column('author_member_id', Id, nullable=True),
    sa.Column('author_user_id', Id, nullable=True),
    sa.Column('title', sa.String(length=100), nullable=True),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('images', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('ingredients', sa.String(length=1000), nullable=True),
    sa.Column('steps', sa.String(length=2000), nullable=True),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('review_order_id', Id, nullable=True),
    sa.Column('review_product_id', Id, nullable=True),
    sa.Column('stars', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('dwell_ms', sa.Integer(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('published_at', When, nullable=True),
    sa.CheckConstraint("kind IN ('ugc', 'pgc', 'recipe', 'review')", name=op.f('ck_posts_kind')),
    sa.CheckConstraint("status IN ('pending_review', 'published', 'rejected', 'taken_down')",
                       name=op.f('ck_posts_status')),
    sa.CheckConstraint('stars IS NULL OR stars BETWEEN 1 AND 5', name=op.f('ck_posts_stars')),
    sa.UniqueConstraint('tenant_id', 'review_order_id', 'review_product_id',
                        name=op.f('uq_posts_tenant_id_review_order_id_review_product_id')),
    *_keys('posts', ('community_id', 'communities'), ('author_member_id', 'members'), ('author_user_id', 'users'),
           ('review_order_id', 'orders')))
    op.create_index('ix_posts_tenant_community_status', 'posts', ['tenant_id', 'community_id', 'status'])
    op.create_index('ix_posts_tenant_kind_created', 'posts', ['tenant_id', 'kind', 'created_at'])
    op.create_index('ix_posts_tenant_author', 'posts', ['tenant_id', 'author_member_id'])

    op.create_table('post_topics',
    sa.Column('post_id', Id, nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.UniqueConstraint('tenant_id', 'post_id', 'topic', name=op.f('uq_post_topics_tenant_id_post_id_topic')),
    *_keys('post_topics', ('post_id', 'posts')))
    op.create_index('ix_post_topics_tenant_topic', 'post_topics', ['tenant_id', 'topic', 'post_id'])

    op.create_table('post_reactions',
    sa.Column('post_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("kind IN ('like', 'favourite')", name=op.f('ck_post_reactions_kind')),
    sa.UniqueConstraint('tenant_id', 'post_id', 'member_id', 'kind',
                        name=op.f('uq_post_reactions_tenant_id_post_id_member_id_kind')),
    *_keys('post_reactions', ('post_id', 'posts'), ('member_id', 'members')))
    op.create_index('ix_post_reactions_tenant_member_kind', 'post_reactions', ['tenant_id', 'member_id', 'kind'])

    op.create_table('post_comments',
    sa.Column('post_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('body', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("status IN ('pending_review', 'published', 'rejected')", name=op.f('ck_post_comments_status')),
    *_keys('post_comments', ('post_id', 'posts'), ('member_id', 'members')))
    op.create_index('ix_post_comments_tenant_post', 'post_comments', ['tenant_id', 'post_id', 'status'])

    op.create_table('post_views',
    sa.Column('post_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=True),
    sa.Column('viewed_at', When, nullable=False),
    *_keys('post_views', ('post_id', 'posts'), ('member_id', 'members')))
    op.create_index('ix_post_views_tenant_viewed', 'post_views', ['tenant_id', 'viewed_at', 'post_id'])

    op.create_table('polls',
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('community_id', Id, nullable=True),
    sa.Column('max_choices', sa.Integer(), nullable=False),
    sa.Column('deadline', When, nullable=False),
    sa.Column('created_by_user_id', Id, nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("kind IN ('poll', 'cocreation')", name=op.f('ck_polls_kind')),
    sa.CheckConstraint('max_choices BETWEEN 1 AND 10', name=op.f('ck_polls_max_choices')),
    *_keys('polls', ('community_id', 'communities'), ('created_by_user_id', 'users')))
    op.create_index('ix_polls_tenant_deadline', 'polls', ['tenant_id', 'deadline'])

    op.create_table('poll_options',
    sa.Column('poll_id', Id, nullable=False),
    sa.Column('text', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_by_member_id', Id, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("status IN ('pending_review', 'published', 'rejected')", name=op.f('ck_poll_options_status')),
    *_keys('poll_options', ('poll_id', 'polls'), ('proposed_by_member_id', 'members')))
    op.create_index('ix_poll_options_tenant_poll', 'poll_options', ['tenant_id', 'poll_id'])

    op.create_table('poll_ballots',
    sa.Column('poll_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'poll_id', 'member_id', name=op.f('uq_poll_ballots_tenant_id_poll_id_member_id')),
    *_keys('poll_ballots', ('poll_id', 'polls'), ('member_id', 'members')))

    op.create_table('poll_choices',
    sa.Column('ballot_id', Id, nullable=False),
    sa.Column('poll_id', Id, nullable=False),
    sa.Column('option_id', Id, nullable=False),
    sa.UniqueConstraint('tenant_id', 'ballot_id', 'option_id',
                        name=op.f('uq_poll_choices_tenant_id_ballot_id_option_id')),
    *_keys('poll_choices', ('ballot_id', 'poll_ballots'), ('poll_id', 'polls'), ('option_id', 'poll_options')))
    op.create_index('ix_poll_choices_tenant_poll', 'poll_choices', ['tenant_id', 'poll_id', 'option_id'])


def downgrade() -> None:
    for name in ('poll_choices', 'poll_ballots', 'poll_options', 'polls', 'post_views', 'post_comments',
                 'post_reactions', 'post_topics', 'posts'):
        op.drop_table(name)
