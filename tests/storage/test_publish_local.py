"""``file://`` topics and buses through ``faaskit serve``: a handler publishes to ``sns://``
and puts on ``events://`` exactly as in the cloud, and the dev server's subscribers and rules
receive the message (subject and attributes kept) and the event.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import env, free_port

APP = """
import json
import faaskit
from faaskit import storage

@faaskit.handler(faaskit.http("POST", "/orders"))
def place(req, ctx):
    order = req.json()
    storage.topics("sns://orders").publish(order, attributes={"kind": "order"}, subject="New")
    storage.events("events://default").put(
        {"source": "shop.orders", "type": "OrderPlaced", "data": order}
    )
    return {"ok": True}

@faaskit.handler(faaskit.topic("orders"))
def audit(message, ctx):
    seen = {"body": message.json(), "subject": message.subject,
            "kind": message.attributes.get("kind")}
    storage.blobs("s3://seen").put("topic.json", json.dumps(seen))

@faaskit.handler(faaskit.events({"source": ["shop.orders"]}))
def react(event, ctx):
    seen = {"type": event.type, "source": event.source, "data": event.data}
    storage.blobs("s3://seen").put("event.json", json.dumps(seen))
"""


def _wait(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except (OSError, ValueError):
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_publish_and_put_reach_local_subscribers(tmp_path: Path, platform: str) -> None:
    (tmp_path / "shopapp.py").write_text(textwrap.dedent(APP))
    port = free_port()
    command = [sys.executable, "-m", "faaskit", "serve", "shopapp.py", "--port", str(port)]
    command += ["--data", "data", "--poll", "0.05", "--platform", platform]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def post() -> bool:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/orders",
                data=b'{"order": 7}',
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                return bool(response.status == 200)

        assert _wait(post)
        seen = tmp_path / "data" / "blobs" / "seen"
        topic = json.loads(_wait(lambda: (seen / "topic.json").read_text()))
        assert topic == {"body": {"order": 7}, "subject": "New", "kind": "order"}
        event = json.loads(_wait(lambda: (seen / "event.json").read_text()))
        assert event == {"type": "OrderPlaced", "source": "shop.orders", "data": {"order": 7}}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
