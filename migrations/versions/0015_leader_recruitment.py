"""leader recruitment: applications, leader tier/type, the 星火计划 tier history and tier settings

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("leaders", sa.Column("tier", sa.String(length=12), server_default="none", nullable=False))
    op.add_column("leaders", sa.Column("leader_type", sa.String(length=12), server_default="resource",
                                       nullable=False))
    op.add_column("leaders", sa.Column("declared_type", sa.String(length=12), server_default="resource",
                                       nullable=False))
    op.add_column("leaders", sa.Column("type_reason", sa.String(length=200), server_default="", nullable=False))
    op.create_table("leader_applications",
    sa.Column("member_id", linli.core.db.IdType, nullable=False),
    sa.Column("open_member_id", linli.core.db.IdType, nullable=True),
    sa.Column("community_id", linli.core.db.IdType, nullable=False),
    sa.Column("status", sa.String(length=12), nullable=False),
    sa.Column("pickup_kind", sa.String(length=20), nullable=False),
    sa.Column("address", sa.String(length=200), nullable=False),
    sa.Column("lat", sa.Float(), nullable=False),
    sa.Column("lng", sa.Float(), nullable=False),
    sa.Column("intro", sa.String(length=1000), nullable=False),
    sa.Column("real_name", sa.String(length=60), nullable=False),
    sa.Column("id_number", sa.String(length=18), nullable=False),
    sa.Column("leader_type", sa.String(length=12), nullable=False),
    sa.Column("proof_sha256", sa.String(length=64), nullable=True),
    sa.Column("proof_content_type", sa.String(length=40), nullable=True),
    sa.Column("reason", sa.String(length=500), nullable=True),
    sa.Column("leader_id", linli.core.db.IdType, nullable=True),
    sa.Column("pickup_point_id", linli.core.db.IdType, nullable=True),
    sa.Column("decided_at", linli.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column("created_at", linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column("id", linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column("tenant_id", linli.core.db.IdType, nullable=False),
    sa.ForeignKeyConstraint(["community_id"], ["communities.id"],
                            name=op.f("fk_leader_applications_community_id_communities")),
    sa.ForeignKeyConstraint(["leader_id"], ["leaders.id"], name=op.f("fk_leader_applications_leader_id_leaders")),
    sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_leader_applications_member_id_members")),
    sa.ForeignKeyConstraint(["pickup_point_id"], ["pickup_points.id"],
                            name=op.f("fk_leader_applications_pickup_point_id_pickup_points")),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_leader_applications_tenant_id_tenants")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_leader_applications")),
    sa.UniqueConstraint("open_member_id", name=op.f("uq_leader_applications_open_member_id"))
    )
    op.create_index("ix_leader_applications_tenant_status", "leader_applications", ["tenant_id", "status"])
    op.create_index("ix_leader_applications_tenant_member", "leader_applications", ["tenant_id", "member_id"])
    op.create_table("leader_tier_history",
    sa.Column("leader_id", linli.core.db.IdType, nullable=False),
    sa.Column("from_tier", sa.String(length=12), nullable=False),
    sa.Column("to_tier", sa.String(length=12), nullable=False),
    sa.Column("reason", sa.String(length=200), nullable=False),
    sa.Column("at", linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column("id", linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column("tenant_id", linli.core.db.IdType, nullable=False),
    sa.ForeignKeyConstraint(["leader_id"], ["leaders.id"], name=op.f("fk_leader_tier_history_leader_id_leaders")),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_leader_tier_history_tenant_id_tenants")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_leader_tier_history"))
    )
    op.create_index("ix_leader_tier_history_tenant_leader", "leader_tier_history", ["tenant_id", "leader_id"])
    op.create_table("leader_tier_settings",
    sa.Column("tier", sa.String(length=12), nullable=False),
    sa.Column("commission_bp", sa.Integer(), nullable=False),
    sa.Column("training_access", sa.Boolean(), nullable=False),
    sa.Column("priority_selection", sa.Boolean(), nullable=False),
    sa.Column("marketing_subsidy_fen", sa.BigInteger(), nullable=False),
    sa.Column("id", linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column("tenant_id", linli.core.db.IdType, nullable=False),
    sa.CheckConstraint("commission_bp >= 0 AND commission_bp <= 10000",
                       name=op.f("ck_leader_tier_settings_commission_bp")),
    sa.CheckConstraint("marketing_subsidy_fen >= 0", name=op.f("ck_leader_tier_settings_marketing_subsidy_fen")),
    sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f("fk_leader_tier_settings_tenant_id_tenants")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_leader_tier_settings")),
    sa.UniqueConstraint("tenant_id", "tier", name=op.f("uq_leader_tier_settings_tenant_id_tier"))
    )


def downgrade() -> None:
    op.drop_table("leader_tier_settings")
    op.drop_index("ix_leader_tier_history_tenant_leader", table_name="leader_tier_history")
    op.drop_table("leader_tier_history")
    op.drop_index("ix_leader_applications_tenant_member", table_name="leader_applications")
    op.drop_index("ix_leader_applications_tenant_status", table_name="leader_applications")
    op.drop_table("leader_applications")
    with op.batch_alter_table("leaders") as batch:
        batch.drop_column("type_reason")
        batch.drop_column("declared_type")
        batch.drop_column("leader_type")
        batch.drop_column("tier")
