"""popularity marks: each visitor, product and event type moves popularity once per window

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "popularity_marks",
        sa.Column("visitor_key", sa.String(length=120), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("counted_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("until", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("visitor_key", "sku", "type", name=op.f("pk_popularity_marks")),
    )
    op.create_index(op.f("ix_popularity_marks_until"), "popularity_marks", ["until"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_popularity_marks_until"), table_name="popularity_marks")
    op.drop_table("popularity_marks")
