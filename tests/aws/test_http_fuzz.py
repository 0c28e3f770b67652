"""Robustness: any JSON damage to a real-shaped event gives a native response or a typed
faaskit error, never a bare KeyError/TypeError/AttributeError from inside the adapter.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import faaskit
from tests.aws.http_helpers import FakeLambdaContext, fixture

NAMES = [
    "apigw_v1_cognito",
    "apigw_v1_lambda_authorizer",
    "apigw_v1_iam",
    "apigw_v2_jwt",
    "apigw_v2_lambda_authorizer",
    "apigw_v2_iam",
    "alb_single",
    "alb_multi",
    "function_url_iam",
]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            out += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            out += _paths(inner, (*prefix, index))
    return out


@faaskit.handler
def reads_everything(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    return {
        "method": req.method,
        "path": req.path,
        "query": req.query.to_dict(),
        "headers": req.headers.to_dict(),
        "cookies": dict(req.cookies),
        "body": req.text,
        "ip": req.source_ip,
        "who": None if req.principal is None else [req.principal.id, dict(req.principal.claims)],
        "params": dict(req.path_params),
    }


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_events_never_crash_the_adapter(name: str, data: st.DataObject) -> None:
    event = fixture(name)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(event)
        path = data.draw(st.sampled_from(paths))
        parent = event
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(JSON)
    try:
        native = reads_everything(event, FakeLambdaContext())
    except faaskit.FaaskitError:
        return
    assert isinstance(native, dict)
    assert isinstance(native["statusCode"], int)
    # a 500 would mean the decoder handed the handler something it could not read
    assert native["statusCode"] in (200, 400), native
