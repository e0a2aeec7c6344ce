"""cart, reviews and recently viewed

Cart items (one row per user and sku, quantity 1..99) with an append-only log of cart changes;
users' reviews (one per user and product) and the product columns that keep the shown rating a
blend of the catalog's imported figures and the users' ratings; each user's recently viewed
products. Rows that name a product or user go with it (ON DELETE CASCADE); the cart log stays.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_PRODUCT_COLUMNS = ("imported_rating", "imported_review_count", "user_rating_sum", "user_review_count")


def _fks(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(
            ["sku"], ["products.sku"], name=op.f(f"fk_{table}_sku_products"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    # Plain ADD COLUMN on SQLite too: a batch rebuild of products would drop its FTS triggers.
    op.add_column("products", sa.Column("imported_rating", sa.Float(), server_default="0", nullable=False))
    for name in _PRODUCT_COLUMNS[1:]:
        op.add_column("products", sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    # Until now the shown figures were the imported ones.
    op.execute("UPDATE products SET imported_rating = rating, imported_review_count = review_count")
    op.create_index("ix_products_category_popularity", "products", ["category", "popularity"], unique=False)
    op.create_index("ix_products_brand_popularity", "products", ["brand", "popularity"], unique=False)

    op.create_table(
        "cart_items",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("added_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("quantity BETWEEN 1 AND 99", name=op.f("ck_cart_items_quantity_range")),
        *_fks("cart_items"),
        sa.PrimaryKeyConstraint("user_id", "sku", name=op.f("pk_cart_items")),
    )
    op.create_index(op.f("ix_cart_items_sku"), "cart_items", ["sku"], unique=False)

    op.create_table(
        "cart_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("quantity_delta", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("arm", sa.String(length=32), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart_events")),
    )
    op.create_index(op.f("ix_cart_events_created_at"), "cart_events", ["created_at"], unique=False)
    op.create_index(op.f("ix_cart_events_user_id"), "cart_events", ["user_id"], unique=False)

    op.create_table(
        "reviews",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_reviews_rating_range")),
        *_fks("reviews"),
        sa.PrimaryKeyConstraint("user_id", "sku", name=op.f("pk_reviews")),
    )
    op.create_index("ix_reviews_sku_updated_at", "reviews", ["sku", "updated_at"], unique=False)

    op.create_table(
        "product_views",
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("viewed_at", DateTimeUTC(timezone=True), nullable=False),
        *_fks("product_views"),
        sa.PrimaryKeyConstraint("user_id", "sku", name=op.f("pk_product_views")),
    )
    op.create_index(op.f("ix_product_views_sku"), "product_views", ["sku"], unique=False)
    op.create_index(
        "ix_product_views_user_id_viewed_at", "product_views", ["user_id", "viewed_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("product_views")
    op.drop_table("reviews")
    op.drop_table("cart_events")
    op.drop_table("cart_items")
    op.drop_index("ix_products_brand_popularity", table_name="products")
    op.drop_index("ix_products_category_popularity", table_name="products")
    # The shown figures go back to the imported ones, as before this revision.
    op.execute("UPDATE products SET rating = imported_rating, review_count = imported_review_count")
    for name in reversed(_PRODUCT_COLUMNS):
        op.drop_column("products", name)
