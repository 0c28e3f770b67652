"""Per-handler and per-stage production settings in the generated artifacts: environment,
secrets (by name only, with read permission), concurrency, logging, VPC, alias and rollout;
trigger-less functions on AWS; and what Azure cannot honour refused, every problem at once.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from faaskit.deploy import build
from faaskit.exceptions import ConfigurationError
from tests.deploy.helpers import functions_of, lint_errors, load_yaml, sam_transform
from tests.deploy.iam import ACCOUNT, REGION, allows

APP = """
import faaskit

@faaskit.handler(
    faaskit.http("GET", "/orders"),
    env={"TABLE": "orders", "DB_PASSWORD": faaskit.secret("db-password")},
    concurrency=5,
)
def orders(req, ctx):
    return {}

@faaskit.handler(name="recompute")
def recompute(event, ctx):
    return event
"""

TOML = """
[app]
name = "shop"
metrics_namespace = "Shop"
[env]
REGION_LABEL = "eu"
API_TOKEN = { secret = "api-token" }
[stages.prod]
rollout = "canary10-5m"
log_level = "WARNING"
[stages.prod.aws]
vpc = { subnets = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], \
        security_groups = ["sg-0123456789abcdef0"] }
"""
SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
SECRET_VALUE = "s3cr3t-value-that-must-not-leak"


def _app(tmp_path: Path, app: str = APP, toml: str = TOML) -> Path:
    folder = tmp_path / "shop"
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(textwrap.dedent(app), encoding="utf-8")
    (folder / "faaskit.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
    return folder / "app.py"


def _template(tmp_path: Path, stage: str | None = None) -> tuple[Path, dict]:
    out = tmp_path / f"out-{stage}"
    build(str(_app(tmp_path)), target="aws", out=out, stage=stage)
    path = out / "aws" / "template.yaml"
    return path, load_yaml(path)


def test_environment_concurrency_and_secrets_by_name(tmp_path: Path) -> None:
    path, template = _template(tmp_path)
    props = functions_of(template)["OrdersFunction"]["Properties"]
    variables = props["Environment"]["Variables"]
    assert variables["TABLE"] == "orders" and variables["REGION_LABEL"] == "eu"
    assert "DB_PASSWORD" not in variables and "API_TOKEN" not in variables
    secrets = json.loads(variables["FAASKIT_SECRETS"])
    assert secrets["names"] == {"DB_PASSWORD": "db-password", "API_TOKEN": "api-token"}
    assert props["ReservedConcurrentExecutions"] == 5
    assert props["AutoPublishAliasAllProperties"] is True
    glob = template["Globals"]["Function"]
    assert glob["Environment"]["Variables"]["FAASKIT_METRICS_NAMESPACE"] == "Shop"
    assert glob["LoggingConfig"] == {
        "LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO",
    }  # fmt: skip
    assert glob["AutoPublishAlias"] == "live" and "DeploymentPreference" not in glob
    assert lint_errors(path) == []


def test_each_function_may_read_exactly_its_secrets(tmp_path: Path) -> None:
    _, template = _template(tmp_path)
    plain = sam_transform(template)
    arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db-password-AbCdEf"
    other = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db-passwordx-AbCdEf"
    assert allows(plain, "OrdersFunction", "secretsmanager:GetSecretValue", arn)
    assert not allows(plain, "OrdersFunction", "secretsmanager:GetSecretValue", other)
    token = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:api-token-123456"
    assert allows(plain, "RecomputeFunction", "secretsmanager:GetSecretValue", token)
    assert not allows(plain, "RecomputeFunction", "secretsmanager:GetSecretValue", arn)
    assert not allows(plain, "OrdersFunction", "secretsmanager:PutSecretValue", arn)


def test_a_stage_sets_logging_vpc_and_gradual_rollout(tmp_path: Path) -> None:
    path, template = _template(tmp_path, "prod")
    glob = template["Globals"]["Function"]
    assert glob["LoggingConfig"]["ApplicationLogLevel"] == "WARN"
    assert glob["DeploymentPreference"] == {"Type": "Canary10Percent5Minutes"}
    assert glob["VpcConfig"] == {"SubnetIds": SUBNETS, "SecurityGroupIds": ["sg-0123456789abcdef0"]}
    assert glob["Environment"]["Variables"]["FAASKIT_STAGE"] == "prod"
    assert lint_errors(path) == []
    plain = sam_transform(template)
    types = {r["Type"] for r in plain["Resources"].values()}
    assert {
        "AWS::Lambda::Version",
        "AWS::Lambda::Alias",
        "AWS::CodeDeploy::DeploymentGroup",
    } <= types
    for resource in plain["Resources"].values():
        if resource["Type"] == "AWS::Lambda::Function":
            assert resource["Properties"]["VpcConfig"]["SubnetIds"] == [
                "subnet-0123456789abcdef0",
                "subnet-0123456789abcdef1",
            ]


def test_a_trigger_less_function_builds_for_aws_without_events(tmp_path: Path) -> None:
    _, template = _template(tmp_path)
    props = functions_of(template)["RecomputeFunction"]["Properties"]
    assert "Events" not in props and props["Handler"] == "app.recompute"
    plain = sam_transform(template)
    assert sum(r["Type"] == "AWS::Lambda::Function" for r in plain["Resources"].values()) == 2


def test_no_secret_value_and_no_toml_reach_the_artifacts(tmp_path: Path) -> None:
    app = _app(tmp_path)
    (app.parent / ".env").write_text(f"DB_PASSWORD={SECRET_VALUE}\n")
    out = tmp_path / "out"
    build(str(app), target="aws", out=out)
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET_VALUE.encode() not in path.read_bytes(), path


AZURE_BAD = """
import faaskit

LIMIT = {"rate": 5, "burst": 10}

@faaskit.handler(faaskit.http("GET", "/a", throttle=LIMIT), concurrency=50)
def limited(req, ctx):
    return {}

@faaskit.handler(faaskit.http("GET", "/b", cors={"origins": ["https://x.example"],
                                                 "methods": ["GET"]}))
def shared(req, ctx):
    return {}

@faaskit.handler(env={"KEY": faaskit.secret("api-key")})
def direct(event, ctx):
    return event

@faaskit.handler(faaskit.http("GET", "/ops", auth="iam"))
def signed(req, ctx):
    return {}
"""


def test_azure_refuses_what_it_cannot_honour_all_at_once(tmp_path: Path) -> None:
    toml = '[stages.prod]\nrollout = "linear10-1m"\n'
    app = _app(tmp_path, AZURE_BAD, toml)
    with pytest.raises(ConfigurationError) as caught:
        build(str(app), target="azure", out=tmp_path / "out", stage="prod")
    message = str(caught.value)
    for needle in (
        "handler 'limited': option 'throttle' cannot be enforced",
        "handler 'shared': cors option 'methods' cannot be honoured on Azure",
        "handler 'direct': has no trigger",
        "handler 'direct': env 'KEY' is a secret",
        "stage 'prod': rollout 'linear10-1m' needs a staging slot, which Azure plan 'flex'",
        "'limited'=50, 'shared'=None",
        "handler 'signed': option auth='iam' (AWS IAM request signing) has no Azure Functions",
    ):
        assert needle in message, (needle, message)
    assert not (tmp_path / "out").exists()
    # The same app builds for AWS, where every one of those is honoured.
    build(str(app), target="aws", out=tmp_path / "aws-out", stage="prod")


def test_acknowledged_throttles_build_for_azure(tmp_path: Path) -> None:
    app = """
    import faaskit

    @faaskit.handler(faaskit.http("GET", "/a", throttle={"rate": 5}))
    def limited(req, ctx):
        return {}

    @faaskit.handler(faaskit.http("GET", "/ops", auth="iam"))
    def signed(req, ctx):
        return {}
    """
    toml = '[azure]\nunenforced = ["iam", "throttle"]\n' \
           '[stages.prod.azure]\nplan = "consumption"\n' \
           'vnet = { subnet = "/subscriptions/0/resourceGroups/g/providers/Microsoft.Network/' \
           'virtualNetworks/v/subnets/s" }\n'  # fmt: skip
    path = _app(tmp_path, app, toml)
    build(str(path), target="azure", out=tmp_path / "out")
    with pytest.raises(ConfigurationError, match="VNet integration is not available on Azure "
                       "plan 'consumption'"):  # fmt: skip
        build(str(path), target="azure", out=tmp_path / "out", stage="prod")


def test_host_json_logs_the_functions_lines_at_the_stage_level(tmp_path: Path) -> None:
    app = """
    import faaskit

    @faaskit.handler(faaskit.http("GET", "/a"))
    def a(req, ctx):
        return {}
    """
    path = _app(tmp_path, app, '[stages.prod]\nlog_level = "ERROR"\n')
    build(str(path), target="azure", out=tmp_path / "out", stage="prod")
    host = json.loads((tmp_path / "out" / "azure" / "host.json").read_text())
    assert host["logging"]["logLevel"]["Function"] == "Error"
    assert "Trace" in host["logging"]["applicationInsights"]["samplingSettings"]["excludedTypes"]


@pytest.mark.parametrize(
    ("declared", "packages"),
    [
        ('reads=["s3://uploads"]', {"azure-storage-blob", "azure-identity"}),
        ('writes=["sqs://orders"]', {"azure-storage-queue", "azure-identity"}),
        ("", set()),
    ],
)
def test_azure_storage_clients_get_the_identity_library_the_template_connects_with(
    tmp_path: Path, declared: str, packages: set[str]
) -> None:
    app = f"""
    import faaskit

    @faaskit.handler(faaskit.http("GET", "/a"), {declared})
    def read(req, ctx):
        return {{}}
    """
    out = tmp_path / "out"
    build(str(_app(tmp_path, app, "")), target="azure", out=out)
    arm = (out / "azure" / "azuredeploy.json").read_text()
    assert "AzureWebJobsStorage__accountName" in arm  # the identity-based connection
    requirements = set((out / "azure" / "requirements.txt").read_text().split())
    storage = {"azure-storage-blob", "azure-storage-queue", "azure-identity"}
    assert requirements & storage == packages
