"""ranking models, shopper profiles and clusters

Model versions with their blobs (shared by every API process), one profile per shopper, and the
current shopper clusters.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "model_versions",
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("promoted", sa.Boolean(), nullable=False),
        sa.Column("record", JsonB, nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_model_versions")),
    )
    op.create_index(op.f("ix_model_versions_created_at"), "model_versions", ["created_at"], unique=False)
    op.create_index(op.f("ix_model_versions_promoted"), "model_versions", ["promoted"], unique=False)
    op.create_table(
        "shopper_profiles",
        sa.Column("visitor_id", sa.String(length=80), nullable=False),
        sa.Column("cluster", sa.Integer(), nullable=True),
        sa.Column("profile", JsonB, nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("visitor_id", name=op.f("pk_shopper_profiles")),
    )
    op.create_index(op.f("ix_shopper_profiles_cluster"), "shopper_profiles", ["cluster"], unique=False)
    op.create_table(
        "shopper_clusters",
        sa.Column("cluster", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("centroid", JsonB, nullable=False),
        sa.Column("dimensions", JsonB, nullable=False),
        sa.Column("fitted_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("cluster", name=op.f("pk_shopper_clusters")),
    )


def downgrade() -> None:
    op.drop_table("shopper_clusters")
    op.drop_index(op.f("ix_shopper_profiles_cluster"), table_name="shopper_profiles")
    op.drop_table("shopper_profiles")
    op.drop_index(op.f("ix_model_versions_promoted"), table_name="model_versions")
    op.drop_index(op.f("ix_model_versions_created_at"), table_name="model_versions")
    op.drop_table("model_versions")
