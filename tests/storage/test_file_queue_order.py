"""file:// queues: send order and damaged message files."""

from __future__ import annotations

from pathlib import Path

import pytest

from faaskit import storage


def test_the_local_queue_keeps_send_order_when_the_clock_steps_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faaskit.storage import _filequeue

    real = _filequeue.time.time_ns
    steps = iter([real() + 3_000_000_000, real() + 2_000_000_000, real() + 1_000_000_000])
    monkeypatch.setattr(_filequeue.time, "time_ns", lambda: next(steps, None) or real())
    queue = _filequeue.FileQueue(tmp_path / "q", create=True, durable=False)
    for body in ("first", "second", "third"):
        queue.send(body)
    assert [m.text for m in queue.messages()] == ["first", "second", "third"]


@pytest.mark.parametrize(
    "record", ['{"id": "x"}', '{"id": "x", "body": 5, "attributes": {}, "enqueued_at": "t"}', "[]"]
)
def test_a_damaged_message_file_is_a_storage_error_naming_it(tmp_path: Path, record: str) -> None:
    from faaskit.storage._filequeue import FileQueue

    queue = FileQueue(tmp_path / "q", create=True, durable=False)
    (tmp_path / "q" / "00000000000000000001-damaged.msg.json").write_text(record)
    with pytest.raises(storage.StorageError, match="damaged"):
        list(queue.messages())
