"""faaskit Context.cold_start: one cold start per process, even under concurrent first calls."""

from __future__ import annotations

import contextlib
import threading
from typing import Any


def test_only_one_concurrent_first_invocation_is_a_cold_start(monkeypatch: Any) -> None:
    """Azure runs synchronous functions on a thread pool: two first invocations at once must
    not both report a cold start. The list below lets both threads look at it together.
    """
    from faaskit import _context

    barrier = threading.Barrier(2, timeout=0.5)

    class Together(list[bool]):
        def __bool__(self) -> bool:
            full = len(self) > 0
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            return full

    monkeypatch.setattr(_context, "cold", Together([True]))
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(_context.take_cold_start()))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
