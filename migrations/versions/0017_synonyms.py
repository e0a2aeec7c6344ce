"""synonyms and the synonym suggestions learned from shoppers

Revision ID: 0016
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "synonyms",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("terms", JsonB, nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synonyms")),
    )
    op.create_table(
        "synonym_suggestions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("support", sa.Integer(), nullable=False),
        sa.Column("lift", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("found_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synonym_suggestions")),
        sa.UniqueConstraint("source", "target", name=op.f("uq_synonym_suggestions_source")),
    )
    op.create_index(op.f("ix_synonym_suggestions_status"), "synonym_suggestions", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_synonym_suggestions_status"), table_name="synonym_suggestions")
    op.drop_table("synonym_suggestions")
    op.drop_table("synonyms")
