"""Azure Storage service clients from settings, and SDK errors as faaskit storage errors.

Settings, first found wins: an explicit ``client``; ``connection_string=``; ``account_url=``
(with ``credential=``); the ``AzureWebJobsStorage`` connection string the Functions host uses
(``UseDevelopmentStorage=true`` means Azurite on its default ports); identity-based
``AzureWebJobsStorage__blobServiceUri`` / ``__queueServiceUri`` / ``__accountName`` with
``azure.identity.DefaultAzureCredential``.
https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity

Error codes: https://learn.microsoft.com/rest/api/storageservices/blob-service-error-codes
and https://learn.microsoft.com/rest/api/storageservices/queue-service-error-codes
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Mapping
from typing import Any

from faaskit.exceptions import AccessDenied, BlobNotFound, ConfigurationError, StorageError

__all__ = ["azure_errors", "service_client", "translate"]

_DEVELOPMENT = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
    "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
    "QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;"
)
_clients: dict[Any, Any] = {}
_lock = threading.Lock()
_SPECIFIC = {
    "BlobNotFound": "object",
    "ContainerNotFound": "container",
    "QueueNotFound": "queue",
    "ResourceNotFound": "resource",
}


def _service_class(kind: str, url: str) -> Any:
    try:
        if kind == "blob":
            from azure.storage.blob import BlobServiceClient

            return BlobServiceClient
        from azure.storage.queue import QueueServiceClient

        return QueueServiceClient
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            f"{url} needs azure-storage-{kind}: pip install 'faaskit[azure]'"
        ) from exc


def _identity(url: str) -> Any:
    try:
        identity = importlib.import_module("azure.identity")
    except ModuleNotFoundError as exc:
        raise ConfigurationError(
            f"{url}: identity-based AzureWebJobsStorage settings need azure-identity"
        ) from exc
    return identity.DefaultAzureCredential()


def _settings(kind: str, url: str, options: dict[str, Any]) -> tuple[str | None, str | None, Any]:
    connection_string = options.pop("connection_string", None)
    account_url = options.pop("account_url", None)
    credential = options.pop("credential", None)
    if connection_string or account_url:
        return connection_string, account_url, credential
    connection_string = os.environ.get("AzureWebJobsStorage")  # noqa: SIM112 - the Functions host's name
    if connection_string:
        return connection_string, None, None
    account_url = os.environ.get(f"AzureWebJobsStorage__{kind}ServiceUri")
    account = os.environ.get("AzureWebJobsStorage__accountName")  # noqa: SIM112
    if not account_url and account:
        account_url = f"https://{account}.{kind}.core.windows.net"
    if account_url:
        return None, account_url, credential or _identity(url)
    raise ConfigurationError(
        f"{url}: no Azure Storage account configured: set AzureWebJobsStorage (a connection "
        "string) or pass connection_string=, or account_url= and credential="
    )


def service_client(kind: str, url: str, options: Mapping[str, Any]) -> Any:
    """A shared Blob (``kind="blob"``) or Queue (``"queue"``) service client."""
    rest = dict(options)
    connection_string, account_url, credential = _settings(kind, url, rest)
    if connection_string and connection_string.replace(" ", "").lower().startswith(
        "usedevelopmentstorage=true"
    ):
        connection_string = _DEVELOPMENT
    try:
        key: Any = (kind, connection_string, account_url, id(credential), sorted(rest.items()))
        key = repr(key)
    except TypeError:  # pragma: no cover - repr of options does not fail in practice
        key = None
    with _lock:
        found = _clients.get(key) if key is not None else None
        if found is not None:
            return found[0]
        cls = _service_class(kind, url)
        _quiet_request_logging()
        try:
            if connection_string:
                client = cls.from_connection_string(connection_string, credential, **rest)
            else:
                client = cls(account_url, credential=credential, **rest)
        except ValueError as exc:
            raise ConfigurationError(f"{url}: invalid Azure Storage settings: {exc}") from exc
        _clients[key] = (client, credential)
    return client


def _quiet_request_logging() -> None:
    """The SDK logs every request and response at INFO, the level functions log at; keep its
    per-request lines out of the function's logs unless the application set a level for them.
    """
    import logging

    logger = logging.getLogger("azure.core.pipeline.policies.http_logging_policy")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)


def azure_errors() -> tuple[type[Exception], ...]:
    """The exception types raised at the Azure SDK boundary."""
    from azure.core.exceptions import AzureError

    return (AzureError,)


def translate(exc: Exception, where: str, what: str) -> StorageError:
    """The faaskit error for an azure-core error; ``where`` names the store, call and key."""
    from azure.core.exceptions import ClientAuthenticationError, ResourceNotFoundError

    code = getattr(exc, "error_code", None)
    code = getattr(code, "value", code)
    status = getattr(exc, "status_code", None)
    lines = str(getattr(exc, "reason", None) or exc).strip().splitlines()
    detail = lines[0] if lines else type(exc).__name__
    if code:
        detail = f"{detail} ({code})"
    if isinstance(exc, ResourceNotFoundError) or status == 404:
        return BlobNotFound(f"{where}: no such {_SPECIFIC.get(str(code), what)}: {detail}")
    if isinstance(exc, ClientAuthenticationError) or status in (401, 403):
        return AccessDenied(f"{where}: access denied: {detail}")
    return StorageError(f"{where}: {detail}")
