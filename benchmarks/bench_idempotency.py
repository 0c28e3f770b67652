"""What ``@faaskit.idempotent`` costs on an SQS batch of 10, per message, on real servers.

Starts a moto server (S3) and Azurite (Blob) on loopback. For each, an SQS batch of 10 new
messages goes through the same handler three ways: bare (no idempotency), idempotent (records
in the store), and the raw SDK calls the idempotent path makes (create-only put of the lock,
compare-and-swap put of the result), alternating rounds so load drift hits all alike. A
second batch re-delivers the same 10 messages (the duplicate path). Storage round trips are
counted on the wire (botocore ``before-send`` events; azure-core ``raw_request_hook``).
Target: at most two round trips per message.

Run: ``python benchmarks/bench_idempotency.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "adapters")]

import faaskit  # noqa: E402
from faaskit import storage  # noqa: E402
from faaskit.testing import aws_events  # noqa: E402
from faaskit.testing.contexts import lambda_context  # noqa: E402
from tests.services import Azurite, MotoServer  # noqa: E402

BATCH = 10


class Wire:
    """Counts the HTTP requests a client sends."""

    def __init__(self) -> None:
        self.requests = 0

    def hit(self, *args: Any, **kwargs: Any) -> None:
        self.requests += 1


def _handlers(store: Any) -> tuple[Any, Any]:
    def body(message: faaskit.Message, ctx: faaskit.Context) -> dict[str, Any]:
        return {"order": message.json()["order"], "status": "charged"}

    bare = faaskit.handler(faaskit.queue("work"))(body)
    idem = faaskit.handler(faaskit.queue("work"))(faaskit.idempotent(store)(body))
    return bare, idem


def _batch() -> dict[str, Any]:
    return aws_events.sqs(bodies=[{"order": n} for n in range(BATCH)])


def _timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def run(label: str, store: Any, wire: Wire, raw_pair: Callable[[str], None], rounds: int) -> None:
    """Time and count one backend; print per-message figures."""
    bare, idem = _handlers(store)
    context = lambda_context(timeout=60)
    for _ in range(3):  # warm connections, caches and the code paths
        bare(_batch(), context), idem(_batch(), context), raw_pair(uuid.uuid4().hex)
    bare_t, idem_t, dup_t, raw_t, new_trips, dup_trips = [], [], [], [], [], []
    for i in range(rounds):
        event = _batch()
        keys = [uuid.uuid4().hex for _ in range(BATCH)]

        def raw_batch(keys: list[str] = keys) -> None:
            for key in keys:
                raw_pair(key)

        def bare_batch(event: dict[str, Any] = event) -> None:
            bare(event, context)

        def idem_batch(event: dict[str, Any] = event) -> None:
            idem(event, context)

        calls = [bare_batch, raw_batch]
        for call, times in zip(
            calls[:: 1 if i % 2 else -1], (bare_t, raw_t)[:: 1 if i % 2 else -1], strict=True
        ):
            times.append(_timed(call))
        before = wire.requests
        idem_t.append(_timed(idem_batch))
        new_trips.append((wire.requests - before) / BATCH)
        before = wire.requests
        dup_t.append(_timed(idem_batch))
        dup_trips.append((wire.requests - before) / BATCH)

    def per_message(times: list[float]) -> float:
        return statistics.median(times) / BATCH * 1e3

    bare_ms, idem_ms, dup_ms, raw_ms = map(per_message, (bare_t, idem_t, dup_t, raw_t))
    trips, dups = max(new_trips), max(dup_trips)
    print(f"\n{label} (per message, median of {rounds} batches of {BATCH})")
    print(f"  bare handler            {bare_ms * 1e3:9.1f} us")
    print(f"  raw SDK calls (2)       {raw_ms:9.3f} ms")
    print(
        f"  idempotent, new         {idem_ms:9.3f} ms   ratio to raw SDK {idem_ms / raw_ms:5.2f}"
        f"   round trips {trips:.1f}"
    )
    print(
        f"  idempotent, duplicate   {dup_ms:9.3f} ms   ratio to raw SDK {dup_ms / raw_ms:5.2f}"
        f"   round trips {dups:.1f}"
    )
    verdict = "met" if max(trips, dups) <= 2 else "NOT met"
    print(f"  target <= 2 round trips per message: {verdict}")


def s3(moto: MotoServer, rounds: int) -> None:
    """The S3 run."""
    import boto3

    os.environ.update(moto.env)
    client = boto3.client("s3", endpoint_url=moto.endpoint)
    bucket = f"idem-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=bucket)
    store = storage.blobs(f"s3://{bucket}", endpoint_url=moto.endpoint)
    wire = Wire()
    store.client.meta.events.register("before-send.s3", wire.hit)  # type: ignore[attr-defined]
    lock = json.dumps({"status": "in_progress", "hash": "0" * 64, "lock_until": 0}).encode()
    done = json.dumps({"status": "completed", "result": {"type": "json", "value": {}}}).encode()

    def raw_pair(key: str) -> None:
        etag = client.put_object(Bucket=bucket, Key=key, Body=lock, IfNoneMatch="*")["ETag"]
        client.put_object(Bucket=bucket, Key=key, Body=done, IfMatch=etag)

    run("S3 on the moto server", store, wire, raw_pair, rounds)


def azure(azurite: Azurite, rounds: int) -> None:
    """The Azure Blob run."""
    from azure.core import MatchConditions
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient.from_connection_string(azurite.connection_string())
    container = service.create_container(f"idem-{uuid.uuid4().hex[:8]}")
    wire = Wire()
    store = storage.blobs(
        f"azure://{container.container_name}",
        connection_string=azurite.connection_string(),
        raw_request_hook=wire.hit,
    )
    lock = json.dumps({"status": "in_progress", "hash": "0" * 64, "lock_until": 0}).encode()
    done = json.dumps({"status": "completed", "result": {"type": "json", "value": {}}}).encode()

    def raw_pair(key: str) -> None:
        blob = container.get_blob_client(key)
        etag = blob.upload_blob(lock, overwrite=False)["etag"]
        blob.upload_blob(
            done, overwrite=True, etag=etag, match_condition=MatchConditions.IfNotModified
        )

    run("Azure Blob on Azurite", store, wire, raw_pair, rounds)


def main() -> None:
    """Run both backends."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="batches per figure")
    args = parser.parse_args()
    with MotoServer.run() as moto:
        s3(moto, args.rounds)
    with Azurite.run() as azurite:
        azure(azurite, args.rounds)


if __name__ == "__main__":
    main()
