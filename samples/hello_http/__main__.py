"""The main job: invoke ``samples/hello_http`` through the AWS and the Azure path.

Run ``python -m samples.hello_http``. It sends the same request as an API Gateway HTTP API
event (what Lambda hands the handler) and as an ``azure.functions.HttpRequest`` (what the
Azure Functions worker hands it), and prints both native responses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path[:0] = [
    str(Path(__file__).resolve().parents[2]),
    str(Path(__file__).resolve().parents[2] / "adapters"),
]

from faaskit.testing import azure_context, lambda_context  # noqa: E402
from samples.hello_http.app import hello  # noqa: E402


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
