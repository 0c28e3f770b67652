"""The HTTP API v2 GET request every HTTP benchmark sends, written from the AWS docs."""

from __future__ import annotations

from typing import Any


def http_api_v2_get() -> dict[str, Any]:
    """A realistic HTTP API (payload 2.0) ``GET /items/{item_id}?q=shoes`` event."""
    return {
        "version": "2.0",
        "routeKey": "GET /items/{item_id}",
        "rawPath": "/items/42",
        "rawQueryString": "q=shoes&page=2",
        "cookies": ["session=abc123", "theme=dark"],
        "headers": {
            "accept": "application/json",
            "accept-encoding": "gzip, deflate, br",
            "content-length": "0",
            "host": "abc123.execute-api.eu-west-1.amazonaws.com",
            "user-agent": "curl/8.5.0",
            "x-amzn-trace-id": "Root=1-65a1b2c3-0123456789abcdef01234567",
            "x-forwarded-for": "198.51.100.7",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
        },
        "queryStringParameters": {"q": "shoes", "page": "2"},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": "GET",
                "path": "/items/42",
                "protocol": "HTTP/1.1",
                "sourceIp": "198.51.100.7",
                "userAgent": "curl/8.5.0",
            },
            "requestId": "Xyz1AbCdEfGhIjK=",
            "routeKey": "GET /items/{item_id}",
            "stage": "$default",
            "time": "28/Nov/2026:17:30:00 +0000",
            "timeEpoch": 1795887000000,
        },
        "pathParameters": {"item_id": "42"},
        "isBase64Encoded": False,
    }


def lambda_environment() -> None:
    """Set the variables the Lambda runtime sets for every invocation (region, trace header)."""
    import os

    os.environ.setdefault("AWS_REGION", "eu-west-1")
    os.environ.setdefault(
        "_X_AMZN_TRACE_ID",
        "Root=1-65a1b2c3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=0",
    )


class LambdaContext:
    """The attributes of the Lambda context object that handlers read."""

    function_name = "bench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    memory_limit_in_mb = "128"
    aws_request_id = "6f1c2a4e-1d2b-4c3d-9e8f-0a1b2c3d4e5f"
    log_group_name = "/aws/lambda/bench"
    log_stream_name = "2026/11/28/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000
