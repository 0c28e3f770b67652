"""faaskit._lazy: a pending field read by several threads at once resolves to one value."""

from __future__ import annotations

import threading
from typing import Any

import attrs

from faaskit._lazy import Pending, deferrable


def test_threads_reading_a_pending_field_at_once_get_one_value() -> None:
    barrier = threading.Barrier(2)

    class Slow(Pending):
        __slots__ = ()

        def resolve(self, instance: Any, name: str) -> Any:
            barrier.wait(timeout=5)
            return object()

    @deferrable("value")
    @attrs.frozen
    class Item:
        value: Any

    item = Item(value=Slow())
    seen: list[Any] = []
    threads = [threading.Thread(target=lambda: seen.append(item.value)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 2
    assert seen[0] is seen[1] is item.value
