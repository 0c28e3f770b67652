"""Strict JSON everywhere faaskit reads it: deep nesting and non-finite numbers are refused with
the documented typed errors (400 for requests, ``InvalidEventError`` for messages and records),
never a ``RecursionError`` or an echo that answers 500.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from faaskit import Context, HttpRequest, InvalidEventError, Message, Record
from faaskit._json import loads
from faaskit._run import run_http

CTX = Context(request_id="req-1", function_name="fn", platform="local")
NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1E+999", "[1, NaN]", '{"a": Infinity}']

FINITE_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _deep(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth if opener == "[" else '{"a":' * depth + "1" + "}" * depth


@settings(max_examples=100, deadline=None)
@given(FINITE_JSON)
def test_finite_json_parses_as_the_standard_library_does(value: Any) -> None:
    text = json.dumps(value)
    assert loads(text) == json.loads(text)
    assert loads(text.encode("utf-16")) == json.loads(text.encode("utf-16"))


@settings(max_examples=30, deadline=None)
@given(depth=st.integers(min_value=2_000, max_value=200_000), kind=st.sampled_from("[{"))
def test_deep_nesting_is_a_value_error(depth: int, kind: str) -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        loads(_deep(depth, kind))


@pytest.mark.parametrize("text", NON_FINITE)
def test_non_finite_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"finite|too large"):
        loads(text)


def test_large_finite_floats_still_parse() -> None:
    assert loads("1.7976931348623157e308") == 1.7976931348623157e308
    assert math.isclose(loads("-2.5e-300"), -2.5e-300)


def _echo() -> Any:
    @faaskit.handler(faaskit.http("POST", "/echo"))
    def echo(req: HttpRequest, ctx: Context) -> Any:
        return {"got": req.json()}

    return echo


@settings(max_examples=25, deadline=None)
@given(
    body=st.sampled_from(NON_FINITE)
    | st.integers(min_value=2_000, max_value=50_000).map(_deep)
    | st.integers(min_value=2_000, max_value=50_000).map(lambda n: _deep(n, "{", "}"))
)
def test_request_json_answers_400_for_deep_or_non_finite_bodies(body: str) -> None:
    request = HttpRequest(method="POST", path="/echo", body=body.encode())
    response = run_http(_echo(), request, CTX)
    assert response.status == 400
    assert "not valid JSON" in json.loads(response.body)["message"]


@settings(max_examples=50, deadline=None)
@given(FINITE_JSON)
def test_a_json_echo_never_answers_500(value: Any) -> None:
    request = HttpRequest(method="POST", path="/echo", body=json.dumps(value).encode())
    response = run_http(_echo(), request, CTX)
    assert response.status == 200
    assert json.loads(response.body) == {"got": json.loads(json.dumps(value))}


@pytest.mark.parametrize("body", [*NON_FINITE, _deep(5_000), _deep(5_000, "{", "}")])
def test_message_and_record_json_refuse_with_invalid_event_error(body: str) -> None:
    message = Message(id="m-1", body=body.encode(), source="orders")
    with pytest.raises(InvalidEventError) as info:
        message.json()
    assert info.value.field == "body" and "m-1" in str(info.value)
    record = Record(id="42", data=body.encode(), source="clicks")
    with pytest.raises(InvalidEventError) as info:
        record.json()
    assert info.value.source == "clicks" and "42" in str(info.value)


def test_to_cloudevent_of_a_deep_message_does_not_crash() -> None:
    message = Message(id="m-1", body=_deep(5_000).encode())
    assert message.to_cloudevent()["datacontenttype"] == "text/plain"
