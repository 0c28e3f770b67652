"""The Service Bus batch form (``cardinality="many"``): built through the ``azure.functions``
converter, and run by ``faaskit.testing.invoke`` and ``faaskit invoke``."""

from __future__ import annotations

import base64
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

import faaskit
from faaskit.exceptions import ConfigurationError
from faaskit.testing import azure_events, invoke
from faaskit.testing.azure_objects import build
from faaskit.testing.sources import event
from tests.cli.helpers import faaskit as run_cli

pytest.importorskip("azure.functions")


def _array(spec: dict[str, Any], name: str) -> list[Any]:
    return list(json.loads(spec["trigger_metadata"][name]["value"]))


def test_the_converter_gives_one_message_per_body_with_its_own_metadata() -> None:
    bodies = ["text", b"\x00\xffbinary", {"k": 1}]
    spec = azure_events.servicebus_batch(
        bodies, properties={"tenant": "t1"}, subject="orders", delivery_count=2
    )
    messages = build(spec)
    assert isinstance(messages, list)
    assert [type(m).__name__ for m in messages] == ["ServiceBusMessage"] * 3
    wire = [base64.b64decode(v) for v in spec["data"]["value"]]
    assert [m.get_body() for m in messages] == wire
    assert wire[1] == b"\x00\xffbinary"
    assert [m.message_id for m in messages] == _array(spec, "MessageIdArray")
    assert [m.sequence_number for m in messages] == _array(spec, "SequenceNumberArray")
    assert len({m.message_id for m in messages}) == 3
    for message in messages:
        assert message.delivery_count == 2
        assert message.user_properties == {"tenant": "t1"}
        assert message.subject == "orders"
        assert message.enqueued_time_utc is not None


def test_the_source_and_the_servicebus_bodies_parameter_give_the_batch() -> None:
    rendered = event("azure:servicebus-batch", count=2)
    assert [json.loads(m.get_body()) for m in build(rendered)] == [{"n": 1}, {"n": 2}]
    same = azure_events.servicebus(bodies=["a", "b"], message_id="ignored")
    assert [m.get_body() for m in build(same)] == [b"a", b"b"]


@pytest.mark.parametrize(
    "kwargs",
    [{"bodies": "not a list"}, {"count": 0}, {"count": "x"}, {"bodies": [], "count": 1}],
)
def test_bad_batch_parameters_are_configuration_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        azure_events.servicebus_batch(**kwargs)


def test_invoke_runs_batch_and_per_message_queue_handlers_on_service_bus() -> None:
    seen: list[Any] = []

    @faaskit.handler(faaskit.queue("jobs", batch=True))
    def whole(batch: Any, ctx: Any) -> None:
        seen.append([(m.body, m.delivery_count, m.attributes) for m in batch.messages])

    @faaskit.handler(faaskit.queue("jobs"))
    def each(message: Any, ctx: Any) -> None:
        seen.append(message.json())
        if message.json().get("fail"):
            raise ValueError("failed")

    spec = azure_events.servicebus_batch(["a", "b"], properties={"p": 1}, delivery_count=3)
    invoke(whole, spec, platform="azure")
    assert seen.pop() == [(b"a", 3, {"p": 1}), (b"b", 3, {"p": 1})]
    invoke(each, azure_events.servicebus_batch(count=2), platform="azure")
    assert seen == [{"n": 1}, {"n": 2}]
    with pytest.raises(ValueError, match="failed"):  # Azure retries the whole delivery
        invoke(each, azure_events.servicebus_batch([{"fail": True}]), platform="azure")


def test_faaskit_invoke_takes_the_batch_source(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        textwrap.dedent(
            """
            import faaskit

            @faaskit.handler(faaskit.queue("jobs", batch=True))
            def whole(batch, ctx):
                print("got", [m.json() for m in batch.messages])
            """
        )
    )
    done = run_cli(
        "invoke",
        "app.py:whole",
        "--platform",
        "azure",
        "--source",
        "azure:servicebus-batch",
        'bodies:=[{"n": 7}, {"n": 8}]',
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "got [{'n': 7}, {'n': 8}]" in done.stdout
    done = run_cli(
        "invoke",
        "app.py:whole",
        "--platform",
        "azure",
        "--source",
        "azure:servicebus-batch",
        "bodies=[1]",
        cwd=tmp_path,
    )
    assert done.returncode != 0
    assert "bodies:=" in done.stderr
    assert "Traceback" not in done.stderr
