"""What can go wrong with a catalog upload: too large, not decompressible, unknown, unreadable."""

from domain.errors import DomainError, ErrorKind


class UnreadableCatalog(Exception):
    """The upload as a whole cannot be read as a catalog (the command line's exit 2)."""


class UploadTooLarge(DomainError):
    code = "payload_too_large"
    kind = ErrorKind.TOO_LARGE

    def __init__(self, limit: int, what: str) -> None:
        super().__init__(f"the {what} upload is larger than {limit} bytes (IMPORT_MAX_BYTES)")
        self.limit = limit

    def details(self) -> dict[str, object] | None:
        return {"max_bytes": self.limit}


class UnreadableUpload(DomainError):
    """The body cannot be decompressed (it claims gzip but is not)."""

    code = "invalid_upload"
    kind = ErrorKind.INVALID

    def __init__(self, reason: str) -> None:
        super().__init__(f"the upload cannot be read: {reason}", field="body")


class ImportNotFound(DomainError):
    code = "not_found"
    kind = ErrorKind.NOT_FOUND

    def __init__(self, job_id: str) -> None:
        super().__init__(f"there is no import {job_id!r}")
