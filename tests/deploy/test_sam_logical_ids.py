"""SAM template: resources whose names are alike keep distinct logical ids."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import load_app, validate


def _template(tmp_path: Path, body: str) -> dict[str, Any]:
    from faaskit_aws.deploy import template

    (tmp_path / "app.py").write_text(textwrap.dedent(body), encoding="utf-8")
    app = load_app("app.py", cwd=tmp_path)
    validate(app)
    return template(app)


def _source(resources: dict[str, Any], function: str, key: str) -> Any:
    event = next(iter(resources[function]["Properties"]["Events"].values()))
    return event["Properties"][key]


@pytest.mark.parametrize(
    ("factory", "names", "key", "name_property"),
    [
        ("queue", ("orders-1", "orders1"), "Queue", "QueueName"),
        ("blob", ("data-2024", "data2024"), "Bucket", "BucketName"),
        ("topic", ("alerts-7", "alerts7"), "Topic", "TopicName"),
        ("stream", ("clicks-1", "clicks1"), "Stream", "Name"),
    ],
)
def test_resources_whose_names_differ_only_by_a_dash_stay_apart(
    tmp_path: Path, factory: str, names: tuple[str, str], key: str, name_property: str
) -> None:
    first, second = names
    resources = _template(
        tmp_path,
        f"""
        import faaskit

        @faaskit.handler(faaskit.{factory}({first!r}))
        def first(event, ctx):
            return None

        @faaskit.handler(faaskit.{factory}({second!r}))
        def second(event, ctx):
            return None
        """,
    )["Resources"]
    refs = [_source(resources, f"{fn}Function", key) for fn in ("First", "Second")]
    ids = [ref.get("Ref") or ref["Fn::GetAtt"][0] for ref in refs]
    assert [resources[i]["Properties"][name_property] for i in ids] == [first, second]


def test_a_queue_named_like_another_queues_dead_letter_queue_stays_apart(tmp_path: Path) -> None:
    resources = _template(
        tmp_path,
        """
        import faaskit

        @faaskit.handler(faaskit.queue("jobs"))
        def first(event, ctx):
            return None

        @faaskit.handler(faaskit.queue("jobs-dead-letter"))
        def second(event, ctx):
            return None
        """,
    )["Resources"]
    queues = sorted(
        r["Properties"]["QueueName"]
        for r in resources.values()
        if r["Type"] == "AWS::SQS::Queue"
        if "QueueName" in r["Properties"]
    )
    assert queues == ["jobs", "jobs-dead-letter", "jobs-dead-letter-dlq", "jobs-dlq"]
