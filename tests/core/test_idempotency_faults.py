"""Fault injection for ``@faaskit.idempotent``: many messages through the local queue and
through SQS on the moto server, every message delivered at least once and 10% of them twice,
the handler failing at random on 5% of attempts. The side effect (a counter per message) must
end at exactly 1 for every message, and no record may be left in progress.

The normal suite runs ``FAASKIT_FAULT_MESSAGES`` messages (default 200) per run; the full
run of the issue is ``FAASKIT_FAULT_MESSAGES=10000``. Each run prints its time.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import faaskit
from faaskit import storage
from faaskit.testing.contexts import lambda_context
from tests.storage.helpers import Backend

MESSAGES = int(os.environ.get("FAASKIT_FAULT_MESSAGES", "200"))
DUPLICATES = 0.10
FAILURES = 0.05
CONSUMERS = 4
PER_QUEUE = 100  # messages per SQS queue; see Shards


class Faults:
    """The handler under test, its side effects, and the injected faults."""

    def __init__(self, store: Any, seed: int) -> None:
        self.effects: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.attempts = 0
        self.failures = 0
        self.duplicates = 0

        @faaskit.handler(faaskit.queue("work"))
        @faaskit.idempotent(store)
        def work(message: faaskit.Message, ctx: faaskit.Context) -> dict[str, int]:
            with self.lock:
                self.attempts += 1
                fail = self.random.random() < FAILURES
                self.failures += fail
            if fail:
                raise RuntimeError("injected failure")
            number = int(message.json()["n"])
            with self.lock:
                self.effects[number] += 1
            return {"n": number}

        self.handler = work

    def duplicate(self) -> bool:
        with self.lock:
            again = self.random.random() < DUPLICATES
            self.duplicates += again
            return again

    def check(self, store: Any, started: float, what: str) -> None:
        elapsed = time.monotonic() - started
        assert (self.failures > 0 and self.duplicates > 0) or MESSAGES < 100
        assert sorted(self.effects) == list(range(MESSAGES))
        assert set(self.effects.values()) == {1}
        with ThreadPoolExecutor(CONSUMERS) as pool:  # one read per record: the longest step
            records = pool.map(lambda item: json.loads(store.get(item.key)), store.list())
            statuses = Counter(record["status"] for record in records)
        verified = time.monotonic() - started - elapsed
        print(
            f"\nfault injection {what}: {MESSAGES} messages, {self.duplicates} delivered "
            f"twice, {self.attempts} handler runs, {self.failures} injected failures, "
            f"{elapsed:.1f} s; every record read back in {verified:.1f} s"
        )
        assert statuses == {"completed": MESSAGES}


def _consume(poll: Callable[[], bool], until: Callable[[], bool] | None = None) -> None:
    """Run ``poll`` on :data:`CONSUMERS` threads until ``until()`` holds, or, without it,
    until every thread finds nothing left three times in a row."""
    errors: list[BaseException] = []

    def loop() -> None:
        idle = 0
        try:
            while not errors and (until() is False if until else idle < 3):
                if poll():
                    idle = 0
                else:
                    idle += 1
                    if until:
                        time.sleep(0.05)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=loop) for _ in range(CONSUMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_local_queue(tmp_path: Path) -> None:
    store = storage.blobs((tmp_path / "records").as_uri(), create=True, durable=False)
    faults = Faults(store, seed=1)
    queue: Any = storage.queues((tmp_path / "queue").as_uri(), create=True, durable=False)
    started = time.monotonic()
    queue.send_batch([{"n": n} for n in range(MESSAGES)])
    waiting: list[faaskit.Message] = []
    taken: set[str] = set()
    redeliver: list[faaskit.Message] = []
    lock = threading.Lock()

    def take() -> list[faaskit.Message]:
        """A redelivered duplicate, if any, and the next message nobody is processing."""
        with lock:
            batch = [redeliver.pop()] if redeliver else []
            if not waiting:  # one listing of the folder per pass, not per message
                waiting.extend(m for m in reversed(list(queue.messages())) if m.id not in taken)
            if waiting:
                message = waiting.pop()
                taken.add(message.id)
                batch.append(message)
            return batch

    def poll() -> bool:
        found = False
        for message in take():
            found = True
            try:
                faults.handler(message)
            except (RuntimeError, faaskit.IdempotencyInProgressError):
                with lock:
                    taken.discard(message.id)  # back on the queue: redelivered later
                continue
            queue.delete(message.id)
            if faults.duplicate():
                with lock:
                    redeliver.append(message)
        return found

    _consume(poll)
    faults.check(store, started, "local queue + file://")


@pytest.mark.services
def test_sqs_on_moto(backend: Backend) -> None:
    if backend.name == "file":
        pytest.skip("the local queue run covers file://")
    import boto3

    from tests.services import MotoServer

    # SQS gets a moto server of its own: a second process (and core) beside the record store's.
    with MotoServer.run() as moto:
        _sqs_run(backend, boto3.client("sqs", **_moto_options(moto)))


def _moto_options(moto: Any) -> dict[str, Any]:
    env = moto.env
    return {
        "endpoint_url": moto.endpoint,
        "region_name": env["AWS_REGION"],
        "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
    }


class Shards:
    """The run's SQS queues and what the consumers have settled so far.

    moto's receive reads the queue's attributes once per returned message, and each read counts
    the whole queue, so a receive costs O(queue length): the messages are spread over queues of
    :data:`PER_QUEUE` each, as a producer spreads load over several queues.
    """

    def __init__(self, sqs: Any, faults: Faults) -> None:
        self.sqs = sqs
        self.faults = faults
        count = max(1, -(-MESSAGES // PER_QUEUE))
        tag = f"{os.getpid()}-{id(self)}"
        self.urls = [
            sqs.create_queue(QueueName=f"faults-{tag}-{i}")["QueueUrl"] for i in range(count)
        ]
        self.lock = threading.Lock()
        self.kept: set[str] = set()  # kept once after success: SQS delivers them again
        self.deleted: set[str] = set()
        self.next = 0

    def send(self) -> None:
        for start in range(0, MESSAGES, 10):
            self.sqs.send_message_batch(
                QueueUrl=self.urls[(start // 10) % len(self.urls)],
                Entries=[
                    {"Id": str(n), "MessageBody": json.dumps({"n": n})}
                    for n in range(start, min(start + 10, MESSAGES))
                ],
            )

    def done(self) -> bool:
        with self.lock:
            return len(self.deleted) >= MESSAGES

    def poll(self) -> bool:
        """Receive one batch from the next queue, run it as Lambda would, settle it."""
        with self.lock:
            url = self.urls[self.next % len(self.urls)]
            self.next += 1
        received = self.sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60
        ).get("Messages", [])
        if not received:
            return False
        name = url.rsplit("/", 1)[1]
        result = self.faults.handler(_lambda_event(received, name), lambda_context(timeout=60))
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        again: list[dict[str, Any]] = []
        done: list[dict[str, Any]] = []
        with self.lock:
            for message in received:
                if message["MessageId"] in failed:
                    again.append(message)
                elif message["MessageId"] not in self.kept and self.faults.duplicate():
                    self.kept.add(message["MessageId"])
                    again.append(message)
                else:
                    done.append(message)
        if done:
            self.sqs.delete_message_batch(QueueUrl=url, Entries=_entries(done))
            with self.lock:
                self.deleted.update(m["MessageId"] for m in done)
        if again:  # what the visibility timeout does after a partial batch failure, at once
            self.sqs.change_message_visibility_batch(
                QueueUrl=url, Entries=_entries(again, VisibilityTimeout=0)
            )
        return True


def _entries(messages: list[dict[str, Any]], **extra: Any) -> list[dict[str, Any]]:
    return [
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], **extra} for i, m in enumerate(messages)
    ]


def _lambda_event(messages: list[dict[str, Any]], queue: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "0"},
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }


def _sqs_run(backend: Backend, sqs: Any) -> None:
    store = storage.blobs(backend.new_store())
    faults = Faults(store, seed=2)
    shards = Shards(sqs, faults)
    started = time.monotonic()
    shards.send()
    _consume(shards.poll, until=shards.done)
    faults.check(store, started, f"SQS on moto ({len(shards.urls)} queues) + {backend.name}")
    assert faults.duplicates == len(shards.kept)
