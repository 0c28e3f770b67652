"""Stage-scoped resource names: two stages of one app share no physical name, the functions
get the mapping from logical to physical names, existing resources are referenced instead of
created, and every created resource is in the outputs.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from faaskit.deploy import build
from tests.deploy.helpers import lint_errors, load_yaml, sam_transform
from tests.deploy.iam import ACCOUNT, allows, physical_names, queue_arn, resolve

APP = """
import faaskit

@faaskit.handler(faaskit.queue("orders"), writes=["s3://receipts", "sns://shipped"])
def take_order(message, ctx):
    return None

@faaskit.handler(faaskit.stream("clicks"), reads=["dynamodb://sessions"],
                 writes=["sqs://audit"])
def count_clicks(record, ctx):
    return None
"""
TOML = """
[app]
name = "shop"
[stages.dev]
[stages.prod]
[stages.prod.resources]
"sqs://audit" = "arn:aws:sqs:us-east-1:123456789012:central-audit"
"""
NAME_PROPERTIES = ("QueueName", "BucketName", "TopicName", "Name", "TableName")


def _built(tmp_path: Path, stage: str) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path / "shop"
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(textwrap.dedent(APP), encoding="utf-8")
    (folder / "faaskit.toml").write_text(textwrap.dedent(TOML), encoding="utf-8")
    out = tmp_path / stage
    build(str(folder / "app.py"), target="aws", out=out, stage=stage)
    path = out / "aws" / "template.yaml"
    return path, load_yaml(path)


def _physical(template: dict[str, Any]) -> dict[str, str]:
    """Logical id -> physical name of every named resource the template creates."""
    resources = template["Resources"]
    return {
        rid: resolve(props[prop], resources)
        for rid, res in resources.items()
        for props in [res.get("Properties", {})]
        for prop in NAME_PROPERTIES
        if prop in props and res["Type"] != "AWS::Serverless::Function"
    }


def test_two_stages_side_by_side_share_no_physical_name(tmp_path: Path) -> None:
    dev_path, dev = _built(tmp_path, "dev")
    prod_path, prod = _built(tmp_path, "prod")
    dev_names, prod_names = _physical(dev), _physical(prod)
    assert len(dev_names) >= 6  # orders (+dlq), receipts, shipped, clicks, sessions, audit (+dlq)
    assert not set(dev_names.values()) & set(prod_names.values())
    assert dev_names["OrdersQueue"] == "shop-dev-orders"
    assert prod_names["ReceiptsBucket"] == f"shop-prod-receipts-{ACCOUNT}"
    assert lint_errors(dev_path) == [] and lint_errors(prod_path) == []


def test_the_functions_map_logical_names_to_their_stage_resources(tmp_path: Path) -> None:
    _, template = _built(tmp_path, "dev")
    mapping = physical_names(template)
    assert mapping == {
        "bucket:receipts": f"shop-dev-receipts-{ACCOUNT}",
        "queue:audit": "shop-dev-audit",
        "queue:orders": "shop-dev-orders",
        "stream:clicks": "shop-dev-clicks",
        "table:sessions": "shop-dev-sessions",
        "topic:shipped": "shop-dev-shipped",
    }
    assert set(mapping.values()) <= set(_physical(template).values())
    plain = sam_transform(template)
    assert allows(plain, "TakeOrderFunction", "s3:PutObject",
                  f"arn:aws:s3:::shop-dev-receipts-{ACCOUNT}/a.txt")  # fmt: skip
    assert not allows(plain, "TakeOrderFunction", "s3:PutObject", "arn:aws:s3:::receipts/a.txt")
    assert allows(plain, "CountClicksFunction", "sqs:SendMessage", queue_arn("shop-dev-audit"))


def test_an_existing_resource_is_referenced_not_created(tmp_path: Path) -> None:
    _, template = _built(tmp_path, "prod")
    names = _physical(template)
    assert "central-audit" not in names.values() and "AuditQueue" not in names
    assert physical_names(template)["queue:audit"] == "central-audit"
    plain = sam_transform(template)
    assert allows(plain, "CountClicksFunction", "sqs:SendMessage", queue_arn("central-audit"))
    assert not allows(plain, "CountClicksFunction", "sqs:SendMessage", queue_arn("shop-prod-audit"))


def test_every_created_resource_is_in_the_outputs(tmp_path: Path) -> None:
    _, template = _built(tmp_path, "dev")
    outputs = template["Outputs"]
    created = ("AWS::S3::Bucket", "AWS::SNS::Topic", "AWS::Kinesis::Stream", "AWS::DynamoDB::Table")
    for rid, res in template["Resources"].items():
        queue = rid.endswith("Queue") and "DeadLetter" not in rid and "Failed" not in rid
        if res["Type"] in created or queue:
            assert rid in outputs, rid
    assert json.dumps(outputs["OrdersQueue"]["Value"]) == '{"Ref": "OrdersQueue"}'
