"""Shared boto3 clients, and botocore errors as faaskit storage errors, for the storage backends.

Clients are shared per configuration (options and the ``AWS_*`` environment), each from its
own boto3 session, so a handler that makes a store per event pays for one client per process.

Error codes: S3 (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html) and SQS
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from faaskit.exceptions import AccessDenied, BlobNotFound, ConfigurationError, StorageError

__all__ = ["boto_errors", "shared_client", "translate"]

_CLIENT_OPTIONS = frozenset(
    {
        "endpoint_url",
        "region_name",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "config",
        "verify",
        "use_ssl",
    }
)
_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_SQS",
    "AWS_ENDPOINT_URL_SNS",
    "AWS_ENDPOINT_URL_EVENTBRIDGE",
    "AWS_ENDPOINT_URL_STS",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SESSION_TOKEN",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
)
_clients: dict[Any, Any] = {}
_lock = threading.Lock()


def shared_client(service: str, url: str, options: Mapping[str, Any]) -> Any:
    """A shared boto3 client for ``service`` configured by ``options`` and the environment."""
    unknown = set(options) - _CLIENT_OPTIONS
    if unknown:
        raise ConfigurationError(f"{url}: unknown option(s) {', '.join(sorted(unknown))}")
    try:
        key: Any = (service, tuple(sorted(options.items())), tuple(map(os.environ.get, _ENV)))
        hash(key)
    except TypeError:
        key = None
    with _lock:
        found = _clients.get(key) if key is not None else None
        if found is None:
            try:
                import boto3.session
            except ModuleNotFoundError as exc:
                raise ConfigurationError(f"{url} needs boto3: pip install 'faaskit[aws]'") from exc
            # A session per configuration: the default session caches the credentials it
            # first resolved, so it would not follow the environment this key records.
            session = boto3.session.Session()
            found = session.client(service, **options)  # type: ignore[call-overload]
            if key is not None:
                _clients[key] = found
    return found


NOT_FOUND = frozenset(
    {
        "NoSuchKey",
        "NoSuchBucket",
        "NotFound",
        "404",
        "NoSuchVersion",
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
    }
)
DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AllAccessDisabled",
        "403",
        "Forbidden",
        "InvalidAccessKeyId",
        "InvalidClientTokenId",
        "InvalidSecurity",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "UnrecognizedClientException",
        "InvalidToken",
        "AuthFailure",
    }
)
_SPECIFIC = {"NoSuchKey": "object", "NoSuchBucket": "bucket", "NoSuchVersion": "version"}


def boto_errors() -> tuple[type[Exception], ...]:
    """The exception types raised at the botocore/boto3 boundary."""
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError

    return (ClientError, BotoCoreError, Boto3Error)


def _client_error(exc: BaseException) -> Any:
    from botocore.exceptions import ClientError

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ClientError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def translate(exc: Exception, where: str, what: str) -> StorageError:
    """The faaskit error for a botocore/boto3 error; ``where`` names the store, call and key."""
    from botocore.exceptions import NoCredentialsError, PartialCredentialsError

    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return AccessDenied(f"{where}: no AWS credentials found ({exc})")
    client_error = _client_error(exc)
    if client_error is None:
        return StorageError(f"{where}: {exc}")
    error = client_error.response.get("Error", {})
    code = str(error.get("Code", ""))
    query_code = str(error.get("QueryErrorCode", ""))
    status = client_error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    detail = f"{error.get('Message') or code} ({code or status})"
    if code in NOT_FOUND or query_code in NOT_FOUND or status == 404:
        what = _SPECIFIC.get(code, what)
        return BlobNotFound(f"{where}: no such {what}: {detail}")
    if code in DENIED or query_code in DENIED or status == 403:
        return AccessDenied(f"{where}: access denied: {detail}")
    return StorageError(f"{where}: {detail}")
