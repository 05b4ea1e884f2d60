"""moderation: sensitive words, machine verdicts, operator and senior review queue

Revision ID: 0031_moderation
Revises: 0030_recommend
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0031_moderation'
down_revision = '0030_recommend'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('moderation_words',
    sa.Column('word', sa.String(length=50), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_by', Id, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint("level IN ('block', 'review')", name=op.f('ck_moderation_words_level')),
    sa.UniqueConstraint('tenant_id', 'word', name=op.f('uq_moderation_words_tenant_id_word')),
    *_keys('moderation_words'))
    op.create_index('ix_moderation_words_tenant_enabled', 'moderation_words', ['tenant_id', 'enabled'])

    op.create_table('moderation_settings',
    sa.Column('words_version', sa.Integer(), nullable=False),
    sa.Column('senior_user_ids', sa.JSON(), nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_moderation_settings_tenant_id')),
    *_keys('moderation_settings'))

    op.create_table('moderation_screenings',
    sa.Column('subject_kind', sa.String(length=12), nullable=False),
    sa.Column('subject_id', Id, nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("decision IN ('review', 'block')", name=op.f('ck_moderation_screenings_decision')),
    *_keys('moderation_screenings'))
    op.create_index('ix_moderation_screenings_tenant_created', 'moderation_screenings', ['tenant_id', 'created_at'])

    op.create_table('moderation_cases',
    sa.Column('subject_kind', sa.String(length=12), nullable=False),
    sa.Column('subject_id', Id, nullable=False),
    sa.Column('author_member_id', Id, nullable=True),
    sa.Column('text', sa.String(length=4000), nullable=False),
    sa.Column('hits', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('escalated_by', Id, nullable=True),
    sa.Column('escalation_reason', sa.String(length=500), nullable=True),
    sa.Column('escalated_at', When, nullable=True),
    sa.Column('decided_by', Id, nullable=True),
    sa.Column('decided_level', sa.String(length=10), nullable=True),
    sa.Column('decision_reason', sa.String(length=500), nullable=True),
    sa.Column('decided_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("subject_kind IN ('post', 'comment', 'member_name', 'feedback', 'poll')",
                       name=op.f('ck_moderation_cases_subject_kind')),
    sa.CheckConstraint("status IN ('pending', 'escalated', 'approved', 'rejected')",
                       name=op.f('ck_moderation_cases_status')),
    *_keys('moderation_cases'))
    op.create_index('ix_moderation_cases_tenant_status_created', 'moderation_cases',
                    ['tenant_id', 'status', 'created_at'])
    op.create_index('ix_moderation_cases_tenant_subject', 'moderation_cases',
                    ['tenant_id', 'subject_kind', 'subject_id'])


def downgrade() -> None:
    for name in ('moderation_cases', 'moderation_screenings', 'moderation_settings', 'moderation_words'):
        op.drop_table(name)
