"""service ratings' comments held for review get a moderation case (subject kind "rating")

Revision ID: 0043_moderation_ratings
Revises: 0042_localservice
Create Date: 2026-12-03 18:00:00
"""
from linli.core.migrate import replace_check

revision = '0043_moderation_ratings'
down_revision = '0042_localservice'
branch_labels = None
depends_on = None

OLD = "subject_kind IN ('post', 'comment', 'member_name', 'feedback', 'poll')"
NEW = "subject_kind IN ('post', 'comment', 'member_name', 'feedback', 'poll', 'rating')"


def upgrade() -> None:
    replace_check("moderation_cases", "ck_moderation_cases_subject_kind", OLD, NEW)


def downgrade() -> None:
    replace_check("moderation_cases", "ck_moderation_cases_subject_kind", NEW, OLD)
