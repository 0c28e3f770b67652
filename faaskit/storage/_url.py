"""Storage URLs: which backend, which bucket/container/queue, which key prefix."""

from __future__ import annotations

import os
import urllib.parse
import urllib.request

import attrs

from faaskit.exceptions import ConfigurationError
from faaskit.storage._keys import normalize_prefix
from faaskit.storage._names import physical_name

__all__ = [
    "BLOB_SCHEMES",
    "EVENT_SCHEMES",
    "QUEUE_SCHEMES",
    "TOPIC_SCHEMES",
    "Location",
    "parse",
    "store_url",
]

BLOB_SCHEMES = ("file", "s3", "azure")
QUEUE_SCHEMES = ("file", "sqs", "azure-queue")
TOPIC_SCHEMES = ("file", "sns", "servicebus-topic")
EVENT_SCHEMES = ("file", "events", "eventgrid")
_SCHEMES = {
    "blobs": BLOB_SCHEMES,
    "queues": QUEUE_SCHEMES,
    "topics": TOPIC_SCHEMES,
    "events": EVENT_SCHEMES,
}


@attrs.frozen(kw_only=True)
class Location:
    """A parsed storage URL.

    ``scheme`` names the backend; ``name`` is the bucket, container or queue name (for
    ``file`` the absolute directory path, for a queue given by its HTTPS URL that URL);
    ``prefix`` is ``""`` or a key prefix ending in ``/``; ``url`` is the URL as the store
    reports it. A logical name is mapped to this deployment's physical one (``name``) by
    ``FAASKIT_RESOURCES``, which the generated templates set; ``url`` keeps the logical name.
    """

    scheme: str
    name: str
    prefix: str = ""
    url: str


def store_url(scheme: str, name: str, prefix: str = "") -> str:
    """The URL a cloud store reports: ``scheme://name`` plus the prefix without its ``/``."""
    return f"{scheme}://{name}" + (f"/{prefix.rstrip('/')}" if prefix else "")


def _file_path(url: str, parts: urllib.parse.SplitResult) -> str:
    if parts.netloc not in ("", "localhost"):
        raise ConfigurationError(
            f"storage URL {url!r}: a file URL names a local path: file:///absolute/path"
        )
    if not parts.path:
        raise ConfigurationError(f"storage URL {url!r}: the path is empty")
    return os.path.abspath(urllib.request.url2pathname(parts.path))


def _queue_https(url: str, parts: urllib.parse.SplitResult) -> Location:
    host = parts.hostname or ""
    segments = [s for s in parts.path.split("/") if s]
    if host.endswith(".queue.core.windows.net") and len(segments) == 1:
        return Location(scheme="azure-queue", name=url.rstrip("/"), url=url.rstrip("/"))
    if len(segments) == 2:
        return Location(scheme="sqs", name=url.rstrip("/"), url=url.rstrip("/"))
    raise ConfigurationError(
        f"queue URL {url!r} is neither an SQS queue URL (https://sqs.<region>.amazonaws.com"
        "/<account>/<name>) nor an Azure queue URL (https://<account>.queue.core.windows.net"
        "/<name>)"
    )


def parse(url: str, kind: str) -> Location:
    """Parse a storage URL for ``kind`` ``"blobs"``, ``"queues"``, ``"topics"`` or ``"events"``."""
    if not isinstance(url, str) or ("://" not in url and not url.startswith("file:")):
        raise ConfigurationError(f"storage URL {url!r} has no scheme (s3://, azure://, file://)")
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    schemes = _SCHEMES[kind]
    if kind == "queues" and scheme in ("http", "https"):
        return _queue_https(url, parts)
    if scheme not in schemes:
        raise ConfigurationError(
            f"storage URL {url!r}: unsupported scheme {scheme!r} for {kind}; "
            f"use one of {', '.join(s + '://' for s in schemes)}"
        )
    if parts.query or parts.fragment:
        raise ConfigurationError(f"storage URL {url!r}: pass options as keyword arguments")
    if scheme == "file":
        path = _file_path(url, parts)
        return Location(scheme="file", name=path, url="file://" + urllib.request.pathname2url(path))
    name = urllib.parse.unquote(parts.netloc)
    if not name:
        raise ConfigurationError(f"storage URL {url!r} names no bucket, container or queue")
    path = urllib.parse.unquote(parts.path)
    if kind != "blobs" and path.strip("/"):
        raise ConfigurationError(f"{kind[:-1]} URL {url!r}: the {kind[:-1]} name takes no path")
    prefix = normalize_prefix(path, url)
    return Location(
        scheme=scheme,
        name=physical_name(scheme, name),
        prefix=prefix,
        url=store_url(scheme, name, prefix),
    )
