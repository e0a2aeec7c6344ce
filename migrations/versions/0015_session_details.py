"""session details: a public id for each session, and the address and user agent it started from

Sessions that exist already get a fresh random id here; their address and user agent stay unknown.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-06
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("public_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("address", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("user_agent", sa.String(length=300), nullable=True))
    sessions = sa.table(
        "auth_sessions", sa.column("token_hash", sa.String), sa.column("public_id", sa.String)
    )
    connection = op.get_bind()
    hashes = connection.execute(sa.select(sessions.c.token_hash)).scalars().all()
    for token_hash in hashes:
        connection.execute(
            sa.update(sessions)
            .where(sessions.c.token_hash == token_hash)
            .values(public_id=secrets.token_urlsafe(16))
        )
    with op.batch_alter_table("auth_sessions") as batch:
        batch.alter_column("public_id", existing_type=sa.String(length=32), nullable=False)
        batch.create_unique_constraint(op.f("uq_auth_sessions_public_id"), ["public_id"])


def downgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_constraint(op.f("uq_auth_sessions_public_id"), type_="unique")
        batch.drop_column("user_agent")
        batch.drop_column("address")
        batch.drop_column("public_id")
