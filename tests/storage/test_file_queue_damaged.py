"""file:// queues: a damaged message file is reported by name and the rest still listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from faaskit.exceptions import StorageError
from faaskit.storage._filequeue import FileQueue

DAMAGED = "00000000000000000001-00000000-damaged.msg.json"


def test_file_queue_reports_a_damaged_file_and_lists_the_rest(tmp_path: Path) -> None:
    queue = FileQueue(tmp_path / "q", create=True)
    queue.send("first")
    (tmp_path / "q" / DAMAGED).write_text("{not json")
    queue.send("second")
    with pytest.raises(StorageError, match="damaged"):
        list(queue.messages())
    reported: list[str] = []
    texts = [m.text for m in queue.messages(damaged=lambda path, exc: reported.append(path))]
    assert texts == ["first", "second"]
    assert [Path(p).name for p in reported] == [DAMAGED]
