"""features logged with impressions

Each impression keeps, per shown item, the feature vector it was ranked with and the feature
version, so training reads what the ranker saw instead of recomputing it later.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import JsonB
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("impressions") as batch:
        batch.add_column(sa.Column("features", JsonB, nullable=True))
        batch.add_column(sa.Column("feature_version", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("impressions") as batch:
        batch.drop_column("feature_version")
        batch.drop_column("features")
