"""The embedded local cloud behind ``faaskit serve``: storage and queues in a folder.

Layout under the data folder: ``blobs/<bucket>/<key>`` (a ``file://`` blob store per bucket or
container), ``queues/<name>/`` (a ``file://`` queue per queue or topic), ``streams/<name>/``
(records of a stream, each consumer reading its own copy under
``streams/<name>/.consumers/<handler>/``), ``events/`` (the event bus, each rule's matches
under ``events/.rules/<handler>/``) and ``dead-letter/<name>/`` (messages that failed every
attempt). While the server runs, storage URLs of either cloud (``s3://b``, ``azure://b``,
``sqs://q``, ``azure-queue://q``) opened with ``faaskit.storage`` are redirected here, so a
handler writing to a bucket or sending to a queue fires the local triggers, as it would in
the cloud. Topics (``sns://t``, ``servicebus-topic://t``) are the queue folders the
topic's subscribers are fed from, and event buses (``events://b``, ``eventgrid://h``) the
local bus.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["LocalCloud"]

log = logging.getLogger("faaskit.serve")

_BLOB_SCHEMES = frozenset({"s3", "azure"})
_QUEUE_SCHEMES = frozenset({"sqs", "azure-queue", "https"})


class LocalCloud:
    """The data folder and the ``faaskit.storage`` redirection into it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self._saved: list[tuple[Any, str, Any]] = []

    def bucket_dir(self, bucket: str) -> Path:
        """Where objects of ``bucket`` (or container) live."""
        return self.root / "blobs" / bucket

    def queue_dir(self, name: str) -> Path:
        """Where messages of queue or topic ``name`` wait."""
        return self.root / "queues" / name

    def dead_letter_dir(self, name: str) -> Path:
        """Where messages of ``name`` go after their last failed attempt."""
        return self.root / "dead-letter" / name

    def stream_dir(self, name: str) -> Path:
        """Where records of stream ``name`` are added."""
        return self.root / "streams" / name

    def events_dir(self) -> Path:
        """Where events are put on the local event bus."""
        return self.root / "events"

    def folder_queue(self, path: Path) -> Any:
        """A local queue in ``path`` (made on first use)."""
        from faaskit.storage import FileQueue

        return FileQueue(path, create=True, durable=False)

    def blobs(self, bucket: str) -> Any:
        """The local store of ``bucket`` (made on first use)."""
        from faaskit.storage import FileBlobStore

        return FileBlobStore(self.bucket_dir(bucket), create=True, durable=False)

    def queue(self, name: str) -> Any:
        """The local queue ``name`` (made on first use)."""
        from faaskit.storage import FileQueue

        return FileQueue(self.queue_dir(name), create=True, durable=False)

    def dead_letter(self, name: str) -> Any:
        """The dead-letter queue of ``name``."""
        from faaskit.storage import FileQueue

        return FileQueue(self.dead_letter_dir(name), create=True, durable=False)

    def local_url(self, url: str, kind: str) -> str:
        """``url`` itself, or the ``file://`` URL it is redirected to."""
        parts = urlsplit(url)
        if kind == "blobs" and parts.scheme in _BLOB_SCHEMES and parts.netloc:
            target = self.bucket_dir(parts.netloc) / parts.path.strip("/")
            target.mkdir(parents=True, exist_ok=True)
            return target.as_uri()
        if kind == "queues" and parts.scheme in _QUEUE_SCHEMES:
            name = parts.netloc if parts.scheme != "https" else parts.path.rstrip("/")
            name = name.rsplit("/", 1)[-1]
            if name:
                target = self.queue_dir(name)
                target.mkdir(parents=True, exist_ok=True)
                return target.as_uri()
        if kind == "topics" and parts.scheme in ("sns", "servicebus-topic") and parts.netloc:
            target = self.queue_dir(parts.netloc.rsplit(":", 1)[-1])
            target.mkdir(parents=True, exist_ok=True)
            return target.as_uri()
        if kind == "events" and parts.scheme in ("events", "eventgrid"):
            target = self.events_dir()
            target.mkdir(parents=True, exist_ok=True)
            return target.as_uri()
        return url

    def install(self) -> None:
        """Redirect cloud URLs opened through ``faaskit.storage`` into the data folder.

        The backend factory every opener goes through is wrapped, so code that imported
        ``blobs``/``queues`` by name before the server started is redirected too.
        """
        import faaskit.storage as storage

        original = storage._open

        def opener(kind: str, url: str, options: dict[str, Any]) -> Any:
            local = self.local_url(url, kind)
            if local != url:
                return original(kind, local, {})
            return original(kind, url, options)

        self._saved.append((storage, "_open", original))
        storage._open = opener

    def uninstall(self) -> None:
        """Undo :meth:`install`."""
        while self._saved:
            module, name, value = self._saved.pop()
            setattr(module, name, value)

    @contextlib.contextmanager
    def installed(self) -> Iterator[LocalCloud]:
        """``install`` for the duration of a ``with`` block."""
        self.install()
        try:
            yield self
        finally:
            self.uninstall()
