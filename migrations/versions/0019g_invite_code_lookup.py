"""invite codes found by code alone: the public sign-up link /m/invite/{code} names no tenant

Revision ID: 0019g
Revises: 0018
Create Date: 2026-11-26 10:00:00
"""
from alembic import op

revision = '0019g'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_invite_codes_code', 'invite_codes', ['code'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_invite_codes_code', table_name='invite_codes')
