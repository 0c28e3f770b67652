import json

import pytest
from app import InvalidJob, work

GOOD = {"id": "job-1", "to": "ada@example.com"}


def test_one_bad_message_in_an_sqs_batch_is_reported_alone(
    faaskit_local, faaskit_invoke, aws_events
):
    event = aws_events.sqs(queue="jobs", bodies=[json.dumps(GOOD), "not json"])
    bad_id = event["Records"][1]["messageId"]

    response = faaskit_invoke(work, event, platform="aws")

    assert response == {"batchItemFailures": [{"itemIdentifier": bad_id}]}
    assert json.loads(faaskit_local.blobs("outbox").get("job-1.json")) == GOOD


def test_on_azure_a_good_message_is_delivered(faaskit_local, faaskit_invoke, azure_events):
    faaskit_invoke(work, azure_events.queue(body=json.dumps(GOOD)), platform="azure")
    assert json.loads(faaskit_local.blobs("outbox").get("job-1.json")) == GOOD


def test_on_azure_a_bad_message_raises_so_the_host_retries_it(
    faaskit_local, faaskit_invoke, azure_events
):
    with pytest.raises(InvalidJob):
        faaskit_invoke(work, azure_events.queue(body='{"id": 7}'), platform="azure")
    assert list(faaskit_local.blobs("outbox").list()) == []
