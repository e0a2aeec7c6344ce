"""What reviews need from outside."""

from datetime import datetime
from typing import Protocol

from domain.reviews.model import Review, ReviewPage


class ReviewRepository(Protocol):
    """Writes keep the product's shown rating and review count in step, in the same transaction."""

    async def page(self, sku: str, limit: int, offset: int) -> ReviewPage | None:
        """Newest first; None when the product does not exist."""
        ...

    async def put(self, user_id: int, sku: str, rating: int, comment: str, at: datetime) -> Review | None:
        """Create or replace the user's review; None when the product does not exist."""
        ...

    async def delete(self, user_id: int, sku: str) -> bool | None:
        """True when removed, False when there was none, None when the product does not exist."""
        ...
