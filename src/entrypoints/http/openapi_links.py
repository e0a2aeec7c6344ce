"""OpenAPI links: which answers carry the identifiers other operations take.

A product created by an administrator is read, changed, reviewed, put in a cart and deleted by
its `sku`; a started job is followed by its `job_id`; a webhook's log and deletion by its `id`. Generated clients and schemathesis's
stateful phase follow them (so it reaches real products and jobs, not only 404s).
"""

from typing import Final

from litestar.openapi.spec import Link, OpenAPI, OpenAPIResponse

# (path, method, status) of the producer -> {link name: (operationId, parameter, runtime expression)}
_LINKS: Final = {
    ("/api/admin/products", "post", "201"): {
        "ReadProduct": ("ApiProductsSkuProduct", "sku", "$response.body#/sku"),
        "UpdateProduct": ("ApiAdminProductsSkuUpdate", "sku", "$response.body#/sku"),
        "DeleteProduct": ("ApiAdminProductsSkuRemove", "sku", "$response.body#/sku"),
        "ReviewProduct": ("ApiProductsSkuReviewsWrite", "sku", "$response.body#/sku"),
        "ReadReviews": ("ApiProductsSkuReviewsShow", "sku", "$response.body#/sku"),
        "SetCartQuantity": ("ApiCartItemsSkuSetQuantity", "sku", "$response.body#/sku"),
        "RemoveFromCart": ("ApiCartItemsSkuRemove", "sku", "$response.body#/sku"),
    },
    ("/api/admin/webhooks", "post", "201"): {
        "WebhookDeliveries": (
            "ApiAdminWebhooksWebhookIdDeliveriesDeliveries",
            "webhook_id",
            "$response.body#/id",
        ),
        "DeleteWebhook": ("ApiAdminWebhooksWebhookIdRemove", "webhook_id", "$response.body#/id"),
    },
    ("/api/admin/jobs/{name}", "post", "202"): {
        "JobStatus": ("ApiAdminJobsJobIdOne", "job_id", "$response.body#/job_id"),
    },
}


def document_links(document: OpenAPI) -> OpenAPI:
    for (path, method, status), links in _LINKS.items():
        item = (document.paths or {}).get(path)
        operation = getattr(item, method, None) if item is not None else None
        answer = (operation.responses or {}).get(status) if operation is not None else None
        if not isinstance(answer, OpenAPIResponse):
            raise LookupError(f"no {status} answer on {method.upper()} {path} to link from")
        answer.links = {
            name: Link(operation_id=target, parameters={parameter: expression})
            for name, (target, parameter, expression) in links.items()
        }
    return document
