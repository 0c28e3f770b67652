"""Conformance: the corpus's Azure blob events (Event Grid ``Microsoft.Storage.BlobCreated`` in
both schemas, and the worker-level blob trigger, Event Grid and CloudEvent invocations), turned
into ``azure.functions`` objects the way the Python worker does (``Datum`` -> the binding's
converter), normalized by faaskit and checked field by field against the raw payload.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlsplit

import azure.functions as func
import pytest
from azure.functions.meta import Datum

import faaskit
from faaskit._context import Context
from faaskit_azure import blob as azblob
from tests.conformance.helpers import worker
from tests.corpus import CORPUS, load, params

CTX = Context(request_id="invocation-1", function_name="fn", platform="azure")


def convert(binding: str, data: Datum, metadata: dict[str, Any]) -> Any:
    typed = {k: Datum(v["value"], v["type"]) for k, v in metadata.items()}
    return func.get_binding_registry().get(binding).decode(data, trigger_metadata=typed)


def worker_data(spec: dict[str, Any]) -> Datum:
    if "value_b64" in spec:
        return Datum(base64.b64decode(spec["value_b64"]), spec["type"])
    if "file" in spec:
        return Datum((CORPUS / "azure" / spec["file"]).read_text(), spec["type"])
    if "inline" in spec:
        return Datum(json.dumps(spec["inline"]), spec["type"])
    return Datum(spec["value"], spec["type"])


def decode(raw: Any) -> faaskit.BlobEvent:
    (decoder,) = [d for d in azblob.DECODERS if d.recognise(raw)]
    event = decoder.decode(raw, CTX)
    assert isinstance(event, faaskit.BlobEvent)
    return event


def check_grid(event: faaskit.BlobEvent, document: dict[str, Any], *, time: bool) -> None:
    subject = document["subject"]
    container, key = subject.split("/containers/", 1)[1].split("/blobs/", 1)
    data = document["data"]
    assert (event.bucket, event.key) == (container, key)
    assert event.store == f"azure://{container}"
    kind = document.get("eventType") or document.get("type")
    assert event.action == ("deleted" if kind and kind.endswith("BlobDeleted") else "created")
    assert event.size == data.get("contentLength")
    assert event.etag == data.get("eTag")
    assert event.content_type == data.get("contentType")
    assert event.url == data.get("url")
    if "url" in data:
        assert urlsplit(data["url"]).path.endswith(f"/{container}/{key}")
    stamp = document.get("eventTime") or document.get("time")
    if time and stamp:
        assert event.time is not None
        assert event.time.isoformat()[:26] == stamp.replace("Z", "")[:26]
    else:
        assert event.time is None
    assert event.raw is not None


@pytest.mark.parametrize("rel", params(platform="azure", kind="blob"))
def test_event_grid_blob_file(rel: str) -> None:
    document = load(rel)
    raw = (
        func.get_binding_registry()
        .get("eventGridTrigger")
        .decode(Datum(json.dumps(document), "json"), trigger_metadata={})
    )
    # A CloudEvents file spelled ``specVersion`` reaches the function as an EventGridEvent
    # whose converter kept no time (corpus README); everything else must still be right.
    converter_kept_time = "specVersion" not in document
    check_grid(decode(raw), document, time=converter_kept_time)
    # The document itself (either schema) decodes with every field, time included.
    check_grid(decode(document), document, time=True)


@pytest.mark.parametrize("name", ["eventgrid", "cloudevent"])
def test_worker_level_event_grid_blob(name: str) -> None:
    fixture = worker(name)
    data = worker_data(fixture["data"])
    raw = convert(fixture["binding"], data, fixture["trigger_metadata"])
    check_grid(decode(raw), json.loads(data.value), time=True)


def test_worker_level_blob_trigger() -> None:
    fixture = worker("blob")
    metadata = fixture["trigger_metadata"]
    raw = convert(fixture["binding"], worker_data(fixture["data"]), metadata)
    assert isinstance(raw, func.InputStream)
    event = decode(raw)
    container, key = metadata["BlobTrigger"]["value"].split("/", 1)
    props = json.loads(metadata["Properties"]["value"])
    assert (event.bucket, event.key, event.action) == (container, key, "created")
    assert event.size == props["ContentLength"]
    assert event.etag == props["ETag"].strip('"')
    assert event.content_type == props["ContentType"]
    assert event.url == metadata["Uri"]["value"]
    assert event.store == f"azure://{container}"
    assert event.raw.read() == base64.b64decode(fixture["data"]["value_b64"])
    assert event.raw.metadata == json.loads(metadata["Metadata"]["value"])
