"""``faaskit invoke APP:HANDLER`` with no event: the declaration decides the method, the path,
the bucket, queue, topic, stream and event names and the source kind on each cloud; storage
URLs use the same local data folder as ``faaskit serve``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import faaskit

APP = """
import json

import faaskit
from faaskit import storage

SCHEME = {"aws": "s3", "azure": "azure"}


def seen(ctx, kind, **facts):
    store = storage.blobs(f"{SCHEME[ctx.platform]}://seen")
    store.put(f"{kind}.json", json.dumps(facts).encode())


@faaskit.handler(faaskit.http("DELETE", "/items/{item_id}"))
def remove(req, ctx):
    return {"method": req.method, "path": req.path, "params": dict(req.path_params)}


@faaskit.handler(faaskit.blob("photos", prefix="in/", suffix=".png"))
def on_photo(event, ctx):
    seen(ctx, "blob", bucket=event.bucket, key=event.key)


@faaskit.handler(faaskit.queue("jobs"))
def on_job(message, ctx):
    seen(ctx, "queue", source=message.source)


@faaskit.handler(faaskit.topic("orders"))
def on_order(message, ctx):
    seen(ctx, "topic", source=message.source, id=message.id)


@faaskit.handler(faaskit.stream("clicks"))
def on_click(record, ctx):
    seen(ctx, "stream", source=record.source)


@faaskit.handler(faaskit.events({"source": ["shop.orders"], "detail-type": ["Order Paid"]}))
def on_paid(event, ctx):
    seen(ctx, "events", source=event.source, type=event.type)
"""

PLATFORMS = pytest.mark.parametrize("platform", ["aws", "azure"])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def seen(project: Path, kind: str) -> dict[str, str]:
    path = project / ".faaskit" / "local" / "blobs" / "seen" / f"{kind}.json"
    facts: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return facts


def http_body(result: dict[str, object], platform: str) -> dict[str, object]:
    body = result["body"]
    assert isinstance(body, str)
    status = result["statusCode" if platform == "aws" else "status_code"]
    assert status == 200, result
    parsed: dict[str, object] = json.loads(body)
    return parsed


@PLATFORMS
def test_http_uses_the_declared_method_and_fills_the_route(platform: str, project: Path) -> None:
    done = faaskit("invoke", "app.py:remove", "--platform", platform, cwd=project)
    assert done.returncode == 0, done.stderr
    body = http_body(json.loads(done.stdout), platform)
    assert body == {"method": "DELETE", "path": "/items/item_id", "params": {"item_id": "item_id"}}


@PLATFORMS
def test_a_given_path_keeps_the_declared_method(platform: str, project: Path) -> None:
    done = faaskit("invoke", "app.py:remove", "-p", platform, "path=/items/42", cwd=project)
    assert done.returncode == 0, done.stderr
    body = http_body(json.loads(done.stdout), platform)
    assert body["method"] == "DELETE" and body["params"] == {"item_id": "42"}


@PLATFORMS
def test_blob_uses_the_declared_bucket_prefix_and_suffix(platform: str, project: Path) -> None:
    done = faaskit("invoke", "app.py:on_photo", "-p", platform, cwd=project)
    assert done.returncode == 0, done.stderr
    assert seen(project, "blob") == {"bucket": "photos", "key": "in/example.png"}


def test_queue_uses_the_declared_queue(project: Path) -> None:
    done = faaskit("invoke", "app.py:on_job", cwd=project)
    assert done.returncode == 0, done.stderr
    assert seen(project, "queue")["source"] == "jobs"


@PLATFORMS
def test_topic_is_sns_on_aws_and_a_service_bus_topic_on_azure(platform: str, project: Path) -> None:
    done = faaskit("invoke", "app.py:on_order", "-p", platform, cwd=project)
    assert done.returncode == 0, done.stderr
    facts = seen(project, "topic")
    assert facts["id"]
    if platform == "aws":
        assert facts["source"] == "orders"


def test_stream_uses_the_declared_stream(project: Path) -> None:
    done = faaskit("invoke", "app.py:on_click", cwd=project)
    assert done.returncode == 0, done.stderr
    assert seen(project, "stream")["source"] == "clicks"


@PLATFORMS
def test_events_match_the_declared_pattern(platform: str, project: Path) -> None:
    done = faaskit("invoke", "app.py:on_paid", "-p", platform, cwd=project)
    assert done.returncode == 0, done.stderr
    assert seen(project, "events") == {"source": "shop.orders", "type": "Order Paid"}


def test_the_data_folder_can_be_chosen(project: Path) -> None:
    done = faaskit("invoke", "app.py:on_job", "--data", "elsewhere", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / "elsewhere" / "blobs" / "seen" / "queue.json").is_file()
