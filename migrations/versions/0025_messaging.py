"""messaging (消息触达): settings, member preferences, delivery log, inbox, sandbox channel book

Revision ID: 0025_messaging
Revises: 0024_outbox_deliveries
Create Date: 2026-12-03 06:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0025_messaging'
down_revision = '0024_outbox_deliveries'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('messaging_settings',
    sa.Column('quiet_hours_enabled', sa.Boolean(), nullable=False),
    sa.Column('quiet_start_minute', sa.Integer(), nullable=False),
    sa.Column('quiet_end_minute', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('marketing_daily_cap', sa.Integer(), nullable=False),
    sa.Column('marketing_weekly_cap', sa.Integer(), nullable=False),
    sa.Column('sms_signature', sa.String(length=12), nullable=False),
    sa.Column('sandbox_sms_fail_pattern', sa.String(length=40), nullable=True),
    sa.Column('sandbox_wechat_fail_pattern', sa.String(length=40), nullable=True),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint('quiet_start_minute >= 0 and quiet_start_minute < 1440'
                       ' and quiet_end_minute >= 0 and quiet_end_minute < 1440',
                       name=op.f('ck_messaging_settings_quiet_minutes')),
    sa.CheckConstraint('marketing_daily_cap >= 0 and marketing_weekly_cap >= 0',
                       name=op.f('ck_messaging_settings_caps')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_messaging_settings_tenant_id')),
    *_keys('messaging_settings'))

    op.create_table('message_preferences',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('marketing', sa.Boolean(), nullable=False),
    sa.Column('sms', sa.Boolean(), nullable=False),
    sa.Column('wechat', sa.Boolean(), nullable=False),
    sa.Column('wechat_openid', sa.String(length=64), nullable=True),
    sa.Column('unsubscribe_token', sa.String(length=32), nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'member_id', name=op.f('uq_message_preferences_tenant_id_member_id')),
    sa.UniqueConstraint('unsubscribe_token', name=op.f('uq_message_preferences_unsubscribe_token')),
    sa.UniqueConstraint('tenant_id', 'wechat_openid', name=op.f('uq_message_preferences_tenant_id_wechat_openid')),
    *_keys('message_preferences', ('member_id', 'members')))

    op.create_table('message_deliveries',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('dedupe_key', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('provider_message_id', sa.String(length=40), nullable=True),
    sa.Column('due_at', When, nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('sent_at', When, nullable=True),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint("channel IN ('inbox', 'sms', 'wechat')", name=op.f('ck_message_deliveries_channel')),
    sa.CheckConstraint("category IN ('marketing', 'service')", name=op.f('ck_message_deliveries_category')),
    sa.CheckConstraint("status IN ('queued', 'deferred', 'sent', 'skipped', 'failed')",
                       name=op.f('ck_message_deliveries_status')),
    sa.UniqueConstraint('tenant_id', 'member_id', 'channel', 'dedupe_key',
                        name=op.f('uq_message_deliveries_tenant_id_member_id_channel_dedupe_key')),
    *_keys('message_deliveries', ('member_id', 'members')))
    op.create_index('ix_message_deliveries_tenant_status_due', 'message_deliveries',
                    ['tenant_id', 'status', 'due_at'])
    op.create_index('ix_message_deliveries_tenant_member_channel_due', 'message_deliveries',
                    ['tenant_id', 'member_id', 'channel', 'due_at'])
    op.create_index('ix_message_deliveries_tenant_created', 'message_deliveries', ['tenant_id', 'created_at'])

    op.create_table('inbox_messages',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('delivery_id', Id, nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('read_at', When, nullable=True),
    sa.UniqueConstraint('delivery_id', name=op.f('uq_inbox_messages_delivery_id')),
    *_keys('inbox_messages', ('member_id', 'members'), ('delivery_id', 'message_deliveries')))
    op.create_index('ix_inbox_messages_tenant_member', 'inbox_messages', ['tenant_id', 'member_id', 'read_at'])

    op.create_table('sandbox_messages',
    sa.Column('delivery_id', Id, nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('recipient', sa.String(length=64), nullable=False),
    sa.Column('provider_message_id', sa.String(length=40), nullable=False),
    sa.Column('template_code', sa.String(length=40), nullable=True),
    sa.Column('content', sa.String(length=1000), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.Column('segments', sa.Integer(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.UniqueConstraint('delivery_id', name=op.f('uq_sandbox_messages_delivery_id')),
    sa.UniqueConstraint('provider_message_id', name=op.f('uq_sandbox_messages_provider_message_id')),
    *_keys('sandbox_messages', ('delivery_id', 'message_deliveries')))
    op.create_index('ix_sandbox_messages_tenant_channel', 'sandbox_messages', ['tenant_id', 'channel', 'created_at'])


def downgrade() -> None:
    op.drop_table('sandbox_messages')
    op.drop_table('inbox_messages')
    op.drop_table('message_deliveries')
    op.drop_table('message_preferences')
    op.drop_table('messaging_settings')
