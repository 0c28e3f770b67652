"""samples/notifications: the topic subscriber fans out jobs, the queue worker delivers them one
message at a time, through the AWS path (SNS, SQS batches with ``batchItemFailures``) and the
Azure path (Service Bus topic, Storage Queue: a failing message raises).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from faaskit import storage
from faaskit.testing import aws_event, azure_event, invoke
from samples.notifications import app
from tests.samples.helpers import deliver, queued

ORDER = {"order_id": "o-1001", "recipients": ["ada@example.com", "alan@example.com"]}


@pytest.fixture
def urls(monkeypatch: pytest.MonkeyPatch, folder_url: Any) -> dict[str, str]:
    found = {"jobs": folder_url("jobs"), "outbox": folder_url("outbox")}
    monkeypatch.setenv("JOBS_QUEUE_URL", found["jobs"])
    monkeypatch.setenv("OUTBOX_URL", found["outbox"])
    return found


def _publish(platform: str, body: Any, subject: str = "Order shipped") -> Any:
    return deliver(
        app.fan_out,
        platform,
        aws=("sns", {"message": body, "topic": app.TOPIC, "subject": subject}),
        azure=("servicebus", {"body": body, "subject": subject}),
    )


def _sent(url: str) -> dict[str, Any]:
    store = storage.blobs(url)
    return {blob.key: json.loads(store.get(blob.key)) for blob in store.list()}


def test_a_topic_event_fans_out_one_job_per_recipient(platform: str, urls: dict[str, str]) -> None:
    _publish(platform, ORDER)

    jobs = [m.json() for m in queued(urls["jobs"])]
    assert [j["to"] for j in jobs] == ORDER["recipients"]
    assert len({j["id"] for j in jobs}) == len(jobs)
    assert all(j["subject"] == "Order shipped" for j in jobs)
    assert all(ORDER["order_id"] in j["text"] for j in jobs)


@pytest.mark.parametrize("body", ["not json", [], {"order_id": "o-1", "recipients": []}])
def test_an_unusable_topic_event_raises_and_queues_nothing(
    platform: str, urls: dict[str, str], body: Any
) -> None:
    with pytest.raises(ValueError):
        _publish(platform, body)
    assert queued(urls["jobs"]) == []


def test_fanned_out_jobs_are_delivered_by_the_worker(platform: str, urls: dict[str, str]) -> None:
    _publish(platform, ORDER)
    bodies = [m.text for m in queued(urls["jobs"])]

    if platform == "aws":
        result = invoke(app.deliver, aws_event("sqs", bodies=bodies, queue=app.JOBS))
        assert result == {"batchItemFailures": []}
    else:
        for body in bodies:
            invoke(app.deliver, azure_event("queue", body=body), platform="azure")

    sent = _sent(urls["outbox"])
    assert sorted(r["to"] for r in sent.values()) == sorted(ORDER["recipients"])
    assert all(r["platform"] == platform for r in sent.values())


GOOD = [
    {"id": "o-7-0", "to": "ada@example.com", "text": "hi"},
    {"id": "o-7-1", "to": "alan@example.com", "text": "hi"},
    {"id": "o-7-2", "to": "grace@example.com", "text": "hi"},
]


@pytest.mark.parametrize(
    "poison",
    ["{truncated", json.dumps({"id": "o-7-9", "to": "nobody"}), json.dumps({"to": "a@b.c"})],
    ids=["not-json", "bad-address", "no-id"],
)
def test_one_poison_message_in_an_sqs_batch_is_the_only_failure(
    urls: dict[str, str], poison: str
) -> None:
    bodies = [json.dumps(GOOD[0]), poison, json.dumps(GOOD[1]), json.dumps(GOOD[2])]
    event = aws_event("sqs", bodies=bodies, queue=app.JOBS)
    poison_id = event["Records"][1]["messageId"]

    result = invoke(app.deliver, event, platform="aws")

    assert result == {"batchItemFailures": [{"itemIdentifier": poison_id}]}
    assert sorted(_sent(urls["outbox"])) == [f"sent/{job['id']}.json" for job in GOOD]


def test_on_azure_the_poison_message_raises_and_the_others_are_delivered(
    urls: dict[str, str],
) -> None:
    pytest.importorskip("azure.functions")
    for job in GOOD[:2]:
        invoke(app.deliver, azure_event("queue", body=json.dumps(job)), platform="azure")
    with pytest.raises(app.InvalidJob, match="not an email address"):
        invoke(
            app.deliver,
            azure_event("queue", body=json.dumps({"id": "o-7-9", "to": "nobody"})),
            platform="azure",
        )
    with pytest.raises(ValueError, match="not valid JSON"):
        invoke(app.deliver, azure_event("queue", body="{truncated"), platform="azure")

    assert sorted(_sent(urls["outbox"])) == [f"sent/{job['id']}.json" for job in GOOD[:2]]


def test_a_redelivered_job_overwrites_its_record(platform: str, urls: dict[str, str]) -> None:
    body = json.dumps(GOOD[0])
    for attempt in (1, 2):
        deliver(
            app.deliver,
            platform,
            aws=("sqs", {"body": body, "receive_count": attempt}),
            azure=("queue", {"body": body, "dequeue_count": attempt}),
        )

    sent = _sent(urls["outbox"])
    assert list(sent) == [f"sent/{GOOD[0]['id']}.json"]
    assert sent[f"sent/{GOOD[0]['id']}.json"]["attempt"] == 2


def test_a_failed_outbox_write_is_reported_not_lost(
    monkeypatch: pytest.MonkeyPatch, urls: dict[str, str], tmp_path: Any
) -> None:
    monkeypatch.setenv("OUTBOX_URL", (tmp_path / "no-such-folder").as_uri())
    event = aws_event("sqs", bodies=[json.dumps(GOOD[0]), json.dumps(GOOD[1])])

    result = invoke(app.deliver, event, platform="aws")

    ids = [{"itemIdentifier": r["messageId"]} for r in event["Records"]]
    assert result == {"batchItemFailures": ids}
