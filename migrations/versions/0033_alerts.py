"""alerts (metrics, per-tenant thresholds, alert centre) and crisis cases (playbook, compensation, follow-ups)

Revision ID: 0033_alerts
Revises: 0032_feedback
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0033_alerts'
down_revision = '0032_feedback'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('alert_thresholds',
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('min_base', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_by', Id, nullable=True),
    sa.Column('updated_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'metric', name=op.f('uq_alert_thresholds_tenant_id_metric')),
    *_keys('alert_thresholds', ('updated_by', 'users')))

    op.create_table('alerts',
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('scope_kind', sa.String(length=10), nullable=False),
    sa.Column('scope_id', Id, nullable=False),
    sa.Column('scope_name', sa.String(length=100), nullable=False),
    sa.Column('community_id', Id, nullable=True),
    sa.Column('window_start', When, nullable=False),
    sa.Column('window_end', When, nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=False),
    sa.Column('base', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('raised_at', When, nullable=False),
    sa.Column('last_value', sa.Float(), nullable=False),
    sa.Column('last_seen_at', When, nullable=False),
    sa.Column('acknowledged_at', When, nullable=True),
    sa.Column('acknowledged_by', Id, nullable=True),
    sa.Column('resolved_at', When, nullable=True),
    sa.Column('resolved_by', Id, nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.CheckConstraint("status IN ('open', 'acknowledged', 'resolved')", name=op.f('ck_alerts_status')),
    sa.CheckConstraint("scope_kind IN ('tenant', 'community', 'leader', 'product')",
                       name=op.f('ck_alerts_scope_kind')),
    sa.UniqueConstraint('tenant_id', 'metric', 'scope_kind', 'scope_id', 'window_start',
                        name=op.f('uq_alerts_tenant_id_metric_scope_kind_scope_id_window_start')),
    *_keys('alerts', ('acknowledged_by', 'users'), ('resolved_by', 'users')))
    op.create_index('ix_alerts_tenant_status_raised', 'alerts', ['tenant_id', 'status', 'raised_at'])
    op.create_index('ix_alerts_tenant_metric_scope', 'alerts', ['tenant_id', 'metric', 'scope_kind', 'scope_id'])

    op.create_table('alert_runs',
    sa.Column('slot', When, nullable=False),
    sa.Column('raised', sa.Integer(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'slot', name=op.f('uq_alert_runs_tenant_id_slot')),
    *_keys('alert_runs'))

    op.create_table('crisis_cases',
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('alert_id', Id, nullable=True),
    sa.Column('post_id', Id, nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_by', Id, nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('closed_at', When, nullable=True),
    sa.Column('closed_by', Id, nullable=True),
    sa.Column('close_note', sa.String(length=500), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_crisis_cases_status')),
    sa.CheckConstraint('severity BETWEEN 1 AND 3', name=op.f('ck_crisis_cases_severity')),
    *_keys('crisis_cases', ('alert_id', 'alerts'), ('opened_by', 'users'), ('closed_by', 'users')))
    op.create_index('ix_crisis_cases_tenant_status_created', 'crisis_cases', ['tenant_id', 'status', 'created_at'])
    op.create_index('ix_crisis_cases_tenant_alert', 'crisis_cases', ['tenant_id', 'alert_id'])

    op.create_table('crisis_steps',
    sa.Column('case_id', Id, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('owner_user_id', Id, nullable=True),
    sa.Column('due_at', When, nullable=False),
    sa.Column('done_at', When, nullable=True),
    sa.Column('done_by', Id, nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.UniqueConstraint('tenant_id', 'case_id', 'position',
                        name=op.f('uq_crisis_steps_tenant_id_case_id_position')),
    *_keys('crisis_steps', ('case_id', 'crisis_cases'), ('owner_user_id', 'users'), ('done_by', 'users')))

    op.create_table('crisis_compensations',
    sa.Column('case_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('product_id', Id, nullable=False),
    sa.Column('batch_id', Id, nullable=True),
    sa.Column('community_id', Id, nullable=True),
    sa.Column('since', When, nullable=False),
    sa.Column('until', When, nullable=False),
    sa.Column('coupon_template_id', Id, nullable=True),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('matched', sa.Integer(), nullable=False),
    sa.Column('issued', sa.Integer(), nullable=False),
    sa.Column('created_by', Id, nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("kind IN ('coupon', 'points')", name=op.f('ck_crisis_compensations_kind')),
    sa.CheckConstraint('until > since', name=op.f('ck_crisis_compensations_window')),
    *_keys('crisis_compensations', ('case_id', 'crisis_cases'), ('product_id', 'products'),
           ('community_id', 'communities'), ('coupon_template_id', 'coupon_templates'), ('created_by', 'users')))
    op.create_index('ix_crisis_compensations_tenant_case', 'crisis_compensations', ['tenant_id', 'case_id'])

    op.create_table('crisis_recipients',
    sa.Column('case_id', Id, nullable=False),
    sa.Column('compensation_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('member_coupon_id', Id, nullable=True),
    sa.Column('points', sa.BigInteger(), nullable=False),
    sa.Column('issued_at', When, nullable=False),
    sa.Column('followup_3d_at', When, nullable=True),
    sa.Column('followup_7d_at', When, nullable=True),
    sa.UniqueConstraint('tenant_id', 'case_id', 'member_id',
                        name=op.f('uq_crisis_recipients_tenant_id_case_id_member_id')),
    *_keys('crisis_recipients', ('case_id', 'crisis_cases'), ('compensation_id', 'crisis_compensations'),
           ('member_id', 'members')))
    op.create_index('ix_crisis_recipients_tenant_issued', 'crisis_recipients', ['tenant_id', 'issued_at'])


def downgrade() -> None:
    for name in ('crisis_recipients', 'crisis_compensations', 'crisis_steps', 'crisis_cases', 'alert_runs',
                 'alerts', 'alert_thresholds'):
        op.drop_table(name)
