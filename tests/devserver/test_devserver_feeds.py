"""The dev server's local streams and event bus: records dropped into ``streams/<name>/``
fire stream handlers in order with the platform's retry rules, events dropped into
``events/`` fire the handlers whose patterns match, and failures end in the dead-letter
folder after the last attempt."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from tests.testing.helpers import until

pytest.importorskip("azure.functions")

APP = """
import faaskit

calls = []

@faaskit.handler(faaskit.stream("orders"))
def on_order(record, ctx):
    body = record.json()
    calls.append(("order", body["n"], record.partition_key, record.source))
    if body.get("fail"):
        raise ValueError("record failed")

@faaskit.handler(faaskit.stream("orders"))
def audit(record, ctx):
    calls.append(("audit", record.json()["n"]))

BIG = {"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}
ORDERS = {"detail-type": [{"prefix": "Order"}], "source": [{"anything-but": "test"}]}

@faaskit.handler(faaskit.events(BIG))
def big_order(event, ctx):
    calls.append(("big", event.source, event.type, event.data["total"], event.subject))
    if event.data.get("fail"):
        raise ValueError("event failed")

@faaskit.handler(faaskit.events(ORDERS))
def any_order(event, ctx):
    calls.append(("order-event", event.type, event.id))
"""


def _app(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(APP))
    return path


def _drop(folder: Path, name: str, value: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.part"
    tmp.write_text(value if isinstance(value, str) else json.dumps(value))
    tmp.rename(folder / name)


def _letters(folder: Path) -> list[Any]:
    if not folder.is_dir():
        return []
    import base64

    return [
        json.loads(base64.b64decode(json.loads(p.read_text())["body"]))
        for p in sorted(folder.glob("*.msg.json"))
    ]


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_stream_records_reach_every_consumer_in_order(
    platform: str, tmp_path: Path, faaskit_server: Any
) -> None:
    server = faaskit_server(_app(tmp_path, f"streams_ok_{platform}"), platform=platform)
    calls = server.app.module.calls
    stream = server.cloud.stream_dir("orders")
    _drop(stream, "batch.jsonl", "\n".join(json.dumps({"n": n}) for n in (1, 2, 3)) + "\n")
    until(lambda: len([c for c in calls if c[0] == "audit"]) == 3)
    until(lambda: len([c for c in calls if c[0] == "order"]) == 3)
    assert [c[1] for c in calls if c[0] == "order"] == [1, 2, 3]
    assert [c[1] for c in calls if c[0] == "audit"] == [1, 2, 3]
    if platform == "aws":  # the Kinesis record names its stream and partition key
        assert {c[2:] for c in calls if c[0] == "order"} == {("partition-1", "orders")}
    assert not (stream / "batch.jsonl").exists()


def test_aws_stream_stops_at_the_failed_record_then_dead_letters_it(
    tmp_path: Path, faaskit_server: Any
) -> None:
    server = faaskit_server(_app(tmp_path, "streams_fail_aws"), platform="aws", max_attempts=3)
    calls = server.app.module.calls
    stream = server.cloud.stream_dir("orders")
    _drop(
        stream,
        "batch.jsonl",
        "\n".join(json.dumps(r) for r in ({"n": 1}, {"n": 2, "fail": True}, {"n": 3})),
    )
    dead = server.cloud.dead_letter_dir("streams/orders/on_order")
    until(lambda: _letters(dead))
    until(lambda: [c[1] for c in calls if c[0] == "order"][-1:] == [3])
    # 1 once; 2 three times (retried from it, nothing after it ran meanwhile); then 3.
    assert [c[1] for c in calls if c[0] == "order"] == [1, 2, 2, 2, 3]
    assert _letters(dead) == [{"n": 2, "fail": True}]
    assert [c[1] for c in calls if c[0] == "audit"] == [1, 2, 3]  # its own position
    assert not _letters(server.cloud.dead_letter_dir("streams/orders/audit"))


def test_azure_stream_retries_the_whole_delivery_then_dead_letters_it(
    tmp_path: Path, faaskit_server: Any
) -> None:
    server = faaskit_server(_app(tmp_path, "streams_fail_az"), platform="azure", max_attempts=2)
    calls = server.app.module.calls
    stream = server.cloud.stream_dir("orders")
    _drop(stream, "bad.json", {"n": 7, "fail": True})
    dead = server.cloud.dead_letter_dir("streams/orders/on_order")
    until(lambda: _letters(dead))
    assert [c[1] for c in calls if c[0] == "order"] == [7, 7]
    assert _letters(dead) == [{"n": 7, "fail": True}]
    _drop(stream, "next.json", {"n": 8})
    until(lambda: [c[1] for c in calls if c[0] == "order"][-1:] == [8])


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_events_fire_the_handlers_whose_patterns_match(
    platform: str, tmp_path: Path, faaskit_server: Any
) -> None:
    server = faaskit_server(_app(tmp_path, f"events_{platform}"), platform=platform)
    calls = server.app.module.calls
    bus = server.cloud.events_dir()
    events = [
        {
            "source": "shop",
            "detail-type": "Order Placed",
            "detail": {"total": 250},
            "resources": ["orders/o-1"],
            "id": "e-1",
        },
        {"source": "shop", "detail-type": "Order Placed", "detail": {"total": 5}, "id": "e-2"},
        {"source": "test", "detail-type": "Order Placed", "detail": {"total": 500}, "id": "e-3"},
        {"source": "shop", "detail-type": "Refund", "detail": {"total": 9}, "id": "e-4"},
    ]
    _drop(bus, "events.json", events)
    until(lambda: len([c for c in calls if c[0] == "order-event"]) == 2)
    until(lambda: len([c for c in calls if c[0] == "big"]) == 1)
    time.sleep(0.3)  # nothing else arrives
    assert [c for c in calls if c[0] == "big"] == [
        ("big", "shop", "Order Placed", 250, "orders/o-1")
    ]
    assert sorted(c[2] for c in calls if c[0] == "order-event") == ["e-1", "e-2"]


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_failed_events_are_retried_then_dead_lettered_and_bad_ones_rejected(
    platform: str, tmp_path: Path, faaskit_server: Any
) -> None:
    server = faaskit_server(
        _app(tmp_path, f"events_fail_{platform}"), platform=platform, max_attempts=2
    )
    calls = server.app.module.calls
    bus = server.cloud.events_dir()
    _drop(bus, "bad.json", {"detail-type": "Order Placed"})  # no source
    _drop(
        bus,
        "fail.json",
        {"source": "shop", "detail-type": "X", "detail": {"total": 101, "fail": True}},
    )
    dead = server.cloud.dead_letter_dir("events/big_order")
    until(lambda: _letters(dead))
    assert [c[3] for c in calls if c[0] == "big"] == [101, 101]
    [letter] = _letters(dead)
    assert (letter["source"], letter["detail"]) == ("shop", {"total": 101, "fail": True})
    until(lambda: _letters(server.cloud.dead_letter_dir("events.invalid")))
    assert _letters(server.cloud.dead_letter_dir("events.invalid")) == [
        {"detail-type": "Order Placed"}
    ]


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_records_sent_with_faaskit_storage_keep_their_partition_key(
    platform: str, tmp_path: Path, faaskit_server: Any
) -> None:
    from faaskit.storage import queues

    server = faaskit_server(_app(tmp_path, f"streams_send_{platform}"), platform=platform)
    calls = server.app.module.calls
    sender = queues(server.cloud.stream_dir("orders").as_uri())
    sender.send(json.dumps({"n": 9}), attributes={"partition_key": "k-9"})
    until(lambda: [c for c in calls if c[0] == "order"])
    [(_, n, key, _)] = [c for c in calls if c[0] == "order"]
    assert (n, key) == (9, "k-9")


def test_the_banner_and_help_name_the_stream_and_event_folders(
    tmp_path: Path, faaskit_server: Any
) -> None:
    from tests.cli.helpers import faaskit as run_cli

    server = faaskit_server(_app(tmp_path, "banner"), platform="aws")
    text = "\n".join(server.describe())
    assert f"{server.cloud.stream_dir('orders')}  -> on_order" in text
    assert f"{server.cloud.stream_dir('orders')}  -> audit" in text
    assert str(server.cloud.events_dir()) in text
    assert "-> big_order" in text
    assert "no local source" not in text
    done = run_cli("serve", "--help", cwd=tmp_path)
    assert done.returncode == 0
    assert "streams/<name>/" in done.stdout
    assert "events/" in done.stdout


def test_the_same_event_and_record_give_the_same_portable_fields_on_both_clouds(
    tmp_path: Path, faaskit_server: Any
) -> None:
    seen = {}
    event = {
        "id": "e-42",
        "time": "2026-01-02T03:04:05Z",
        "source": "shop",
        "detail-type": "Order Placed",
        "detail": {"total": 250, "items": ["a"]},
        "resources": ["orders/o-42"],
    }
    for platform in ("aws", "azure"):
        server = faaskit_server(_app(tmp_path, f"portable_{platform}"), platform=platform)
        _drop(server.cloud.events_dir(), "e.json", event)
        _drop(server.cloud.stream_dir("orders"), "r.json", {"n": 5})
        calls = server.app.module.calls
        # every handler the event and the record reach, so that nothing is compared early
        until(lambda c=calls: {"big", "order", "order-event"} <= {x[0] for x in c})
        seen[platform] = sorted(c for c in calls if c[0] in ("big", "order", "order-event"))
    assert seen["aws"] == seen["azure"]
    assert ("big", "shop", "Order Placed", 250, "orders/o-42") in seen["aws"]
