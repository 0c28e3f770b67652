"""faaskit_aws.adapter: the decoder table loads once under concurrent first invocations."""

from __future__ import annotations

import threading
from typing import Any


def test_concurrent_first_invocations_load_each_decoder_once(monkeypatch: Any) -> None:
    from faaskit_aws import adapter

    monkeypatch.setattr(adapter, "_table", list(adapter.HTTP_DECODERS))
    monkeypatch.setattr(adapter, "_loaded", [False])
    barrier = threading.Barrier(8)

    def load() -> None:
        barrier.wait()
        adapter.decoders()

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    table = adapter.decoders()
    assert len(table) == len({id(d) for d in table})
