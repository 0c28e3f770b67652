"""``@faaskit.idempotent``: exactly-once effects over at-least-once deliveries.

Stacked under ``@faaskit.handler``, it keeps one JSON record per idempotency key in a blob
store (``s3://``, ``azure://`` or ``file://``), using only conditional writes:

1. the first delivery creates an ``in_progress`` record (``put(..., if_none_match="*")``)
   whose lock lapses at the invocation's deadline;
2. success replaces it with the ``completed`` record holding the result
   (``put(..., if_match=etag)``): two storage round trips per new event;
3. failure deletes it (``delete(..., if_match=etag)``) so the platform's retry runs again;
4. a duplicate reads the record: a completed one returns the stored result without running
   the handler; a live lock raises :class:`IdempotencyInProgressError` (the message fails and
   is retried later); a lapsed lock or an expired record is taken over with ``if_match``;
   a different payload under the same key raises :class:`IdempotencyKeyReuseError`.

A whole-batch handler (``batch=True``) is made idempotent per item: see
:mod:`faaskit._idempotency_batch`.

Records are ``<store>/<module>.<function>/<sha256 of the key>.json``. An invocation without a
deadline (a direct call, the dev server) holds its lock for :data:`DEFAULT_LOCK`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import inspect
import json
import re
import time
from collections.abc import Callable
from typing import Any

from faaskit._idempotency_batch import is_batch, take_batch
from faaskit._idempotency_codec import decode_result, default_key, encode_result, payload_hash
from faaskit.exceptions import (
    BlobNotFound,
    ConfigurationError,
    IdempotencyInProgressError,
    IdempotencyKeyReuseError,
    PreconditionFailed,
)

__all__ = ["DEFAULT_LOCK", "Idempotency", "idempotent", "record_folder"]

DEFAULT_LOCK = _dt.timedelta(minutes=15)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RETRIES = 3


class Idempotency:
    """The records of one idempotent function in one store (made on first use from a URL)."""

    def __init__(
        self,
        store: Any,
        *,
        func: Callable[..., Any],
        key: Callable[[Any], Any] | None,
        expires: _dt.timedelta,
    ) -> None:
        self._store = store
        self.key = key
        self.expires = expires.total_seconds()
        self.where = f"idempotent handler {func.__module__}.{func.__qualname__}"
        self.qualname = func.__qualname__
        self.folder = record_folder(func.__module__, func.__qualname__)

    @property
    def store(self) -> Any:
        """The :class:`~faaskit.storage.BlobStore` the records live in."""
        if isinstance(self._store, str):
            from faaskit import storage

            self._store = storage.blobs(self._store)
        return self._store

    def event_key(self, event: Any) -> str | None:
        """The idempotency key of ``event`` (None: the event runs without one)."""
        if self.key is None:
            return default_key(event, self.where)
        value = self.key(event)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, (bytes, int)):
            return value.hex() if isinstance(value, bytes) else str(value)
        raise ConfigurationError(
            f"{self.where}: key= returned {type(value).__name__}; it must return str or None"
        )

    def record_name(self, key: str) -> str:
        """Where the record of ``key`` is stored."""
        return f"{self.folder}/{hashlib.sha256(key.encode()).hexdigest()}.json"

    def begin(self, key: str, digest: str, ctx: Any) -> tuple[str, Any]:
        """Take the key: ``("run", etag)`` to run the handler, ``("done", result)`` for a
        duplicate of a completed event; raises for a live lock or a reused key.
        """
        name = self.record_name(key)
        for _ in range(_RETRIES):
            now = time.time()
            record = {"status": "in_progress", "hash": digest, "lock_until": _lock_until(ctx, now)}
            body = json.dumps(record).encode()
            try:
                return "run", self.store.put(name, body, if_none_match="*")
            except PreconditionFailed:
                pass
            try:
                data, etag = self.store.get_versioned(name)
            except BlobNotFound:
                continue  # removed after a failure in between: create it again
            found = _parse(data)
            live = (
                found.get("lock_until", 0) > now
                if found.get("status") == "in_progress"
                else found.get("expires", 0) > now
            )
            if live and found.get("hash") != digest:
                raise IdempotencyKeyReuseError(
                    f"{self.where}: key {key!r} was used before for another payload", key=key
                )
            if live and found.get("status") == "completed":
                return "done", decode_result(found.get("result") or {})
            if live:
                raise IdempotencyInProgressError(
                    f"{self.where}: key {key!r} is being processed by another invocation",
                    key=key,
                )
            try:  # a lapsed lock or an expired record: take it over
                return "run", self.store.put(name, body, if_match=etag)
            except PreconditionFailed:
                continue
        raise IdempotencyInProgressError(
            f"{self.where}: key {key!r} kept changing while it was being taken", key=key
        )

    def complete(self, key: str, digest: str, etag: str, result: Any, ctx: Any) -> None:
        """Store the result in place of the lock this invocation holds."""
        encoded = encode_result(result)
        if encoded is None:
            ctx.log.warning(
                "%s: result of type %s has no JSON form; duplicates will return None",
                self.where,
                type(result).__name__,
            )
        record = {
            "status": "completed",
            "hash": digest,
            "expires": time.time() + self.expires,
            "result": encoded,
        }
        try:
            self.store.put(self.record_name(key), json.dumps(record).encode(), if_match=etag)
        except PreconditionFailed:
            ctx.log.warning(
                "%s: the lock on %r lapsed before the handler finished", self.where, key
            )

    def abandon(self, key: str, etag: str) -> None:
        """Remove the lock after a failure, so a retry runs the handler again."""
        # Taken over after the lock lapsed: the new holder's record stays.
        with contextlib.suppress(PreconditionFailed):
            self.store.delete(self.record_name(key), if_match=etag)


def record_folder(module: str, qualname: str) -> str:
    """The folder (under the store) holding the records of function ``module.qualname``."""
    return _UNSAFE.sub("_", f"{module}.{qualname}")


def _lock_until(ctx: Any, now: float) -> float:
    remaining: int | None = ctx.remaining_ms() if ctx is not None else None
    if remaining is None:
        return now + DEFAULT_LOCK.total_seconds()
    return now + remaining / 1000.0


def _parse(data: bytes) -> dict[str, Any]:
    try:
        found = json.loads(data)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _failed(result: Any) -> bool:
    """An HTTP response with a 5xx status counts as a failure: a retry should run again."""
    status = getattr(result, "status", None)
    return type(status) is int and status >= 500 and type(result).__name__ == "Response"


def idempotent(
    store: Any,
    *,
    key: Callable[[Any], Any] | None = None,
    expires: _dt.timedelta = _dt.timedelta(hours=1),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make a handler's effects happen once per idempotency key.

    Stack it under ``@faaskit.handler``::

        @faaskit.handler(faaskit.queue("orders"))
        @faaskit.idempotent("s3://shop-idempotency")
        def charge(message, ctx): ...

    ``store`` is a :class:`~faaskit.storage.BlobStore` or its URL. ``key`` is a function of
    the event returning its key (None: run without deduplication); by default the message
    or record id, or the HTTP ``Idempotency-Key`` header. ``expires`` is how long a completed
    result is returned to duplicates. See :mod:`faaskit._idempotency` for the semantics.
    """
    if not isinstance(expires, _dt.timedelta) or expires.total_seconds() <= 0:
        raise ConfigurationError(
            f"faaskit.idempotent: expires must be a positive timedelta, not {expires!r}"
        )
    if key is not None and not callable(key):
        raise ConfigurationError(
            f"faaskit.idempotent: key must be a function of the event, not {key!r}"
        )

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        from faaskit._handler import Handler

        if isinstance(func, Handler):
            raise ConfigurationError(
                f"faaskit.idempotent on {func.name!r}: stack it under @faaskit.handler "
                "(the handler decorator goes on top)"
            )
        state = Idempotency(store, func=func, key=key, expires=expires)
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(event: Any, ctx: Any) -> Any:
                if is_batch(event):
                    locks = take_batch(state, event, ctx)
                    if locks.empty:
                        return locks.settle(None, ctx)
                    try:
                        result = await func(locks.batch, ctx)
                    except BaseException:
                        locks.release()
                        raise
                    return locks.settle(result, ctx)
                event_key = state.event_key(event)
                if event_key is None:
                    return await func(event, ctx)
                digest = payload_hash(event)
                outcome, value = state.begin(event_key, digest, ctx)
                if outcome == "done":
                    return value
                try:
                    result = await func(event, ctx)
                except BaseException:
                    state.abandon(event_key, value)
                    raise
                _settle(state, event_key, digest, value, result, ctx)
                return result

            run_async.idempotency = state  # type: ignore[attr-defined]
            return run_async

        @functools.wraps(func)
        def run(event: Any, ctx: Any) -> Any:
            if is_batch(event):
                return _run_batch(state, func, event, ctx)
            event_key = state.event_key(event)
            if event_key is None:
                return func(event, ctx)
            digest = payload_hash(event)
            outcome, value = state.begin(event_key, digest, ctx)
            if outcome == "done":
                return value
            try:
                result = func(event, ctx)
            except BaseException:
                state.abandon(event_key, value)
                raise
            _settle(state, event_key, digest, value, result, ctx)
            return result

        run.idempotency = state  # type: ignore[attr-defined]
        return run

    return decorate


def _run_batch(state: Idempotency, func: Callable[..., Any], batch: Any, ctx: Any) -> Any:
    locks = take_batch(state, batch, ctx)
    if locks.empty:
        return locks.settle(None, ctx)
    try:
        result = func(locks.batch, ctx)
    except BaseException:
        locks.release()
        raise
    return locks.settle(result, ctx)


def _settle(state: Idempotency, key: str, digest: str, etag: str, result: Any, ctx: Any) -> None:
    if _failed(result):
        state.abandon(key, etag)
    else:
        state.complete(key, digest, etag, result, ctx)
