"""members choose their pickup point: orders placed without one go there

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('member_pickup_points',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('pickup_point_id', Id, nullable=False),
    sa.Column('chosen_at', When, nullable=False),
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('tenant_id', Id, nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_pickup_points_member_id_members')),
    sa.ForeignKeyConstraint(['pickup_point_id'], ['pickup_points.id'],
                            name=op.f('fk_member_pickup_points_pickup_point_id_pickup_points')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_member_pickup_points_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_pickup_points'))
    )
    op.create_index('ix_member_pickup_points_tenant_member', 'member_pickup_points', ['tenant_id', 'member_id'],
                    unique=True)


def downgrade() -> None:
    op.drop_index('ix_member_pickup_points_tenant_member', table_name='member_pickup_points')
    op.drop_table('member_pickup_points')
