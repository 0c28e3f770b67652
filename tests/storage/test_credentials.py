"""Refused credentials are AccessDenied: moto checking credentials, Azurite with a bad key."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from faaskit import storage
from tests.services import Azurite, MotoServer

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def authenticating_moto() -> Iterator[MotoServer]:
    with MotoServer.run(authenticate=True) as server:
        yield server


def _wrong_aws(server: MotoServer) -> dict[str, str]:
    return {
        "endpoint_url": server.endpoint,
        "aws_access_key_id": "AKIAWRONGWRONGWRONG1",
        "aws_secret_access_key": "wrong",
        "region_name": "us-east-1",
    }


def test_s3_wrong_credentials(authenticating_moto: MotoServer) -> None:
    store = storage.blobs("s3://some-bucket", **_wrong_aws(authenticating_moto))
    calls = [lambda: store.get("k"), lambda: store.put("k", b"x"), lambda: list(store.list())]
    for call in calls:
        with pytest.raises(storage.AccessDenied) as caught:
            call()
        assert isinstance(caught.value, PermissionError)
        assert "s3://some-bucket" in str(caught.value)
        assert caught.value.__cause__ is not None


def test_sqs_wrong_credentials(authenticating_moto: MotoServer) -> None:
    queue = storage.queues("sqs://some-queue", **_wrong_aws(authenticating_moto))
    with pytest.raises(storage.AccessDenied):
        queue.send("x")


def test_s3_no_credentials_at_all(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    store = storage.blobs("s3://some-bucket", endpoint_url=moto_server.endpoint)
    with pytest.raises(storage.AccessDenied, match="credentials"):
        store.get("k")


def _wrong_key() -> str:
    return base64.b64encode(b"not the account key" * 3).decode()


def test_azure_wrong_key(azurite: Azurite) -> None:
    from azure.storage.blob import BlobServiceClient

    BlobServiceClient.from_connection_string(azurite.connection_string()).create_container(
        "credcheck"
    )
    store = storage.blobs(
        "azure://credcheck", connection_string=azurite.connection_string(key=_wrong_key())
    )
    calls = [lambda: store.get("k"), lambda: store.put("k", b"x"), lambda: list(store.list())]
    for call in calls:
        with pytest.raises(storage.AccessDenied) as caught:
            call()
        assert "azure://credcheck" in str(caught.value)
        assert caught.value.__cause__ is not None


def test_azure_queue_wrong_key(azurite: Azurite) -> None:
    queue = storage.queues(
        "azure-queue://credcheck", connection_string=azurite.connection_string(key=_wrong_key())
    )
    with pytest.raises(storage.AccessDenied):
        queue.send("x")


def test_azure_account_url_and_credential(azurite: Azurite) -> None:
    from azure.storage.blob import BlobServiceClient

    from tests.services import AZURITE_ACCOUNT, AZURITE_KEY

    BlobServiceClient.from_connection_string(azurite.connection_string()).create_container("byurl")
    credential = {"account_name": AZURITE_ACCOUNT, "account_key": AZURITE_KEY}
    store = storage.blobs("azure://byurl", account_url=azurite.blob_endpoint, credential=credential)
    store.put("k", b"via account url")
    assert store.get("k") == b"via account url"
    wrong = {"account_name": AZURITE_ACCOUNT, "account_key": _wrong_key()}
    with pytest.raises(storage.AccessDenied):
        storage.blobs("azure://byurl", account_url=azurite.blob_endpoint, credential=wrong).get("k")


def test_azure_clients_keep_the_sdk_per_request_logging_quiet() -> None:
    import logging

    from faaskit_azure._storage_clients import service_client

    noisy = logging.getLogger("azure.core.pipeline.policies.http_logging_policy")
    noisy.setLevel(logging.NOTSET)
    service_client(
        "queue", "azure-queue://orders", {"connection_string": "UseDevelopmentStorage=true"}
    )
    assert noisy.getEffectiveLevel() == logging.WARNING
    noisy.setLevel(logging.DEBUG)  # an application's own choice is kept
    service_client("blob", "azure://box", {"connection_string": "UseDevelopmentStorage=true"})
    assert noisy.level == logging.DEBUG
    noisy.setLevel(logging.NOTSET)
