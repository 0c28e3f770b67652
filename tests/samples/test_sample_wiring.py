"""The samples' declarations become the intended triggers and permissions on both clouds: the
SAM template's event sources and least-privilege policies, and the Azure bindings that
``faaskit_azure.function_app`` registers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import load_app, validate
from samples.image_pipeline import app as image_pipeline
from samples.notifications import app as notifications
from samples.scheduled_report import app as scheduled_report
from samples.todo_api import app as todo_api

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _sam(sample: str) -> dict[str, Any]:
    from faaskit_aws.deploy import template

    loaded = load_app(str(SAMPLES / sample / "app.py"))
    validate(loaded)
    resources: dict[str, Any] = template(loaded)["Resources"]
    functions = {
        props["Handler"].split(".")[-1]: dict(props)
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function"
        for props in [r["Properties"]]
    }
    # The SAM policy templates only: inline statements that complete a declared write (deleting
    # blobs, finding a queue's URL) are checked against IAM in tests/deploy/test_sam_access.py.
    for props in functions.values():
        props["Policies"] = [p for p in props.get("Policies", []) if "Statement" not in p]
    return functions


def _bindings(handler: Any) -> dict[str, Any]:
    pytest.importorskip("azure.functions")
    from faaskit.testing.runner import azure_function

    bindings = azure_function(handler).get_bindings_dict()["bindings"]
    [binding] = [b for b in bindings if b["type"].endswith("Trigger")]
    return {k: v for k, v in binding.items() if k not in ("direction", "name")}


def test_image_pipeline() -> None:
    fn = _sam("image_pipeline")["summarize"]
    rules = fn["Events"]["Blob"]["Properties"]["Filter"]["S3Key"]["Rules"]
    assert {(r["Name"], r["Value"]) for r in rules} == {("prefix", "incoming/"), ("suffix", ".txt")}
    assert fn["Policies"] == [
        {"S3ReadPolicy": {"BucketName": image_pipeline.UPLOADS}},
        {"S3WritePolicy": {"BucketName": image_pipeline.RESULTS}},
        {"SQSSendMessagePolicy": {"QueueName": image_pipeline.SUMMARIES}},
    ]
    assert _bindings(image_pipeline.summarize) == {
        "type": "blobTrigger",
        "path": f"{image_pipeline.UPLOADS}/incoming/{{name}}.txt",
        "connection": "AzureWebJobsStorage",
    }


def test_notifications() -> None:
    functions = _sam("notifications")
    assert functions["fan_out"]["Events"]["Topic"]["Type"] == "SNS"
    assert functions["fan_out"]["Policies"] == [
        {"SQSSendMessagePolicy": {"QueueName": notifications.JOBS}}
    ]
    queue = functions["deliver"]["Events"]["Queue"]["Properties"]
    assert queue["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert functions["deliver"]["Policies"] == [
        {"S3WritePolicy": {"BucketName": notifications.OUTBOX}}
    ]
    topic = _bindings(notifications.fan_out)
    assert (topic["type"], topic["topicName"], topic["subscriptionName"]) == (
        "serviceBusTrigger",
        notifications.TOPIC,
        "notifier",
    )
    queue_binding = _bindings(notifications.deliver)
    assert (queue_binding["type"], queue_binding["queueName"]) == (
        "queueTrigger",
        notifications.JOBS,
    )


def test_scheduled_report() -> None:
    fn = _sam("scheduled_report")["hourly_report"]
    assert fn["Events"]["Schedule"]["Properties"]["ScheduleExpression"] == "rate(1 hour)"
    assert fn["Policies"] == [
        {"S3ReadPolicy": {"BucketName": scheduled_report.DATA}},
        {"S3WritePolicy": {"BucketName": scheduled_report.REPORTS}},
    ]
    assert _bindings(scheduled_report.hourly_report) == {
        "type": "timerTrigger",
        "schedule": "0 0 * * * *",
    }


@pytest.mark.parametrize(
    ("name", "method", "route", "policy", "limit"),
    [
        ("create_todo", "POST", "/todos", "S3WritePolicy", todo_api.WRITE_LIMIT),
        ("list_todos", "GET", "/todos", "S3ReadPolicy", todo_api.READ_LIMIT),
        ("get_todo", "GET", "/todos/{todo_id}", "S3ReadPolicy", todo_api.READ_LIMIT),
        ("update_todo", "PUT", "/todos/{todo_id}", "S3CrudPolicy", todo_api.WRITE_LIMIT),
        ("delete_todo", "DELETE", "/todos/{todo_id}", "S3CrudPolicy", todo_api.WRITE_LIMIT),
    ],
)
def test_todo_api_routes(name: str, method: str, route: str, policy: str, limit: Any) -> None:
    fn = _sam("todo_api")[name]
    [event] = fn["Events"].values()
    props = event["Properties"]
    assert (event["Type"], props["Method"], props["Path"]) == ("HttpApi", method, route)
    assert props["Auth"]["Authorizer"].startswith("JwtAuthorizer")
    assert props["RouteSettings"] == {
        "ThrottlingBurstLimit": limit["burst"],
        "ThrottlingRateLimit": float(limit["rate"]),
    }
    assert fn["Policies"] == [{policy: {"BucketName": todo_api.TODOS}}]
    binding = _bindings(getattr(todo_api, name))
    assert binding["type"] == "httpTrigger"
    assert [str(getattr(m, "value", m)) for m in binding["methods"]] == [method]
    assert binding["route"] == route.lstrip("/")
