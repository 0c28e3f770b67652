"""Deploying ``@faaskit.idempotent`` handlers: the record store's lifecycle rule (S3 lifecycle
configuration, Azure Storage management policy) and the function's access to its records, and
the settings and grants the send side (topics, buses) needs.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from faaskit.deploy import load_app
from tests.deploy.helpers import functions_of, sam_transform
from tests.deploy.iam import ACCOUNT, REGION, allows

APP = """
import datetime
import faaskit

@faaskit.handler(faaskit.queue("orders"))
@faaskit.idempotent("s3://records/shop", expires=datetime.timedelta(hours=36))
def charge(message, ctx):
    return None

@faaskit.handler(faaskit.blob("records"))
@faaskit.idempotent("azure://records", expires=datetime.timedelta(minutes=5))
def audit(event, ctx):
    return None

@faaskit.handler(
    faaskit.http("POST", "/orders"),
    writes=["sns://placed", "events://shop", "servicebus-topic://placed", "eventgrid://grid.example"],
)
def place(req, ctx):
    return None

@faaskit.handler(faaskit.http("GET", "/local"))
@faaskit.idempotent("file:///tmp/records")
def local(req, ctx):
    return None
"""


def _load(tmp_path: Path) -> Any:
    path = tmp_path / "shop_app.py"
    path.write_text(textwrap.dedent(APP), encoding="utf-8")
    return load_app(str(path))


def _function_id(template: dict[str, Any], attr: str) -> str:
    (found,) = [
        key
        for key, value in functions_of(template).items()
        if value["Properties"]["Handler"].endswith(f".{attr}")
    ]
    return found


def test_sam_lifecycle_rule_and_record_access(tmp_path: Path) -> None:
    from faaskit_aws.deploy import template

    app = _load(tmp_path)
    made = template(app)
    bucket = made["Resources"]["RecordsBucket"]
    rules = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    (rule,) = [r for r in rules if r["Prefix"].startswith("shop/")]
    assert rule["Prefix"] == "shop/shop_app.charge/"
    assert rule["ExpirationInDays"] == 2  # 36 hours, in whole days
    assert rule["Status"] == "Enabled"

    plain = sam_transform(made)
    charge = _function_id(made, "charge")
    record = "arn:aws:s3:::records/shop/shop_app.charge/abc.json"
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
        assert allows(plain, charge, action, record), action
    local = _function_id(made, "local")
    assert not allows(plain, local, "s3:PutObject", record)

    place = _function_id(made, "place")
    assert allows(plain, place, "sns:Publish", f"arn:aws:sns:{REGION}:{ACCOUNT}:placed")
    assert allows(
        plain, place, "events:PutEvents", f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/shop"
    )
    assert not allows(plain, place, "sns:Publish", f"arn:aws:sns:{REGION}:{ACCOUNT}:other")


def test_azure_management_policy_role_and_settings(tmp_path: Path) -> None:
    from faaskit.deploy import Settings
    from faaskit_azure.deploy import build

    app = _load(tmp_path)
    out = tmp_path / "azure"
    out.mkdir()
    build(app, Settings(), out, workdir=tmp_path / "work")
    records = json.loads((out / "idempotency.json").read_text())
    policy, *roles = records["resources"]
    assert policy["type"] == "Microsoft.Storage/storageAccounts/managementPolicies"
    (rule,) = policy["properties"]["policy"]["rules"]
    assert rule["definition"]["filters"]["prefixMatch"] == ["records/shop_app.audit/"]
    assert rule["definition"]["actions"]["baseBlob"]["delete"] == {
        "daysAfterModificationGreaterThan": 1
    }
    (role,) = roles
    assert "'records'" in role["scope"]
    assert role["properties"]["roleDefinitionId"].endswith(
        "'ba92f5b4-2d11-453d-a403-e96b0029c9fe')]"
    )
    values = json.loads((out / "local.settings.json").read_text())["Values"]
    assert "ServiceBusConnection" in values
    assert "FAASKIT_EVENTGRID_KEY" in values
