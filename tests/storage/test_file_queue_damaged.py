"""file:// queues: a damaged message file is reported by name, with the reason, and the rest
still listed; every kind of damage (nesting, an id that is not the file name, a body that is
not base64, ...) is caught, a damaged file is never delivered (not as an empty body either)
and never mistaken for another message.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faaskit.devserver.pumps import readable
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


NAME = "00000000000000000005-00000000-abcdef012345"


def _record(**changes: Any) -> dict[str, Any]:
    record = {
        "id": NAME,
        "body": "aGVsbG8=",
        "attributes": {"n": ["int", 1], "b": ["bytes", "AAE="]},
        "enqueued_at": "2026-01-01T00:00:00+00:00",
    }
    record.update(changes)
    return record


DAMAGE: dict[str, bytes] = {
    "deep nesting": b'{"id": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    "deep nesting in attributes": json.dumps(_record())
    .encode()
    .replace(b'"n": ["int", 1]', b'"n": ' + b"[" * 5_000 + b"]" * 5_000),
    "id not a string": json.dumps(_record(id=5)).encode(),
    "id of another message": json.dumps(_record(id="00000000000000000001-x")).encode(),
    "id with a path": json.dumps(_record(id="../" + NAME)).encode(),
    "body not base64": json.dumps(_record(body="!!not base64!!")).encode(),
    "body not text": json.dumps(_record(body=None)).encode(),
    "body missing": json.dumps({k: v for k, v in _record().items() if k != "body"}).encode(),
    "attribute not a pair": json.dumps(_record(attributes={"n": ["int"]})).encode(),
    "attribute of the wrong type": json.dumps(_record(attributes={"n": ["int", "1"]})).encode(),
    "attribute bytes not base64": json.dumps(_record(attributes={"b": ["bytes", "%%"]})).encode(),
    "NaN": json.dumps(_record()).encode().replace(b'["int", 1]', b'["float", NaN]'),
    "not an object": b"[1, 2]",
    "not JSON": b"\x00\xffnot a message",
    "bad time": json.dumps(_record(enqueued_at=7)).encode(),
}


def _queue(tmp_path: Path, damaged: bytes) -> FileQueue:
    queue = FileQueue(tmp_path / "q", create=True)
    queue.send("before")
    (tmp_path / "q" / f"{NAME}.msg.json").write_bytes(damaged)
    queue.send("after")
    return queue


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_each_kind_of_damage_is_reported_and_the_rest_delivered(kind: str, tmp_path: Path) -> None:
    queue = _queue(tmp_path, DAMAGE[kind])
    reported: list[tuple[str, Exception]] = []
    texts = [m.text for m in queue.messages(damaged=lambda p, e: reported.append((p, e)))]
    assert texts == ["before", "after"]
    ((path, error),) = reported
    assert Path(path).name == f"{NAME}.msg.json" and str(error)
    with pytest.raises(StorageError, match=NAME):
        list(queue.messages())


def test_the_valid_file_itself_is_delivered(tmp_path: Path) -> None:
    queue = _queue(tmp_path, json.dumps(_record()).encode())
    (message,) = [m for m in queue.messages() if m.id == NAME]
    assert (message.body, dict(message.attributes)) == (b"hello", {"n": 1, "b": b"\x00\x01"})


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_damage_is_reported_or_gives_the_message_the_file_holds(
    tmp_path_factory: Any, data: st.DataObject
) -> None:
    valid = json.dumps(_record()).encode()
    damaged = data.draw(
        st.one_of(
            st.binary(max_size=300),
            st.integers(0, len(valid)).map(lambda n: valid[:n]),
            st.tuples(st.integers(0, len(valid) - 1), st.binary(min_size=1, max_size=4)).map(
                lambda cut: valid[: cut[0]] + cut[1] + valid[cut[0] + 1 :]
            ),
        )
    )
    queue = _queue(tmp_path_factory.mktemp("q"), damaged)
    reported: list[str] = []
    messages = list(queue.messages(damaged=lambda p, e: reported.append(p)))
    assert [m.text for m in messages if m.id != NAME] == ["before", "after"]
    mine = [m for m in messages if m.id == NAME]
    assert len(mine) + len(reported) == 1
    for message in mine:  # a mutation that left a valid file: exactly what it holds
        record = json.loads(damaged)
        assert message.body == base64.b64decode(record["body"], validate=True)


def test_the_dev_server_sets_damaged_files_aside_with_the_reason(tmp_path: Path) -> None:
    queue = _queue(tmp_path, DAMAGE["id of another message"])
    dead = tmp_path / "dead"
    assert [m.text for m in readable(queue, dead)] == ["before", "after"]
    assert (dead / f"{NAME}.msg.json.damaged").read_bytes() == DAMAGE["id of another message"]
    assert "is not the file name" in (dead / f"{NAME}.reason.txt").read_text()
    assert not list(dead.glob("*.msg.json"))
    assert [m.text for m in readable(queue, dead)] == ["before", "after"]
