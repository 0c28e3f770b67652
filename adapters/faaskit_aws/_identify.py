"""Names for AWS event sources faaskit does not normalize, for :class:`UnsupportedEventError`.

:func:`identify` looks at an event's outline (the fields each service documents as its own) and
names the service, so the error says ``source: cognito`` rather than listing keys. The shapes
come from each service's "using AWS Lambda with ..." page in the Lambda developer guide:
https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["identify"]

# ``Records[].eventSource`` (or ``EventSource``) values and the names they stand for.
_RECORD_SOURCES = {
    "aws:ses": "ses",
    "aws:codecommit": "codecommit",
    "aws:s3": "s3",
    "aws:sqs": "sqs",
    "aws:sns": "sns",
    "aws:kinesis": "kinesis",
    "aws:dynamodb": "dynamodb",
}

# Top-level ``eventSource`` values of batched sources faaskit does not normalize.
_EVENT_SOURCES = {
    "aws:amq": "amazon-mq",
    "aws:rmq": "amazon-mq",
    "aws:kafka": "kafka",
    "aws:SelfManagedKafka": "kafka",
    "aws:docdb": "documentdb",
}

# (required top-level keys, name): the first rule whose keys are all present wins.
_KEY_RULES: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(keys.split()), name)
    for keys, name in (
        ("awslogs", "cloudwatch-logs"),
        ("triggerSource userPoolId", "cognito"),
        ("identityPoolId datasetName", "cognito-sync"),
        ("methodArn", "apigw-authorizer"),
        ("routeArn type", "apigw-authorizer"),
        ("CodePipeline.job", "codepipeline"),
        ("RequestType ResponseURL StackId", "cloudformation"),
        ("DeploymentId LifecycleEventHookExecutionId", "codedeploy"),
        ("configRuleArn invokingEvent", "config"),
        ("actionGroup agent", "bedrock-agent"),
        ("alarmArn alarmData", "cloudwatch-alarm"),
        ("widgetContext", "cloudwatch-dashboard"),
        ("invocationSchemaVersion tasks", "s3-batch"),
        ("getObjectContext", "s3-object-lambda"),
        ("SecretId ClientRequestToken Step", "secrets-manager"),
        ("deliveryStreamArn records", "firehose"),
        ("deliverySteamArn records", "firehose"),
        ("invocationId records region", "firehose"),
        ("applicationArn records", "kinesis-analytics"),
        ("labelingJobArn", "sagemaker-ground-truth"),
        ("summaryVersion envelope", "workmail"),
        ("Details Name", "connect"),
        ("currentIntent bot", "lex"),
        ("sessionState bot", "lex-v2"),
        ("session request context", "alexa"),
        ("header payload", "alexa-smart-home"),
        ("isAuthorized", "appsync"),
        ("arguments identity", "appsync"),
        ("arguments fieldName", "appsync"),
        ("authorizationToken requestContext", "appsync"),
        ("raw_path method", "vpc-lattice"),
        ("Error Cause", "step-functions"),
        ("jobDefinition jobName jobQueue", "batch"),
    )
)


def _records_source(raw: Mapping[str, Any]) -> str | None:
    batch = raw.get("Records")
    if not isinstance(batch, list) or not batch or not isinstance(batch[0], Mapping):
        return None
    first = batch[0]
    if "cf" in first:
        return "cloudfront"
    name = first.get("eventSource") or first.get("EventSource")
    if isinstance(name, str):
        return _RECORD_SOURCES.get(name, name.removeprefix("aws:"))
    return None


def _request_context(raw: Mapping[str, Any]) -> str | None:
    context = raw.get("requestContext")
    if not isinstance(context, Mapping):
        return None
    if "connectionId" in context and "eventType" in context:
        return "apigw-websocket"
    if "serviceNetworkArn" in context:
        return "vpc-lattice-v2"
    return None


def identify(raw: Any) -> str:
    """The AWS service that sent ``raw``, as a short name; ``"unknown"`` when unrecognised."""
    if isinstance(raw, list):
        if raw and all(isinstance(item, Mapping) for item in raw):
            names = {identify(item) for item in raw}
            if len(names) == 1:
                return names.pop()
        return "unknown"
    if not isinstance(raw, Mapping):
        return "unknown"
    source = raw.get("eventSource")
    if isinstance(source, str) and source in _EVENT_SOURCES:
        return _EVENT_SOURCES[source]
    named = _records_source(raw)
    if named:
        return named
    keys = raw.keys()
    for required, name in _KEY_RULES:
        if required <= keys:
            return name
    named = _request_context(raw)
    if named:
        return named
    if "jobId" in keys and len(keys) == 1:
        return "batch"
    if isinstance(raw.get("source"), str) and str(raw["source"]).startswith("aws."):
        return str(raw["source"]).replace("aws.", "", 1)
    return "unknown"
