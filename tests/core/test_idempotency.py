"""``@faaskit.idempotent`` over the three stores (file://, S3 on moto, Azure on Azurite):
duplicate SQS deliveries, concurrent duplicates, failures, crashes, payload reuse, expiry,
HTTP replays and per-message batches.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import faaskit
from faaskit import storage
from faaskit.testing import aws_events
from faaskit.testing.aws_http import apigw_v2
from faaskit.testing.contexts import lambda_context
from tests.storage.helpers import Backend, environment_for

ROOT = Path(__file__).resolve().parents[2]


def _message(body: str, message_id: str = "m-1") -> faaskit.Message:
    return faaskit.Message(id=message_id, body=body.encode())


def _records(store: Any) -> list[dict[str, Any]]:
    return [json.loads(store.get(item.key)) for item in store.list()]


def test_a_duplicate_sqs_delivery_runs_the_handler_once(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    effects: Counter[str] = Counter()

    @faaskit.handler(faaskit.queue("orders"))
    @faaskit.idempotent(store)
    def charge(message: faaskit.Message, ctx: faaskit.Context) -> dict[str, str]:
        effects[message.id] += 1
        return {"charged": message.text}

    event = aws_events.sqs(bodies=["a", "b"])
    first = charge(event, lambda_context(timeout=30))
    again = charge(event, lambda_context(timeout=30))
    assert first == again == {"batchItemFailures": []}
    assert sorted(effects.values()) == [1, 1]
    records = _records(store)
    assert {r["status"] for r in records} == {"completed"}
    assert sorted(r["result"]["value"]["charged"] for r in records) == ["a", "b"]


def test_a_duplicate_returns_the_stored_result_without_running(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    calls: list[str] = []

    @faaskit.idempotent(store)
    def work(message: faaskit.Message, ctx: faaskit.Context) -> Any:
        calls.append(message.id)
        return {"n": len(calls), "bytes": None}

    run = faaskit.handler(work)
    assert run(_message("x")) == {"n": 1, "bytes": None}
    assert run(_message("x")) == {"n": 1, "bytes": None}
    assert calls == ["m-1"]


def test_failure_removes_the_record_so_the_retry_runs(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    attempts: list[int] = []

    @faaskit.handler
    @faaskit.idempotent(store)
    def flaky(message: faaskit.Message, ctx: faaskit.Context) -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("card network down")
        return "ok"

    with pytest.raises(RuntimeError):
        flaky(_message("pay"))
    assert list(store.list()) == []
    assert flaky(_message("pay")) == "ok"
    assert flaky(_message("pay")) == "ok"
    assert len(attempts) == 2


def test_concurrent_duplicates_run_once_and_the_others_are_told_to_retry(
    race_backend: Backend,
) -> None:
    backend = race_backend
    store = storage.blobs(backend.new_store())
    runs: list[int] = []

    @faaskit.handler
    @faaskit.idempotent(store)
    def slow(message: faaskit.Message, ctx: faaskit.Context) -> str:
        runs.append(1)
        time.sleep(1.0)
        return "done"

    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def deliver() -> None:
        barrier.wait()
        try:
            outcomes.append(slow(_message("same")))
        except faaskit.IdempotencyInProgressError as exc:
            assert exc.key == "message:m-1"
            outcomes.append("in progress")

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(runs) == 1
    # A delivery that starts (on a loaded machine) after the first finished gets its result.
    assert len(outcomes) == 8 and set(outcomes) <= {"done", "in progress"}
    assert "in progress" in outcomes
    assert slow(_message("same")) == "done"


def test_in_progress_fails_only_that_message_of_an_sqs_batch(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    event = aws_events.sqs(bodies=["busy", "free"])
    busy_id = event["Records"][0]["messageId"]

    @faaskit.handler(faaskit.queue("orders"))
    @faaskit.idempotent(store)
    def work(message: faaskit.Message, ctx: faaskit.Context) -> None:
        return None

    state = work.func.idempotency  # type: ignore[attr-defined]
    state.begin(f"message:{busy_id}", "whatever", None)  # another invocation holds it
    result = work(event, lambda_context(timeout=30))
    assert result == {"batchItemFailures": [{"itemIdentifier": busy_id}]}


CRASH = textwrap.dedent(
    """
    import os, sys, time
    import faaskit
    from faaskit._context import Context
    store, lapses_at = sys.argv[1], float(sys.argv[2])

    @faaskit.handler
    @faaskit.idempotent(store)
    def charge(message, ctx):
        os._exit(3)  # killed mid-way: no chance to clean up

    ctx = Context(request_id="r", function_name="charge", platform="local",
                  deadline=time.monotonic() + lapses_at - time.time())
    charge.call(faaskit.Message(id="m-1", body=b"pay"), ctx)
    """
)


def test_a_crashed_invocation_holds_the_key_until_its_deadline(backend: Backend) -> None:
    url = backend.new_store()
    env = {**os.environ, **environment_for(backend), "PYTHONPATH": str(ROOT)}
    lapses_at = time.time() + 4.0
    command = [sys.executable, "-c", CRASH, url, str(lapses_at)]
    crashed = subprocess.run(command, env=env, timeout=60)
    assert crashed.returncode == 3
    ran: list[int] = []

    def charge(message: faaskit.Message, ctx: faaskit.Context) -> str:
        ran.append(1)
        return "charged"

    # The record folder the crashed process used.
    charge.__module__, charge.__qualname__ = "__main__", "charge"
    retry = faaskit.handler(faaskit.idempotent(url)(charge))
    if time.time() < lapses_at - 1.0:
        with pytest.raises(faaskit.IdempotencyInProgressError):
            retry(_message("pay"))
    time.sleep(max(0.0, lapses_at + 0.2 - time.time()))
    assert retry(_message("pay")) == "charged"
    assert retry(_message("pay")) == "charged"
    assert ran == [1]


def test_a_key_reused_for_another_payload_is_refused(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())

    @faaskit.handler
    @faaskit.idempotent(store)
    def work(message: faaskit.Message, ctx: faaskit.Context) -> str:
        return message.text

    assert work(_message("first")) == "first"
    with pytest.raises(faaskit.IdempotencyKeyReuseError, match="another payload") as caught:
        work(_message("second"))
    assert isinstance(caught.value, ValueError)
    assert caught.value.key == "message:m-1"


def test_records_expire(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    runs: list[int] = []

    @faaskit.handler
    @faaskit.idempotent(store, expires=_dt.timedelta(seconds=1))
    def work(message: faaskit.Message, ctx: faaskit.Context) -> int:
        runs.append(1)
        return len(runs)

    assert work(_message("x")) == 1
    assert work(_message("x")) == 1
    time.sleep(1.2)
    assert work(_message("x")) == 2
    assert work(_message("x")) == 2  # the new record has not expired


def test_http_replays_the_same_response(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    created: list[str] = []

    @faaskit.handler(faaskit.http("POST", "/orders"))
    @faaskit.idempotent(store)
    def create(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
        created.append(req.text)
        return faaskit.Response.json(
            {"order": len(created)},
            status=201,
            headers={"Location": f"/orders/{len(created)}"},
            cookies={"seen": faaskit.Cookie(value="1", path="/", http_only=True)},
        )

    def post(key: str | None, body: str = '{"item": 1}') -> dict[str, Any]:
        headers = {"content-type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        event = apigw_v2("POST", "/orders", headers=headers, body=body)
        return dict(create(event, lambda_context(timeout=30)))

    first = post("k-1")
    assert first["statusCode"] == 201
    assert post("k-1") == first
    assert len(created) == 1
    assert post("k-2")["headers"]["Location"] == "/orders/2"
    assert post(None)["headers"]["Location"] == "/orders/3"
    assert post(None)["headers"]["Location"] == "/orders/4"
    reused = post("k-1", body='{"item": 2}')
    assert reused["statusCode"] == 500
    assert len(created) == 4


def test_a_5xx_response_is_not_stored(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    statuses = [503, 200]

    @faaskit.handler
    @faaskit.idempotent(store, key=lambda req: req.headers.get("Idempotency-Key"))
    def create(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
        return faaskit.Response("", status=statuses.pop(0))

    request = faaskit.HttpRequest(
        method="POST", path="/", headers=faaskit.Headers({"Idempotency-Key": "k"})
    )
    assert create(request).status == 503
    assert create(request).status == 200
    assert create(request).status == 200
    assert statuses == []


def test_async_handlers(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    runs: list[int] = []

    @faaskit.handler
    @faaskit.idempotent(store.url)
    async def work(message: faaskit.Message, ctx: faaskit.Context) -> bytes:
        runs.append(1)
        return b"\x00\xff"

    assert work(_message("x")) == b"\x00\xff"
    assert work(_message("x")) == b"\x00\xff"
    assert runs == [1]


def test_key_function_and_events_without_a_default_key(tmp_path: Path) -> None:
    url = tmp_path.as_uri()

    @faaskit.handler
    @faaskit.idempotent(url, key=lambda event: event.schedule)
    def tick(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> int:
        return 1

    event = faaskit.ScheduleEvent(time=_dt.datetime.now(_dt.timezone.utc), schedule="daily")
    assert tick(event) == 1

    @faaskit.handler
    @faaskit.idempotent(url)
    def no_key(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> int:
        return 1

    with pytest.raises(faaskit.ConfigurationError, match="no default idempotency key"):
        no_key(event)


def test_it_goes_under_the_handler_decorator(tmp_path: Path) -> None:
    with pytest.raises(faaskit.ConfigurationError, match="stack it under"):
        faaskit.idempotent(tmp_path.as_uri())(faaskit.handler(lambda event, ctx: None))
    with pytest.raises(faaskit.ConfigurationError, match="positive timedelta"):
        faaskit.idempotent(tmp_path.as_uri(), expires=_dt.timedelta(0))
