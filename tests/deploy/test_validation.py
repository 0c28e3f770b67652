"""Validation in process: each problem names its handler; YAML output reads back as written."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

import faaskit
from faaskit.deploy import App, Function, validate
from faaskit.deploy._output import dump_yaml
from faaskit.exceptions import ConfigurationError


def _app(*handlers: faaskit.Handler) -> App:
    from pathlib import Path

    functions = tuple(Function.of(h.name, h) for h in handlers)
    return App(module="app", root=Path("."), source="app.py", functions=functions)


def _h(trigger: Any, name: str, **options: Any) -> faaskit.Handler:
    def body(event: Any, ctx: Any) -> None:
        return None

    body.__name__ = name
    return faaskit.handler(trigger, **options)(body)


@pytest.mark.parametrize(
    ("handlers", "needles"),
    [
        (
            [_h(faaskit.http("GET", "/a", cors={"origins": ["*"], "credentials": True}), "c")],
            ["'c'", "credentials"],
        ),
        (
            [
                _h(faaskit.blob("up-bucket", prefix="in/"), "one"),
                _h(faaskit.blob("up-bucket", prefix="in/deep/"), "two"),
            ],
            ["'one'", "'two'", "overlapping"],
        ),
        (
            [_h(faaskit.queue("jobs"), "first"), _h(faaskit.queue("jobs"), "second")],
            ["'first'", "'second'", "both consume queue 'jobs'"],
        ),
        ([_h(faaskit.queue("jobs"), "w", writes=["ftp://x"])], ["'w'", "ftp://x"]),
        ([_h(faaskit.topic("news"), "r", reads=["sns://news"])], ["'r'", "cannot be read"]),
        (
            [_h(faaskit.http("GET", "/q", throttle={"quota": {"limit": 5}}), "q")],
            ["'q'", "api_key"],
        ),
        ([_h(faaskit.http("GET", "/t", throttle={"speed": 1}), "t")], ["'t'", "throttle"]),
        ([_h(faaskit.blob("Bad_Bucket"), "b")], ["'b'", "Bad_Bucket"]),
        ([_h(faaskit.queue("jobs\n"), "nl")], ["'nl'", "queue 'jobs\\n'"]),
        ([_h(faaskit.queue("jobs"), "m", memory=64)], ["'m'", "memory"]),
        ([_h(faaskit.stream("s", starting_position="AT_TIMESTAMP"), "s")], ["'s'", "LATEST"]),
        ([_h(faaskit.http("GET", "/x//y"), "g")], ["'g'", "empty path segment"]),
    ],
)
def test_problems_name_the_handler(handlers: list[faaskit.Handler], needles: list[str]) -> None:
    with pytest.raises(ConfigurationError) as info:
        validate(_app(*handlers))
    for needle in needles:
        assert needle in str(info.value)


def test_different_methods_on_one_route_are_fine() -> None:
    validate(
        _app(
            _h(faaskit.http("GET", "/items/{id}"), "read"),
            _h(faaskit.http("DELETE", "/items/{id}"), "remove"),
            _h(faaskit.blob("up-bucket", prefix="a/"), "a"),
            _h(faaskit.blob("up-bucket", prefix="b/"), "b"),
        )
    )


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_SCALARS = st.none() | st.booleans() | st.integers() | _TEXT
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(_TEXT, _DATA, max_size=5))
@example({"": ["A:"]})  # a plain scalar ending in ":" once read back as a mapping
@example({"key:": "value:"})
def test_yaml_reads_back_as_written(data: dict[str, Any]) -> None:
    assert yaml.safe_load(dump_yaml(data)) == (data or {})
