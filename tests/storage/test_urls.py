"""Storage URLs, configuration errors, lazy SDK imports and BlobEvent.read on the embedded store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import faaskit
from faaskit import storage
from faaskit.storage._url import parse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("url", "kind", "scheme", "name", "prefix"),
    [
        ("s3://bucket", "blobs", "s3", "bucket", ""),
        ("s3://bucket/", "blobs", "s3", "bucket", ""),
        ("s3://bucket/a/b/", "blobs", "s3", "bucket", "a/b/"),
        ("azure://container/in%20box", "blobs", "azure", "container", "in box/"),
        ("sqs://orders.fifo", "queues", "sqs", "orders.fifo", ""),
        ("azure-queue://jobs", "queues", "azure-queue", "jobs", ""),
        ("file:///tmp/x%20y", "blobs", "file", "/tmp/x y", ""),
        ("file://localhost/tmp/q", "queues", "file", "/tmp/q", ""),
    ],
)
def test_parse(url: str, kind: str, scheme: str, name: str, prefix: str) -> None:
    location = parse(url, kind)
    assert (location.scheme, location.name, location.prefix) == (scheme, name, prefix)


def test_queue_https_urls() -> None:
    sqs = parse("https://sqs.eu-west-1.amazonaws.com/123456789012/orders", "queues")
    assert sqs.scheme == "sqs"
    azure = parse("https://acct.queue.core.windows.net/jobs", "queues")
    assert azure.scheme == "azure-queue"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("bucket/key", "blobs"),
        ("gs://bucket", "blobs"),
        ("sqs://q", "blobs"),
        ("s3://bucket", "queues"),
        ("s3://", "blobs"),
        ("s3://bucket/../x", "blobs"),
        ("s3://bucket?region=x", "blobs"),
        ("file://host/path", "blobs"),
        ("sqs://q/extra", "queues"),
        ("https://example.com/not-a-queue", "queues"),
    ],
)
def test_bad_urls_are_configuration_errors(url: str, kind: str) -> None:
    opener = storage.blobs if kind == "blobs" else storage.queues
    with pytest.raises((faaskit.ConfigurationError, storage.InvalidStorageRequest)) as caught:
        opener(url)
    assert isinstance(caught.value, ValueError)


def test_unknown_s3_option_is_named() -> None:
    with pytest.raises(faaskit.ConfigurationError, match="endpoint"):
        storage.blobs("s3://bucket", endpoint="http://x")


def test_azure_without_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AzureWebJobsStorage", "AzureWebJobsStorage__accountName"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AzureWebJobsStorage__blobServiceUri", raising=False)
    with pytest.raises(faaskit.ConfigurationError, match="AzureWebJobsStorage"):
        storage.blobs("azure://container")


def test_azure_development_storage_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AzureWebJobsStorage", "UseDevelopmentStorage=true")
    store = storage.blobs("azure://container")
    assert store.client.url.startswith("http://127.0.0.1:10000/devstoreaccount1")  # type: ignore[attr-defined]


def test_importing_storage_loads_no_cloud_sdk() -> None:
    code = (
        "import sys; import faaskit, faaskit.storage; "
        "faaskit.storage.blobs('file:///tmp'); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'azure')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env_paths = f"{ROOT}{':'}{ROOT / 'adapters'}"
    done = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": env_paths}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_blob_event_reads_through_the_matching_store(tmp_path: Path) -> None:
    storage.blobs(tmp_path.as_uri()).put("in/photo 1.jpg", b"\xff\xd8 jpeg")
    event = faaskit.BlobEvent(bucket=tmp_path.name, key="in/photo 1.jpg", store=tmp_path.as_uri())
    assert event.read() == b"\xff\xd8 jpeg"
    with event.open() as stream:
        assert stream.read() == b"\xff\xd8 jpeg"
    missing = faaskit.BlobEvent(bucket="b", key="gone", store=tmp_path.as_uri())
    with pytest.raises(storage.BlobNotFound):
        missing.read()
