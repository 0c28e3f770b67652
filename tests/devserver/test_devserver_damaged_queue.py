"""The dev server sets a damaged local queue file aside in the queue's dead-letter folder; the
messages behind it are still delivered.
"""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path
from typing import Any

import pytest

from faaskit.storage._filequeue import FileQueue
from tests.testing.helpers import until

pytest.importorskip("azure.functions")


APP = """
import faaskit

seen = []

@faaskit.handler(faaskit.queue("jobs"))
def on_job(message, ctx):
    seen.append(("job", message.text))

@faaskit.handler(faaskit.topic("news"))
def reader(message, ctx):
    seen.append(("news", message.text))
"""


DAMAGED = "00000000000000000001-00000000-damaged.msg.json"


@pytest.mark.parametrize(
    ("platform", "entity", "kind"), [("aws", "jobs", "job"), ("azure", "news", "news")]
)
def test_a_damaged_message_file_is_dead_lettered_and_the_queue_keeps_flowing(
    platform: str,
    entity: str,
    kind: str,
    tmp_path: Path,
    faaskit_server: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / f"damaged_{platform}.py"
    path.write_text(textwrap.dedent(APP))
    server = faaskit_server(path, platform=platform)
    folder = server.cloud.queue_dir(entity)
    folder.mkdir(parents=True, exist_ok=True)
    sender = FileQueue(folder)
    with caplog.at_level(logging.ERROR, logger="faaskit"):
        (folder / DAMAGED).write_bytes(b"\x00\xffnot a message")
        sender.send("after the damaged one")
        seen = server.app.module.seen
        until(lambda: (kind, "after the damaged one") in seen)
        dead = server.cloud.dead_letter_dir(entity)
        (moved,) = until(lambda: list(dead.glob(DAMAGED + "*")))
    assert moved.read_bytes() == b"\x00\xffnot a message"
    assert not (folder / DAMAGED).exists()
    assert not list(dead.glob("*.msg.json"))  # the dead-letter queue itself stays readable
    assert any(DAMAGED in record.getMessage() for record in caplog.records)
