"""journeys (自动化SOP): versioned definitions, enrolments, step runs, leader tasks

Revision ID: 0027_journey
Revises: 0026_audience
Create Date: 2026-12-03 06:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0027_journey'
down_revision = '0026_audience'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('journeys',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('template_code', sa.String(length=40), nullable=True),
    sa.Column('trigger_kind', sa.String(length=12), nullable=False),
    sa.Column('trigger_topic', sa.String(length=80), nullable=True),
    sa.Column('conversion_days', sa.Integer(), nullable=False),
    sa.Column('scanned_until', When, nullable=True),
    sa.Column('activated_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint("status IN ('draft', 'active', 'paused')", name=op.f('ck_journeys_status')),
    sa.CheckConstraint('conversion_days > 0', name=op.f('ck_journeys_conversion_days')),
    *_keys('journeys'))
    op.create_index('ix_journeys_tenant_status_topic', 'journeys', ['tenant_id', 'status', 'trigger_topic'])

    op.create_table('journey_versions',
    sa.Column('journey_id', Id, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'journey_id', 'version',
                        name=op.f('uq_journey_versions_tenant_id_journey_id_version')),
    *_keys('journey_versions', ('journey_id', 'journeys')))

    op.create_table('journey_enrolments',
    sa.Column('journey_id', Id, nullable=False),
    sa.Column('version_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('entry_key', sa.String(length=80), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('enrolled_at', When, nullable=False),
    sa.Column('finished_at', When, nullable=True),
    sa.UniqueConstraint('tenant_id', 'version_id', 'member_id', 'entry_key',
                        name=op.f('uq_journey_enrolments_tenant_id_version_id_member_id_entry_key')),
    *_keys('journey_enrolments', ('journey_id', 'journeys'), ('version_id', 'journey_versions'),
           ('member_id', 'members')))
    op.create_index('ix_journey_enrolments_tenant_journey', 'journey_enrolments', ['tenant_id', 'journey_id'])
    op.create_index('ix_journey_enrolments_tenant_member', 'journey_enrolments', ['tenant_id', 'member_id'])

    op.create_table('journey_step_runs',
    sa.Column('journey_id', Id, nullable=False),
    sa.Column('version_id', Id, nullable=False),
    sa.Column('enrolment_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('step_id', sa.String(length=40), nullable=False),
    sa.Column('step_type', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('due_at', When, nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('finished_at', When, nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('convert_by', When, nullable=True),
    sa.Column('converted_at', When, nullable=True),
    sa.CheckConstraint("status IN ('pending', 'done', 'failed')", name=op.f('ck_journey_step_runs_status')),
    sa.UniqueConstraint('tenant_id', 'enrolment_id', 'step_id',
                        name=op.f('uq_journey_step_runs_tenant_id_enrolment_id_step_id')),
    *_keys('journey_step_runs', ('journey_id', 'journeys'), ('version_id', 'journey_versions'),
           ('enrolment_id', 'journey_enrolments'), ('member_id', 'members')))
    op.create_index('ix_journey_step_runs_tenant_due', 'journey_step_runs', ['tenant_id', 'status', 'due_at'])
    op.create_index('ix_journey_step_runs_tenant_journey', 'journey_step_runs',
                    ['tenant_id', 'journey_id', 'version_id', 'step_id'])
    op.create_index('ix_journey_step_runs_tenant_member_convert', 'journey_step_runs',
                    ['tenant_id', 'member_id', 'convert_by'])

    op.create_table('leader_tasks',
    sa.Column('leader_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('source_key', sa.String(length=120), nullable=False),
    sa.Column('due_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('done_at', When, nullable=True),
    sa.Column('done_note', sa.String(length=500), nullable=True),
    sa.UniqueConstraint('tenant_id', 'source_key', name=op.f('uq_leader_tasks_tenant_id_source_key')),
    *_keys('leader_tasks', ('leader_id', 'leaders'), ('member_id', 'members')))
    op.create_index('ix_leader_tasks_tenant_leader_done', 'leader_tasks', ['tenant_id', 'leader_id', 'done_at'])


def downgrade() -> None:
    for name in ('leader_tasks', 'journey_step_runs', 'journey_enrolments', 'journey_versions', 'journeys'):
        op.drop_table(name)
