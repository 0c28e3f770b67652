"""One object per storage backend, so the contract tests run unchanged over all of them.

Each backend makes fresh stores and queues with unique names, and reads and writes "raw"
through the cloud SDK (or the filesystem) itself, so the tests check what faaskit puts on the
wire, not only that faaskit reads back what it wrote.
"""

from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path
from typing import Any

import attrs

from tests.services import Azurite, MotoServer, free_port


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def split(url: str, key: str) -> tuple[str, str]:
    """The bucket or container of a cloud store URL, and ``key``'s full name in it."""
    name, _, prefix = url.partition("://")[2].partition("/")
    return name, (prefix + "/" if prefix else "") + key


@attrs.define
class FileBackend:
    root: Path
    name: str = "file"

    def new_store(self, prefix: str = "") -> str:
        path = self.root / unique("store")
        path.mkdir(parents=True)
        return path.as_uri() + (f"/{prefix}" if prefix else "")

    def missing_store(self) -> str:
        return (self.root / unique("missing")).as_uri()

    def _path(self, url: str, key: str) -> Path:
        from urllib.request import url2pathname

        return Path(url2pathname(url.removeprefix("file://"))) / key

    def raw_get(self, url: str, key: str) -> bytes:
        return self._path(url, key).read_bytes()

    def raw_put(self, url: str, key: str, data: bytes) -> None:
        path = self._path(url, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def new_queue(self) -> str:
        path = self.root / unique("queue")
        path.mkdir()
        return path.as_uri()

    def missing_queue(self) -> str:
        return (self.root / unique("noqueue")).as_uri()

    def receive(self, url: str) -> list[tuple[bytes, dict[str, Any]]]:
        from faaskit import storage

        queue: Any = storage.queues(url)
        return [(m.body, dict(m.attributes)) for m in queue.messages()]

    def down_options(self) -> dict[str, Any] | None:
        return None


@attrs.define
class S3Backend:
    server: MotoServer
    name: str = "s3"

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(service, endpoint_url=self.server.endpoint)

    def new_store(self, prefix: str = "") -> str:
        bucket = unique("bkt")
        self.client("s3").create_bucket(Bucket=bucket)
        return f"s3://{bucket}" + (f"/{prefix}" if prefix else "")

    def missing_store(self) -> str:
        return f"s3://{unique('nobkt')}"

    def raw_get(self, url: str, key: str) -> bytes:
        bucket, name = split(url, key)
        data: bytes = self.client("s3").get_object(Bucket=bucket, Key=name)["Body"].read()
        return data

    def raw_put(self, url: str, key: str, data: bytes) -> None:
        bucket, name = split(url, key)
        self.client("s3").put_object(Bucket=bucket, Key=name, Body=data)

    def new_queue(self) -> str:
        name = unique("q")
        self.client("sqs").create_queue(QueueName=name)
        return f"sqs://{name}"

    def missing_queue(self) -> str:
        return f"sqs://{unique('noq')}"

    def receive(self, url: str) -> list[tuple[bytes, dict[str, Any]]]:
        sqs = self.client("sqs")
        queue_url = sqs.get_queue_url(QueueName=url.removeprefix("sqs://"))["QueueUrl"]
        found: list[tuple[bytes, dict[str, Any]]] = []
        while True:
            batch = sqs.receive_message(
                QueueUrl=queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
            ).get("Messages", [])
            if not batch:
                return found
            for message in batch:
                attributes = {
                    k: _sqs_value(v) for k, v in message.get("MessageAttributes", {}).items()
                }
                found.append((message["Body"].encode(), attributes))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    def down_options(self) -> dict[str, Any]:
        from botocore.config import Config

        return {
            "endpoint_url": f"http://127.0.0.1:{free_port()}",
            "config": Config(retries={"max_attempts": 1}, connect_timeout=2),
        }


def _sqs_value(value: dict[str, Any]) -> Any:
    if value["DataType"] == "Binary":
        return value["BinaryValue"]
    if value["DataType"].startswith("Number"):
        return float(value["StringValue"])
    return value["StringValue"]


@attrs.define
class AzureBackend:
    server: Azurite
    name: str = "azure"

    def service(self, kind: str = "blob") -> Any:
        if kind == "blob":
            from azure.storage.blob import BlobServiceClient

            return BlobServiceClient.from_connection_string(self.server.connection_string())
        from azure.storage.queue import QueueServiceClient

        return QueueServiceClient.from_connection_string(self.server.connection_string())

    def new_store(self, prefix: str = "") -> str:
        container = unique("ctr")
        self.service().create_container(container)
        return f"azure://{container}" + (f"/{prefix}" if prefix else "")

    def missing_store(self) -> str:
        return f"azure://{unique('noctr')}"

    def raw_get(self, url: str, key: str) -> bytes:
        container, name = split(url, key)
        blob = self.service().get_blob_client(container, name)
        data: bytes = blob.download_blob().readall()
        return data

    def raw_put(self, url: str, key: str, data: bytes) -> None:
        container, name = split(url, key)
        self.service().get_blob_client(container, name).upload_blob(data, overwrite=True)

    def new_queue(self) -> str:
        name = unique("q")
        self.service("queue").create_queue(name)
        return f"azure-queue://{name}"

    def missing_queue(self) -> str:
        return f"azure-queue://{unique('noq')}"

    def receive(self, url: str) -> list[tuple[bytes, dict[str, Any]]]:
        queue = self.service("queue").get_queue_client(url.removeprefix("azure-queue://"))
        found: list[tuple[bytes, dict[str, Any]]] = []
        for message in queue.receive_messages(messages_per_page=32):
            found.append((base64.b64decode(message.content), {}))
            queue.delete_message(message)
        return found

    def down_options(self) -> dict[str, Any]:
        port = free_port()
        return {
            "connection_string": self.server.connection_string()
            .replace(f":{self.server.blob_port}/", f":{port}/")
            .replace(f":{self.server.queue_port}/", f":{port}/"),
            "retry_total": 0,
        }


Backend = FileBackend | S3Backend | AzureBackend


def environment_for(backend: Backend) -> dict[str, str]:
    if isinstance(backend, S3Backend):
        return backend.server.env
    if isinstance(backend, AzureBackend):
        return {"AzureWebJobsStorage": backend.server.connection_string()}
    return {}


def apply_environment(monkeypatch: Any, backend: Backend) -> None:
    for name, value in environment_for(backend).items():
        monkeypatch.setenv(name, value)
    if not isinstance(backend, S3Backend):
        return
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SQS"):
        if name in os.environ:
            monkeypatch.delenv(name)
