"""The exception tree of the catalogue. Every door turns these into its own shape.

    CatalogError (400 bad_request)
     ├── InvalidRecord (422 invalid_record)     carries findings
     ├── InvalidInput (400 invalid_input)       unreadable / malformed input
     ├── Unauthenticated (401 unauthenticated)
     ├── Forbidden (403 forbidden)
     ├── NotFound (404 not_found)
     ├── Conflict (409 conflict)                wrong state, duplicate
     ├── PreconditionFailed (412 precondition_failed)  stale If-Match
     ├── PreconditionRequired (428 precondition_required)  If-Match missing
     ├── PayloadTooLarge (413 payload_too_large)
     ├── StorageUnavailable (503 storage_unavailable)  disk full, read-only or unreachable database
     ├── UpstreamUnavailable (502 upstream_unavailable)  the next level up (目录级联) did not answer
     └── IdentityProviderUnavailable (502 identity_provider_unavailable)  统一身份认证 did not answer

The API answers `{"error": code, "message": ..., "findings": [...]}`; the CLI prints the message and
exits 1 (findings) or 2 (usage, unreadable input).
"""
from __future__ import annotations

from typing import Any

from catalog.findings import Finding


class CatalogError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, findings: list[Finding] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.findings = findings or []
        self.extra = extra

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "error": self.code,
            "message": self.message,
            "findings": [f.to_dict() for f in self.findings],
        }
        body.update(self.extra)
        return body


class InvalidRecord(CatalogError):
    status = 422
    code = "invalid_record"


class InvalidParameter(CatalogError):
    status = 422
    code = "invalid_request"


class InvalidInput(CatalogError):
    status = 400
    code = "invalid_input"


class Unauthenticated(CatalogError):
    status = 401
    code = "unauthenticated"


class Forbidden(CatalogError):
    status = 403
    code = "forbidden"


class NotFound(CatalogError):
    status = 404
    code = "not_found"


class Conflict(CatalogError):
    status = 409
    code = "conflict"


class PreconditionFailed(CatalogError):
    status = 412
    code = "precondition_failed"


class PreconditionRequired(CatalogError):
    status = 428
    code = "precondition_required"


class PayloadTooLarge(CatalogError):
    status = 413
    code = "payload_too_large"


class TooManyRequests(CatalogError):
    status = 429
    code = "too_many_requests"


class StorageUnavailable(CatalogError):
    status = 503
    code = "storage_unavailable"


class UpstreamUnavailable(CatalogError):
    status = 502
    code = "upstream_unavailable"


class IdentityProviderUnavailable(CatalogError):
    status = 502
    code = "identity_provider_unavailable"


class SearchRejected(CatalogError):
    """The search engine refused a query mulu built (a mapping or version mismatch): nothing a caller can fix."""

    status = 503
    code = "search_rejected"
