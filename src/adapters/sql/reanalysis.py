"""Re-analysing the whole catalog after the analyser changed (a migration runs it).

Every product's analysed columns are written again (PostgreSQL's generated tsvector follows
them; SQLite's FTS5 table is rebuilt), and the term, word and corpus counters are counted anew
from the same analysis, so that scoring and spelling agree with what the index holds.
"""

import sqlalchemy as sa

from adapters.sql.indexing import StatsDelta, analyse
from adapters.sql.product_repository import stats_statements
from adapters.sql.tables import products, search_stats, search_terms, search_words

BATCH = 2000


def reanalyse_catalog(connection: sa.Connection, batch: int = BATCH) -> int:
    """Re-analyse every product in the connection's transaction; returns how many rows changed."""
    delta = StatsDelta()
    changed = 0
    last_id = 0
    columns = (
        products.c.id, products.c.title, products.c.brand, products.c.category, products.c.description,
        products.c.search_title, products.c.search_meta, products.c.search_body,
    )  # fmt: skip
    update = (
        sa.update(products)
        .where(products.c.id == sa.bindparam("row_id"))
        .values(
            search_title=sa.bindparam("title_terms"),
            search_meta=sa.bindparam("meta_terms"),
            search_body=sa.bindparam("body_terms"),
        )
    )
    while True:
        rows = connection.execute(
            sa.select(*columns).where(products.c.id > last_id).order_by(products.c.id).limit(batch)
        ).all()
        if not rows:
            break
        last_id = rows[-1].id
        updates = []
        for row in rows:
            doc = analyse(row.title, row.brand, row.category, row.description)
            delta.add(doc, +1)
            terms = (" ".join(doc.title), " ".join(doc.meta), " ".join(doc.body))
            if terms != (row.search_title, row.search_meta, row.search_body):
                updates.append(
                    {
                        "row_id": row.id,
                        "title_terms": terms[0],
                        "meta_terms": terms[1],
                        "body_terms": terms[2],
                    }
                )
        if updates:
            connection.execute(update, updates)
            changed += len(updates)
    for table in (search_terms, search_words, search_stats):
        connection.execute(sa.delete(table))
    for statement, params in stats_statements(connection.dialect.name, delta):
        connection.execute(statement, params)
    if connection.dialect.name == "sqlite":
        for fts in ("products_fts", "search_words_fts"):
            connection.execute(sa.text(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"))
    return changed
