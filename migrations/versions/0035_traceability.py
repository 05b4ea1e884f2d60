"""traceability: product batches with origin, hash-chained batch entries

Revision ID: 0035_traceability
Revises: 0034_calendar
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core import append_only
from linli.core.migrate import tenant_keys as _keys

revision = '0035_traceability'
down_revision = '0034_calendar'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('product_batches',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('product_id', Id, nullable=False),
    sa.Column('origin', sa.String(length=100), nullable=False),
    sa.Column('producer', sa.String(length=100), nullable=False),
    sa.Column('produced_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('inspection_no', sa.String(length=60), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('header_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_product_batches_quantity')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_product_batches_tenant_id_code')),
    sa.UniqueConstraint('token', name=op.f('uq_product_batches_token')),
    *_keys('product_batches', ('product_id', 'products')))
    op.create_index('ix_product_batches_tenant_product', 'product_batches', ['tenant_id', 'product_id'])
    op.create_index('ix_product_batches_tenant_created', 'product_batches', ['tenant_id', 'created_at'])

    op.create_table('batch_entries',
    sa.Column('batch_id', Id, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('occurred_at', When, nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('operator', sa.String(length=60), nullable=False),
    sa.Column('details', sa.String(length=500), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('recorded_by', Id, nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint('seq >= 1', name=op.f('ck_batch_entries_seq')),
    sa.CheckConstraint("stage IN ('planting', 'harvest', 'production', 'inspection', 'storage', 'transport', "
                       "'arrival', 'sold_out')", name=op.f('ck_batch_entries_stage')),
    sa.UniqueConstraint('tenant_id', 'batch_id', 'seq', name=op.f('uq_batch_entries_tenant_id_batch_id_seq')),
    *_keys('batch_entries', ('batch_id', 'product_batches'), ('recorded_by', 'users')))
    append_only.install(op.get_bind(), ('batch_entries',))


def downgrade() -> None:
    append_only.remove(op.get_bind(), ('batch_entries',))
    op.drop_table('batch_entries')
    op.drop_index('ix_product_batches_tenant_created', table_name='product_batches')
    op.drop_index('ix_product_batches_tenant_product', table_name='product_batches')
    op.drop_table('product_batches')
