"""Message.json() and Record.json() on bodies that are not bytes."""

from __future__ import annotations

from faaskit._message import Message
from faaskit._stream import Record


def test_json_of_a_text_body_parses_it_as_json_loads_does() -> None:
    assert Message(id="m", body='{"a": 1}').json() == {"a": 1}  # type: ignore[arg-type]
    assert Record(id="r", data='[1, "\\u00e9"]').json() == [1, "é"]  # type: ignore[arg-type]
    assert Message(id="m", body=bytearray(b'{"a": 1}')).json() == {"a": 1}  # type: ignore[arg-type]
