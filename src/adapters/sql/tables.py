"""The SQLAlchemy tables of the SQL adapters (one metadata, one Alembic history for both databases).

Dialect-specific search objects (PostgreSQL's tsvector column and trigram index, SQLite's FTS5
tables and triggers) are created by the migrations and kept out of this metadata on purpose;
`migrations/env.py` tells autogenerate to ignore them.
"""

from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from advanced_alchemy.base import BigIntBase, orm_registry
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy.orm import Mapped, mapped_column

from domain.audit.model import MAX_ACTOR, MAX_ADDRESS, MAX_TARGET

metadata = orm_registry.metadata

# Byte-order (C) collation on PostgreSQL so that prefix ranges on words use the index.
WordType = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")
Money = sa.Numeric(12, 2, asdecimal=False)


class ProductRecord(BigIntBase):
    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str] = mapped_column(sa.String(100), default="", index=True)
    brand: Mapped[str] = mapped_column(sa.String(100), default="", index=True)
    price: Mapped[float] = mapped_column(Money, index=True)
    rating: Mapped[float] = mapped_column(sa.Float, default=0.0, index=True)
    review_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    popularity: Mapped[float] = mapped_column(sa.Float, default=0.0, index=True)
    image_url: Mapped[str | None] = mapped_column(sa.String(2000), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    attributes: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    # The analysed text (stems joined by spaces) that both full-text indexes are built from.
    search_title: Mapped[str] = mapped_column(sa.Text, default="")
    search_meta: Mapped[str] = mapped_column(sa.Text, default="")
    search_body: Mapped[str] = mapped_column(sa.Text, default="")
    # `rating`/`review_count` above are what is shown: the catalog's figures blended with users'
    # reviews. The catalog's own figures and the users' sums are kept apart so either can change.
    imported_rating: Mapped[float] = mapped_column(sa.Float, default=0.0, server_default="0")
    imported_review_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    user_rating_sum: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    user_review_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")


search_terms = sa.Table(
    "search_terms",
    metadata,
    sa.Column("term", sa.String(64), primary_key=True),
    sa.Column("df", sa.Integer, nullable=False),
)

search_words = sa.Table(
    "search_words",
    metadata,
    sa.Column("word", WordType, primary_key=True),
    sa.Column("doc_count", sa.Integer, nullable=False),
    sa.Column("title_count", sa.Integer, nullable=False),
)

search_stats = sa.Table(
    "search_stats",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("doc_count", sa.BigInteger, nullable=False),
    sa.Column("title_len", sa.BigInteger, nullable=False),
    sa.Column("meta_len", sa.BigInteger, nullable=False),
    sa.Column("body_len", sa.BigInteger, nullable=False),
)

products = cast(sa.Table, ProductRecord.__table__)

UserId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", UserId, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(32), nullable=False),
    # Case-folded username and email: what login looks up. Usernames are unique; an email is
    # unique among the accounts that verified it (several may hold it unverified).
    sa.Column("username_key", sa.String(32), nullable=False, unique=True),
    sa.Column("email", sa.String(254), nullable=True),
    sa.Column("email_key", sa.String(254), nullable=True, index=True),
    sa.Column("password_hash", sa.String(100), nullable=False),
    sa.Column("is_admin", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("email_verified", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
)
# The verified owner of an address is one account, whatever the application does (partial index:
# SQLite and PostgreSQL both have them).
sa.Index(
    "uq_users_verified_email_key",
    users.c.email_key,
    unique=True,
    sqlite_where=sa.text("email_verified"),
    postgresql_where=sa.text("email_verified"),
)

# Mailed single-use tokens (verification, password reset), stored by their SHA-256 only.
account_tokens = sa.Table(
    "account_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("purpose", sa.String(16), nullable=False),
    sa.Column("user_id", UserId, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("email", sa.String(254), nullable=False),  # the address it was mailed to
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=False, index=True),
    sa.Column("used_at", DateTimeUTC(timezone=True), nullable=True),
)

# Only the SHA-256 of each token is stored: a leaked table logs nobody in.
auth_sessions = sa.Table(
    "auth_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", UserId, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("last_seen_at", DateTimeUTC(timezone=True), nullable=False),
    # The public handle the sessions list shows and ends: random, unrelated to the token.
    sa.Column("public_id", sa.String(32), nullable=False, unique=True),
    sa.Column("address", sa.String(64), nullable=True),
    sa.Column("user_agent", sa.String(300), nullable=True),
)

# Append-only logs of what shoppers did and were shown. No foreign key to products: a deleted
# product keeps its history. Read by time range (rollups, training) and per visitor.
EventId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", EventId, primary_key=True, autoincrement=True),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("visitor_id", sa.String(80), nullable=False),
    sa.Column("user_id", UserId, nullable=True),
    sa.Column("arm", sa.String(64), nullable=False),
    sa.Column("search_id", sa.String(64), nullable=True),
    sa.Column("position", sa.Integer, nullable=True),
    sa.Column("query", sa.String(500), nullable=True),
    sa.Column("occurred_at", DateTimeUTC(timezone=True), nullable=False, index=True),
    sa.Index("ix_events_visitor_id_occurred_at", "visitor_id", "occurred_at"),
)

impressions = sa.Table(
    "impressions",
    metadata,
    sa.Column("id", EventId, primary_key=True, autoincrement=True),
    sa.Column("search_id", sa.String(64), nullable=False, index=True),
    sa.Column("visitor_id", sa.String(80), nullable=False),
    sa.Column("user_id", UserId, nullable=True),
    sa.Column("arm", sa.String(64), nullable=False),
    sa.Column("query", sa.String(500), nullable=False),
    # [[sku, position], ...] in the order shown.
    sa.Column("items", JsonB, nullable=False),
    sa.Column("page", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("occurred_at", DateTimeUTC(timezone=True), nullable=False, index=True),
    # Per shown item, the feature vector it was ranked with (same order as items), and its version.
    sa.Column("features", JsonB, nullable=True),
    sa.Column("feature_version", sa.String(16), nullable=True),
    sa.Index("ix_impressions_visitor_id_occurred_at", "visitor_id", "occurred_at"),
)


# When each (visitor key, product, event type) last moved a product's popularity: an event within
# the window after that adds none. One row per triple, pruned once it is older than the window.
popularity_marks = sa.Table(
    "popularity_marks",
    metadata,
    sa.Column("visitor_key", sa.String(120), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("type", sa.String(16), primary_key=True),
    sa.Column("counted_at", DateTimeUTC(timezone=True), nullable=False),
    # counted_at + the window: the triple counts again from then (a column, so the upsert's
    # condition needs no interval arithmetic, which the two databases spell differently).
    sa.Column("until", DateTimeUTC(timezone=True), nullable=False, index=True),
)


def _archive_of(source: sa.Table) -> sa.Table:
    """The same columns as `source` (ids kept, not generated) plus when each row was archived."""
    columns = [
        sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable, autoincrement=False)
        for c in source.columns
    ]
    return sa.Table(
        f"{source.name}_archive",
        metadata,
        *columns,
        sa.Column("archived_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Index(f"ix_{source.name}_archive_occurred_at", "occurred_at"),
    )


# Rows older than EVENT_RETENTION_DAYS, moved out by the `archive` job.
events_archive = _archive_of(events)
impressions_archive = _archive_of(impressions)

# ---- cart, reviews, recently viewed (issue 3, part B) ----


def _sku_fk() -> sa.ForeignKey:
    return sa.ForeignKey("products.sku", ondelete="CASCADE")


def _user_fk() -> sa.ForeignKey:
    return sa.ForeignKey("users.id", ondelete="CASCADE")


# Recommendations take the most popular products of a few categories or brands.
sa.Index("ix_products_category_popularity", products.c.category, products.c.popularity)
sa.Index("ix_products_brand_popularity", products.c.brand, products.c.popularity)

# A product deleted from the catalog leaves every cart, review and view list (cascade).
cart_items = sa.Table(
    "cart_items",
    metadata,
    sa.Column("user_id", UserId, _user_fk(), primary_key=True),
    sa.Column("sku", sa.String(64), _sku_fk(), primary_key=True, index=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("added_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("quantity BETWEEN 1 AND 99", name="quantity_range"),
)

# Append-only: no foreign keys, so the history outlives users' carts and deleted products.
cart_events = sa.Table(
    "cart_events",
    metadata,
    sa.Column("id", UserId, primary_key=True, autoincrement=True),
    sa.Column("user_id", UserId, nullable=False, index=True),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("quantity_delta", sa.Integer, nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("arm", sa.String(32), nullable=False),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False, index=True),
)

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("user_id", UserId, _user_fk(), primary_key=True),
    sa.Column("sku", sa.String(64), _sku_fk(), primary_key=True),
    sa.Column("rating", sa.SmallInteger, nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    sa.Index("ix_reviews_sku_updated_at", "sku", "updated_at"),
)

product_views = sa.Table(
    "product_views",
    metadata,
    sa.Column("user_id", UserId, _user_fk(), primary_key=True),
    sa.Column("sku", sa.String(64), _sku_fk(), primary_key=True, index=True),
    sa.Column("viewed_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Index("ix_product_views_user_id_viewed_at", "user_id", "viewed_at"),
)

# Ranking model versions, shared by every API process; the record is the ModelVersion as JSON.
model_versions = sa.Table(
    "model_versions",
    metadata,
    sa.Column("version", sa.String(64), primary_key=True),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False, index=True),
    sa.Column("promoted", sa.Boolean, nullable=False, default=False, index=True),
    sa.Column("record", JsonB, nullable=False),
    sa.Column("blob", sa.LargeBinary, nullable=False),
)

# One row per shopper (visitor id): affinities, price band and cluster, as the profile's JSON.
shopper_profiles = sa.Table(
    "shopper_profiles",
    metadata,
    sa.Column("visitor_id", sa.String(80), primary_key=True),
    sa.Column("cluster", sa.Integer, nullable=True, index=True),
    sa.Column("profile", JsonB, nullable=False),
    sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
)

# The current clustering: one row per cluster label, with its centroid over the named dimensions.
shopper_clusters = sa.Table(
    "shopper_clusters",
    metadata,
    sa.Column("cluster", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("centroid", JsonB, nullable=False),
    sa.Column("dimensions", JsonB, nullable=False),
    sa.Column("fitted_at", DateTimeUTC(timezone=True), nullable=False),
)

# Daily rollups by arm, rewritten a whole day at a time by the rollup job; the readout sums these.
analytics_daily = sa.Table(
    "analytics_daily",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("arm", sa.String(40), primary_key=True),
    sa.Column("searches", sa.Integer, nullable=False),
    sa.Column("searches_with_results", sa.Integer, nullable=False),
    sa.Column("zero_result_searches", sa.Integer, nullable=False),
    sa.Column("impressions", sa.Integer, nullable=False),
    sa.Column("clicks", sa.Integer, nullable=False),
    sa.Column("add_to_cart", sa.Integer, nullable=False),
    sa.Column("searches_with_click", sa.Integer, nullable=False),
    sa.Column("searches_with_cart", sa.Integer, nullable=False),
    sa.Column("first_click_rr_sum", sa.Float, nullable=False),
)

# Clicks by the clicked result's position, per day and arm.
analytics_positions = sa.Table(
    "analytics_positions",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("arm", sa.String(40), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("impressions", sa.Integer, nullable=False),
    sa.Column("clicks", sa.Integer, nullable=False),
)

# Per-day query stats: top, zero-result and lowest click-through queries come from here.
analytics_queries = sa.Table(
    "analytics_queries",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("query", sa.String(200), primary_key=True),
    sa.Column("searches", sa.Integer, nullable=False),
    sa.Column("zero_results", sa.Integer, nullable=False),
    sa.Column("clicks", sa.Integer, nullable=False),
)

# First and last day each visitor was seen, with its arm: window visitor counts without double-counting days.
analytics_visitors = sa.Table(
    "analytics_visitors",
    metadata,
    sa.Column("visitor_id", sa.String(80), primary_key=True),
    sa.Column("arm", sa.String(40), nullable=False),
    sa.Column("first_seen", sa.Date, nullable=False),
    sa.Column("last_seen", sa.Date, nullable=False, index=True),
)

# Visitors by the last day they were seen, per arm: a window's visitor count is a sum over at most
# 365 rows per arm instead of a count over every visitor (kept by the rollup with analytics_visitors).
analytics_visitor_days = sa.Table(
    "analytics_visitor_days",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("arm", sa.String(40), primary_key=True),
    sa.Column("visitors", sa.Integer, nullable=False),
)

# One row per job run (its id is the queue's): status, attempts, times, and the job's report or error.
job_runs = sa.Table(
    "job_runs",
    metadata,
    sa.Column("job_id", sa.String(120), primary_key=True),
    sa.Column("name", sa.String(40), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("queued_at", DateTimeUTC(timezone=True), nullable=False, index=True),
    sa.Column("started_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("finished_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("report", JsonB, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
)

# Mail waiting to go out (next_attempt_at set), sent (body cleared) or given up (status failed).
MailId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
mail_outbox = sa.Table(
    "mail_outbox",
    metadata,
    sa.Column("id", MailId, primary_key=True, autoincrement=True),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("subject", sa.String(500), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("html", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("next_attempt_at", DateTimeUTC(timezone=True), nullable=True, index=True),
    sa.Column("sent_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
)

# Administrators' actions. Append-only: the adapter only inserts and selects, and the migration's
# triggers make both databases refuse UPDATE and DELETE. Read newest first by id.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", EventId, primary_key=True, autoincrement=True),
    sa.Column("at", DateTimeUTC(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.String(MAX_ACTOR), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("target", sa.String(MAX_TARGET), nullable=False),
    sa.Column("address", sa.String(MAX_ADDRESS), nullable=False),
    sa.Column("details", JsonB, nullable=True),
)

# ---- synonyms (issue 21) ----

# `source` null: a multi-way synonym over `terms`; else one-way from `source` to `terms`.
synonyms = sa.Table(
    "synonyms",
    metadata,
    sa.Column("id", UserId, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(100), nullable=True),
    sa.Column("terms", JsonB, nullable=False),
    sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
)

# Query pairs learned from shoppers: one row per pair, so a decision outlives the next run.
synonym_suggestions = sa.Table(
    "synonym_suggestions",
    metadata,
    sa.Column("id", UserId, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(100), nullable=False),
    sa.Column("target", sa.String(100), nullable=False),
    sa.Column("support", sa.Integer, nullable=False),
    sa.Column("lift", sa.Float, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("found_at", DateTimeUTC(timezone=True), nullable=False),
    sa.UniqueConstraint("source", "target"),
)

# ---- curation rules (issue 21) ----

# One trigger column is set (query, contains or category); pins, hides and boosts are JSON lists.
curation_rules = sa.Table(
    "curation_rules",
    metadata,
    sa.Column("id", UserId, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("query", sa.String(100), nullable=True),
    sa.Column("contains", sa.String(100), nullable=True),
    sa.Column("category", sa.String(100), nullable=True),
    sa.Column("pins", JsonB, nullable=False),
    sa.Column("hides", JsonB, nullable=False),
    sa.Column("boosts", JsonB, nullable=False),
    sa.Column("starts_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("ends_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
)

# ---- webhooks (issue 22) ----

# A deleted webhook stays (inactive, secret blanked) so its delivery log keeps its subject.
webhooks = sa.Table(
    "webhooks",
    metadata,
    sa.Column("id", UserId, primary_key=True, autoincrement=True),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("events", JsonB, nullable=False),
    sa.Column("secret", sa.String(100), nullable=False),
    sa.Column("description", sa.String(500), nullable=True),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(MAX_ACTOR), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
)

# One notice for one webhook. Pending while `next_attempt_at` is set; a claim moves it a lease ahead.
webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", MailId, primary_key=True, autoincrement=True),
    sa.Column("webhook_id", UserId, sa.ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    sa.Column("event", sa.String(40), nullable=False),
    sa.Column("payload", JsonB, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", DateTimeUTC(timezone=True), nullable=True, index=True),
    sa.Column("last_status_code", sa.Integer, nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("delivered_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Index("ix_webhook_deliveries_webhook_id_id", "webhook_id", "id"),
)

# Catalog files received over HTTP (POST /api/admin/products/import): the import's state, and
# the file itself as gzip chunks until its job has loaded it (so any worker machine can read it).
catalog_uploads = sa.Table(
    "catalog_uploads",
    metadata,
    sa.Column("job_id", sa.String(64), primary_key=True),
    sa.Column("mode", sa.String(10), nullable=False),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("actor", sa.String(MAX_ACTOR), nullable=False),
    sa.Column("status", sa.String(10), nullable=False, index=True),
    sa.Column("stored_bytes", sa.BigInteger, nullable=False, default=0),
    sa.Column("processed", sa.Integer, nullable=False, default=0),
    sa.Column("inserted", sa.Integer, nullable=False, default=0),
    sa.Column("updated", sa.Integer, nullable=False, default=0),
    sa.Column("unchanged", sa.Integer, nullable=False, default=0),
    sa.Column("rejected_count", sa.Integer, nullable=False, default=0),
    sa.Column("deleted", sa.Integer, nullable=False, default=0),
    sa.Column("rejected", JsonB, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("queued_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("started_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("finished_at", DateTimeUTC(timezone=True), nullable=True),
)

catalog_upload_chunks = sa.Table(
    "catalog_upload_chunks",
    metadata,
    sa.Column(
        "job_id",
        sa.String(64),
        sa.ForeignKey("catalog_uploads.job_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

# ---- API keys (issue 22) ----

# The secret is never stored, only its SHA-256; revoked keys stay, for the audit trail.
api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", UserId, primary_key=True, autoincrement=True),
    sa.Column("prefix", sa.String(32), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("scopes", JsonB, nullable=False),
    sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(MAX_ACTOR), nullable=False),
    sa.Column("last_used_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("revoked_at", DateTimeUTC(timezone=True), nullable=True),
    sa.Column("rate_limit", sa.Integer, nullable=True),
)

# ---- attribute facets (issue 21) ----

# One row per product and attribute, kept in step with `products.attributes` by every write: the
# text as stored for filtering and, when the value is a number, the number. Filters and facet
# counts read these through the (name, value) and (name, number) indexes, never the JSON.
product_attributes = sa.Table(
    "product_attributes",
    metadata,
    sa.Column(
        "product_id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        sa.ForeignKey("products.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(500), nullable=False),
    sa.Column("number", sa.Float, nullable=True),
    sa.Index("ix_product_attributes_name_value", "name", "value", "product_id"),
    sa.Index("ix_product_attributes_name_number", "name", "number", "product_id"),
)

# The administrator's facet declaration: an attribute always faceted, or never.
facet_declarations = sa.Table(
    "facet_declarations",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("mode", sa.String(16), nullable=False),  # 'declared' or 'excluded'
    sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
)
