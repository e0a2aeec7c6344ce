"""curation rules: pins, hides and boosts for a query or a category page

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "curation_rules",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("query", sa.String(length=100), nullable=True),
        sa.Column("contains", sa.String(length=100), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("pins", JsonB, nullable=False),
        sa.Column("hides", JsonB, nullable=False),
        sa.Column("boosts", JsonB, nullable=False),
        sa.Column("starts_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("ends_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curation_rules")),
    )


def downgrade() -> None:
    op.drop_table("curation_rules")
