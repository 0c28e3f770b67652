import json
import time
import urllib.request
from pathlib import Path

import pytest
from app import notify_customer, record_order

ORDER = {"order_id": "o-1", "email": "ada@example.com"}


def publish(platform, aws_events, azure_events, body):
    if platform == "aws":
        return aws_events.sns(topic="orders", message=body)
    return azure_events.servicebus(body=body)


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_each_subscriber_gets_the_order(
    platform, faaskit_local, faaskit_invoke, aws_events, azure_events
):
    body = json.dumps(ORDER)
    faaskit_invoke(
        record_order, publish(platform, aws_events, azure_events, body), platform=platform
    )
    faaskit_invoke(
        notify_customer, publish(platform, aws_events, azure_events, body), platform=platform
    )

    assert json.loads(faaskit_local.blobs("order-archive").get("o-1.json")) == ORDER
    [job] = faaskit_local.queue("emails").messages()
    assert job.json() == {"to": "ada@example.com", "order_id": "o-1"}


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_a_message_that_is_not_an_order_fails(
    platform, faaskit_local, faaskit_invoke, aws_events, azure_events
):
    with pytest.raises(ValueError, match="not an order"):
        faaskit_invoke(
            record_order, publish(platform, aws_events, azure_events, "[]"), platform=platform
        )


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_a_placed_order_reaches_both_subscribers_through_the_dev_server(platform, faaskit_server):
    server = faaskit_server(Path(__file__).resolve().parents[1] / "app.py", platform=platform)
    base = f"{server.url}/api" if platform == "azure" else server.url
    request = urllib.request.Request(
        f"{base}/orders", data=json.dumps(ORDER).encode(), method="POST"
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 202

    archive = server.cloud.blobs("order-archive")
    for _ in range(200):
        if archive.exists("o-1.json") and list(server.cloud.queue("emails").messages()):
            break
        time.sleep(0.05)
    assert json.loads(archive.get("o-1.json"))["order_id"] == "o-1"
    [job] = server.cloud.queue("emails").messages()
    assert job.json() == {"to": "ada@example.com", "order_id": "o-1"}
