"""faaskit.handler: bare, with a trigger, keyword forms, async, and direct calls."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import faaskit
from faaskit import ConfigurationError, Context, Handler, HttpRequest


def _request(**fields: Any) -> HttpRequest:
    return HttpRequest(method="GET", path="/items/7", **fields)


def test_bare_decorator_returns_a_handler_named_after_the_function() -> None:
    @faaskit.handler
    def anything(event: Any, ctx: Context) -> Any:
        """Doc kept."""
        return event

    assert isinstance(anything, Handler)
    assert anything.trigger is None
    assert anything.name == "anything"
    assert anything.__doc__ == "Doc kept."
    assert anything.raw is False


def test_decorator_with_a_positional_trigger() -> None:
    trigger = faaskit.http("GET", "/items/{item_id}")

    @faaskit.handler(trigger)
    def get_item(req: HttpRequest, ctx: Context) -> dict[str, str]:
        return {"id": req.path_params["item_id"]}

    assert get_item.trigger is trigger


def test_decorator_with_keyword_trigger_name_and_raw() -> None:
    trigger = faaskit.queue("jobs")

    @faaskit.handler(trigger=trigger, name="job-runner", raw=True)
    def run(event: Any, ctx: Context) -> None:
        return None

    assert run.trigger is trigger
    assert run.name == "job-runner"
    assert run.raw is True


def test_decorator_with_empty_parentheses() -> None:
    @faaskit.handler()
    def plain(event: Any, ctx: Context) -> str:
        return "ok"

    assert plain.trigger is None
    assert plain(_request()) == "ok"


def test_direct_call_with_a_portable_event_runs_the_function_as_written() -> None:
    @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
    def get_item(req: HttpRequest, ctx: Context) -> dict[str, Any]:
        return {"id": req.path_params["item_id"], "platform": ctx.platform}

    result = get_item(_request(path_params={"item_id": "7"}))
    assert result == {"id": "7", "platform": "local"}


def test_direct_call_uses_the_given_context() -> None:
    ctx = Context(request_id="r-1", function_name="f", platform="local")

    @faaskit.handler
    def echo_ctx(event: Any, c: Context) -> Context:
        return c

    assert echo_ctx(_request(), ctx) is ctx


def test_direct_call_lets_exceptions_through_for_unit_tests() -> None:
    @faaskit.handler
    def boom(event: Any, ctx: Context) -> None:
        raise faaskit.NotFoundError("nope")

    with pytest.raises(faaskit.NotFoundError):
        boom(_request())


def test_async_handler_is_awaited_on_a_direct_call() -> None:
    @faaskit.handler
    async def slow(event: HttpRequest, ctx: Context) -> str:
        await asyncio.sleep(0)
        return event.path

    assert slow.is_async
    assert slow(_request()) == "/items/7"
    assert slow(_request(path_params={})) == "/items/7"  # the loop is reusable


def test_async_handler_from_async_code() -> None:
    @faaskit.handler
    async def slow(event: HttpRequest, ctx: Context) -> str:
        return event.method

    @faaskit.handler
    def fast(event: HttpRequest, ctx: Context) -> str:
        return event.method

    ctx = Context(request_id="r", function_name="f", platform="local")
    assert asyncio.run(slow.acall(_request(), ctx)) == "GET"
    assert asyncio.run(fast.acall(_request(), ctx)) == "GET"


def test_async_handler_through_the_http_semantics() -> None:
    from faaskit._run import run_http

    @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
    async def get_item(req: HttpRequest, ctx: Context) -> dict[str, str]:
        return {"id": req.path_params["item_id"]}

    ctx = Context(request_id="r", function_name="f", platform="local")
    response = run_http(get_item, _request(), ctx)
    assert response.status == 200
    assert response.body == b'{"id":"7"}'


@pytest.mark.parametrize("bad", ["GET /x", 42, {"route": "/x"}, object()])
def test_a_non_trigger_is_a_configuration_error(bad: Any) -> None:
    with pytest.raises(ConfigurationError):

        @faaskit.handler(bad)
        def nope(event: Any, ctx: Context) -> None: ...


def test_decorating_a_non_callable_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        faaskit.handler(faaskit.http("GET", "/"))("not a function")  # type: ignore[arg-type]


def test_repr_names_the_handler_and_trigger() -> None:
    @faaskit.handler(faaskit.http("GET", "/"))
    def home(event: Any, ctx: Context) -> None: ...

    assert "home" in repr(home) and "/" in repr(home)
