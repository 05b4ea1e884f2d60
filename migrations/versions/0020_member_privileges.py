"""member privileges unlocked outside the tier ladder (超级拼手 by 3 registered invites)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 02:30:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('member_privileges',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('unlocked_at', When, nullable=False),
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('tenant_id', Id, nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_privileges_member_id_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_member_privileges_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_privileges')),
    sa.UniqueConstraint('tenant_id', 'member_id', 'code', name=op.f('uq_member_privileges_tenant_id_member_id_code'))
    )


def downgrade() -> None:
    op.drop_table('member_privileges')
