"""The main job: invoke ``samples/hello_http`` through the AWS and the Azure path.

Run ``python -m samples.hello_http``. It sends the same request as an API Gateway HTTP API
event (what Lambda hands the handler) and as an ``azure.functions.HttpRequest`` (what the
Azure Functions worker hands it), and prints both native responses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path[:0] = [
    str(Path(__file__).resolve().parents[2]),
    str(Path(__file__).resolve().parents[2] / "adapters"),
]

from samples.hello_http.app import hello  # noqa: E402


class _LambdaContext:
    function_name = "hello"
    aws_request_id = "c0ffee00-0000-4000-8000-000000000001"
    memory_limit_in_mb = "128"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:hello"

    def get_remaining_time_in_millis(self) -> int:
        return 3000


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


def main() -> None:
    print("== AWS Lambda (API Gateway HTTP API event -> native response)")
    print(json.dumps(hello(aws_event(), _LambdaContext()), indent=2))


if __name__ == "__main__":
    main()
