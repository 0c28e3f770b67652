"""Sources faaskit does not normalize: named in UnsupportedEventError, or passed raw."""

from __future__ import annotations

from typing import Any

import pytest

import faaskit
from faaskit_aws._identify import identify
from tests.aws.event_helpers import LambdaContext, capture, fixture

# Outlines written from each service's "Using AWS Lambda with ..." page.
SHAPES: list[tuple[str, Any]] = [
    (
        "cognito",
        {
            "version": "1",
            "triggerSource": "PreSignUp_SignUp",
            "userPoolId": "eu-west-1_x",
            "region": "eu-west-1",
            "userName": "u",
            "callerContext": {},
            "request": {},
            "response": {},
        },
    ),
    ("cloudwatch-logs", {"awslogs": {"data": "H4sIAAAAAAAAAA=="}}),
    (
        "firehose",
        {
            "invocationId": "i",
            "deliveryStreamArn": "arn:aws:firehose:eu-west-1:1:x",
            "region": "eu-west-1",
            "records": [{"recordId": "1", "data": "eA=="}],
        },
    ),
    (
        "kafka",
        {
            "eventSource": "aws:kafka",
            "eventSourceArn": "arn",
            "bootstrapServers": "b",
            "records": {},
        },
    ),
    ("kafka", {"eventSource": "aws:SelfManagedKafka", "bootstrapServers": "b", "records": {}}),
    ("amazon-mq", {"eventSource": "aws:amq", "eventSourceArn": "arn", "messages": []}),
    ("amazon-mq", {"eventSource": "aws:rmq", "eventSourceArn": "arn", "rmqMessagesByQueue": {}}),
    (
        "apigw-authorizer",
        {
            "type": "TOKEN",
            "authorizationToken": "allow",
            "methodArn": "arn:aws:execute-api:eu-west-1:1:abc/prod/GET/",
        },
    ),
    (
        "apigw-websocket",
        {
            "requestContext": {
                "routeKey": "$connect",
                "eventType": "CONNECT",
                "connectionId": "abc=",
            },
            "isBase64Encoded": False,
        },
    ),
    (
        "appsync",
        {
            "arguments": {"id": "1"},
            "identity": None,
            "source": None,
            "info": {"fieldName": "getPost"},
        },
    ),
    ("appsync", [{"arguments": {}, "identity": None, "fieldName": "a"}]),
    (
        "cloudformation",
        {
            "RequestType": "Create",
            "ResponseURL": "https://x",
            "StackId": "arn",
            "RequestId": "r",
            "LogicalResourceId": "L",
            "ResourceType": "Custom::X",
        },
    ),
    ("ses", {"Records": [{"eventSource": "aws:ses", "eventVersion": "1.0", "ses": {}}]}),
    ("cloudfront", {"Records": [{"cf": {"config": {}, "request": {}}}]}),
    ("codecommit", {"Records": [{"eventSource": "aws:codecommit", "codecommit": {}}]}),
    ("secrets-manager", {"SecretId": "arn", "ClientRequestToken": "t", "Step": "createSecret"}),
    ("s3-batch", {"invocationSchemaVersion": "1.0", "invocationId": "i", "job": {}, "tasks": []}),
    ("unknown", {"hello": "world"}),
    ("unknown", "just a string"),
]


@pytest.mark.parametrize(("name", "event"), SHAPES)
def test_identify_names_the_service(name: str, event: Any) -> None:
    assert identify(event) == name


@pytest.mark.parametrize(("name", "event"), [s for s in SHAPES if s[0] != "unknown"])
def test_unsupported_sources_raise_a_typed_error_naming_them(name: str, event: Any) -> None:
    with pytest.raises(faaskit.UnsupportedEventError) as info:
        capture(event)
    assert info.value.source == name
    assert f"source: {name}" in str(info.value)
    assert not isinstance(info.value, faaskit.TriggerMismatchError)


@pytest.mark.parametrize(("name", "event"), SHAPES[:6])
def test_raw_handlers_receive_the_native_event(name: str, event: Any) -> None:
    seen: list[Any] = []

    @faaskit.handler(raw=True)
    def passthrough(native: Any, ctx: faaskit.Context) -> str:
        seen.append(native)
        return "ok"

    assert passthrough(event, LambdaContext()) == "ok"
    assert seen == [event]


@pytest.mark.parametrize(
    "event",
    [
        {"Records": []},
        {"Records": "not a list"},
        {"Records": [None]},
        {"Records": [{"eventSource": "aws:unknown-thing"}]},
    ],
)
def test_batches_without_usable_records_are_unsupported_not_crashes(event: Any) -> None:
    with pytest.raises(faaskit.UnsupportedEventError):
        capture(event)


@pytest.mark.parametrize(
    ("fixture_name", "trigger", "expected", "got"),
    [
        ("sqs/standard", faaskit.schedule("rate(5 minutes)"), "schedule", "message"),
        ("kinesis/batch", faaskit.queue("orders"), "message", "stream"),
        ("dynamodb/batch", faaskit.blob("photos-bucket"), "blob", "stream"),
        ("sqs/standard", faaskit.stream("clicks", batch=True), "stream", "message"),
        ("eventbridge/scheduler", faaskit.queue("orders"), "message", "schedule"),
        ("sns/notification", faaskit.blob("photos-bucket"), "blob", "message"),
    ],
)
def test_trigger_mismatch(fixture_name: str, trigger: Any, expected: str, got: str) -> None:
    with pytest.raises(faaskit.TriggerMismatchError) as info:
        capture(fixture(fixture_name), trigger)
    assert (info.value.expected, info.value.got) == (expected, got)
    assert "received a" in str(info.value)
