import json

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
