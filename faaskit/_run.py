"""What happens between a decoded event and the handler: the semantics both clouds share.

- HTTP: return values become a :class:`Response`; ``HTTPError`` becomes its response; any other
  exception becomes a 500 JSON body with the request id and no traceback (logged instead).
- Batches: see :mod:`faaskit._batch`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import attrs

from faaskit._context import Context
from faaskit._http import HttpRequest
from faaskit._kinds import check_kind
from faaskit._response import Response, to_response
from faaskit._routes import Http
from faaskit.exceptions import (
    HTTPError,
    MethodNotAllowedError,
    NotFoundError,
    RequestValidationError,
    UnauthorizedError,
)

if TYPE_CHECKING:
    from typing import Protocol

    from faaskit._batch import BatchResult
    from faaskit._handler import Handler
    from faaskit._message import MessageBatch
    from faaskit._stream import RecordBatch
    from faaskit._types import Raw, Result

    class _RunBatch(Protocol):
        def __call__(
            self,
            handler: Handler,
            batch: MessageBatch | RecordBatch,
            ctx: Context,
            *,
            report: bool,
        ) -> BatchResult: ...


__all__ = ["arun", "arun_http", "error_response", "run", "run_http"]


def error_response(exc: HTTPError) -> Response:
    """The response an :class:`HTTPError` stands for."""
    body: dict[str, object] = {"message": exc.message}
    if isinstance(exc, RequestValidationError):
        body["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    return Response.json(body, status=exc.status, headers=exc.headers)


def _http_error(handler: Handler, exc: HTTPError, request: HttpRequest, ctx: Context) -> Response:
    try:
        return error_response(exc)
    except (TypeError, ValueError):  # headers that cannot be sent: a bug in the handler
        return _crashed(handler, request, ctx)


def internal_error(ctx: Context) -> Response:
    """The 500 response: the request id, never a traceback."""
    return Response.json(
        {"message": "Internal Server Error", "request_id": ctx.request_id}, status=500
    )


def run_http(handler: Handler, request: HttpRequest, ctx: Context) -> Response:
    """Run an HTTP handler; always returns a :class:`Response`."""
    try:
        trigger = handler.trigger
        if isinstance(trigger, Http):
            request = _checked(trigger, request, ctx)
        result = handler.func(request, ctx)
        if handler.is_async:
            from faaskit._coroutine import run_coroutine

            result = run_coroutine(result)
        return to_response(result)
    except HTTPError as exc:
        return _http_error(handler, exc, request, ctx)
    except Exception:
        return _crashed(handler, request, ctx)


async def arun_http(handler: Handler, request: HttpRequest, ctx: Context) -> Response:
    """:func:`run_http` on a running event loop."""
    try:
        trigger = handler.trigger
        if isinstance(trigger, Http):
            request = _checked(trigger, request, ctx)
        return to_response(await handler.acall(request, ctx))
    except HTTPError as exc:
        return _http_error(handler, exc, request, ctx)
    except Exception:
        return _crashed(handler, request, ctx)


def _checked(trigger: Http, request: HttpRequest, ctx: Context) -> HttpRequest:
    """``request`` once the declared method, route and auth accept it (405 / 404 / 401)."""
    if trigger.methods[0] != "ANY" and request.method not in trigger.methods:
        raise MethodNotAllowedError(
            f"{request.method} is not allowed on {trigger.route}",
            headers={"Allow": ", ".join(trigger.methods)},
        )
    if request.route != trigger.route:
        request = _routed(trigger, request)
    if trigger.caller_auth is not None:
        _authenticated(trigger.caller_auth, request, ctx)
    if trigger.body_schema is not None:
        value, errors = trigger.body_schema.validate(request.json())
        if errors:
            raise RequestValidationError(errors)
        request = attrs.evolve(request, body_model=value)
    return request


def _authenticated(mode: str, request: HttpRequest, ctx: Context) -> None:
    """401 unless the platform vouched for the caller of a route declared with ``mode`` auth.

    A principal only ever comes from the platform (authorizers, IAM, App Service
    authentication), never from what the client sent; an API key identifies no caller.
    """
    principal = request.principal
    if principal is not None and principal.provider != "api-key":
        return
    scheme = "AWS4-HMAC-SHA256" if mode == "iam" and ctx.platform == "aws" else "Bearer"
    raise UnauthorizedError(
        f"{request.method} {request.path} needs an authenticated caller ({mode} auth)",
        headers={"WWW-Authenticate": scheme},
    )


def _crashed(handler: Handler, request: HttpRequest, ctx: Context) -> Response:
    ctx.log.exception("handler %s failed on %s %s", handler.name, request.method, request.path)
    return internal_error(ctx)


def _routed(trigger: Http, request: HttpRequest) -> HttpRequest:
    """``request`` with the declared route and the path parameters the route template gives."""
    raw_path = request.raw_path
    params = trigger.match(request.path) if raw_path is None else trigger.match_encoded(raw_path)
    if params is None:
        if any(name not in request.path_params for name in trigger.params):
            raise NotFoundError(f"{request.path} does not match {trigger.route}")
        params = {}
    return attrs.evolve(request, route=trigger.route, path_params={**request.path_params, **params})


_BATCHES = frozenset({"MessageBatch", "RecordBatch"})
_modules = sys.modules
_OTEL = "opentelemetry.trace"
_run_batch: list[_RunBatch] = []


def _traced(ctx: Context, event: object) -> None:
    """Start the invocation's OpenTelemetry span (:mod:`faaskit._spans`); only called once
    OpenTelemetry's trace API is imported, which is what configuring a tracer provider takes.
    """
    from faaskit._spans import start

    start(ctx, event)


def run(handler: Handler, event: Raw, ctx: Context, *, source: str, report: bool = True) -> Result:
    """Run ``handler`` on a decoded portable ``event`` with the shared semantics."""
    if _OTEL in _modules:
        _traced(ctx, event)
    kind = type(event)
    if kind is HttpRequest:
        if handler.trigger is not None and handler.trigger.kind != "http":
            check_kind(handler, event, source)
        return run_http(handler, event, ctx)
    if kind.__name__ in _BATCHES:
        if not _run_batch:  # loaded on first use, so that HTTP functions never import it
            from faaskit._batch import run_batch

            _run_batch.append(run_batch)
        return _run_batch[0](handler, event, ctx, report=report)
    if isinstance(event, tuple):
        return [run(handler, item, ctx, source=source, report=report) for item in event]
    check_kind(handler, event, source)
    return handler.call(_declared(handler, event), ctx)


async def arun(
    handler: Handler, event: Raw, ctx: Context, *, source: str, report: bool = True
) -> Result:
    """:func:`run` on a running event loop (an async handler on Azure)."""
    if _OTEL in _modules:
        _traced(ctx, event)
    if type(event) is HttpRequest:
        if handler.trigger is not None and handler.trigger.kind != "http":
            check_kind(handler, event, source)
        return await arun_http(handler, event, ctx)
    if type(event).__name__ in _BATCHES:
        from faaskit._batch import arun_batch

        return await arun_batch(handler, event, ctx, report=report)
    if isinstance(event, tuple):
        return [await arun(handler, item, ctx, source=source, report=report) for item in event]
    check_kind(handler, event, source)
    return await handler.acall(_declared(handler, event), ctx)


def _declared(handler: Handler, event: Raw) -> Raw:
    """A schedule tick names the handler's declared expression on every cloud (AWS events
    carry only the rule's name, Azure timer payloads nothing); other events pass unchanged.
    """
    expression = getattr(handler.trigger, "expression", None)
    if expression is not None and getattr(event, "schedule", expression) != expression:
        return attrs.evolve(event, schedule=expression)
    return event
