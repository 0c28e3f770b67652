"""Running an async handler's coroutine to completion from synchronous code."""

from __future__ import annotations

import threading
from collections.abc import Coroutine
from typing import TypeVar

__all__ = ["run_coroutine"]

T = TypeVar("T")

# One event loop per thread: a loop runs one coroutine at a time, and threads calling
# async handlers concurrently (tests, thread pools) must not share it.
_loops = threading.local()


def run_coroutine(coro: Coroutine[object, None, T]) -> T:
    """The result of ``coro``, run on this thread's own event loop."""
    loop = getattr(_loops, "loop", None)
    if loop is None or loop.is_closed():
        import asyncio

        loop = _loops.loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    except RuntimeError:
        import asyncio

        if asyncio._get_running_loop() is None:
            raise
    # Called from code already running a loop (an async test calling the handler directly):
    # that loop cannot be blocked on, so the coroutine runs to completion on a thread of its own.
    return _on_thread(coro)


def _on_thread(coro: Coroutine[object, None, T]) -> T:
    import asyncio
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="faaskit") as pool:
        return pool.submit(asyncio.run, coro).result()
