"""Every trigger declaration, and the invalid ones a user can write."""

from __future__ import annotations

from typing import Any

import pytest

import faaskit
from faaskit import ConfigurationError, Trigger


def test_http_declaration() -> None:
    t = faaskit.http("get", "/items/{item_id}", auth="iam", cors=True)
    assert isinstance(t, Trigger) and t.kind == "http"
    assert t.methods == ("GET",)
    assert t.route == "/items/{item_id}"
    assert t.params == ("item_id",)
    assert (t.auth, t.cors) == ("iam", True)


@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        ("GET", ("GET",)),
        ("get, post", ("GET", "POST")),
        ("GET POST GET", ("GET", "POST")),
        (["put", "DELETE"], ("PUT", "DELETE")),
        (("PATCH",), ("PATCH",)),
        ("ANY", ("ANY",)),
        ("*", ("ANY",)),
        (["GET", "any"], ("ANY",)),
    ],
)
def test_http_methods(methods: Any, expected: tuple[str, ...]) -> None:
    t = faaskit.http(methods, "/")
    assert t.methods == expected
    assert all(t.allows(m) for m in expected if m != "ANY")


def test_allows() -> None:
    assert faaskit.http("GET", "/").allows("get")
    assert not faaskit.http("GET", "/").allows("POST")
    assert faaskit.http("ANY", "/").allows("DELETE")


@pytest.mark.parametrize(
    ("methods", "route"),
    [
        ("FETCH", "/"),
        ("", "/"),
        ([], "/"),
        (None, "/"),
        ("GET", "items"),
        ("GET", ""),
        ("GET", None),
        ("GET", 42),
        ("GET", "/items/{id"),
        ("GET", "/items/id}"),
        ("GET", "/items/{}"),
        ("GET", "/items/{1abc}"),
        ("GET", "/a/{x}/{x}"),
        ("GET", "/files/{path+}/more"),
        ("GET", "/has space"),
        ("GET", "/query?x=1"),
    ],
)
def test_invalid_http_declarations(methods: Any, route: Any) -> None:
    with pytest.raises(ConfigurationError):
        faaskit.http(methods, route)


def test_blob_declaration() -> None:
    t = faaskit.blob("uploads", prefix="in/", suffix=".csv", events=["created", "deleted"])
    assert (t.kind, t.bucket, t.prefix, t.suffix, t.events) == (
        "blob",
        "uploads",
        "in/",
        ".csv",
        ("created", "deleted"),
    )
    assert faaskit.blob("b", events="deleted").events == ("deleted",)
    assert faaskit.blob("b").events == ("created",)


def test_queue_topic_stream_declarations() -> None:
    q = faaskit.queue("jobs", batch=True)
    assert (q.kind, q.name, q.batch) == ("message", "jobs", True)
    assert faaskit.queue("jobs").batch is False
    t = faaskit.topic("alerts")
    assert (t.kind, t.name) == ("message", "alerts")
    s = faaskit.stream("clicks")
    assert (s.kind, s.name) == ("stream", "clicks")


@pytest.mark.parametrize("expression", ["rate(5 minutes)", "cron(0 12 * * ? *)", "0 */5 * * * *"])
def test_schedule_declaration(expression: str) -> None:
    t = faaskit.schedule(expression)
    assert (t.kind, t.expression) == ("schedule", expression)


def test_events_declaration() -> None:
    t = faaskit.events({"source": ["aws.s3"]}, bus="default")
    assert (t.kind, dict(t.pattern), t.bus) == ("event", {"source": ["aws.s3"]}, "default")


@pytest.mark.parametrize(
    "declare",
    [
        lambda: faaskit.blob(""),
        lambda: faaskit.blob(None),
        lambda: faaskit.blob("   "),
        lambda: faaskit.queue(""),
        lambda: faaskit.queue(7),
        lambda: faaskit.topic(""),
        lambda: faaskit.stream(""),
        lambda: faaskit.schedule(""),
        lambda: faaskit.schedule("every tuesday"),
        lambda: faaskit.schedule("rate(0 minutes)"),
        lambda: faaskit.schedule("cron(61 * * * ? *)"),
        lambda: faaskit.events({}),
        lambda: faaskit.events(["source"]),
        lambda: faaskit.events(None),
    ],
)
def test_invalid_declarations_are_configuration_errors(declare: Any) -> None:
    with pytest.raises(ConfigurationError):
        declare()


def test_declarations_are_frozen_and_comparable() -> None:
    assert faaskit.http("GET", "/a") == faaskit.http("GET", "/a")
    assert faaskit.queue("q") != faaskit.queue("r")
    with pytest.raises(AttributeError):
        faaskit.queue("q").name = "r"  # type: ignore[misc]


def test_configuration_error_is_a_value_error() -> None:
    assert issubclass(ConfigurationError, ValueError)
    assert issubclass(ConfigurationError, faaskit.FaaskitError)
