"""Administrators create, edit and delete products; changes are searchable on the next request."""

from typing import Annotated, Any

from litestar import Controller, Response, delete, post, put
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.catalog.manage_products import CreateProduct, DeleteProduct, UpdateProduct
from domain.identity.errors import NotAuthenticated
from entrypoints.http.dependencies import from_container
from entrypoints.http.schemas import ProductOut, product_out
from entrypoints.http.visitor import Visitor


def require_admin(visitor: Visitor) -> None:
    if visitor.user is None:
        raise NotAuthenticated()
    if not visitor.user.is_admin:
        raise PermissionDeniedException(detail="this needs an administrator")


class AdminProductsController(Controller):
    path = "/api/admin/products"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container("create_product", "update_product", "delete_product")

    @post("/", summary="Create a product", status_code=HTTP_201_CREATED)
    async def create(
        self,
        visitor: NamedDependency[Visitor],
        create_product: NamedDependency[CreateProduct],
        data: Annotated[dict[str, Any], Body()],
    ) -> ProductOut:
        require_admin(visitor)
        return product_out(await create_product(data))

    @put("/{sku:str}", summary="Change any fields of a product")
    async def update(
        self,
        visitor: NamedDependency[Visitor],
        update_product: NamedDependency[UpdateProduct],
        sku: FromPath[str],
        data: Annotated[dict[str, Any], Body()],
    ) -> ProductOut:
        require_admin(visitor)
        return product_out(await update_product(sku, data))

    @delete("/{sku:str}", summary="Delete a product", status_code=HTTP_204_NO_CONTENT)
    async def remove(
        self,
        visitor: NamedDependency[Visitor],
        delete_product: NamedDependency[DeleteProduct],
        sku: FromPath[str],
    ) -> Response[None]:
        require_admin(visitor)
        await delete_product(sku)
        return Response(None, status_code=HTTP_204_NO_CONTENT)
