"""Fuzz every decoder, AWS and Azure, with random and truncated payloads derived from the
project's own fixtures and the event factories of :mod:`faaskit.testing`: recognising,
decoding, reading every field of the result and encoding an answer may raise only
:class:`faaskit.FaaskitError` subclasses, never an untyped exception.

Normal runs keep it short; ``FAASKIT_FUZZ=1`` loads the ``faaskit-fuzz`` Hypothesis profile
(``FAASKIT_FUZZ_EXAMPLES`` examples per test, 1500 by default: about a minute in all), which
``.ci/run`` runs as a step of its own.
"""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import faaskit
from faaskit import FaaskitError, Response
from faaskit._batch import BatchResult
from faaskit._context import local_context
from faaskit.testing import LambdaContext
from faaskit.testing.sources import SOURCES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "aws"
PROFILE = "faaskit-fuzz"
settings.register_profile(
    PROFILE,
    max_examples=int(os.environ.get("FAASKIT_FUZZ_EXAMPLES", "1500")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
FUZZ = (
    settings(settings.get_profile(PROFILE))
    if os.environ.get("FAASKIT_FUZZ")
    else settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
)


def _aws_seeds() -> list[Any]:
    seeds = [source.factory() for source in SOURCES.values() if source.platform == "aws"]
    for path in sorted(FIXTURES.rglob("*.json")):
        seeds.append(json.loads(path.read_text(encoding="utf-8")))
    return seeds


def _azure_seeds() -> list[Any]:
    return [source.factory() for source in SOURCES.values() if source.platform == "azure"]


AWS_SEEDS = _aws_seeds()
AZURE_SEEDS = _azure_seeds()

# Hostile leaves: what the clouds never send but a careless client or an attacker may.
NASTY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -0.0, 10**400]),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "1e999999",
            "-1E+500000",
            "9" * 5000,
            "NaN",
            "%",
            "%2F%25%",
            "http://[::1",
            "9999-12-31T23:59:59-05:00",
            "0001-01-01T00:00:00+01:00",
            "not base64!",
            "\ud800",
            "[" * 3000,
            '{"a":' * 3000,
            "eyJhIjpbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1s=",
        ]
    ),
    st.integers(min_value=40, max_value=5000).map(lambda n: _nested(n, "list")),
    st.integers(min_value=40, max_value=5000).map(lambda n: _nested(n, "dict")),
    st.integers(min_value=40, max_value=3000).map(lambda n: _nested(n, "dynamodb")),
)
JSON = st.recursive(
    NASTY,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _nested(depth: int, kind: str) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = (
            [value]
            if kind == "list"
            else {"M": {"k": value}}
            if kind == "dynamodb"
            else {"a": value}
        )
    return value if kind != "dynamodb" else {"M": {"k": value}}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if len(prefix) > 12:  # not into the deep values a mutation put there
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


class Doc:
    """A mutated payload with a short repr (Hypothesis prints what it drew; some are deep)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        try:
            text = json.dumps(self.value, default=repr)
        except (ValueError, RecursionError):
            text = "<too deep to print>"
        return f"Doc({text[:2000]})"


@st.composite
def mutated(draw: st.DrawFn, seeds: list[Any]) -> Doc:
    """A seed with one to three of: a node replaced, a key dropped, a string or list cut short,
    a JSON text inside it truncated.
    """
    document = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(document))
        path = draw(st.sampled_from(paths))
        if not path:
            if draw(st.booleans()):
                document = draw(JSON)
            continue
        parent, last = _get(document, path[:-1]), path[-1]
        node = parent[last]
        action = draw(st.sampled_from(["replace", "drop", "truncate", "retype"]))
        if action == "drop" and isinstance(parent, dict):
            del parent[last]
        elif action == "truncate" and isinstance(node, str | list) and node:
            parent[last] = node[: draw(st.integers(0, len(node) - 1))]
        elif action == "retype" and isinstance(node, str) and node[:1] in "{[":
            parent[last] = node[: draw(st.integers(0, len(node)))] + draw(
                st.sampled_from(["", "NaN", "[" * 3000])
            )
        else:
            parent[last] = draw(JSON)
    return Doc(document)


def _touch(value: Any, seen: int = 0) -> None:
    """Read everything a handler could read of a decoded event."""
    if seen > 3 or value is None:
        return
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            _guard(lambda f=field: _touch(getattr(value, f.name.lstrip("_")), seen + 1))
        for name in ("text", "body", "content_type"):
            _guard(lambda n=name: getattr(value, n, None))
        for method in ("json", "to_cloudevent"):
            if hasattr(value, method):
                _guard(getattr(value, method))
    elif isinstance(value, str | bytes):
        return
    elif hasattr(value, "items"):
        _guard(lambda: [(_touch(k, seen + 1), _touch(v, seen + 1)) for k, v in value.items()])
        if hasattr(value, "getall"):
            _guard(lambda: [value.getall(k) for k in list(value)])
    elif isinstance(value, list | tuple):
        for item in value:
            _touch(item, seen + 1)


class Untyped(AssertionError):
    """An exception that is not a FaaskitError escaped."""


def _guard(call: Any) -> Any:
    try:
        return call()
    except FaaskitError:
        return None
    except Untyped:
        raise
    except Exception as exc:
        import traceback

        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/tests/" not in f.filename]
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        raise Untyped(f"{type(exc).__name__}: {exc!s:.300}{where}") from exc


def _answer(portable: Any) -> Any:
    kind = type(portable).__name__
    if kind == "HttpRequest":
        return Response.json({"ok": True}, cookies={"a": "1"})
    if kind in ("MessageBatch", "RecordBatch"):
        items = portable.messages if kind == "MessageBatch" else portable.records
        return BatchResult(failed=[items[0].id]) if items else BatchResult()
    return None


def _exercise(decoder: Any, raw: Any, ctx: Any) -> None:
    if not _guard(lambda: decoder.recognise(raw)):
        return
    portable = _guard(lambda: decoder.decode(raw, ctx))
    if portable is None:
        return
    _touch(portable)
    for item in portable if isinstance(portable, tuple) else (portable,):
        _guard(lambda i=item: decoder.encode(_answer(i), raw))


def _aws_decoders() -> Any:
    from faaskit_aws.adapter import decoders

    return decoders()


@FUZZ
@given(doc=mutated(AWS_SEEDS))
def test_aws_decoders_raise_only_typed_errors(doc: Doc) -> None:
    ctx = local_context("fuzz")
    for decoder in _aws_decoders():
        _exercise(decoder, doc.value, ctx)


@FUZZ
@given(doc=mutated(AWS_SEEDS))
def test_a_bare_handler_on_aws_sees_only_typed_errors(doc: Doc) -> None:
    problems: list[str] = []

    @faaskit.handler
    def probe(portable: Any, ctx: Any) -> Any:
        try:
            _touch(portable)
        except Untyped as exc:
            problems.append(str(exc))
        return None

    _guard(lambda: probe(doc.value, LambdaContext()))
    assert problems == []


def _azure_decoders() -> list[Any]:
    from faaskit_azure import blob, event, http, message, schedule, stream

    return [
        http.HTTP,
        http.AzureHttp(faaskit.http("GET", "/files/{name}"), route_prefix="api"),
        *blob.DECODERS,
        *event.DECODERS,
        *message.DECODERS,
        *schedule.DECODERS,
        *stream.DECODERS,
    ]


@FUZZ
@given(doc=mutated(AZURE_SEEDS))
def test_azure_decoders_raise_only_typed_errors(doc: Doc) -> None:
    pytest.importorskip("azure.functions")
    from faaskit.testing.azure_objects import build

    try:
        raw = build(doc.value)
    except Exception:
        return
    ctx = local_context("fuzz")
    for decoder in _azure_decoders():
        _exercise(decoder, raw, ctx)
