"""Cart use cases: read, add, set, remove, clear. Plain callables: HTTP and the simulator use them."""

from application.ports import Clock
from domain.cart.model import Cart, CartAction, CartChange
from domain.cart.ports import CartCatalog, CartRepository
from domain.cart.rules import MAX_QUANTITY, check_added, check_set, over_limit, price_cart
from domain.catalog.errors import ProductNotFound


class _CartUseCase:
    def __init__(self, carts: CartRepository, catalog: CartCatalog, clock: Clock) -> None:
        self._carts = carts
        self._catalog = catalog
        self._clock = clock

    async def _cart(self, user_id: int) -> Cart:
        items = await self._carts.items(user_id)
        return price_cart(items, await self._catalog.priced([i.sku for i in items]))

    async def _require(self, sku: str) -> None:
        if not await self._catalog.priced([sku]):
            raise ProductNotFound(sku)

    def _change(
        self, user_id: int, sku: str, action: CartAction, delta: int, quantity: int, arm: str
    ) -> CartChange:
        return CartChange(
            user_id=user_id,
            sku=sku,
            action=action,
            quantity_delta=delta,
            quantity=quantity,
            arm=arm,
            at=self._clock.now(),
        )


class GetCart(_CartUseCase):
    async def __call__(self, user_id: int) -> Cart:
        return await self._cart(user_id)


class AddToCart(_CartUseCase):
    async def __call__(self, user_id: int, sku: str, quantity: int, arm: str) -> Cart:
        check_added(quantity)
        await self._require(sku)
        change = self._change(user_id, sku, "add", quantity, quantity, arm)
        if await self._carts.add(change, MAX_QUANTITY) is None:
            current = {i.sku: i.quantity for i in await self._carts.items(user_id)}.get(sku, 0)
            raise over_limit(current, quantity)
        return await self._cart(user_id)


class SetCartQuantity(_CartUseCase):
    async def __call__(self, user_id: int, sku: str, quantity: int, arm: str) -> Cart:
        check_set(quantity)
        await self._require(sku)
        action: CartAction = "set" if quantity else "remove"
        await self._carts.set(self._change(user_id, sku, action, 0, quantity, arm))
        return await self._cart(user_id)


class RemoveFromCart(_CartUseCase):
    async def __call__(self, user_id: int, sku: str, arm: str) -> Cart:
        await self._require(sku)
        await self._carts.set(self._change(user_id, sku, "remove", 0, 0, arm))
        return await self._cart(user_id)


class ClearCart(_CartUseCase):
    async def __call__(self, user_id: int, arm: str) -> Cart:
        await self._carts.clear(user_id, arm, self._clock.now())
        return await self._cart(user_id)
