"""Per-invocation overhead of an Azure Functions HTTP GET: faaskit vs a bare handler.

Both contenders do the same work: read the route parameter and a query value, answer a JSON
body. The request is an ``azure.functions.HttpRequest`` built the way the Python worker builds
it (``HttpRequestConverter.decode`` over the host's ``RpcHttp`` data, App Service front-end
headers included), and each function is called as the worker calls it: keyword arguments,
``context`` included. faaskit's function is the one ``faaskit_azure.function_app`` registers.
Run: ``python benchmarks/bench_azure_http.py [--number N] [--repeat R]``. Prints microseconds
per invocation (best of R repeats of N calls), faaskit's overhead and overhead / bare.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "adapters"), str(ROOT / "benchmarks")]

from _compare import best_of, make_handlers  # noqa: E402

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class _TraceContext:
    trace_parent = TRACEPARENT
    trace_state = ""
    attributes: dict[str, str] = {}  # noqa: RUF012


class WorkerContext:
    """The attributes of the worker's ``Context`` object."""

    invocation_id = "5c3f1b8e-2d4a-4e6b-9f70-1a2b3c4d5e6f"
    function_name = "get_item"
    function_directory = "/home/site/wwwroot"
    trace_context = _TraceContext()
    retry_context = None
    thread_local_storage = None


def worker_request() -> Any:
    """``GET /api/items/42?q=shoes&page=2`` as the worker hands it to a function."""
    from azure.functions import meta
    from azure.functions.http import HttpRequestConverter

    def text(value: str) -> Any:
        return meta.Datum(value, "string")

    headers = {
        "accept": "application/json",
        "accept-encoding": "gzip, deflate, br",
        "host": "shop.azurewebsites.net",
        "user-agent": "curl/8.5.0",
        "max-forwards": "10",
        "client-ip": "198.51.100.7:51234",
        "x-client-ip": "198.51.100.7",
        "x-client-port": "51234",
        "x-forwarded-for": "198.51.100.7:51234",
        "x-forwarded-proto": "https",
        "x-forwarded-tlsversion": "1.3",
        "x-arr-log-id": "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "x-site-deployment-id": "shop",
        "was-default-hostname": "shop.azurewebsites.net",
        "x-original-url": "/api/items/42?q=shoes&page=2",
        "x-waws-unencoded-url": "/api/items/42?q=shoes&page=2",
        "disguised-host": "shop.azurewebsites.net",
        "x-appservice-proto": "https",
        "traceparent": TRACEPARENT,
    }
    datum = meta.Datum(
        {
            "method": text("GET"),
            "url": text("https://shop.azurewebsites.net/api/items/42?q=shoes&page=2"),
            "headers": {name: text(value) for name, value in headers.items()},
            "query": {"q": text("shoes"), "page": text("2")},
            "params": {"item_id": text("42")},
            "body": meta.Datum(b"", "bytes"),
        },
        "http",
    )
    return HttpRequestConverter.decode(datum, trigger_metadata={})


def bare_function() -> Any:
    import azure.functions as func

    def get_item(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
        item_id = req.route_params["item_id"]
        q = req.params.get("q")
        return func.HttpResponse(json.dumps({"id": item_id, "q": q}), mimetype="application/json")

    return lambda req, context: get_item(req=req, context=context)


def faaskit_function() -> Any:
    import faaskit
    import faaskit_azure

    @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
    def get_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
        return {"id": req.path_params["item_id"], "q": req.query.get("q")}

    (function,) = faaskit_azure.function_app(get_item).get_functions()
    user_function = function.get_user_function()
    return lambda req, context: user_function(req=req, context=context)


def check(function: Any) -> None:
    response = function(worker_request(), WorkerContext())
    body = json.loads(response.get_body())
    assert response.status_code == 200 and body == {"id": "42", "q": "shoes"}, body
    assert response.mimetype == "application/json", response.mimetype


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=20000, help="calls per repeat")
    parser.add_argument("--repeat", type=int, default=9, help="repeats (best is kept)")
    args = parser.parse_args()
    contenders = {"bare azure.functions handler": bare_function, "faaskit": faaskit_function}
    handlers = make_handlers(contenders, check, 30)
    best = best_of(
        handlers, worker_request(), WorkerContext(), number=args.number, repeat=args.repeat
    )
    bare = best["bare azure.functions handler"]
    ours = best["faaskit"] - bare
    version = sys.version.split()[0]
    print(f"Azure HTTP GET, best of {args.repeat} x {args.number} calls, Python {version}")
    print(f"{'contender':30s} {'us/call':>9s} {'overhead us':>12s}")
    for name, value in best.items():
        print(f"{name:30s} {value:9.2f} {value - bare:12.2f}")
    print(
        f"faaskit overhead over bare: {ours:.2f} us per invocation; "
        f"overhead / bare = {ours / bare:.2f} (target <= 1.0)"
    )


if __name__ == "__main__":
    main()
