"""A function's production settings in SAM: environment, secrets, concurrency, logging, VPC,
versions and gradual rollout.

- Environment, ``ReservedConcurrentExecutions``, ``LoggingConfig`` (JSON lines, application
  level from the stage), ``VpcConfig``, ``AutoPublishAlias`` with
  ``AutoPublishAliasAllProperties`` (a configuration-only change publishes a version too) and
  ``DeploymentPreference`` (CodeDeploy traffic shifting):
  https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html
- Lambda log levels: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
- Secrets: the template holds the secret's *name* in ``FAASKIT_SECRETS`` and grants reading it;
  ``faaskit_aws._secrets`` reads the values once per process, so they never appear in the
  template, the function configuration or the package.
"""

from __future__ import annotations

import json
from typing import Any

from faaskit import Secret
from faaskit.deploy._checks import environment
from faaskit.deploy._config import ROLLOUTS
from faaskit.deploy._model import Function, Settings

__all__ = ["ALIAS", "function_settings", "global_settings", "secret_statements"]

ALIAS = "live"
# Python logging level -> Lambda ApplicationLogLevel.
_LAMBDA_LEVELS = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARN", "ERROR": "ERROR"}


def _secret_arn(name: str, settings: Settings) -> str:
    if settings.config.aws_secrets == "ssm":
        return f"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/{name}"
    # Secrets Manager appends six random characters to a secret's ARN.
    return (
        f"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:"
        f"secret:{name}-??????"
    )


def secret_statements(fn: Function, settings: Settings) -> list[dict[str, Any]]:
    """IAM statements allowing ``fn`` to read exactly the secrets its environment names."""
    names = sorted({v.name for v in environment(fn, settings).values() if isinstance(v, Secret)})
    if not names:
        return []
    action = (
        "ssm:GetParameter" if settings.config.aws_secrets == "ssm"
        else "secretsmanager:GetSecretValue"
    )  # fmt: skip
    return [{
        "Effect": "Allow",
        "Action": [action],
        "Resource": [{"Fn::Sub": _secret_arn(name, settings)} for name in names],
    }]  # fmt: skip


def function_settings(fn: Function, settings: Settings) -> dict[str, Any]:
    """The function's own properties: environment (secrets by name), reserved concurrency."""
    env = environment(fn, settings)
    plain = {k: v for k, v in env.items() if isinstance(v, str)}
    secrets = {k: v.name for k, v in env.items() if isinstance(v, Secret)}
    if secrets:
        plain["FAASKIT_SECRETS"] = json.dumps(
            {"store": settings.config.aws_secrets, "names": secrets}, sort_keys=True
        )
    # Globals cannot carry it: a configuration-only change must publish a version too.
    props: dict[str, Any] = {"AutoPublishAliasAllProperties": True}
    if plain:
        props["Environment"] = {"Variables": dict(sorted(plain.items()))}
    if fn.concurrency is not None:
        props["ReservedConcurrentExecutions"] = fn.concurrency
    return props


def global_settings(settings: Settings) -> dict[str, Any]:
    """What every function gets: stage variables, logging, VPC, alias and rollout."""
    config = settings.config
    variables = {"FAASKIT_LOG_LEVEL": config.log_level}
    if config.metrics_namespace:
        variables["FAASKIT_METRICS_NAMESPACE"] = config.metrics_namespace
    if config.stage:
        variables["FAASKIT_STAGE"] = config.stage
    out: dict[str, Any] = {
        "Environment": {"Variables": variables},
        "LoggingConfig": {
            "LogFormat": "JSON",
            "ApplicationLogLevel": _LAMBDA_LEVELS[config.log_level],
            "SystemLogLevel": "INFO",
        },
        "AutoPublishAlias": ALIAS,
    }
    if config.rollout != "all-at-once":
        out["DeploymentPreference"] = {"Type": ROLLOUTS[config.rollout]}
    if config.aws_vpc is not None:
        out["VpcConfig"] = {
            "SubnetIds": list(config.aws_vpc.subnets),
            "SecurityGroupIds": list(config.aws_vpc.security_groups),
        }
    return out
