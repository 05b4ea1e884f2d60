"""checkins and rankings

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False)


def _tenant() -> sa.Column:
    return sa.Column('tenant_id', linli.core.db.IdType, nullable=False)


def upgrade() -> None:
    op.create_table('checkins',
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('streak', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('created_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    _id(), _tenant(),
    sa.CheckConstraint('streak >= 1', name=op.f('ck_checkins_streak_positive')),
    sa.CheckConstraint('points >= 0', name=op.f('ck_checkins_points_not_negative')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_checkins_member_id_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_checkins_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('member_id', 'day', name=op.f('uq_checkins_member_id_day'))
    )
    op.create_index('ix_checkins_tenant_member_day', 'checkins', ['tenant_id', 'member_id', 'day'], unique=False)
    op.create_table('guardian_programs',
    sa.Column('title', sa.String(length=20), nullable=False),
    sa.Column('benefit', sa.String(length=100), nullable=False),
    sa.Column('bonus_points', sa.Integer(), nullable=False),
    _id(), _tenant(),
    sa.CheckConstraint('bonus_points >= 0', name=op.f('ck_guardian_programs_bonus_points')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_guardian_programs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guardian_programs')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_guardian_programs_tenant_id'))
    )
    op.create_table('guardian_runs',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('awards', sa.Integer(), nullable=False),
    sa.Column('created_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    _id(), _tenant(),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_guardian_runs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guardian_runs')),
    sa.UniqueConstraint('tenant_id', 'month', name=op.f('uq_guardian_runs_tenant_id_month'))
    )
    op.create_table('guardian_awards',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('community_id', linli.core.db.IdType, nullable=False),
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('contribution', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=20), nullable=False),
    sa.Column('benefit', sa.String(length=100), nullable=False),
    sa.Column('bonus_points', sa.Integer(), nullable=False),
    sa.Column('awarded_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    _id(), _tenant(),
    sa.CheckConstraint('rank BETWEEN 1 AND 10', name=op.f('ck_guardian_awards_rank_top10')),
    sa.CheckConstraint('contribution > 0', name=op.f('ck_guardian_awards_contribution_positive')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'],
                            name=op.f('fk_guardian_awards_community_id_communities')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_guardian_awards_member_id_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_guardian_awards_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guardian_awards')),
    sa.UniqueConstraint('tenant_id', 'month', 'community_id', 'rank',
                        name=op.f('uq_guardian_awards_tenant_id_month_community_id_rank')),
    sa.UniqueConstraint('tenant_id', 'month', 'member_id', name=op.f('uq_guardian_awards_tenant_id_month_member_id'))
    )
    op.create_index('ix_guardian_awards_tenant_member', 'guardian_awards', ['tenant_id', 'member_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_guardian_awards_tenant_member', table_name='guardian_awards')
    op.drop_table('guardian_awards')
    op.drop_table('guardian_runs')
    op.drop_table('guardian_programs')
    op.drop_index('ix_checkins_tenant_member_day', table_name='checkins')
    op.drop_table('checkins')
