"""In-memory fakes of the cart, review and recommendation ports, over an InMemoryProductRepository."""

from collections.abc import Collection, Sequence
from datetime import datetime

from domain.cart.model import CartChange, CartItem, PricedProduct
from domain.cart.rules import money
from domain.catalog.model import Product
from domain.recommendations.model import Signal
from domain.reviews.model import Review, ReviewPage
from domain.reviews.rules import blended_rating
from tests.unit.fakes import InMemoryProductRepository


class InMemoryCart:
    def __init__(self, products: InMemoryProductRepository) -> None:
        self.products = products
        self.lines: dict[int, dict[str, int]] = {}
        self.log: list[CartChange] = []

    async def items(self, user_id: int) -> list[CartItem]:
        return [
            CartItem(sku, q)
            for sku, q in self.lines.get(user_id, {}).items()
            if sku in self.products.products
        ]

    async def add(self, change: CartChange, max_quantity: int) -> int | None:
        lines = self.lines.setdefault(change.user_id, {})
        total = lines.get(change.sku, 0) + change.quantity_delta
        if total > max_quantity:
            return None
        lines[change.sku] = total
        self.log.append(change)
        return total

    async def set(self, change: CartChange) -> int:
        lines = self.lines.setdefault(change.user_id, {})
        before = lines.pop(change.sku, 0)
        if change.quantity:
            lines[change.sku] = change.quantity
        if before != change.quantity:
            self.log.append(change)
        return before

    async def clear(self, user_id: int, arm: str, at: datetime) -> int:
        return len(self.lines.pop(user_id, {}))


class InMemoryCartCatalog:
    def __init__(self, products: InMemoryProductRepository) -> None:
        self.products = products

    async def priced(self, skus: Sequence[str]) -> dict[str, PricedProduct]:
        found = await self.products.get_many(skus)
        return {s: PricedProduct(s, p.title, money(p.price)) for s, p in found.items()}


class InMemoryReviews:
    """Keeps (user_id, sku) -> (rating, comment, created_at) and blends like the SQL adapter."""

    def __init__(self, products: InMemoryProductRepository, usernames: dict[int, str]) -> None:
        self.products = products
        self.usernames = usernames
        self.rows: dict[tuple[int, str], tuple[int, str, datetime]] = {}
        self.imported = {p.sku: (p.rating, p.review_count) for p in products.products.values()}

    def _recount(self, sku: str) -> None:
        ratings = [r[0] for (_, s), r in self.rows.items() if s == sku]
        rating, count = self.imported[sku]
        old = self.products.products[sku]
        self.products.products[sku] = Product(
            **{
                **{f: getattr(old, f) for f in old.__struct_fields__},
                "rating": blended_rating(rating, count, sum(ratings), len(ratings)),
                "review_count": count + len(ratings),
            }
        )

    async def page(self, sku: str, limit: int, offset: int) -> ReviewPage | None:
        if sku not in self.products.products:
            return None
        mine = [(u, r) for (u, s), r in self.rows.items() if s == sku]
        reviews = [
            Review(username=self.usernames[u], rating=r[0], comment=r[1], created_at=r[2]) for u, r in mine
        ]
        total = len(reviews)
        average = round(sum(r.rating for r in reviews) / total, 2) if total else None
        return ReviewPage(reviews=reviews[offset : offset + limit], total=total, average=average)

    async def put(self, user_id: int, sku: str, rating: int, comment: str, at: datetime) -> Review | None:
        if sku not in self.products.products:
            return None
        created = self.rows.get((user_id, sku), (0, "", at))[2]
        self.rows[(user_id, sku)] = (rating, comment, created)
        self._recount(sku)
        return Review(username=self.usernames[user_id], rating=rating, comment=comment, created_at=created)

    async def delete(self, user_id: int, sku: str) -> bool | None:
        if sku not in self.products.products:
            return None
        if self.rows.pop((user_id, sku), None) is None:
            return False
        self._recount(sku)
        return True


class RecordingInvalidator:
    def __init__(self) -> None:
        self.invalidated: list[str] = []

    async def invalidate(self, sku: str) -> None:
        self.invalidated.append(sku)


class InMemoryViews:
    def __init__(self, products: InMemoryProductRepository) -> None:
        self.products = products
        self.seen: dict[int, dict[str, datetime]] = {}

    async def record(self, user_id: int, sku: str, at: datetime, keep: int) -> None:
        mine = self.seen.setdefault(user_id, {})
        mine[sku] = at
        for old in sorted(mine, key=lambda s: mine[s], reverse=True)[keep:]:
            del mine[old]

    async def recent(self, user_id: int, limit: int) -> list[Product]:
        mine = self.seen.get(user_id, {})
        return [self.products.products[s] for s in sorted(mine, key=lambda s: mine[s], reverse=True)[:limit]]


class FakeShopperHistory:
    def __init__(self, signals: list[Signal] | None = None, owned: set[str] | None = None) -> None:
        self.given = signals or []
        self.owned = owned or set()

    async def signals(self, user_id: int) -> list[Signal]:
        return list(self.given)

    async def owned_skus(self, user_id: int) -> set[str]:
        return set(self.owned)


class InMemoryPopular:
    def __init__(self, products: InMemoryProductRepository) -> None:
        self.products = products

    async def popular(
        self,
        limit: int,
        exclude: Collection[str] = (),
        categories: Sequence[str] = (),
        brands: Sequence[str] = (),
    ) -> list[Product]:
        found = [
            p
            for p in self.products.products.values()
            if p.sku not in exclude
            and (not categories or p.category in categories)
            and (not brands or p.brand in brands)
        ]
        found.sort(key=lambda p: (-p.popularity, -p.rating, -p.review_count, p.sku))
        return found[:limit]

    async def popular_per_category(
        self, categories: Sequence[str], per_category: int, exclude: Collection[str] = ()
    ) -> list[Product]:
        found = [p for c in categories for p in await self.popular(per_category, exclude, categories=[c])]
        return sorted(found, key=lambda p: (-p.popularity, p.sku))
