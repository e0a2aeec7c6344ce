"""analytics rollups

Daily summaries by arm, clicks by position, per-day query stats and a visitor first/last-seen table,
so the analytics readout never scans the raw event log in a request.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DAILY_COUNTS = (
    "searches", "searches_with_results", "zero_result_searches", "impressions", "clicks",
    "add_to_cart", "searches_with_click", "searches_with_cart",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "analytics_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("arm", sa.String(length=40), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _DAILY_COUNTS),
        sa.Column("first_click_rr_sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("day", "arm", name=op.f("pk_analytics_daily")),
    )
    op.create_table(
        "analytics_positions",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("arm", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("impressions", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "arm", "position", name=op.f("pk_analytics_positions")),
    )
    op.create_table(
        "analytics_queries",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.Column("zero_results", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "query", name=op.f("pk_analytics_queries")),
    )
    op.create_table(
        "analytics_visitors",
        sa.Column("visitor_id", sa.String(length=80), nullable=False),
        sa.Column("arm", sa.String(length=40), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.Column("last_seen", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("visitor_id", name=op.f("pk_analytics_visitors")),
    )
    op.create_index(
        op.f("ix_analytics_visitors_last_seen"), "analytics_visitors", ["last_seen"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_analytics_visitors_last_seen"), table_name="analytics_visitors")
    op.drop_table("analytics_visitors")
    op.drop_table("analytics_queries")
    op.drop_table("analytics_positions")
    op.drop_table("analytics_daily")
