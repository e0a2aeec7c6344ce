"""Administrators create, edit and delete products, or patch many by sku at once; changes are
searchable on the next request."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, patch, post, put
from litestar.di import NamedDependency
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.catalog.manage_products import CreateProduct, DeleteProduct, UpdateProduct
from application.catalog.patch_products import PatchProducts
from domain.apikeys.model import CATALOG_WRITE
from domain.catalog.errors import InvalidProduct, ProductExists, ProductNotFound
from domain.errors import InvalidValue
from domain.identity.errors import NotAdmin, NotAuthenticated
from entrypoints.http.access import admin_actor
from entrypoints.http.catalog_sync_schemas import JSONL_TYPES, PATCH_BODY, PatchOut, patch_out, with_body
from entrypoints.http.controllers.admin_catalog_sync import UNSUPPORTED, patch_items, unsupported
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import scope
from entrypoints.http.product_body import product_body
from entrypoints.http.schemas import ProductOut, product_out
from entrypoints.http.unsafe_requests import media_type
from entrypoints.http.visitor import Visitor


class AdminProductsController(Controller):
    opt = scope(CATALOG_WRITE)
    path = "/api/admin/products"
    tags = ["administration"]  # noqa: RUF012
    dependencies = from_container("create_product", "update_product", "delete_product", "patch_products")

    @post(
        "/",
        summary="Create a product",
        status_code=HTTP_201_CREATED,
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidProduct, ProductExists),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        create_product: NamedDependency[CreateProduct],
        data: Annotated[dict[str, Any], Body(schema_extra=product_body(create=True))],
    ) -> ProductOut:
        return product_out(await create_product(data, actor=admin_actor(visitor, request)))

    @put(
        "/{sku:str}",
        summary="Change any fields of a product",
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidProduct, ProductNotFound),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        update_product: NamedDependency[UpdateProduct],
        sku: FromPath[str],
        data: Annotated[dict[str, Any], Body(schema_extra=product_body(create=False))],
    ) -> ProductOut:
        return product_out(await update_product(sku, data, actor=admin_actor(visitor, request)))

    @delete(
        "/{sku:str}",
        summary="Delete a product",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, NotAdmin, ProductNotFound),
    )
    async def remove(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        delete_product: NamedDependency[DeleteProduct],
        sku: FromPath[str],
    ) -> Response[None]:
        await delete_product(sku, actor=admin_actor(visitor, request))
        return Response(None, status_code=HTTP_204_NO_CONTENT)

    @patch(
        "/",
        summary="Change fields of products by sku (JSON lines of {sku, ...fields}, at once)",
        operation_class=with_body(PATCH_BODY),
        responses=error_responses(NotAuthenticated, NotAdmin, InvalidValue, also=UNSUPPORTED),
    )
    async def patch_many(
        self,
        request: Request[Any, Any, Any],
        visitor: NamedDependency[Visitor],
        patch_products: NamedDependency[PatchProducts],
    ) -> PatchOut:
        actor = admin_actor(visitor, request)
        if media_type(request.headers.get("content-type", "")) not in JSONL_TYPES:
            raise unsupported(f"a patch body must be one of {', '.join(JSONL_TYPES)}")
        return patch_out(await patch_products(patch_items(await request.body()), actor=actor))
