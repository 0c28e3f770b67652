"""faaskit.handler: callables, methods, decorators, async handlers called from threads and
coroutines.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, ClassVar

import faaskit
from faaskit._message import Message


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
