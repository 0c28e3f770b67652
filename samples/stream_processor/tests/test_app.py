import json

import pytest
from app import on_click


def stored(faaskit_local):
    store = faaskit_local.blobs("page-views")
    return [json.loads(store.get(item.key)) for item in store.list()]


def test_kinesis_batch_stops_at_the_failing_record(faaskit_local, faaskit_invoke, aws_events):
    records = [{"page": "/a"}, {"page": "nowhere"}, {"page": "/c"}]
    event = aws_events.kinesis(stream="clicks", partition_key="ada", records=records)
    failed = event["Records"][1]["kinesis"]["sequenceNumber"]

    response = faaskit_invoke(on_click, event, platform="aws")

    assert response == {"batchItemFailures": [{"itemIdentifier": failed}]}
    assert stored(faaskit_local) == [{"page": "/a", "user": "ada"}]


def test_event_hubs_delivery_is_stored(faaskit_local, faaskit_invoke, azure_events):
    event = azure_events.eventhub(body=json.dumps({"page": "/b"}), partition_key="bob")
    faaskit_invoke(on_click, event, platform="azure")
    assert stored(faaskit_local) == [{"page": "/b", "user": "bob"}]


def test_event_hubs_delivery_that_is_not_a_view_raises(faaskit_local, faaskit_invoke, azure_events):
    with pytest.raises(ValueError, match="not a page view"):
        faaskit_invoke(on_click, azure_events.eventhub(body="[]"), platform="azure")
