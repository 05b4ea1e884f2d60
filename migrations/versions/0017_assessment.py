"""leader assessment: ratings, monthly scores, cases

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25 04:10:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core import append_only

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def _base(table: str) -> list[sa.Column[object] | sa.Constraint]:
    return [
        sa.Column('id', Id, autoincrement=True, nullable=False),
        sa.Column('tenant_id', Id, nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def _fk(table: str, col: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f'{target}.id'], name=op.f(f'fk_{table}_{col}_{target}'))


def upgrade() -> None:
    op.create_table('order_ratings',
    sa.Column('order_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('leader_id', Id, nullable=True),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.Column('created_at', When, nullable=False),
    *_base('order_ratings'),
    _fk('order_ratings', 'order_id', 'orders'), _fk('order_ratings', 'member_id', 'members'),
    _fk('order_ratings', 'leader_id', 'leaders'),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_order_ratings_stars_range')),
    sa.UniqueConstraint('order_id', name=op.f('uq_order_ratings_order_id'))
    )
    op.create_index('ix_order_ratings_tenant_leader_created', 'order_ratings',
                    ['tenant_id', 'leader_id', 'created_at'], unique=False)
    op.create_table('assessment_settings',
    sa.Column('w_sales', sa.Integer(), nullable=False),
    sa.Column('w_growth', sa.Integer(), nullable=False),
    sa.Column('w_service', sa.Integer(), nullable=False),
    sa.Column('w_activity', sa.Integer(), nullable=False),
    sa.Column('warning_below', sa.Integer(), nullable=False),
    sa.Column('warning_bottom_pct', sa.Integer(), nullable=False),
    sa.Column('replace_after', sa.Integer(), nullable=False),
    *_base('assessment_settings'),
    sa.CheckConstraint('w_sales + w_growth + w_service + w_activity = 100',
                       name=op.f('ck_assessment_settings_weights_sum')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_assessment_settings_tenant_id'))
    )
    op.create_table('assessment_runs',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('leaders', sa.Integer(), nullable=False),
    sa.Column('actor_user_id', Id, nullable=True),
    sa.Column('created_at', When, nullable=False),
    *_base('assessment_runs'),
    sa.UniqueConstraint('tenant_id', 'month', name=op.f('uq_assessment_runs_tenant_id_month'))
    )
    op.create_table('leader_assessments',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('leader_id', Id, nullable=False),
    sa.Column('sales_fen', sa.BigInteger(), nullable=False),
    sa.Column('new_members', sa.Integer(), nullable=False),
    sa.Column('avg_stars', sa.Float(), nullable=True),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('activity', sa.Integer(), nullable=False),
    sa.Column('sales_score', sa.Float(), nullable=False),
    sa.Column('growth_score', sa.Float(), nullable=False),
    sa.Column('service_score', sa.Float(), nullable=False),
    sa.Column('activity_score', sa.Float(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('tier_before', sa.String(length=20), nullable=False),
    sa.Column('tier_after', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=20), nullable=True),
    sa.Column('warned', sa.Boolean(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    *_base('leader_assessments'),
    _fk('leader_assessments', 'leader_id', 'leaders'),
    sa.UniqueConstraint('tenant_id', 'month', 'leader_id', name=op.f('uq_leader_assessments_tenant_id_month_leader_id'))
    )
    op.create_index('ix_leader_assessments_tenant_leader', 'leader_assessments', ['tenant_id', 'leader_id'])
    op.create_table('leader_cases',
    sa.Column('leader_id', Id, nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('streak', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('decided_at', When, nullable=True),
    *_base('leader_cases'),
    _fk('leader_cases', 'leader_id', 'leaders'),
    sa.UniqueConstraint('tenant_id', 'leader_id', 'month', 'kind',
                        name=op.f('uq_leader_cases_tenant_id_leader_id_month_kind'))
    )
    op.create_index('ix_leader_cases_tenant_leader', 'leader_cases', ['tenant_id', 'leader_id'])
    op.create_table('leader_case_events',
    sa.Column('case_id', Id, nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor_user_id', Id, nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('at', When, nullable=False),
    *_base('leader_case_events'),
    _fk('leader_case_events', 'case_id', 'leader_cases'),
    )
    op.create_index('ix_leader_case_events_tenant_case', 'leader_case_events', ['tenant_id', 'case_id'])
    op.create_table('help_tasks',
    sa.Column('case_id', Id, nullable=False),
    sa.Column('leader_id', Id, nullable=False),
    sa.Column('metric', sa.String(length=12), nullable=False),
    sa.Column('text', sa.String(length=100), nullable=False),
    sa.Column('done_at', When, nullable=True),
    *_base('help_tasks'),
    _fk('help_tasks', 'case_id', 'leader_cases'), _fk('help_tasks', 'leader_id', 'leaders'),
    )
    op.create_index('ix_help_tasks_tenant_leader', 'help_tasks', ['tenant_id', 'leader_id'])
    append_only.install(op.get_bind(), ('leader_case_events',))


def downgrade() -> None:
    append_only.remove(op.get_bind(), ('leader_case_events',))
    op.drop_index('ix_help_tasks_tenant_leader', table_name='help_tasks')
    op.drop_table('help_tasks')
    op.drop_index('ix_leader_case_events_tenant_case', table_name='leader_case_events')
    op.drop_table('leader_case_events')
    op.drop_index('ix_leader_cases_tenant_leader', table_name='leader_cases')
    op.drop_table('leader_cases')
    op.drop_index('ix_leader_assessments_tenant_leader', table_name='leader_assessments')
    op.drop_table('leader_assessments')
    op.drop_table('assessment_runs')
    op.drop_table('assessment_settings')
    op.drop_index('ix_order_ratings_tenant_leader_created', table_name='order_ratings')
    op.drop_table('order_ratings')
