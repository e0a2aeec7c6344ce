"""events and impressions

The append-only logs of shopper events (view, click, add to cart) and of the result pages each
search served, indexed for time-range reads and per-visitor reads.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("visitor_id", sa.String(length=80), nullable=False),
        sa.Column("user_id", _ID, nullable=True),
        sa.Column("arm", sa.String(length=64), nullable=False),
        sa.Column("search_id", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("query", sa.String(length=500), nullable=True),
        sa.Column("occurred_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_occurred_at"), "events", ["occurred_at"], unique=False)
    op.create_index("ix_events_visitor_id_occurred_at", "events", ["visitor_id", "occurred_at"], unique=False)
    op.create_table(
        "impressions",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("search_id", sa.String(length=64), nullable=False),
        sa.Column("visitor_id", sa.String(length=80), nullable=False),
        sa.Column("user_id", _ID, nullable=True),
        sa.Column("arm", sa.String(length=64), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("items", JsonB, nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("occurred_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impressions")),
    )
    op.create_index(op.f("ix_impressions_occurred_at"), "impressions", ["occurred_at"], unique=False)
    op.create_index(op.f("ix_impressions_search_id"), "impressions", ["search_id"], unique=False)
    op.create_index(
        "ix_impressions_visitor_id_occurred_at", "impressions", ["visitor_id", "occurred_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_impressions_visitor_id_occurred_at", table_name="impressions")
    op.drop_index(op.f("ix_impressions_search_id"), table_name="impressions")
    op.drop_index(op.f("ix_impressions_occurred_at"), table_name="impressions")
    op.drop_table("impressions")
    op.drop_index("ix_events_visitor_id_occurred_at", table_name="events")
    op.drop_index(op.f("ix_events_occurred_at"), table_name="events")
    op.drop_table("events")
