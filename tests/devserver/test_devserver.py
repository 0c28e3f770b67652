"""The dev server, in process: HTTP through each cloud's adapter with a real HTTP client,
and local triggers fired by dropping files and sending messages into its data folder."""

from __future__ import annotations

import json
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.testing.helpers import until

pytest.importorskip("azure.functions")

APP = """
import json
import faaskit
from faaskit import storage

calls = []

@faaskit.handler(faaskit.http("GET", "/hello/{name}"))
def hello(req, ctx):
    return {"hello": req.path_params["name"], "q": req.query.getall("q"), "platform": ctx.platform}

@faaskit.handler(faaskit.http("POST", "/echo"))
def echo(req, ctx):
    return faaskit.Response(req.body, status=201, headers={"X-Len": str(len(req.body))},
                            cookies={"seen": "1"}, content_type="application/octet-stream")

@faaskit.handler(faaskit.http("GET", "/boom"))
def boom(req, ctx):
    raise RuntimeError("secret detail")

@faaskit.handler(faaskit.blob("inbox", prefix="in/", suffix=".txt"))
def on_file(event, ctx):
    calls.append(("blob", event.key))
    text = storage.blobs("s3://inbox").get(event.key).decode()
    storage.blobs("azure://outbox").put(event.key + ".upper", text.upper())

@faaskit.handler(faaskit.queue("jobs"))
def on_job(message, ctx):
    body = message.json()
    calls.append(("job", body["n"], message.delivery_count))
    if body.get("fail"):
        raise ValueError("job failed")

@faaskit.handler(faaskit.schedule("* * * * * *"))
def every_second(event, ctx):
    calls.append(("tick", event.past_due))
"""


def _app(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(APP))
    return path


def _get(url: str, data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_http_through_the_platform_adapter(
    platform: str, tmp_path: Path, faaskit_server: Any
) -> None:
    server = faaskit_server(_app(tmp_path, f"http_{platform}"), platform=platform)
    status, _, body = _get(f"{server.url}/hello/ada?q=1&q=2")
    assert status == 200
    assert json.loads(body) == {"hello": "ada", "q": ["1", "2"], "platform": platform}
    status, headers, body = _get(f"{server.url}/echo", data=b"\x00\xffbin")
    assert (status, body) == (201, b"\x00\xffbin")
    assert headers["X-Len"] == "5"
    assert "seen=1" in headers["Set-Cookie"]
    status, _, body = _get(f"{server.url}/boom")
    assert status == 500
    assert b"secret detail" not in body
    assert _get(f"{server.url}/nothing")[0] == 404
    status, headers, _ = _get(f"{server.url}/hello/ada", data=b"")
    assert status == 405
    assert "GET" in headers["Allow"]


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_dropping_a_file_fires_matching_blob_handlers(
    platform: str, tmp_path: Path, faaskit_server: Any
) -> None:
    server = faaskit_server(_app(tmp_path, f"blob_{platform}"), platform=platform)
    calls = server.app.module.calls
    inbox = server.cloud.bucket_dir("inbox")
    (inbox / "in").mkdir(parents=True, exist_ok=True)
    (inbox / "in" / "note.txt").write_text("hello")
    (inbox / "in" / "skip.png").write_bytes(b"png")
    (inbox / "other.txt").write_text("not under the prefix")
    result = server.cloud.bucket_dir("outbox") / "in" / "note.txt.upper"
    until(result.exists)
    assert result.read_text() == "HELLO"
    assert [c for c in calls if c[0] == "blob"] == [("blob", "in/note.txt")]


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_messages_fire_queue_handlers_with_retries_then_dead_letter(
    platform: str, tmp_path: Path, faaskit_server: Any
) -> None:
    from faaskit.storage import queues

    server = faaskit_server(_app(tmp_path, f"queue_{platform}"), platform=platform, max_attempts=3)
    calls = server.app.module.calls
    sender = queues(server.cloud.queue_dir("jobs").as_uri())
    sender.send(json.dumps({"n": 1}))
    sender.send(json.dumps({"n": 2, "fail": True}))
    sender.send(json.dumps({"n": 3}))
    dead = server.cloud.dead_letter_dir("jobs")
    until(lambda: dead.is_dir() and any(dead.glob("*.msg.json")))
    jobs = [c for c in calls if c[0] == "job"]
    assert sorted(n for _, n, _ in jobs if n != 2) == [1, 3]  # each good message once
    assert [count for _, n, count in jobs if n == 2] == [1, 2, 3]
    [letter] = dead.glob("*.msg.json")
    assert json.loads(letter.read_text())["id"]
    assert not list(server.cloud.queue_dir("jobs").glob("*.msg.json"))


def test_schedules_fire_on_their_schedule(tmp_path: Path, faaskit_server: Any) -> None:
    server = faaskit_server(_app(tmp_path, "ticks"), platform="aws")
    calls = server.app.module.calls
    until(lambda: ("tick", False) in calls, timeout=5)


def test_cloud_storage_urls_are_redirected_only_while_serving(
    tmp_path: Path, faaskit_server: Any
) -> None:
    from faaskit import storage
    from faaskit.storage import blobs  # imported by name before the server starts

    before = storage._open
    server = faaskit_server(_app(tmp_path, "redirect"), platform="aws")
    blobs("s3://results/2024").put("a.json", b"{}")
    assert (server.cloud.bucket_dir("results") / "2024" / "a.json").read_bytes() == b"{}"
    storage.queues("sqs://work").send("x")
    assert list(server.cloud.queue_dir("work").glob("*.msg.json"))
    server.stop()
    assert storage._open is before


TOPIC_APP = """
import faaskit

seen = []

@faaskit.handler(faaskit.topic("news"))
def reader_a(message, ctx):
    seen.append(("a", message.text, message.source))

@faaskit.handler(faaskit.topic("news"))
def reader_b(message, ctx):
    seen.append(("b", message.text, message.source))
"""


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_a_message_published_to_a_topic_reaches_every_subscriber(
    platform: str, tmp_path: Path, faaskit_server: Any
) -> None:
    from faaskit.storage import queues

    path = tmp_path / f"topic_{platform}.py"
    path.write_text(textwrap.dedent(TOPIC_APP))
    server = faaskit_server(path, platform=platform)
    queues(server.cloud.queue_dir("news").as_uri()).send("extra! extra!")
    seen = server.app.module.seen
    until(lambda: len(seen) >= 2)
    time.sleep(0.2)
    assert sorted(who for who, _, _ in seen) == ["a", "b"]
    assert {text for _, text, _ in seen} == {"extra! extra!"}
