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
        print(
            f"\nfault injection {what}: {MESSAGES} messages, {self.duplicates} delivered "
            f"twice, {self.attempts} handler runs, {self.failures} injected failures, "
            f"{elapsed:.1f} s"
        )
        assert (self.failures > 0 and self.duplicates > 0) or MESSAGES < 100
        assert sorted(self.effects) == list(range(MESSAGES))
        assert set(self.effects.values()) == {1}
        statuses = Counter(json.loads(store.get(item.key))["status"] for item in store.list())
        assert statuses == {"completed": MESSAGES}


def _consume(poll: Callable[[], bool]) -> None:
    """Run ``poll`` on :data:`CONSUMERS` threads until all of them find nothing left."""
    errors: list[BaseException] = []

    def loop() -> None:
        idle = 0
        try:
            while idle < 3:
                idle = 0 if poll() else idle + 1
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


def _lambda_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
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
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:work",
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }


@pytest.mark.services
def test_sqs_on_moto(backend: Backend) -> None:
    if backend.name == "file":
        pytest.skip("the local queue run covers file://")
    import boto3

    from tests.storage.helpers import S3Backend

    moto = backend.server if isinstance(backend, S3Backend) else None
    if moto is None:
        from tests.services import MotoServer

        context = MotoServer.run()
        moto = context.__enter__()
    try:
        _sqs_run(backend, boto3.client("sqs", **_moto_options(moto)))
    finally:
        if not isinstance(backend, S3Backend):
            context.__exit__(None, None, None)


def _moto_options(moto: Any) -> dict[str, Any]:
    env = moto.env
    return {
        "endpoint_url": moto.endpoint,
        "region_name": env["AWS_REGION"],
        "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
    }


def _sqs_run(backend: Backend, sqs: Any) -> None:
    store = storage.blobs(backend.new_store())
    faults = Faults(store, seed=2)
    queue_url = sqs.create_queue(QueueName=f"faults-{os.getpid()}-{id(faults)}")["QueueUrl"]
    started = time.monotonic()
    bodies = [json.dumps({"n": n}) for n in range(MESSAGES)]
    for start in range(0, MESSAGES, 10):
        sqs.send_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "MessageBody": body}
                for i, body in enumerate(bodies[start : start + 10])
            ],
        )
    redeliver: list[dict[str, Any]] = []
    lock = threading.Lock()

    def poll() -> bool:
        received = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=30
        ).get("Messages", [])
        with lock:
            extra, redeliver[:] = redeliver[:3], redeliver[3:]
        batch = received + extra
        if not batch:
            return False
        result = faults.handler(_lambda_event(batch), lambda_context(timeout=60))
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        done = [m for m in received if m["MessageId"] not in failed]
        retry = [m for m in received if m["MessageId"] in failed]
        if done:
            sqs.delete_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        if retry:  # what the visibility timeout would do, without waiting for it
            sqs.change_message_visibility_batch(
                QueueUrl=queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for i, m in enumerate(retry)
                ],
            )
        with lock:
            redeliver.extend(m for m in extra if m["MessageId"] in failed)
            redeliver.extend(m for m in done if faults.duplicate())
        return True

    _consume(poll)
    faults.check(store, started, f"SQS on moto + {backend.name}")
