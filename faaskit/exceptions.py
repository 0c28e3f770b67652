"""Every error faaskit raises, under one root: :class:`FaaskitError`.

Each exception also subclasses the builtin it means (``ValueError``, ``KeyError``, ...), so
code that catches the builtin keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faaskit._schema import FieldError
    from faaskit._types import JSON

__all__ = [
    "AccessDenied",
    "AzureHostError",
    "BadRequestError",
    "BatchFailedError",
    "BlobNotFound",
    "ConfigurationError",
    "FaaskitError",
    "ForbiddenError",
    "HTTPError",
    "IdempotencyInProgressError",
    "IdempotencyKeyReuseError",
    "InvalidEventError",
    "InvalidStorageRequest",
    "LambdaFunctionError",
    "MethodNotAllowedError",
    "MetricError",
    "NotFoundError",
    "PreconditionFailed",
    "ProjectExistsError",
    "RequestValidationError",
    "StorageError",
    "TriggerMismatchError",
    "UnauthorizedError",
    "UnsupportedEventError",
]


class FaaskitError(Exception):
    """Root of every error faaskit raises."""


class ConfigurationError(FaaskitError, ValueError):
    """A declaration (trigger, route, schedule, setting) is invalid; the message names it."""


class UnsupportedEventError(FaaskitError, ValueError):
    """The handler received an event it cannot take.

    ``source`` names what faaskit recognised (``"cognito"``, ``"unknown"``, ...).
    """

    def __init__(self, message: str, *, source: str = "unknown") -> None:
        super().__init__(message)
        self.source = source


class TriggerMismatchError(UnsupportedEventError):
    """A handler declared for one trigger kind received an event of another kind."""

    def __init__(self, message: str, *, source: str = "unknown", expected: str, got: str) -> None:
        super().__init__(message, source=source)
        self.expected = expected
        self.got = got


class InvalidEventError(FaaskitError, ValueError):
    """An event of a recognised source is malformed; ``field`` names the part at fault."""

    def __init__(self, message: str, *, source: str, field: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.field = field


class HTTPError(FaaskitError):
    """Raise from an HTTP handler to answer with ``status`` and a JSON ``{"message": ...}``."""

    status: int = 500

    def __init__(
        self,
        status: int | None = None,
        message: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if status is not None:
            if type(status) is not int or not 100 <= status <= 999:
                raise TypeError(f"HTTPError status must be a 3-digit int, got {status!r}")
            self.status = status
        if message is None:
            from http import HTTPStatus

            try:
                message = HTTPStatus(self.status).phrase
            except ValueError:
                message = "Error"
        super().__init__(message)
        self.message = message
        self.headers: Mapping[str, str] = dict(headers or {})


class BadRequestError(HTTPError, ValueError):
    """400: the request itself is malformed (bad base64 body, body that is not JSON, ...)."""

    status = 400

    def __init__(self, message: str | None = None, **kwargs: Mapping[str, str]) -> None:
        super().__init__(400, message, **kwargs)


class UnauthorizedError(HTTPError, PermissionError):
    """401: the caller is not authenticated."""

    status = 401

    def __init__(self, message: str | None = None, **kwargs: Mapping[str, str]) -> None:
        super().__init__(401, message, **kwargs)


class ForbiddenError(HTTPError, PermissionError):
    """403: the caller may not do this."""

    status = 403

    def __init__(self, message: str | None = None, **kwargs: Mapping[str, str]) -> None:
        super().__init__(403, message, **kwargs)


class NotFoundError(HTTPError, LookupError):
    """404: no such resource or route."""

    status = 404

    def __init__(self, message: str | None = None, **kwargs: Mapping[str, str]) -> None:
        super().__init__(404, message, **kwargs)


class MethodNotAllowedError(HTTPError):
    """405: the route exists but not for this method."""

    status = 405

    def __init__(self, message: str | None = None, **kwargs: Mapping[str, str]) -> None:
        super().__init__(405, message, **kwargs)


class MetricError(FaaskitError, ValueError):
    """A metric ``ctx.metrics.add`` cannot send (name, value, unit or dimensions); the message
    names the metric and the field at fault.
    """


class StorageError(FaaskitError, OSError):
    """A storage or queue backend failed; the SDK's own error is kept as ``__cause__``."""


class BlobNotFound(StorageError, KeyError):
    """The object or container does not exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "blob not found"


class AccessDenied(StorageError, PermissionError):
    """The backend refused the credentials or the operation."""


class PreconditionFailed(StorageError):
    """A conditional write or delete found the object not as required: it exists although
    ``if_none_match="*"`` was given, or its ETag is not ``if_match`` (or it is gone).

    S3 answers 412 (or 409 for a concurrent conditional write), Azure 409 or 412; faaskit
    raises this one error for all of them. ``key`` names the object.
    """

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "precondition failed"


class IdempotencyInProgressError(FaaskitError, RuntimeError):
    """A duplicate arrived while the first delivery of the same key is still running.

    Raised from an ``@faaskit.idempotent`` handler so the platform retries the message later;
    ``key`` is the idempotency key.
    """

    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message)
        self.key = key


class IdempotencyKeyReuseError(FaaskitError, ValueError):
    """An idempotency key arrived again with a different payload (its hash differs from the
    stored one): the caller reused a key for another request. ``key`` is the key.
    """

    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message)
        self.key = key


class BatchFailedError(FaaskitError, RuntimeError):
    """A batch handler reported failed items on a platform that can only retry whole deliveries
    (Azure): raising makes the platform redeliver the batch. ``failed`` holds the item ids.
    """

    def __init__(self, message: str, *, failed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.failed = failed


class InvalidStorageRequest(StorageError, ValueError):
    """A storage or queue call the backend cannot take as given.

    A key that is empty, absolute, holds ``.``/``..`` segments, a backslash or a control
    character; a message body or attribute of the wrong type; an option the backend lacks.
    """


class AzureHostError(FaaskitError, RuntimeError):
    """The Azure runtime harness could not start, the app did not index, or a call was wrong."""


class LambdaFunctionError(FaaskitError, RuntimeError):
    """A function run in the Lambda runtime harness failed (``/error``) or could not start
    (``/init/error``).

    ``error`` is the error document the runtime posted (``errorType``, ``errorMessage``,
    ``stackTrace``); ``error_type`` the ``Lambda-Runtime-Function-Error-Type`` header.
    """

    def __init__(self, message: str, *, error: JSON = None, error_type: str | None = None) -> None:
        super().__init__(message)
        self.error = error
        self.error_type = error_type


class ProjectExistsError(FaaskitError, FileExistsError):
    """``faaskit new`` was asked to write into a folder that exists and is not empty."""


class RequestValidationError(BadRequestError):
    """400: the request body does not fit the route's ``body=`` schema; ``errors`` lists every
    field at fault (objects with ``field`` and ``message``), and the response lists them too.
    """

    def __init__(self, errors: Sequence[FieldError]) -> None:
        fields = ", ".join(sorted({str(e.field) for e in errors}))
        super().__init__(message=f"the request body is invalid: {fields}")
        self.errors = tuple(errors)
