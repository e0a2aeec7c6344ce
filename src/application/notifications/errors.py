"""What can go wrong with a webhook request."""

from domain.errors import DomainError, ErrorKind


class WebhookNotFound(DomainError):
    code = "webhook_not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, webhook_id: int) -> None:
        super().__init__(f"no webhook with id {webhook_id}")
