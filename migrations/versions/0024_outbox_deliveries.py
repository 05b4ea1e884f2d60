"""outbox deliveries: one delivery state per subscriber of an event (a failing handler retries alone)

Revision ID: 0024_outbox_deliveries
Revises: 0023
Create Date: 2026-12-03 06:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db

revision = '0024_outbox_deliveries'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no table rebuild)
    op.add_column('outbox_events', sa.Column('fanned_out_at', linli.core.db.UTCDateTime(timezone=True),
                                             nullable=True))
    op.add_column('outbox_events', sa.Column('pending_deliveries', sa.Integer(), nullable=False,
                                             server_default='0'))
    # what the old dispatcher finished (or gave up on) is not fanned out again; the rest is, on first claim
    op.execute("UPDATE outbox_events SET fanned_out_at = COALESCE(processed_at, dead_at) "
               "WHERE processed_at IS NOT NULL OR dead_at IS NOT NULL")
    op.drop_index('ix_outbox_pending', table_name='outbox_events')
    op.create_index('ix_outbox_events_unfanned', 'outbox_events', ['id'], unique=False,
                    postgresql_where=sa.text('fanned_out_at IS NULL'),
                    sqlite_where=sa.text('fanned_out_at IS NULL'))
    op.create_table(
        'outbox_deliveries',
        sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
        sa.Column('tenant_id', linli.core.db.IdType, nullable=False),
        sa.Column('event_id', linli.core.db.IdType, nullable=False),
        sa.Column('handler', sa.String(length=80), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('available_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('claimed_by', sa.String(length=80), nullable=True),
        sa.Column('claimed_until', linli.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('processed_at', linli.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('dead_at', linli.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['outbox_events.id'],
                                name=op.f('fk_outbox_deliveries_event_id_outbox_events')),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_outbox_deliveries_tenant_id_tenants')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_deliveries')),
        sa.UniqueConstraint('event_id', 'handler', name=op.f('uq_outbox_deliveries_event_id_handler')),
    )
    op.create_index(op.f('ix_outbox_deliveries_tenant_id'), 'outbox_deliveries', ['tenant_id'], unique=False)
    op.create_index('ix_outbox_deliveries_pending', 'outbox_deliveries', ['id'], unique=False,
                    postgresql_where=sa.text('processed_at IS NULL AND dead_at IS NULL'),
                    sqlite_where=sa.text('processed_at IS NULL AND dead_at IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_outbox_deliveries_pending', table_name='outbox_deliveries')
    op.drop_index(op.f('ix_outbox_deliveries_tenant_id'), table_name='outbox_deliveries')
    op.drop_table('outbox_deliveries')
    op.drop_index('ix_outbox_events_unfanned', table_name='outbox_events')
    op.create_index('ix_outbox_pending', 'outbox_events', ['processed_at', 'available_at'], unique=False)
    op.drop_column('outbox_events', 'pending_deliveries')
    op.drop_column('outbox_events', 'fanned_out_at')
