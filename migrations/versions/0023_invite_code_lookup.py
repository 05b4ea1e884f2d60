"""invite codes found by code alone: the public sign-up link /m/invite/{code} names no tenant

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-26 10:00:00
"""
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_invite_codes_code', 'invite_codes', ['code'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_invite_codes_code', table_name='invite_codes')
