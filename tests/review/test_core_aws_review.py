"""Regression tests for defects found in review of the core and the AWS adapter."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any, ClassVar

import faaskit
from faaskit._context import local_context
from faaskit._http import HttpRequest
from faaskit._message import Message, MessageBatch
from faaskit._schedule import ScheduleEvent
from faaskit._stream import RecordBatch

_REQUIRED = ("specversion", "id", "source", "type")


class _AsyncCallable:
    async def __call__(self, event: Any, ctx: Any) -> dict[str, Any]:
        await asyncio.sleep(0)
        return {"id": event.id}


def test_callable_object_with_async_call_is_awaited() -> None:
    handler = faaskit.handler(_AsyncCallable())
    assert handler.is_async
    assert handler(Message(id="m-1")) == {"id": "m-1"}


def test_async_handler_called_from_several_threads_at_once() -> None:
    @faaskit.handler
    async def slow(event: Any, ctx: Any) -> str:
        await asyncio.sleep(0.001)
        return str(event.id)

    errors: list[BaseException] = []
    results: list[str] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                results.append(slow(Message(id=f"{n}-{i}")))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == sorted(f"{n}-{i}" for n in range(4) for i in range(10))


def test_cloudevents_always_have_a_non_empty_id() -> None:
    for event in (
        MessageBatch(messages=[]),
        RecordBatch(records=[]),
        ScheduleEvent(),
        HttpRequest(method="GET", path="/"),
        Message(id=""),
    ):
        structure = event.to_cloudevent()
        for name in _REQUIRED:
            assert isinstance(structure[name], str) and structure[name], (event, name)


def test_blob_cloudevents_of_distinct_objects_with_equal_content_have_distinct_ids() -> None:
    """CloudEvents consumers deduplicate on ``source`` + ``id``: equal content (equal ETag)
    in two objects, or a create then a delete of one object, are distinct events.
    """
    from faaskit._blob import BlobEvent

    etag = "d41d8cd98f00b204e9800998ecf8427e"
    a = BlobEvent(bucket="b", key="a.txt", etag=etag, store="s3://b")
    b = BlobEvent(bucket="b", key="b.txt", etag=etag, store="s3://b")
    created = BlobEvent(bucket="b", key="a.txt", action="created", store="s3://b")
    deleted = BlobEvent(bucket="b", key="a.txt", action="deleted", store="s3://b")
    ids = {e.to_cloudevent()["id"] for e in (a, b, created, deleted)}
    assert len(ids) == 4
    assert a.to_cloudevent()["id"] == a.to_cloudevent()["id"]  # redelivery keeps its id


def test_change_feed_record_cloudevent_is_json() -> None:
    """A DynamoDB image holds sets, Decimals and bytes; the CloudEvents JSON format needs
    JSON values in ``data``.
    """
    import json
    from decimal import Decimal

    from faaskit._stream import Record

    new = {
        "id": 7,
        "price": Decimal("19.99"),
        "big": Decimal("1E+2"),
        "tags": {"a", "b"},
        "scores": {Decimal("2.5"), 1},
        "blob": b"\x00\x01",
        "nested": {"list": [Decimal("0.5"), {b"x"}]},
    }
    record = Record(id="1", new=new, old=None, action="insert", source="table")
    structure = record.to_cloudevent()
    data = json.loads(json.dumps(structure))["data"]
    assert data["new"]["id"] == 7
    assert data["new"]["price"] == 19.99
    assert data["new"]["big"] == 100
    assert sorted(data["new"]["tags"]) == ["a", "b"]
    assert sorted(data["new"]["scores"]) == [1, 2.5]
    assert data["new"]["blob"] == "AAE="
    assert data["old"] is None


class _Service:
    """Handlers written as methods, as with any other decorator."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    @faaskit.handler(faaskit.queue("orders"))
    def on_order(self, message: Any, ctx: Any) -> str:
        return f"{self.prefix}:{message.id}"

    @faaskit.handler(faaskit.queue("orders"))
    async def on_order_async(self, message: Any, ctx: Any) -> str:
        await asyncio.sleep(0)
        return f"{self.prefix}:{message.id}"


def test_handler_defined_as_a_method_binds_the_instance() -> None:
    service = _Service("svc")
    assert service.on_order(Message(id="m-1")) == "svc:m-1"
    assert service.on_order_async(Message(id="m-2")) == "svc:m-2"
    bound = service.on_order
    assert isinstance(bound, faaskit.Handler)
    assert bound.name == "on_order" and bound.trigger == faaskit.queue("orders")
    assert isinstance(_Service.on_order, faaskit.Handler)  # through the class: unbound


def test_route_template_with_a_trailing_slash_matches_either_form() -> None:
    """``/items/{id}`` matches ``/items/5`` and ``/items/5/``; ``/items/{id}/`` must too."""
    for route in ("/items/{item_id}", "/items/{item_id}/"):
        trigger = faaskit.http("GET", route)
        assert trigger.match("/items/5") == {"item_id": "5"}, route
        assert trigger.match("/items/5/") == {"item_id": "5"}, route
    plain = faaskit.http("GET", "/health/")
    assert plain.match("/health") == {} and plain.match("/health/") == {}
    assert faaskit.http("GET", "/").match("/") == {}


def test_async_handler_called_directly_from_async_code() -> None:
    """A unit test written as a coroutine (pytest-asyncio, IsolatedAsyncioTestCase) calls the
    handler directly; the running loop must not make the call fail.
    """

    @faaskit.handler
    async def echo(event: Any, ctx: Any) -> str:
        await asyncio.sleep(0)
        return str(event.id)

    @faaskit.handler
    async def fails(event: Any, ctx: Any) -> str:
        raise RuntimeError("handler bug")

    async def test_body() -> tuple[str, str]:
        try:
            fails(Message(id="x"))
        except RuntimeError as exc:
            error = str(exc)
        return echo(Message(id="m-1")), error

    assert asyncio.run(test_body()) == ("m-1", "handler bug")


def _v2_event(path: str = "/data") -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": f"GET {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "example.com"},
        "requestContext": {
            "http": {"method": "GET", "path": path, "sourceIp": "192.0.2.1"},
            "requestId": "req-1",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }


def test_json_response_whose_body_is_not_utf8_is_sent_base64() -> None:
    """API Gateway v2 encoding: a JSON body in another encoding (UTF-16 here) must travel as
    base64 rather than crash the invocation after the handler ran.
    """
    import base64

    body = '{"a":1}'.encode("utf-16")

    @faaskit.handler(faaskit.http("GET", "/data"))
    def data(req: Any, ctx: Any) -> faaskit.Response:
        return faaskit.Response(body, content_type="application/json")

    out = data(_v2_event(), None)
    assert out["statusCode"] == 200
    assert out["isBase64Encoded"] is True
    assert base64.b64decode(out["body"]) == body


def test_http_error_with_header_injection_becomes_a_500() -> None:
    """An HTTPError whose headers cannot be sent is a handler bug: a 500 with the request id,
    never an exception out of the Lambda handler nor a split header.
    """
    import json

    @faaskit.handler(faaskit.http("GET", "/data"))
    def data(req: Any, ctx: Any) -> None:
        raise faaskit.HTTPError(400, "bad", headers={"X-Reason": "a\r\nSet-Cookie: admin=1"})

    out = data(_v2_event(), None)
    assert out["statusCode"] == 500
    assert json.loads(out["body"])["request_id"]
    assert "admin=1" not in json.dumps(out)

    @faaskit.handler(faaskit.http("GET", "/data"))
    async def adata(req: Any, ctx: Any) -> None:
        raise faaskit.HTTPError(400, "bad", headers={"X-Reason": "a\r\nb"})

    from faaskit._run import arun_http

    req = HttpRequest(method="GET", path="/data", route="/data", request_id="r-2")
    response = asyncio.run(arun_http(adata, req, local_context("adata")))
    assert response.status == 500


class _Traced:
    """A class-based decorator, as tracing and retry libraries write them."""

    calls: ClassVar[list[str]] = []

    def __init__(self, func: Any) -> None:
        self.func = func
        self.name = "traced"
        self.raw = True

    def __call__(self, event: Any, ctx: Any) -> Any:
        _Traced.calls.append(event.id)
        return self.func(event, ctx)


def test_handler_over_a_class_based_decorator_keeps_the_decorator() -> None:
    def process(event: Any, ctx: Any) -> str:
        return f"done:{event.id}"

    wrapped = faaskit.handler(faaskit.queue("orders"))(_Traced(process))
    assert wrapped(Message(id="m-1")) == "done:m-1"
    assert _Traced.calls == ["m-1"]  # the decorator ran
    assert wrapped.raw is False  # the decorator's own attributes are not the handler's
    assert wrapped.trigger == faaskit.queue("orders")


def test_redeclaring_a_handler_keeps_its_trigger_and_takes_the_new_name() -> None:
    @faaskit.handler(faaskit.queue("orders"))
    def first(event: Any, ctx: Any) -> str:
        return str(event.id)

    renamed = faaskit.handler(name="renamed")(first)
    assert renamed.name == "renamed"
    assert renamed.trigger == faaskit.queue("orders")
    assert renamed(Message(id="m-1")) == "m-1"


def test_concurrent_first_invocations_load_each_decoder_once(monkeypatch: Any) -> None:
    from faaskit_aws import adapter as invoke

    monkeypatch.setattr(invoke, "_table", list(invoke.HTTP_DECODERS))
    monkeypatch.setattr(invoke, "_loaded", [False])
    barrier = threading.Barrier(8)

    def load() -> None:
        barrier.wait()
        invoke.decoders()

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    table = invoke.decoders()
    assert len(table) == len({id(d) for d in table})


def test_http_request_cloudevent_source_is_a_uri_reference() -> None:
    """``path`` is percent-decoded; the CloudEvents ``source`` must be a URI-reference."""
    from urllib.parse import unquote

    request = HttpRequest(method="GET", path="/files/red flower/café", request_id="r-1")
    source = request.to_cloudevent()["source"]
    assert source.isascii() and " " not in source
    assert unquote(source) == request.path
    assert HttpRequest(method="GET", path="/items/1").to_cloudevent()["source"] == "/items/1"


def _strict_json(text: str) -> Any:
    import json

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_bodies_are_always_valid_json() -> None:
    """NaN and Infinity are not JSON (RFC 8259): a body holding them must never be sent."""

    @faaskit.handler(faaskit.http("GET", "/data"))
    def data(req: Any, ctx: Any) -> dict[str, float]:
        return {"mean": float("nan"), "max": float("inf")}

    out = data(_v2_event(), None)
    _strict_json(out["body"])
    assert out["statusCode"] == 500


def test_batch_result_with_one_id_as_a_string_reports_that_id() -> None:
    """``BatchResult(failed="m-2")`` (a str is a Sequence[str]) must report m-2, not 'm', '-'
    and '2' while m-2 is acknowledged and lost.
    """
    from faaskit._batch import BatchResult

    assert list(BatchResult(failed="m-2").failed) == ["m-2"]

    @faaskit.handler(faaskit.queue("orders", batch=True))
    def whole(batch: Any, ctx: Any) -> BatchResult:
        return BatchResult(failed="m-2")

    messages = [Message(id=f"m-{i}", body=b"x") for i in (1, 2, 3)]
    from faaskit._run import run

    result = run(whole, MessageBatch(messages=messages), local_context("w"), source="test")
    assert list(result.failed) == ["m-2"]


def test_cookie_attributes_cannot_smuggle_other_attributes() -> None:
    """Every cookie attribute is checked, not only the text ones: a ``max_age`` taken from
    user input must not add ``Domain=`` (or anything else) to the Set-Cookie header.
    """
    import pytest

    from faaskit._response_cookie import Cookie

    for cookie in (
        Cookie(value="v", max_age="0; Domain=evil.example"),  # type: ignore[arg-type]
        Cookie(value="v", expires="x; Domain=evil.example"),  # type: ignore[arg-type]
        Cookie(value="v", same_site="Lax; Domain=evil.example"),
    ):
        with pytest.raises(ValueError, match="cookie"):
            faaskit.Response("ok", cookies={"session": cookie})
    ok = faaskit.Response("ok", cookies={"session": Cookie(value="v", max_age=60)})
    assert ok.set_cookie_headers() == ["session=v; Max-Age=60"]


def test_only_one_concurrent_first_invocation_is_a_cold_start(monkeypatch: Any) -> None:
    """Azure runs synchronous functions on a thread pool: two first invocations at once must
    not both report a cold start. The list below lets both threads look at it together.
    """
    from faaskit import _context

    barrier = threading.Barrier(2, timeout=0.5)

    class Together(list[bool]):
        def __bool__(self) -> bool:
            full = len(self) > 0
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            return full

    monkeypatch.setattr(_context, "_cold", Together([True]))
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(_context.take_cold_start()))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
