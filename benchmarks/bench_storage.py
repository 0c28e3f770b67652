"""Round-trip put+get through faaskit.storage vs the raw SDK call, on the same local server.

Starts a moto server (S3) and Azurite (Blob) on loopback, then for 1 KB and 10 MB objects
times ``store.put(key, data); store.get(key)`` against the SDK calls faaskit makes
(``put_object`` + ``get_object()["Body"].read()``; ``upload_blob`` + ``download_blob().
readall()``), alternating single calls; the ratio is of the two medians.
A second table times the faaskit layer alone, against a stub client that does no I/O.

Run: ``python benchmarks/bench_storage.py [--scale PERCENT] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "adapters")]

from faaskit import storage  # noqa: E402
from tests.services import Azurite, MotoServer  # noqa: E402

SIZES = {"1 KB": (1024, 300), "10 MB": (10 * 1024 * 1024, 60)}


def _round(call: Callable[[], None], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        call()
    return (time.perf_counter() - start) / number


def _once(call: Callable[[], None]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def compare(label: str, raw: Callable[[], None], ours: Callable[[], None], number: int) -> None:
    """Alternate single calls (order flipped each time) so load drift hits both sides alike."""
    raw(), ours()  # warm connections and caches
    raw_times, our_times = [], []
    for i in range(number):
        if i % 2:
            our_times.append(_once(ours))
            raw_times.append(_once(raw))
        else:
            raw_times.append(_once(raw))
            our_times.append(_once(ours))
    raw_ms, our_ms = statistics.median(raw_times) * 1e3, statistics.median(our_times) * 1e3
    ratio = our_ms / raw_ms
    print(
        f"{label:<24} raw {raw_ms:9.2f} ms   faaskit {our_ms:9.2f} ms   ratio {ratio:5.3f}"
        f"   (median of {number})"
    )


def bench_s3(server: MotoServer, scale: int) -> None:
    import boto3

    os.environ.update(server.env)
    client = boto3.client("s3")
    client.create_bucket(Bucket="bench")
    store = storage.blobs("s3://bench")
    for name, (size, number) in SIZES.items():
        data = os.urandom(size)

        def raw(data: bytes = data) -> None:
            client.put_object(Bucket="bench", Key="raw", Body=data)
            assert len(client.get_object(Bucket="bench", Key="raw")["Body"].read()) == len(data)

        def ours(data: bytes = data) -> None:
            store.put("ours", data)
            assert len(store.get("ours")) == len(data)

        compare(f"S3 (moto) {name}", raw, ours, max(3, number * scale // 100))


def bench_azure(server: Azurite, scale: int) -> None:
    from azure.storage.blob import BlobServiceClient

    os.environ["AzureWebJobsStorage"] = server.connection_string()  # noqa: SIM112
    container = BlobServiceClient.from_connection_string(
        server.connection_string()
    ).get_container_client("bench")
    container.create_container()
    store = storage.blobs("azure://bench")
    for name, (size, number) in SIZES.items():
        data = os.urandom(size)

        def raw(data: bytes = data) -> None:
            container.upload_blob("raw", data, overwrite=True)
            assert len(container.download_blob("raw").readall()) == len(data)

        def ours(data: bytes = data) -> None:
            store.put("ours", data)
            assert len(store.get("ours")) == len(data)

        compare(f"Azure (Azurite) {name}", raw, ours, max(3, number * scale // 100))


class _Body:
    def read(self) -> bytes:
        return b"x"


class _StubS3:
    """Answers like boto3's S3 client, with no I/O: isolates faaskit's own cost."""

    def put_object(self, **_: Any) -> dict[str, Any]:
        return {}

    def get_object(self, **_: Any) -> dict[str, Any]:
        return {"Body": _Body()}


def bench_layer() -> None:
    stub = _StubS3()
    store = storage.blobs("s3://bench", client=stub)
    number = 20000

    def raw() -> None:
        stub.put_object(Bucket="bench", Key="k", Body=b"x")
        stub.get_object(Bucket="bench", Key="k")["Body"].read()

    def ours() -> None:
        store.put("k", b"x")
        store.get("k")

    raw_us = min(_round(raw, number) for _ in range(5)) * 1e6
    our_us = min(_round(ours, number) for _ in range(5)) * 1e6
    print(
        f"{'faaskit layer (stub)':<24} raw {raw_us:8.2f} us   faaskit {our_us:8.2f} us   "
        f"added {our_us - raw_us:5.2f} us per put+get"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="percent of the default calls")
    parser.add_argument("--quick", action="store_true", help="10%% of the calls, a smoke run")
    args = parser.parse_args()
    scale = 10 if args.quick else args.scale
    bench_layer()
    with MotoServer.run() as moto:
        bench_s3(moto, scale)
    with Azurite.run(memory_mb=8192) as azurite:
        bench_azure(azurite, scale)


if __name__ == "__main__":
    main()
