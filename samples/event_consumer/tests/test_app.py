import json

import pytest
from app import invoice_for, on_order_paid

ORDER = {"order_id": "o-7", "total": "19.999"}


def test_invoice_rounds_the_total():
    assert invoice_for(ORDER) == {"order_id": "o-7", "total": 20.0}


def test_an_event_without_a_total_is_refused():
    with pytest.raises(ValueError, match="total"):
        invoice_for({"order_id": "o-7"})


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_a_paid_order_event_writes_the_invoice(
    platform, faaskit_local, faaskit_invoke, aws_events, azure_events
):
    if platform == "aws":
        event = aws_events.eventbridge(
            detail=ORDER, detail_type="Order Paid", source="com.example.orders"
        )
    else:
        event = azure_events.eventgrid(
            data=ORDER, event_type="Order Paid", subject="com.example.orders"
        )

    faaskit_invoke(on_order_paid, event, platform=platform)

    assert json.loads(faaskit_local.blobs("invoices").get("o-7.json"))["total"] == 20.0
