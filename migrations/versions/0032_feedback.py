"""feedback kiosk: tickets with SLA timers and escalations, FAQ entries for the bot

Revision ID: 0032_feedback
Revises: 0031_moderation
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0032_feedback'
down_revision = '0031_moderation'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('feedback_settings',
    sa.Column('first_response_minutes', sa.Integer(), nullable=False),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.Column('follow_up_minutes', sa.Integer(), nullable=False),
    sa.Column('bot_min_score', sa.Float(), nullable=False),
    sa.Column('faq_revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint('first_response_minutes > 0 AND resolution_minutes > 0 AND follow_up_minutes > 0',
                       name=op.f('ck_feedback_settings_positive')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_feedback_settings_tenant_id')),
    *_keys('feedback_settings'))

    op.create_table('feedback_tickets',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('community_id', Id, nullable=True),
    sa.Column('order_id', Id, nullable=True),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('review_status', sa.String(length=10), nullable=False),
    sa.Column('assignee_user_id', Id, nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('first_response_due_at', When, nullable=False),
    sa.Column('resolution_due_at', When, nullable=False),
    sa.Column('follow_up_due_at', When, nullable=False),
    sa.Column('first_responded_at', When, nullable=True),
    sa.Column('resolved_at', When, nullable=True),
    sa.Column('followed_up_at', When, nullable=True),
    sa.Column('closed_at', When, nullable=True),
    sa.Column('resolution_note', sa.String(length=1000), nullable=True),
    sa.Column('follow_up_note', sa.String(length=1000), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('member_confirmed_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("status IN ('open', 'processing', 'resolved', 'closed')",
                       name=op.f('ck_feedback_tickets_status')),
    sa.CheckConstraint("review_status IN ('ok', 'pending', 'rejected')",
                       name=op.f('ck_feedback_tickets_review_status')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_feedback_tickets_rating')),
    *_keys('feedback_tickets', ('member_id', 'members'), ('community_id', 'communities'), ('order_id', 'orders'),
           ('assignee_user_id', 'users')))
    op.create_index('ix_feedback_tickets_tenant_status_created', 'feedback_tickets',
                    ['tenant_id', 'status', 'created_at'])
    op.create_index('ix_feedback_tickets_tenant_member', 'feedback_tickets', ['tenant_id', 'member_id'])
    op.create_index('ix_feedback_tickets_tenant_community', 'feedback_tickets', ['tenant_id', 'community_id'])

    op.create_table('feedback_messages',
    sa.Column('ticket_id', Id, nullable=False),
    sa.Column('author_kind', sa.String(length=10), nullable=False),
    sa.Column('author_user_id', Id, nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("author_kind IN ('member', 'operator', 'bot', 'system')",
                       name=op.f('ck_feedback_messages_author_kind')),
    *_keys('feedback_messages', ('ticket_id', 'feedback_tickets'), ('author_user_id', 'users')))
    op.create_index('ix_feedback_messages_tenant_ticket', 'feedback_messages', ['tenant_id', 'ticket_id'])

    op.create_table('feedback_attachments',
    sa.Column('ticket_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=6), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("kind IN ('image', 'voice')", name=op.f('ck_feedback_attachments_kind')),
    *_keys('feedback_attachments', ('ticket_id', 'feedback_tickets')))
    op.create_index('ix_feedback_attachments_tenant_ticket', 'feedback_attachments', ['tenant_id', 'ticket_id'])

    op.create_table('feedback_breaches',
    sa.Column('ticket_id', Id, nullable=False),
    sa.Column('timer', sa.String(length=16), nullable=False),
    sa.Column('due_at', When, nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('recorded_at', When, nullable=False),
    sa.CheckConstraint("timer IN ('first_response', 'resolution', 'follow_up')",
                       name=op.f('ck_feedback_breaches_timer')),
    sa.UniqueConstraint('tenant_id', 'ticket_id', 'timer',
                        name=op.f('uq_feedback_breaches_tenant_id_ticket_id_timer')),
    *_keys('feedback_breaches', ('ticket_id', 'feedback_tickets')))
    op.create_index('ix_feedback_breaches_tenant_recorded', 'feedback_breaches', ['tenant_id', 'recorded_at'])

    op.create_table('faq_entries',
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('answer', sa.String(length=2000), nullable=False),
    sa.Column('keywords', sa.String(length=300), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('updated_at', When, nullable=False),
    *_keys('faq_entries'))
    op.create_index('ix_faq_entries_tenant_active', 'faq_entries', ['tenant_id', 'active'])

    op.create_table('faq_exchanges',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('question', sa.String(length=500), nullable=False),
    sa.Column('faq_id', Id, nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=True),
    sa.Column('ticket_id', Id, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("outcome IN ('answered', 'handed_off')", name=op.f('ck_faq_exchanges_outcome')),
    *_keys('faq_exchanges', ('member_id', 'members'), ('faq_id', 'faq_entries'), ('ticket_id', 'feedback_tickets')))
    op.create_index('ix_faq_exchanges_tenant_created', 'faq_exchanges', ['tenant_id', 'created_at'])


def downgrade() -> None:
    for name in ('faq_exchanges', 'faq_entries', 'feedback_breaches', 'feedback_attachments', 'feedback_messages',
                 'feedback_tickets', 'feedback_settings'):
        op.drop_table(name)
