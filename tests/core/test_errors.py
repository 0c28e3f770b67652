"""The exception hierarchy, HTTPError responses and the 500 that never leaks a traceback."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

import faaskit
from faaskit import Context, HttpRequest
from faaskit import exceptions as exc
from faaskit._run import run_http

CTX = Context(request_id="req-500", function_name="fn", platform="local")


def _run(func: Any) -> Any:
    return run_http(faaskit.handler(func), HttpRequest(method="GET", path="/"), CTX)


def test_every_error_has_one_root() -> None:
    for name in exc.__all__:
        assert issubclass(getattr(exc, name), exc.FaaskitError), name


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (exc.UnsupportedEventError, ValueError),
        (exc.InvalidEventError, ValueError),
        (exc.ConfigurationError, ValueError),
        (exc.BadRequestError, ValueError),
        (exc.UnauthorizedError, PermissionError),
        (exc.ForbiddenError, PermissionError),
        (exc.NotFoundError, LookupError),
        (exc.BlobNotFound, KeyError),
    ],
)
def test_errors_also_subclass_the_builtin_they_mean(cls: type, builtin: type) -> None:
    assert issubclass(cls, builtin)


def test_unsupported_and_invalid_event_errors_carry_their_facts() -> None:
    u = exc.UnsupportedEventError("no", source="cognito")
    assert u.source == "cognito"
    i = exc.InvalidEventError("bad", source="apigw-v1", field="body")
    assert (i.source, i.field) == ("apigw-v1", "body")
    t = exc.TriggerMismatchError("x", source="sqs", expected="http", got="message")
    assert isinstance(t, exc.UnsupportedEventError) and (t.expected, t.got) == ("http", "message")


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (exc.HTTPError(418, "teapot"), 418, "teapot"),
        (exc.HTTPError(503), 503, "Service Unavailable"),
        (exc.HTTPError(799), 799, "Error"),
        (exc.BadRequestError("bad input"), 400, "bad input"),
        (exc.UnauthorizedError(), 401, "Unauthorized"),
        (exc.ForbiddenError(), 403, "Forbidden"),
        (exc.NotFoundError("no such item"), 404, "no such item"),
        (exc.MethodNotAllowedError(), 405, "Method Not Allowed"),
    ],
)
def test_http_error_becomes_a_json_response(
    error: exc.HTTPError, status: int, message: str
) -> None:
    def fail(req: HttpRequest, ctx: Context) -> None:
        raise error

    response = _run(fail)
    assert response.status == status
    assert response.content_type == "application/json"
    assert json.loads(response.body) == {"message": message}


def test_http_error_headers_are_sent() -> None:
    def fail(req: HttpRequest, ctx: Context) -> None:
        raise exc.UnauthorizedError(headers={"WWW-Authenticate": 'Bearer realm="api"'})

    assert _run(fail).headers == {"WWW-Authenticate": 'Bearer realm="api"'}


@pytest.mark.parametrize(
    "boom",
    [
        RuntimeError("db password is hunter2"),
        KeyError("secret_key"),
        TypeError("unsupported operand"),
        ZeroDivisionError("division by zero"),
    ],
)
def test_unhandled_exception_is_a_500_with_the_request_id_and_no_traceback(
    boom: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(req: HttpRequest, ctx: Context) -> None:
        raise boom

    caplog.set_level(logging.ERROR, logger="faaskit")
    response = _run(fail)
    assert response.status == 500
    body = json.loads(response.body)
    assert body["request_id"] == "req-500"
    text = response.body.decode()
    for leak in ("Traceback", str(boom), type(boom).__name__, "File ", "line "):
        assert leak not in text
    # the traceback goes to the log instead
    assert any(record.exc_info and record.exc_info[1] is boom for record in caplog.records)


def test_a_bad_return_value_is_a_500_too() -> None:
    def odd(req: HttpRequest, ctx: Context) -> object:
        return object()

    response = _run(odd)
    assert response.status == 500
    assert "object" not in json.loads(response.body)["message"]


@pytest.mark.parametrize("status", [42, 1000, "404", 404.0, True])
def test_http_error_refuses_a_status_that_is_not_a_3_digit_int(status: object) -> None:
    with pytest.raises(TypeError, match="3-digit"):
        exc.HTTPError(status)  # type: ignore[arg-type]
