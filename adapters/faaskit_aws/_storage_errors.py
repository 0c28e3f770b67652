"""botocore errors translated into faaskit storage errors, for :mod:`faaskit_aws.storage`.

Error codes: S3 (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html) and SQS
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html).
"""

from __future__ import annotations

from typing import Any

from faaskit.exceptions import AccessDenied, BlobNotFound, StorageError

__all__ = ["boto_errors", "translate"]

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
