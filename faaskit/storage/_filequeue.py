"""``file:///path`` as a queue: a directory holding one file per message, durable and ordered.

Each message is written to a temporary file, flushed to disk and renamed into the directory,
so a crash of the sending process leaves either the whole message or nothing. File names
start with the send time and a per-process counter, so listing them gives send order.
Consumers take messages with :meth:`FileQueue.messages` and acknowledge each with
:meth:`FileQueue.delete` once it is processed: nothing is removed before that.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import itertools
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from faaskit._json import loads
from faaskit._message import Message
from faaskit._trace import current as current_trace
from faaskit.exceptions import BlobNotFound, InvalidStorageRequest, StorageError
from faaskit.storage._atomic import atomic_write
from faaskit.storage._base import AttributeValue, Body, QueueSender, check_attributes, encode_body

__all__ = ["FileQueue", "queue_sender"]

_counter = itertools.count()
_SUFFIX = ".msg.json"
_last_stamp = 0
_stamp_lock = threading.Lock()


def _stamp() -> int:
    """The time in nanoseconds, but always after the last stamp: the wall clock may step back."""
    global _last_stamp
    with _stamp_lock:
        _last_stamp = max(time.time_ns(), _last_stamp + 1)
        return _last_stamp


def _encode_attribute(value: AttributeValue) -> list[Any]:
    if isinstance(value, bytes):
        return ["bytes", base64.b64encode(value).decode("ascii")]
    return [type(value).__name__, value]


_KINDS: dict[str, type[str | int | float]] = {"str": str, "int": int, "float": float}


def _b64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError(f"{what} is not base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error
        raise ValueError(f"{what} is not valid base64") from None


def _decode_attribute(name: Any, pair: Any) -> AttributeValue:
    if not isinstance(pair, list) or len(pair) != 2:
        raise ValueError(f"attribute {name!r:.40} is not a [type, value] pair")
    kind, value = pair
    if kind == "bytes":
        return _b64(value, f"attribute {name!r:.40}")
    if not isinstance(kind, str) or _KINDS.get(kind) is not type(value):
        raise ValueError(f"attribute {name!r:.40} is not a {kind!r:.20} value")
    assert isinstance(value, str | int | float)
    return value


def _message(name: str, data: bytes, url: str) -> Message:
    """The message stored in file ``name``; ``ValueError`` saying what is damaged otherwise."""
    record = loads(data)
    if not isinstance(record, dict):
        raise ValueError("the file does not hold a JSON object")
    message_id = record.get("id")
    if not isinstance(message_id, str) or message_id + _SUFFIX != name:
        raise ValueError(f"its id {message_id!r:.60} is not the file name")
    attributes = record.get("attributes")
    if not isinstance(attributes, dict):
        raise ValueError("its attributes are not an object")
    enqueued_at = record.get("enqueued_at")
    if not isinstance(enqueued_at, str):
        raise ValueError("its enqueued_at is not an ISO 8601 time")
    trace, subject = record.get("trace"), record.get("subject")
    if not isinstance(trace, str | None) or not isinstance(subject, str | None):
        raise ValueError("its trace or subject is not a string")
    return Message(
        id=message_id,
        body=_b64(record.get("body"), "its body"),
        attributes={k: _decode_attribute(k, v) for k, v in attributes.items()},
        enqueued_at=_dt.datetime.fromisoformat(enqueued_at),
        source=url,
        trace_id=trace,
        subject=subject,
        raw=record,
    )


class FileQueue(QueueSender):
    """A local durable queue in a directory (made when missing only with ``create=True``)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        url: str | None = None,
        create: bool = False,
        durable: bool = True,
    ) -> None:
        self.path = os.path.abspath(os.fspath(path))
        self._url = url or "file://" + self.path.replace(os.sep, "/")
        self.durable = durable
        if create:
            os.makedirs(self.path, exist_ok=True)

    def send(
        self,
        body: Body,
        *,
        attributes: Mapping[str, AttributeValue] | None = None,
        subject: str | None = None,
    ) -> str:
        """Write one message file atomically; its id (which sorts in send order).

        ``subject`` (what a topic message carries) comes back as :attr:`Message.subject`.
        """
        data = encode_body(body, self._url)
        checked = check_attributes(attributes, self._url)
        message_id = f"{_stamp():020d}-{next(_counter):08d}-{uuid.uuid4().hex[:12]}"
        record = {
            "id": message_id,
            "body": base64.b64encode(data).decode("ascii"),
            "attributes": {name: _encode_attribute(v) for name, v in checked.items()},
            "enqueued_at": _dt.datetime.now(_dt.timezone.utc).isoformat(),
        }
        trace = current_trace()
        if trace:
            record["trace"] = trace
        if subject is not None:
            record["subject"] = subject
        tmp_dir = os.path.join(self.path, ".tmp")
        try:
            if not os.path.isdir(self.path):
                raise BlobNotFound(f"{self._url}: cannot send: the queue directory does not exist")
            os.makedirs(tmp_dir, exist_ok=True)
            target = os.path.join(self.path, message_id + _SUFFIX)
            atomic_write(target, json.dumps(record).encode(), tmp_dir, durable=self.durable)
        except OSError as exc:
            if isinstance(exc, StorageError):
                raise
            raise StorageError(f"{self._url}: cannot send a message: {exc}") from exc
        return message_id

    def messages(
        self, *, damaged: Callable[[str, Exception], None] | None = None
    ) -> Iterator[Message]:
        """The messages waiting in the queue, oldest first, as :class:`faaskit.Message`.

        A message file that cannot be read or is damaged in any way (not strict JSON, nested
        too deep, an id that is not its file name, a body or attribute that is not what
        :meth:`send` writes) raises :class:`StorageError`, unless ``damaged`` is given: then
        ``damaged(path, error)`` is called (to set the file aside) and the messages behind
        it are still listed. A damaged file is never delivered, not even as an empty body.
        """
        try:
            names = sorted(n for n in os.listdir(self.path) if n.endswith(_SUFFIX))
        except FileNotFoundError as exc:
            raise BlobNotFound(f"{self._url}: the queue directory does not exist") from exc
        for name in names:
            try:
                with open(os.path.join(self.path, name), "rb") as file:
                    message = _message(name, file.read(), self._url)
            except FileNotFoundError:
                continue
            except (OSError, ValueError) as exc:
                if damaged is not None:
                    damaged(os.path.join(self.path, name), exc)
                    continue
                raise StorageError(
                    f"{self._url}: message file {name} is unreadable: {exc!r}"
                ) from exc
            yield message

    def delete(self, message_id: str) -> None:
        """Acknowledge a processed message: remove it (a missing one is not an error)."""
        if not message_id or "/" in message_id or "\\" in message_id or message_id[0] == ".":
            raise InvalidStorageRequest(f"{self._url}: {message_id!r} is not a message id")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(self.path, message_id + _SUFFIX))


def queue_sender(location: Any, *, create: bool = False, durable: bool = True) -> FileQueue:
    """The :class:`FileQueue` for a parsed ``file://`` location."""
    return FileQueue(location.name, url=location.url, create=create, durable=durable)
