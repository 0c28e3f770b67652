"""Azure blob trigger and Event Grid blob events -> BlobEvent; registration of blob handlers.

Objects are built through the ``azure.functions`` converters from invocations written here from
the Azure documentation (blob trigger metadata; Event Grid blob storage event schema).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import faaskit
from faaskit._context import local_context
from faaskit.exceptions import ConfigurationError, InvalidEventError
from faaskit.testing.azure_objects import build
from faaskit_azure import blob as azblob
from faaskit_azure import event as azevent
from tests.azure.helpers import as_cloudevent, binding_of, invoke

pytest.importorskip("azure.functions")

CTX = local_context("test")
ACCOUNT = "https://contosostore.blob.core.windows.net"
TOPIC = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
    "Microsoft.Storage/storageAccounts/contosostore"
)


def blob_spec(name: str, data: bytes = b"a,b\n1,2\n", **props: Any) -> dict[str, Any]:
    properties = {"ContentLength": len(data), "ContentType": "text/csv", "ETag": '"0x8DC1"'}
    properties.update(props)
    return {
        "binding": "blobTrigger",
        "data": {"type": "bytes", "value": data.decode()},
        "trigger_metadata": {
            "BlobTrigger": {"type": "string", "value": name},
            "Uri": {"type": "string", "value": f"{ACCOUNT}/{name}"},
            "Properties": {"type": "json", "value": json.dumps(properties)},
            "Metadata": {"type": "json", "value": json.dumps({"owner": "ops"})},
        },
    }


def grid_blob(event_type: str, container: str, name: str, api: str, **data: Any) -> dict[str, Any]:
    body = {"api": api, "contentType": "image/png", "blobType": "BlockBlob"}
    body["url"] = f"{ACCOUNT}/{container}/{name.replace(' ', '%20')}"
    body.update(data)
    return {
        "topic": TOPIC,
        "subject": f"/blobServices/default/containers/{container}/blobs/{name}",
        "eventType": event_type,
        "eventTime": "2024-05-01T10:20:30.1234567Z",
        "id": "831e1650-001e-001b-66ab-eeb76e069631",
        "data": body,
        "dataVersion": "",
        "metadataVersion": "1",
    }


def grid_object(document: dict[str, Any]) -> Any:
    return build({"binding": "eventGridTrigger", "data": {"type": "json", "inline": document}})


def test_blob_trigger_splits_container_and_path() -> None:
    raw = build(blob_spec("uploads/reports/2024/q1.csv"))
    assert azblob.BLOB_TRIGGER.recognise(raw)
    event = azblob.BLOB_TRIGGER.decode(raw, CTX)
    assert (event.bucket, event.key) == ("uploads", "reports/2024/q1.csv")
    assert event.size == raw.length
    assert event.url == raw.uri
    assert event.etag == raw.blob_properties["ETag"].strip('"')
    assert event.content_type == raw.blob_properties["ContentType"]
    assert event.store == "azure://uploads"
    assert event.action == "created"
    assert event.source == "azure:blob"
    assert event.raw is raw and event.raw.metadata == {"owner": "ops"}


def test_blob_trigger_last_modified_is_utc() -> None:
    raw = build(blob_spec("c/k", LastModified="2024-05-01T10:20:30+02:00"))
    event = azblob.BLOB_TRIGGER.decode(raw, CTX)
    assert event.time is not None and event.time.utcoffset().total_seconds() == 0
    assert event.time.hour == 8


@pytest.mark.parametrize("name", ["no-slash", "container/", "/path-only"])
def test_blob_trigger_name_without_container_and_path_is_refused(name: str) -> None:
    raw = build(blob_spec(name))
    with pytest.raises(InvalidEventError) as info:
        azblob.BLOB_TRIGGER.decode(raw, CTX)
    assert info.value.field == "name"


def test_blob_trigger_without_metadata_names_the_missing_field() -> None:
    import azure.functions as func

    with pytest.raises(InvalidEventError) as info:
        azblob.BLOB_TRIGGER.decode(func.blob.InputStream(data=b"x"), CTX)
    assert info.value.field == "name"


def test_bad_content_length_is_a_typed_error() -> None:
    raw = build(blob_spec("c/k"))
    raw._length = "twelve"
    with pytest.raises(InvalidEventError):
        azblob.BLOB_TRIGGER.decode(raw, CTX)


@pytest.mark.parametrize("schema", ["eventgrid", "cloudevents"])
@pytest.mark.parametrize(
    ("event_type", "api", "action"),
    [
        ("Microsoft.Storage.BlobCreated", "PutBlockList", "created"),
        ("Microsoft.Storage.BlobDeleted", "DeleteBlob", "deleted"),
        ("Microsoft.Storage.BlobTierChanged", "SetBlobTier", "tier_changed"),
    ],
)
def test_event_grid_blob_events(schema: str, event_type: str, api: str, action: str) -> None:
    grid = grid_blob(event_type, "images", "cats/tom and jerry.png", api, contentLength=2048)
    document = grid if schema == "eventgrid" else as_cloudevent(grid)
    raw = grid_object(document)
    decoder = azblob.EVENT_GRID_BLOB if schema == "eventgrid" else azblob.CLOUD_EVENTS_BLOB
    others = [d for d in (*azblob.DECODERS, *azevent.DECODERS) if d is not decoder]
    assert decoder.recognise(raw)
    assert not any(d.recognise(raw) for d in others)
    event = decoder.decode(raw, CTX)
    assert (event.bucket, event.key) == ("images", "cats/tom and jerry.png")
    assert event.action == action
    assert event.size == grid["data"]["contentLength"]
    assert event.url == grid["data"]["url"]
    assert event.content_type == grid["data"]["contentType"]
    assert event.store == "azure://images"
    assert event.time is not None and event.time.isoformat().startswith(
        "2024-05-01T10:20:30.123456"
    )
    # The same event as plain JSON (a webhook, a test) decodes the same way.
    assert decoder.decode(document, CTX) == event


def test_blob_key_falls_back_to_the_url_when_the_subject_is_not_a_blob_path() -> None:
    grid = grid_blob("Microsoft.Storage.BlobCreated", "c", "a b.txt", "PutBlob")
    grid["subject"] = "/something/else"
    event = azblob.EVENT_GRID_BLOB.decode(grid, CTX)
    assert (event.bucket, event.key) == ("c", "a b.txt")


def test_event_grid_blob_without_location_is_refused() -> None:
    grid = grid_blob("Microsoft.Storage.BlobCreated", "c", "k", "PutBlob")
    grid["subject"] = "/nowhere"
    grid["data"].pop("url")
    with pytest.raises(InvalidEventError) as info:
        azblob.EVENT_GRID_BLOB.decode(grid, CTX)
    assert info.value.field == "subject"


def test_event_grid_blob_with_non_object_data_is_refused() -> None:
    grid = grid_blob("Microsoft.Storage.BlobCreated", "c", "k", "PutBlob")
    grid["data"] = "oops"
    with pytest.raises(InvalidEventError) as info:
        azblob.EVENT_GRID_BLOB.decode(grid, CTX)
    assert info.value.field == "data"


# Registration and end-to-end through function_app, as the worker calls the function.


def test_blob_declaration_becomes_a_blob_trigger_on_the_filtered_path() -> None:
    @faaskit.handler(faaskit.blob("uploads", prefix="in/", suffix=".csv"))
    def on_upload(event: Any, ctx: Any) -> None: ...

    binding = binding_of(on_upload)
    assert binding["type"] == "blobTrigger"
    assert binding["path"] == "uploads/in/{name}.csv"
    assert binding["connection"] == "AzureWebJobsStorage"


def test_blob_trigger_can_be_driven_by_event_grid_and_use_another_connection() -> None:
    @faaskit.handler(faaskit.blob("uploads"))
    def on_upload(event: Any, ctx: Any) -> None: ...

    binding = binding_of(
        on_upload, blob_trigger="blob-eventgrid", connections={"storage": "Uploads"}
    )
    assert binding["type"] == "blobTrigger"
    assert binding["source"] == "EventGrid"
    assert binding["connection"] == "Uploads"


@pytest.mark.parametrize(
    ("declaration", "options"),
    [
        (faaskit.blob("uploads", events=("created", "deleted")), {}),
        (faaskit.blob("uploads"), {"blob_trigger": {"uploads": "eventgrid"}}),
    ],
)
def test_deletes_or_the_eventgrid_option_register_an_event_grid_trigger(
    declaration: Any, options: dict[str, Any]
) -> None:
    @faaskit.handler(declaration)
    def on_change(event: Any, ctx: Any) -> None: ...

    assert binding_of(on_change, **options)["type"] == "eventGridTrigger"


def test_unknown_blob_trigger_mode_is_a_configuration_error() -> None:
    @faaskit.handler(faaskit.blob("uploads"))
    def on_upload(event: Any, ctx: Any) -> None: ...

    with pytest.raises(ConfigurationError, match="blob_trigger"):
        binding_of(on_upload, blob_trigger="polling")


def test_blob_handler_runs_through_the_registered_function() -> None:
    seen: list[Any] = []

    @faaskit.handler(faaskit.blob("uploads"))
    def on_upload(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
        seen.append((event, ctx.platform))

    assert invoke(on_upload, blob_spec("uploads/x.csv")) is None
    ((event, platform),) = seen
    assert (event.bucket, event.key, platform) == ("uploads", "x.csv", "azure")


def test_event_grid_registered_blob_handler_gets_both_schemas_and_raises_on_failure() -> None:
    seen: list[str] = []

    @faaskit.handler(faaskit.blob("images", events=("created", "deleted")))
    def on_change(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
        seen.append(event.action)
        if event.key == "bad.png":
            raise RuntimeError("cannot process")

    created = grid_blob("Microsoft.Storage.BlobCreated", "images", "a.png", "PutBlob")
    deleted = as_cloudevent(
        grid_blob("Microsoft.Storage.BlobDeleted", "images", "a.png", "DeleteBlob")
    )
    invoke(on_change, grid_object(created))
    invoke(on_change, grid_object(deleted))
    assert seen == ["created", "deleted"]
    bad = grid_blob("Microsoft.Storage.BlobCreated", "images", "bad.png", "PutBlob")
    with pytest.raises(RuntimeError, match="cannot process"):
        invoke(on_change, grid_object(bad))


def test_blob_event_reads_through_faaskit_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    import faaskit.storage

    opened: list[str] = []

    class FakeStore:
        def get(self, key: str) -> bytes:
            return f"content of {key}".encode()

    def blobs(url: str) -> FakeStore:
        opened.append(url)
        return FakeStore()

    monkeypatch.setattr(faaskit.storage, "blobs", blobs, raising=False)
    event = azblob.BLOB_TRIGGER.decode(build(blob_spec("uploads/x.csv")), CTX)
    assert event.read() == b"content of x.csv"
    assert opened == ["azure://uploads"]
