"""attribute facets: products' attributes as indexed rows, and the administrator's declaration

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

from domain.search.attributes import stored_rows

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_BATCH = 2000


def upgrade() -> None:
    table = op.create_table(
        "product_attributes",
        sa.Column("product_id", Id, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("number", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_attributes_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", "name", name=op.f("pk_product_attributes")),
    )
    op.create_index("ix_product_attributes_name_value", "product_attributes", ["name", "value", "product_id"])
    op.create_index(
        "ix_product_attributes_name_number", "product_attributes", ["name", "number", "product_id"]
    )
    op.create_table(
        "facet_declarations",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_facet_declarations")),
    )
    # The products already stored get their rows, read a batch at a time by id.
    bind = op.get_bind()
    last = 0
    while True:
        found = bind.execute(
            sa.text("SELECT id, attributes FROM products WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": _BATCH},
        ).all()
        if not found:
            break
        rows = []
        for product_id, attributes in found:
            data = json.loads(attributes) if isinstance(attributes, str) else (attributes or {})
            rows += [
                {"product_id": product_id, "name": n, "value": v, "number": x}
                for n, v, x in stored_rows(data)
            ]
        if rows:
            op.bulk_insert(table, rows)
        last = found[-1][0]


def downgrade() -> None:
    op.drop_table("facet_declarations")
    op.drop_index("ix_product_attributes_name_number", table_name="product_attributes")
    op.drop_index("ix_product_attributes_name_value", table_name="product_attributes")
    op.drop_table("product_attributes")
