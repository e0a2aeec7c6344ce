"""The logged-in user's cart: read, add, set, remove, clear."""

from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body, FromPath

from application.cart.manage_cart import AddToCart, ClearCart, GetCart, RemoveFromCart, SetCartQuantity
from domain.cart.errors import InvalidQuantity
from domain.catalog.errors import ProductNotFound
from domain.identity.errors import NotAuthenticated
from entrypoints.http.access import require_user
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import PERSON, scope
from entrypoints.http.schemas import CartOut, cart_out
from entrypoints.http.visitor import Visitor

_CHANGE_ERRORS = error_responses(NotAuthenticated, InvalidQuantity, ProductNotFound)


class AddItemIn(msgspec.Struct):
    sku: str
    quantity: int = 1


class SetQuantityIn(msgspec.Struct):
    quantity: int


class CartController(Controller):
    opt = scope(PERSON)
    path = "/api/cart"
    tags = ["cart"]  # noqa: RUF012
    dependencies = from_container(
        "get_cart", "add_to_cart", "set_cart_quantity", "remove_from_cart", "clear_cart"
    )

    @get("/", summary="The cart", responses=error_responses(NotAuthenticated, malformed=False))
    async def show(self, visitor: NamedDependency[Visitor], get_cart: NamedDependency[GetCart]) -> CartOut:
        return cart_out(await get_cart(require_user(visitor).id))

    @post("/items", summary="Add a quantity of a product", status_code=200, responses=_CHANGE_ERRORS)
    async def add(
        self,
        visitor: NamedDependency[Visitor],
        add_to_cart: NamedDependency[AddToCart],
        data: Annotated[AddItemIn, Body()],
    ) -> CartOut:
        user = require_user(visitor)
        return cart_out(await add_to_cart(user.id, data.sku, data.quantity, visitor.arm))

    @put("/items/{sku:str}", summary="Set a line's quantity (0 removes it)", responses=_CHANGE_ERRORS)
    async def set_quantity(
        self,
        visitor: NamedDependency[Visitor],
        set_cart_quantity: NamedDependency[SetCartQuantity],
        sku: FromPath[str],
        data: Annotated[SetQuantityIn, Body()],
    ) -> CartOut:
        user = require_user(visitor)
        return cart_out(await set_cart_quantity(user.id, sku, data.quantity, visitor.arm))

    @delete(
        "/items/{sku:str}",
        summary="Remove a line",
        status_code=200,
        responses=error_responses(NotAuthenticated, ProductNotFound),
    )
    async def remove(
        self,
        visitor: NamedDependency[Visitor],
        remove_from_cart: NamedDependency[RemoveFromCart],
        sku: FromPath[str],
    ) -> CartOut:
        user = require_user(visitor)
        return cart_out(await remove_from_cart(user.id, sku, visitor.arm))

    @delete(
        "/",
        summary="Empty the cart",
        status_code=200,
        responses=error_responses(NotAuthenticated, malformed=False),
    )
    async def clear(
        self, visitor: NamedDependency[Visitor], clear_cart: NamedDependency[ClearCart]
    ) -> CartOut:
        user = require_user(visitor)
        return cart_out(await clear_cart(user.id, visitor.arm))
