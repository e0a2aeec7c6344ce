"""catalog and search index

Products, the search statistics (term document frequencies, the word vocabulary, corpus
totals), and each database's own full-text objects: on PostgreSQL a weighted tsvector with a
GIN index plus pg_trgm and unaccent; on SQLite FTS5 tables kept in sync by triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # Title A, brand and category B, description C: the analysed columns, already folded and stemmed.
    """ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A') ||
        setweight(to_tsvector('simple'::regconfig, search_meta), 'B') ||
        setweight(to_tsvector('simple'::regconfig, search_body), 'C')) STORED""",
    "CREATE INDEX ix_products_search_vector ON products USING gin (search_vector)",
    "CREATE INDEX ix_search_words_word_trgm ON search_words USING gin (word gin_trgm_ops)",
]
_PG_DOWN = [
    "DROP INDEX IF EXISTS ix_search_words_word_trgm",
    "DROP INDEX IF EXISTS ix_products_search_vector",
    "ALTER TABLE products DROP COLUMN IF EXISTS search_vector",
]

_FTS_COLUMNS = "search_title, search_meta, search_body"
_SQLITE_UP = [
    f"""CREATE VIRTUAL TABLE products_fts USING fts5({_FTS_COLUMNS}, content='products',
        content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='2 3')""",
    f"""CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_fts(rowid, {_FTS_COLUMNS})
        VALUES (new.id, new.search_title, new.search_meta, new.search_body); END""",
    f"""CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
        INSERT INTO products_fts(products_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, old.search_title, old.search_meta, old.search_body); END""",
    f"""CREATE TRIGGER products_fts_update AFTER UPDATE OF {_FTS_COLUMNS} ON products BEGIN
        INSERT INTO products_fts(products_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, old.search_title, old.search_meta, old.search_body);
        INSERT INTO products_fts(rowid, {_FTS_COLUMNS})
        VALUES (new.id, new.search_title, new.search_meta, new.search_body); END""",
    """CREATE VIRTUAL TABLE search_words_fts USING fts5(word, content='search_words',
        content_rowid='rowid', tokenize='trigram')""",
    """CREATE TRIGGER search_words_fts_insert AFTER INSERT ON search_words BEGIN
        INSERT INTO search_words_fts(rowid, word) VALUES (new.rowid, new.word); END""",
    """CREATE TRIGGER search_words_fts_delete AFTER DELETE ON search_words BEGIN
        INSERT INTO search_words_fts(search_words_fts, rowid, word) VALUES ('delete', old.rowid, old.word); END""",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_words_fts_delete",
    "DROP TRIGGER IF EXISTS search_words_fts_insert",
    "DROP TABLE IF EXISTS search_words_fts",
    "DROP TRIGGER IF EXISTS products_fts_update",
    "DROP TRIGGER IF EXISTS products_fts_delete",
    "DROP TRIGGER IF EXISTS products_fts_insert",
    "DROP TABLE IF EXISTS products_fts",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("brand", sa.String(length=100), nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=False),
        sa.Column("rating", sa.Float(), nullable=False),
        sa.Column("review_count", sa.Integer(), nullable=False),
        sa.Column("popularity", sa.Float(), nullable=False),
        sa.Column("image_url", sa.String(length=2000), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("attributes", JsonB, nullable=False),
        sa.Column("search_title", sa.Text(), nullable=False),
        sa.Column("search_meta", sa.Text(), nullable=False),
        sa.Column("search_body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
    )
    for column in ("brand", "category", "created_at", "popularity", "price", "rating"):
        op.create_index(op.f(f"ix_products_{column}"), "products", [column], unique=False)
    op.create_table(
        "search_stats",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("doc_count", sa.BigInteger(), nullable=False),
        sa.Column("title_len", sa.BigInteger(), nullable=False),
        sa.Column("meta_len", sa.BigInteger(), nullable=False),
        sa.Column("body_len", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_stats")),
    )
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_search_terms")),
    )
    op.create_table(
        "search_words",
        sa.Column(
            "word",
            sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("doc_count", sa.Integer(), nullable=False),
        sa.Column("title_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _run(_PG_UP)
    elif dialect == "sqlite":
        _run(_SQLITE_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _run(_PG_DOWN)
    elif dialect == "sqlite":
        _run(_SQLITE_DOWN)
    op.drop_table("search_words")
    op.drop_table("search_terms")
    op.drop_table("search_stats")
    for column in ("rating", "price", "popularity", "created_at", "category", "brand"):
        op.drop_index(op.f(f"ix_products_{column}"), table_name="products")
    op.drop_table("products")
