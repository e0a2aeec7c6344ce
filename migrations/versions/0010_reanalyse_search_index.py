"""re-analyse the search index: Snowball stems, measurements and compounds

The analyser changed (Snowball's English stemmer instead of Porter's; sizes, units, model
numbers and hyphen or slash compounds split and also joined), so every product's analysed
columns, the full-text rows built from them, the document frequencies, the corpus totals and
the vocabulary are computed again. Downgrading leaves the new analysis in place: the older
analyser's index cannot be recovered, and rows written since are analysed the new way.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

from adapters.sql.reanalysis import reanalyse_catalog

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    reanalyse_catalog(op.get_bind())


def downgrade() -> None:
    pass
