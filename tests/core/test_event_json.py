"""``Message.json()`` and ``Record.json()`` parse exactly what ``json.loads`` parses from bytes.

UTF-8 bodies are decoded before parsing (quicker); bodies with a BOM or in UTF-16 / UTF-32 are
left to ``json.loads``' own detection. Either way the result, or the refusal, is the same.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from faaskit._message import Message
from faaskit._stream import Record

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"]


def _expected(data: bytes) -> tuple[str, Any]:
    try:
        return "value", json.loads(data)
    except ValueError:
        return "refused", None


def _parsed(data: bytes) -> tuple[str, Any]:
    outcomes = set()
    for event in (Message(id="m", body=data, source="q"), Record(id="1", data=data)):
        try:
            outcomes.add(("value", json.dumps(event.json(), sort_keys=True)))
        except faaskit.InvalidEventError as exc:
            assert exc.field == "body" and event.id in str(exc)
            outcomes.add(("refused", None))
    assert len(outcomes) == 1
    ((kind, text),) = outcomes
    return kind, None if text is None else json.loads(text)


@settings(max_examples=200, deadline=None)
@given(value=JSON, encoding=st.sampled_from(ENCODINGS))
def test_encoded_documents_parse_as_json_loads_parses_them(value: Any, encoding: str) -> None:
    try:
        data = json.dumps(value, ensure_ascii=False).encode(encoding)
    except UnicodeEncodeError:  # lone surrogates in the generated text
        data = json.dumps(value).encode(encoding)
    assert _parsed(data) == _expected(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=12))
def test_arbitrary_bytes_parse_or_fail_as_json_loads_does(data: bytes) -> None:
    assert _parsed(data) == _expected(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"{", b'"\xed\xa0\x80"', b"\xef\xbb\xbf[1]", b"1\x00", b" [1] ", b"\xff"],
)
def test_edge_bodies(data: bytes) -> None:
    assert _parsed(data) == _expected(data)
