"""The main job: invoke this folder's ``app.py`` through the AWS and the Azure path.

Run ``python samples/hello_http`` (or ``python .`` inside a copy of the folder). It sends the
same request as an API Gateway HTTP API event (what Lambda hands the handler) and as an
``azure.functions.HttpRequest`` (what the Azure Functions worker hands it), and prints both
native responses. The handler is always the ``app.py`` beside this file, so a copy of the
folder runs its own code.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from faaskit.testing import azure_context, lambda_context


def _load_app() -> ModuleType:
    """The ``app.py`` beside this file (never another folder's ``app`` on ``sys.path``)."""
    path = Path(__file__).resolve().with_name("app.py")
    spec = importlib.util.spec_from_file_location("hello_http_app", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hello = _load_app().hello


def aws_event() -> dict[str, object]:
    """``GET /hello/world?lang=fr`` as API Gateway HTTP API (payload 2.0) delivers it."""
    return {
        "version": "2.0",
        "routeKey": "GET /hello/{name}",
        "rawPath": "/hello/world",
        "rawQueryString": "lang=fr",
        "headers": {"accept": "application/json", "host": "api.example.com"},
        "queryStringParameters": {"lang": "fr"},
        "pathParameters": {"name": "world"},
        "requestContext": {
            "http": {"method": "GET", "path": "/hello/world", "sourceIp": "198.51.100.7"},
            "requestId": "demo-aws-1",
            "routeKey": "GET /hello/{name}",
            "stage": "$default",
            "domainName": "api.example.com",
        },
        "isBase64Encoded": False,
    }


def azure_response() -> Any:
    """Register ``hello`` in a real ``azure.functions.FunctionApp`` and call the function the
    worker would call, with the request the worker would build."""
    import azure.functions as func

    import faaskit_azure

    app = faaskit_azure.function_app(hello)
    function = next(f for f in app.get_functions() if f.get_function_name() == "hello")
    request = func.HttpRequest(
        method="GET",
        url="https://hello-demo.azurewebsites.net/api/hello/world?lang=fr",
        headers={"accept": "application/json", "host": "hello-demo.azurewebsites.net"},
        params={"lang": "fr"},
        route_params={"name": "world"},
        body=b"",
    )
    context = azure_context("hello", invocation_id="c0ffee00-0000-4000-8000-000000000002")
    return function.get_user_function()(req=request, context=context)


def main() -> None:
    print("== AWS Lambda (API Gateway HTTP API event -> native response)")
    aws = hello(
        aws_event(), lambda_context("hello", request_id="c0ffee00-0000-4000-8000-000000000001")
    )
    print(json.dumps(aws, indent=2))
    print("\n== Azure Functions (azure.functions.HttpRequest -> azure.functions.HttpResponse)")
    azure = azure_response()
    print(
        json.dumps(
            {
                "status_code": azure.status_code,
                "headers": dict(azure.headers),
                "mimetype": azure.mimetype,
                "body": azure.get_body().decode(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
