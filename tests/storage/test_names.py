"""Logical storage URLs resolve to this deployment's physical names through
``FAASKIT_RESOURCES`` (set by the generated templates); without it a name is its own.
"""

from __future__ import annotations

import json

import pytest

from faaskit.exceptions import ConfigurationError
from faaskit.storage._names import VARIABLE, physical_name
from faaskit.storage._url import parse
from tests.services import MotoServer

MAPPING = {"queue:orders": "shop-prod-orders", "bucket:uploads": "shop-prod-uploads-123456789012"}


def test_without_the_setting_names_are_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    assert physical_name("sqs", "orders") == "orders"
    assert parse("s3://uploads/in/", "blobs").name == "uploads"


def test_logical_urls_resolve_to_the_stage_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, json.dumps(MAPPING))
    queue = parse("sqs://orders", "queues")
    assert queue.name == "shop-prod-orders" and queue.url == "sqs://orders"
    assert parse("azure-queue://orders", "queues").name == "shop-prod-orders"
    blobs = parse("s3://uploads/in/", "blobs")
    assert (blobs.name, blobs.prefix) == ("shop-prod-uploads-123456789012", "in/")
    assert parse("s3://other", "blobs").name == "other"
    assert parse("file:///tmp/orders", "queues").name.endswith("orders")
    monkeypatch.setenv(VARIABLE, json.dumps({"queue:orders": "shop-dev-orders"}))
    assert parse("sqs://orders", "queues").name == "shop-dev-orders"


@pytest.mark.parametrize("raw", ["{not json", '["a"]', '{"queue:a": 1}'])
def test_a_damaged_setting_is_a_typed_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(VARIABLE, raw)
    with pytest.raises(ConfigurationError, match=VARIABLE):
        parse("sqs://orders", "queues")


@pytest.mark.services
def test_a_logical_queue_sends_to_the_stage_queue(
    moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    from faaskit import storage

    for key, value in moto_server.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv(VARIABLE, json.dumps({"queue:names-orders": "shop-dev-names-orders"}))
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="shop-dev-names-orders")["QueueUrl"]
    storage.queues("sqs://names-orders").send(b"order 1")
    received = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in received] == ["order 1"]
