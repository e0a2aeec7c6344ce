"""archive tables for events and impressions

Rows older than the retention age (EVENT_RETENTION_DAYS) are moved here by the `archive` job:
the same columns, the original ids, and when each row was archived.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _when() -> sa.Column[object]:
    return sa.Column("occurred_at", DateTimeUTC(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "events_archive",
        sa.Column("id", _ID, autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("visitor_id", sa.String(length=80), nullable=False),
        sa.Column("user_id", _ID, nullable=True),
        sa.Column("arm", sa.String(length=64), nullable=False),
        sa.Column("search_id", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("query", sa.String(length=500), nullable=True),
        _when(),
        sa.Column("archived_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events_archive")),
    )
    op.create_index("ix_events_archive_occurred_at", "events_archive", ["occurred_at"], unique=False)
    op.create_table(
        "impressions_archive",
        sa.Column("id", _ID, autoincrement=False, nullable=False),
        sa.Column("search_id", sa.String(length=64), nullable=False),
        sa.Column("visitor_id", sa.String(length=80), nullable=False),
        sa.Column("user_id", _ID, nullable=True),
        sa.Column("arm", sa.String(length=64), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("items", JsonB, nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        _when(),
        sa.Column("features", JsonB, nullable=True),
        sa.Column("feature_version", sa.String(length=16), nullable=True),
        sa.Column("archived_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impressions_archive")),
    )
    op.create_index(
        "ix_impressions_archive_occurred_at", "impressions_archive", ["occurred_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_impressions_archive_occurred_at", table_name="impressions_archive")
    op.drop_table("impressions_archive")
    op.drop_index("ix_events_archive_occurred_at", table_name="events_archive")
    op.drop_table("events_archive")
