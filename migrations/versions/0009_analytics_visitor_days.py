"""visitors by last day seen, per arm

A readout counted visitors with `last_seen >= since` over every visitor row; this summary keeps
those counts per day so a request sums at most a year of rows. Filled from analytics_visitors.
Numbered 0009 because another branch adds a different 0008; chain it after that one on merge.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_visitor_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("arm", sa.String(length=40), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "arm", name=op.f("pk_analytics_visitor_days")),
    )
    op.execute(
        "INSERT INTO analytics_visitor_days (day, arm, visitors) "
        "SELECT last_seen, arm, count(*) FROM analytics_visitors GROUP BY last_seen, arm"
    )


def downgrade() -> None:
    op.drop_table("analytics_visitor_days")
