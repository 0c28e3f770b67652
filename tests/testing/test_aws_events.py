"""Every AWS event factory gives an event the AWS adapter normalizes, with the portable fields
equal to what the raw payload says."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import unquote_plus

import pytest

import faaskit
from faaskit.testing import SOURCES, aws_event, invoke
from faaskit.testing.plugin import EventFactory

AWS = sorted(s.name for s in SOURCES.values() if s.platform == "aws")


def _capture(kind_trigger: Any = None) -> tuple[faaskit.Handler, list[Any]]:
    seen: list[Any] = []

    def body(event: Any, ctx: faaskit.Context) -> Any:
        seen.append(event)
        return {"ok": True} if isinstance(event, faaskit.HttpRequest) else None

    return faaskit.handler(kind_trigger)(body) if kind_trigger else faaskit.handler(body), seen


@pytest.mark.parametrize("name", AWS)
def test_every_aws_source_is_json_and_normalizes_to_its_kind(name: str) -> None:
    event = aws_event(name)
    assert json.loads(json.dumps(event)) == event
    handler, seen = _capture()
    invoke(handler, event)
    kinds = {
        "http": faaskit.HttpRequest,
        "blob": faaskit.BlobEvent,
        "message": faaskit.Message,
        "event": faaskit.CloudEvent,
        "schedule": faaskit.ScheduleEvent,
        "stream": faaskit.Record,
    }
    expected = kinds[SOURCES[f"aws:{name}"].kind]
    assert seen, f"{name}: the handler never ran"
    assert all(isinstance(e, expected) for e in seen), (name, [type(e) for e in seen])


@pytest.mark.parametrize("name", ["apigw-v1", "apigw-v2", "alb", "function-url"])
def test_http_factories_carry_method_path_query_headers_body_cookies(name: str) -> None:
    event = aws_event(
        name,
        method="POST",
        path="/items/42?tag=a&tag=b&q=x y",
        headers={"X-Custom": "yes"},
        body={"n": 1},
        cookies={"session": "abc"},
        # ALB's single-value mode keeps only the last value of a repeated name.
        **({"multi_value": True} if name == "alb" else {}),
    )
    handler, seen = _capture()
    response = invoke(handler, event)
    assert response["statusCode"] == 200
    req = seen[0]
    assert req.method == "POST"
    assert req.path == "/items/42"
    assert req.query.getall("tag") == ["a", "b"]
    assert req.query.get("q") == "x y"
    assert req.headers.get("x-custom") == "yes"
    assert req.json() == {"n": 1}
    assert req.cookies["session"] == "abc"


def test_binary_http_body_is_base64_in_the_event_and_bytes_in_the_request() -> None:
    data = bytes(range(256))
    event = aws_event("apigw-v2", method="PUT", path="/bin", body=data)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == data
    handler, seen = _capture()
    invoke(handler, event)
    assert seen[0].body == data


def test_s3_key_is_url_encoded_in_the_event_and_decoded_in_the_blob_event() -> None:
    event = aws_event("s3", bucket="photos", key="2024/my cat+dog.png", size=7)
    raw_key = event["Records"][0]["s3"]["object"]["key"]
    assert raw_key != "2024/my cat+dog.png"
    handler, seen = _capture()
    invoke(handler, event)
    assert seen[0].key == unquote_plus(raw_key) == "2024/my cat+dog.png"
    assert seen[0].bucket == "photos"
    assert seen[0].size == 7


@pytest.mark.parametrize("name", ["s3-sqs", "s3-sns", "s3-eventbridge"])
def test_wrapped_s3_deliveries_unwrap_to_the_same_object(name: str) -> None:
    handler, seen = _capture()
    invoke(handler, aws_event(name, bucket="inbox", key="a/b.txt"))
    assert [(e.bucket, e.key) for e in seen] == [("inbox", "a/b.txt")]


def test_sqs_batch_reports_only_the_failing_message() -> None:
    @faaskit.handler(faaskit.queue("orders"))
    def work(message: faaskit.Message, ctx: faaskit.Context) -> None:
        if message.json()["n"] == 2:
            raise ValueError("bad order")

    event = aws_event("sqs", bodies=[{"n": 1}, {"n": 2}, {"n": 3}], queue="orders")
    response = invoke(work, event)
    failing = event["Records"][1]["messageId"]
    assert response == {"batchItemFailures": [{"itemIdentifier": failing}]}


def test_fifo_batch_reports_the_failure_and_every_later_message() -> None:
    @faaskit.handler(faaskit.queue("orders.fifo"))
    def work(message: faaskit.Message, ctx: faaskit.Context) -> None:
        assert message.group_id == "g-7"
        if message.json()["n"] == 2:
            raise ValueError("bad order")

    event = aws_event("sqs-fifo", bodies=[{"n": 1}, {"n": 2}, {"n": 3}], group_id="g-7")
    response = invoke(work, event)
    ids = [r["messageId"] for r in event["Records"]]
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == ids[1:]


def test_message_attributes_and_sns_fields_reach_the_message() -> None:
    handler, seen = _capture()
    invoke(handler, aws_event("sns", message="hi", subject="greeting", attributes={"k": "v"}))
    assert seen[0].text == "hi"
    assert seen[0].subject == "greeting"
    assert seen[0].attributes["k"] == "v"
    handler, seen = _capture()
    invoke(handler, aws_event("sqs", body="hello", attributes={"tenant": "a", "n": 3}))
    assert seen[0].attributes["tenant"] == "a"


def test_stream_factories_carry_data_and_images() -> None:
    handler, seen = _capture()
    invoke(handler, aws_event("kinesis", records=["a", "b"], partition_key="pk"))
    assert [r.data for r in seen] == [b"a", b"b"]
    assert {r.partition_key for r in seen} == {"pk"}
    handler, seen = _capture()
    invoke(handler, aws_event("dynamodb", new={"id": "1", "n": 2, "tags": {"x"}}, old={"id": "1"}))
    assert seen[0].new == {"id": "1", "n": 2, "tags": {"x"}}
    assert seen[0].old == {"id": "1"}


def test_overrides_set_dotted_fields_and_unknown_names_are_refused() -> None:
    event = aws_event("sqs", **{"Records.0.awsRegion": "eu-west-1"})
    assert event["Records"][0]["awsRegion"] == "eu-west-1"
    with pytest.raises(faaskit.ConfigurationError, match="no parameter or field 'bogus'"):
        aws_event("sqs", bogus=1)
    with pytest.raises(faaskit.ConfigurationError, match="unknown event source"):
        aws_event("sqsx")


def test_event_factory_fixture(aws_events: EventFactory, lambda_context: Any) -> None:
    assert aws_events.apigw_v2(path="/x")["rawPath"] == "/x"
    assert aws_events("s3-sqs")["Records"][0]["eventSource"] == "aws:sqs"
    assert 0 < lambda_context.get_remaining_time_in_millis() <= 3000
