"""End-of-invocation work: callbacks that run once, after the handler, on every platform.

Features that buffer per invocation (metrics, spans, ...) register a callback for the
invocation's :class:`~faaskit.Context` with :func:`on_finish`; the pipeline calls
:func:`finish` when the invocation is over, whether the handler returned or raised. An
invocation that registered nothing costs one truthiness test.

Callbacks are kept by the context's identity: the Azure worker runs synchronous functions
concurrently on a thread pool, so there is no single "current" invocation.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["finish", "on_finish", "pending"]

Finisher = Callable[[BaseException | None], None]

pending: dict[int, list[Finisher]] = {}


def on_finish(ctx: object, callback: Finisher) -> None:
    """Run ``callback(error)`` once the invocation ``ctx`` belongs to is over."""
    pending.setdefault(id(ctx), []).append(callback)


def finish(ctx: object, error: BaseException | None = None) -> None:
    """Run (and forget) the callbacks registered for ``ctx``, in registration order.

    Every callback runs even when an earlier one raises; the first such exception is raised
    after the last callback, unless the invocation itself already failed with ``error``.
    """
    callbacks = pending.pop(id(ctx), None)
    if not callbacks:
        return
    failure: BaseException | None = None
    for callback in callbacks:
        try:
            callback(error)
        except Exception as exc:
            failure = failure or exc
    if failure is not None and error is None:
        raise failure
