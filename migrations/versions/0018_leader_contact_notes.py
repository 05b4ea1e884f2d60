"""leader contact notes: calls and visits to members (我的居民)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-25 06:50:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core import append_only

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('leader_contact_notes',
    sa.Column('leader_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('tenant_id', Id, nullable=False),
    sa.CheckConstraint("kind IN ('call', 'visit', 'message')", name=op.f('ck_leader_contact_notes_kind')),
    sa.ForeignKeyConstraint(['leader_id'], ['leaders.id'], name=op.f('fk_leader_contact_notes_leader_id_leaders')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_leader_contact_notes_member_id_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_leader_contact_notes_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leader_contact_notes'))
    )
    op.create_index('ix_leader_contact_notes_tenant_leader_member', 'leader_contact_notes',
                    ['tenant_id', 'leader_id', 'member_id'], unique=False)
    append_only.install(op.get_bind(), ('leader_contact_notes',))


def downgrade() -> None:
    append_only.remove(op.get_bind(), ('leader_contact_notes',))
    op.drop_index('ix_leader_contact_notes_tenant_leader_member', table_name='leader_contact_notes')
    op.drop_table('leader_contact_notes')
