"""account tokens and verified emails

Mailed single-use tokens (email verification, password reset), stored by their SHA-256 only, and
`users.email_verified`. An email is no longer unique among all accounts, only among those that
verified it (a partial unique index); existing accounts start unverified, administrators too: an
address counts as verified only once a mailed link proved it.

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_VERIFIED = sa.text("email_verified")


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email_verified", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.drop_constraint(op.f("uq_users_email_key"), type_="unique")
        batch.create_index(op.f("ix_users_email_key"), ["email_key"], unique=False)
        batch.create_index(
            "uq_users_verified_email_key",
            ["email_key"],
            unique=True,
            sqlite_where=_VERIFIED,
            postgresql_where=_VERIFIED,
        )
    op.create_table(
        "account_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("used_at", DateTimeUTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_account_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_account_tokens")),
    )
    op.create_index(op.f("ix_account_tokens_user_id"), "account_tokens", ["user_id"], unique=False)
    op.create_index(op.f("ix_account_tokens_expires_at"), "account_tokens", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_account_tokens_expires_at"), table_name="account_tokens")
    op.drop_index(op.f("ix_account_tokens_user_id"), table_name="account_tokens")
    op.drop_table("account_tokens")
    # Back to one account an address: the address stays with its verified holder, else the oldest.
    op.execute(
        "UPDATE users SET email = NULL, email_key = NULL WHERE email_key IS NOT NULL AND id NOT IN ("
        " SELECT (SELECT u2.id FROM users u2 WHERE u2.email_key = u.email_key"
        "  ORDER BY u2.email_verified DESC, u2.id LIMIT 1) FROM users u WHERE u.email_key IS NOT NULL)"
    )
    with op.batch_alter_table("users") as batch:
        batch.drop_index("uq_users_verified_email_key")
        batch.drop_index(op.f("ix_users_email_key"))
        batch.create_unique_constraint(op.f("uq_users_email_key"), ["email_key"])
        batch.drop_column("email_verified")
