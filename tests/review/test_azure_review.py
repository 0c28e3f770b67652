"""Review of faaskit_azure: defects found against the Functions host, worker and docs."""

from __future__ import annotations

import base64
import datetime as _dt
import json
import subprocess
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest

import faaskit
import faaskit_azure
from faaskit._multidict import Headers
from faaskit_azure.http import principal
from tests.azure.helpers import invoke


def _http(name: str) -> Any:
    return faaskit.handler(faaskit.http("GET", "/x"), name=name)(lambda req, ctx: None)


# The host validates names with ^[a-z][a-z0-9_\-]{0,127}$(?<!^host$), case-insensitive
# (azure-functions-host Utility.FunctionNameValidationRegex); a bad name fails the whole app.
@pytest.mark.parametrize("name", ["_private", "résumé", "a" * 129, "my.func", "1st", "host"])
def test_a_name_the_functions_host_rejects_is_a_configuration_error(name: str) -> None:
    handler = _http(name)
    with pytest.raises(faaskit.ConfigurationError, match="not a valid Azure function name") as err:
        faaskit_azure.function_app(handler)
    assert repr(name) in str(err.value)


@pytest.mark.parametrize("name", ["a", "get_item", "Get-Item2", "h" * 128, "hosting"])
def test_a_name_the_functions_host_accepts_registers(name: str) -> None:
    app = faaskit_azure.function_app(_http(name))
    assert [f.get_function_name() for f in app.get_functions()] == [name]


def test_names_that_differ_only_in_case_clash_as_they_do_in_the_host() -> None:
    with pytest.raises(faaskit.ConfigurationError, match="unique"):
        faaskit_azure.function_app(_http("Orders"), _http("orders"))


def _principal(document: Any) -> Any:
    encoded = base64.b64encode(json.dumps(document).encode()).decode()
    return principal(Headers.lazy({"x-ms-client-principal": encoded}, lambda d: d.items()))


@pytest.mark.parametrize("claims", [5, True, 1.5])
def test_a_principal_whose_claims_are_not_a_list_is_a_bad_request(claims: Any) -> None:
    with pytest.raises(faaskit.BadRequestError, match="claims"):
        _principal({"auth_typ": "aad", "claims": claims})


def test_a_principal_with_a_null_id_claim_has_no_id_rather_than_the_text_none() -> None:
    found = _principal({"claims": [{"typ": "oid", "val": None}, {"typ": "sub", "val": "u-1"}]})
    assert found.id == "u-1"


def test_a_repeated_claim_whose_first_value_is_a_list_keeps_each_value() -> None:
    found = _principal({"claims": [{"typ": "a", "val": [1]}, {"typ": "a", "val": 2}]})
    assert found.claims["a"] == [[1], 2]


@faaskit.handler(faaskit.queue("raw-orders"), raw=True)
def raw_queue(msg: Any, ctx: faaskit.Context) -> dict[str, Any]:
    return {"batchItemFailures": []}  # what an AWS-minded raw handler returns


@faaskit.handler(faaskit.queue("raw-orders"), raw=True, name="araw_queue")
async def araw_queue(msg: Any, ctx: faaskit.Context) -> dict[str, Any]:
    return {"batchItemFailures": []}


def _queue_message() -> Any:
    return func.QueueMessage(id="m-1", body=b"hi")


def test_a_raw_non_http_handler_result_is_not_handed_to_the_worker() -> None:
    # The worker fails a function without a $return binding that returns a value
    # (azure_functions_runtime.handle_event), so the processed message would be retried.
    assert invoke(raw_queue, _queue_message()) is None


def test_an_async_raw_non_http_handler_result_is_not_handed_to_the_worker() -> None:
    import asyncio

    assert asyncio.run(invoke(araw_queue, _queue_message())) is None


# Event Grid (eventTime), the timer (ScheduleStatus) and blob properties carry .NET times:
# 7-digit or trimmed fractions and a "Z" suffix, which datetime.fromisoformat refuses before
# Python 3.11; faaskit (and Azure Functions) support Python 3.10.
NET_TIMES = {
    "2017-06-26T18:41:00.9584103Z": "2017-06-26T18:41:00.958410+00:00",
    "2022-03-28T15:40:00.0105419-05:00": "2022-03-28T20:40:00.010541+00:00",
    "2022-03-28T15:40:00.01-05:00": "2022-03-28T20:40:00.010000+00:00",
    "2024-03-10T12:00:00Z": "2024-03-10T12:00:00+00:00",
    "2024-03-10T12:00:00": "2024-03-10T12:00:00+00:00",
}
PY310 = Path(__file__).resolve().parents[2] / ".venv310" / "bin" / "python"


def test_net_times_parse_to_utc() -> None:
    from faaskit_azure._bindings import parse_time

    parsed = {text: parse_time(text, source="t", field="f") for text in NET_TIMES}
    assert parsed == {k: _dt.datetime.fromisoformat(v) for k, v in NET_TIMES.items()}


@pytest.mark.skipif(not PY310.exists(), reason="no .venv310 (Python 3.10)")
def test_net_times_parse_on_python_3_10() -> None:
    root = Path(__file__).resolve().parents[2]
    script = (
        "import json, sys\n"
        f"sys.path[:0] = [{str(root)!r}, {str(root / 'adapters')!r}]\n"
        "from faaskit_azure._bindings import parse_time\n"
        "texts = json.loads(sys.argv[1])\n"
        "print(json.dumps({t: parse_time(t, source='t', field='f').isoformat() for t in texts}))\n"
    )
    done = subprocess.run(
        [str(PY310), "-c", script, json.dumps(list(NET_TIMES))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    parsed = {k: _dt.datetime.fromisoformat(v) for k, v in json.loads(done.stdout).items()}
    assert parsed == {k: _dt.datetime.fromisoformat(v) for k, v in NET_TIMES.items()}


# Event Hubs checkpoints whether or not the function failed (Azure/Azure-Functions#947), and
# the Cosmos DB trigger does not redeliver a failed batch either: without a retry policy the
# records after a failure are lost. AWS retries a stream batch max_receive_count (5) times.
@faaskit.handler(faaskit.stream("telemetry"))
def on_telemetry(record: Any, ctx: faaskit.Context) -> None:
    return None


@faaskit.handler(faaskit.stream("shop/orders"))
def on_order_change(record: Any, ctx: faaskit.Context) -> None:
    return None


def _retry(handler: Any, **options: Any) -> Any:
    (function,) = faaskit_azure.function_app(handler, **options).get_functions()
    return function.get_settings_dict("retry_policy")


@pytest.mark.parametrize("handler", [on_telemetry, on_order_change])
def test_stream_functions_retry_a_failed_batch_instead_of_checkpointing_past_it(
    handler: Any,
) -> None:
    retry = _retry(handler)
    assert retry is not None
    assert retry["strategy"] == "exponential_backoff"
    assert int(retry["max_retry_count"]) == 5


def test_stream_retries_follow_the_option_and_zero_turns_them_off() -> None:
    assert int(_retry(on_telemetry, stream_retries=2)["max_retry_count"]) == 2
    assert int(_retry(on_telemetry, stream_retries={"telemetry": -1})["max_retry_count"]) == -1
    assert _retry(on_telemetry, stream_retries=0) is None


def test_a_bad_stream_retries_option_is_a_configuration_error() -> None:
    with pytest.raises(faaskit.ConfigurationError, match="stream_retries"):
        faaskit_azure.function_app(on_telemetry, stream_retries="many")


# A Service Bus entity that requires sessions refuses a receiver that is not session-aware:
# the trigger needs isSessionsEnabled, which function_app had no way to set.
@faaskit.handler(faaskit.queue("orders"))
def on_order(msg: Any, ctx: faaskit.Context) -> None:
    return None


@faaskit.handler(faaskit.topic("events", subscription="audit"))
def on_event(msg: Any, ctx: faaskit.Context) -> None:
    return None


def _trigger(handler: Any, **options: Any) -> dict[str, Any]:
    (function,) = faaskit_azure.function_app(handler, **options).get_functions()
    return dict(function.get_trigger().get_dict_repr())


@pytest.mark.parametrize("handler", [on_order, on_event])
def test_service_bus_sessions_can_be_enabled(handler: Any) -> None:
    name = handler.trigger.name
    options = {"queue_service": "servicebus", "servicebus_sessions": {name: True}}
    assert _trigger(handler, **options)["isSessionsEnabled"] is True
    assert "isSessionsEnabled" not in _trigger(handler, queue_service="servicebus")


def test_a_bad_servicebus_sessions_option_is_a_configuration_error() -> None:
    with pytest.raises(faaskit.ConfigurationError, match="servicebus_sessions"):
        faaskit_azure.function_app(on_order, queue_service="servicebus", servicebus_sessions="y")


# The worker turns each Set-Cookie header into an RpcHttpCookie through http.cookies.SimpleCookie
# (azure.functions.http.HttpResponseConverter), which silently drops a cookie whose value holds
# a space, a quote or non-ASCII text; AWS sends the same header verbatim.
COOKIE_VALUES = ["plain", "a b", '{"x":1}', "café", '"already quoted"', "a\\b"]


@faaskit.handler(faaskit.http("GET", "/cookies"))
def set_cookies(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    cookies: dict[str, Any] = {f"c{i}": value for i, value in enumerate(COOKIE_VALUES)}
    cookies["flagged"] = faaskit.Cookie(value="a b", path="/", http_only=True, max_age=60)
    return faaskit.Response("ok", cookies=cookies)


def _worker_cookies(response: Any) -> dict[str, Any]:
    from azure.functions.http import HttpResponseConverter

    datum = HttpResponseConverter.encode(response, expected_type=None)
    return {name: morsel for jar in datum.value["cookies"] for name, morsel in jar.items()}


def test_every_cookie_survives_the_workers_set_cookie_parsing() -> None:
    request = func.HttpRequest("GET", "http://localhost/api/cookies", body=b"")
    cookies = _worker_cookies(invoke(set_cookies, request))
    expected = {f"c{i}": value for i, value in enumerate(COOKIE_VALUES)}
    expected["c4"] = "already quoted"  # a quoted cookie-value means its inner text
    expected["flagged"] = "a b"
    assert {name: morsel.value for name, morsel in cookies.items()} == expected
    assert cookies["flagged"]["path"] == "/"
    assert cookies["flagged"]["httponly"] is True
    assert cookies["flagged"]["max-age"] == "60"


@faaskit.handler(faaskit.http("GET", "/header-cookies"))
def header_cookies(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    return faaskit.Response("ok", headers={"Set-Cookie": ["s=a b; Path=/; HttpOnly", "p=1"]})


def test_set_cookie_headers_given_as_headers_survive_too() -> None:
    request = func.HttpRequest("GET", "http://localhost/api/header-cookies", body=b"")
    cookies = _worker_cookies(invoke(header_cookies, request))
    assert {name: morsel.value for name, morsel in cookies.items()} == {"s": "a b", "p": "1"}
    assert (cookies["s"]["path"], cookies["s"]["httponly"]) == ("/", True)


# AWS hands faaskit a decoded path (API Gateway v1 decodes it, the v2 and ALB decoders
# unquote rawPath); the Azure request URL is percent-encoded.
@faaskit.handler(faaskit.http("GET", "/files/{name}"))
def file_path(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    return {"path": req.path, "params": req.path_params}


def test_the_request_path_is_decoded_as_on_aws() -> None:
    request = func.HttpRequest(
        "GET", "http://localhost/api/files/a%20b%C3%A9", body=b"", route_params={"name": "a bé"}
    )
    response = invoke(file_path, request)
    assert json.loads(response.get_body()) == {"path": "/files/a bé", "params": {"name": "a bé"}}


def test_a_decoded_path_still_matches_the_route_when_the_host_gives_no_parameters() -> None:
    request = func.HttpRequest("GET", "http://localhost/api/files/a%20b", body=b"")
    response = invoke(file_path, request)
    assert json.loads(response.get_body()) == {"path": "/files/a b", "params": {"name": "a b"}}


# The host keeps /admin for its management API and refuses a function route under it
# ("The specified route conflicts with one or more built in routes"), whatever routePrefix is.
@pytest.mark.parametrize("route", ["/admin", "/admin/users", "/Admin/{id}"])
def test_a_route_under_admin_is_a_configuration_error(route: str) -> None:
    handler = faaskit.handler(faaskit.http("GET", route), name="panel")(lambda req, ctx: None)
    with pytest.raises(faaskit.ConfigurationError, match=r"'panel'.*admin"):
        faaskit_azure.function_app(handler)
