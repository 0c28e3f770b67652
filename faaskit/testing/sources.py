"""The catalogue of event sources faaskit can fake, on both clouds.

Each :class:`Source` names a factory; :func:`event` renders one with keyword arguments (the
factory's parameters) and dotted-path overrides (``requestContext.stage``) applied on top.
AWS sources give the Lambda event (a dict); Azure sources give an invocation spec that
:func:`native` turns into the ``azure.functions`` object.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from faaskit.exceptions import ConfigurationError
from faaskit.testing import aws_bus, aws_events, aws_http, aws_streams, azure_events
from faaskit.testing._common import set_path

__all__ = ["SOURCES", "Source", "default_source", "event", "find", "native"]


@attrs.frozen(kw_only=True)
class Source:
    """One fakeable event source: ``aws:sqs``, ``azure:queue``, ..."""

    platform: str
    name: str
    kind: str
    factory: Callable[..., Any]
    summary: str

    @property
    def id(self) -> str:
        """``platform:name``."""
        return f"{self.platform}:{self.name}"

    def parameters(self) -> list[str]:
        """The factory's parameter names (the overrides it takes by name)."""
        return list(inspect.signature(self.factory).parameters)


_TABLE: list[tuple[str, str, str, Callable[..., Any], str]] = [
    ("aws", "apigw-v2", "http", aws_http.apigw_v2, "API Gateway HTTP API (payload 2.0)"),
    ("aws", "apigw-v1", "http", aws_http.apigw_v1, "API Gateway REST API proxy (payload 1.0)"),
    ("aws", "alb", "http", aws_http.alb, "Application Load Balancer target"),
    ("aws", "function-url", "http", aws_http.function_url, "Lambda Function URL"),
    ("aws", "s3", "blob", aws_events.s3, "S3 event notification"),
    ("aws", "s3-sqs", "blob", aws_events.s3_sqs, "S3 notification delivered through SQS"),
    ("aws", "s3-sns", "blob", aws_events.s3_sns, "S3 notification published to SNS"),
    ("aws", "s3-eventbridge", "blob", aws_bus.s3_eventbridge, "S3 event through EventBridge"),
    ("aws", "sqs", "message", aws_events.sqs, "SQS batch"),
    ("aws", "sqs-fifo", "message", aws_events.sqs, "SQS FIFO batch (fifo=true)"),
    ("aws", "sns", "message", aws_events.sns, "SNS notification"),
    ("aws", "sns-sqs", "message", aws_events.sns_sqs, "SNS notification delivered through SQS"),
    ("aws", "eventbridge", "event", aws_bus.eventbridge, "EventBridge event"),
    ("aws", "schedule", "schedule", aws_bus.schedule, "EventBridge scheduled rule"),
    ("aws", "scheduler", "schedule", aws_bus.scheduler, "EventBridge Scheduler"),
    ("aws", "kinesis", "stream", aws_streams.kinesis, "Kinesis Data Streams batch"),
    ("aws", "dynamodb", "stream", aws_streams.dynamodb, "DynamoDB Streams record"),
    ("azure", "http", "http", azure_events.http, "HTTP trigger (func.HttpRequest)"),
    ("azure", "blob", "blob", azure_events.blob, "Blob trigger (func.InputStream)"),
    (
        "azure",
        "eventgrid-blob",
        "blob",
        azure_events.blob_created_eventgrid,
        "Event Grid BlobCreated, Event Grid schema",
    ),
    (
        "azure",
        "cloudevent-blob",
        "blob",
        azure_events.blob_created_cloudevent,
        "Event Grid BlobCreated, CloudEvents schema",
    ),
    ("azure", "queue", "message", azure_events.queue, "Storage Queue (func.QueueMessage)"),
    ("azure", "servicebus", "message", azure_events.servicebus, "Service Bus message"),
    (
        "azure",
        "servicebus-batch",
        "message",
        azure_events.servicebus_batch,
        "Service Bus batch (cardinality many)",
    ),
    ("azure", "eventgrid", "event", azure_events.eventgrid, "Event Grid event"),
    ("azure", "timer", "schedule", azure_events.timer, "Timer trigger (func.TimerRequest)"),
    ("azure", "eventhub", "stream", azure_events.eventhub, "Event Hubs event"),
    ("azure", "cosmos", "stream", azure_events.cosmos, "Cosmos DB change feed (DocumentList)"),
]

SOURCES: dict[str, Source] = {
    f"{p}:{n}": Source(platform=p, name=n, kind=k, factory=f, summary=s) for p, n, k, f, s in _TABLE
}

_DEFAULTS = {
    ("aws", "http"): "aws:apigw-v2",
    ("aws", "blob"): "aws:s3",
    ("aws", "message"): "aws:sqs",
    ("aws", "event"): "aws:eventbridge",
    ("aws", "schedule"): "aws:schedule",
    ("aws", "stream"): "aws:kinesis",
    ("azure", "http"): "azure:http",
    ("azure", "blob"): "azure:blob",
    ("azure", "message"): "azure:queue",
    ("azure", "event"): "azure:eventgrid",
    ("azure", "schedule"): "azure:timer",
    ("azure", "stream"): "azure:eventhub",
}


def default_source(kind: str, platform: str) -> Source:
    """The usual source of ``kind`` events on ``platform`` (``message`` on aws: ``aws:sqs``)."""
    try:
        return SOURCES[_DEFAULTS[(platform, kind)]]
    except KeyError:
        raise ConfigurationError(
            f"no default {platform} event source for {kind!r} handlers; name one with --source"
        ) from None


def find(name: str, platform: str | None = None) -> Source:
    """The source called ``name`` (``aws:sqs``, or ``sqs`` when only one platform has it)."""
    if name in SOURCES:
        found = SOURCES[name]
        if platform and found.platform != platform:
            raise ConfigurationError(f"event source {name!r} is not a {platform} source")
        return found
    matches = [
        s
        for s in SOURCES.values()
        if s.name == name and (platform is None or s.platform == platform)
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        options = " or ".join(s.id for s in matches)
        raise ConfigurationError(f"event source {name!r} is ambiguous: say {options}")
    elsewhere = [s.id for s in SOURCES.values() if s.name == name]
    if elsewhere:
        raise ConfigurationError(
            f"event source {name!r} is not an {platform} source (there is {elsewhere[0]}); "
            "run 'faaskit events' to list them"
        )
    import difflib

    close = difflib.get_close_matches(name, [*SOURCES, *{s.name for s in SOURCES.values()}], 3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ConfigurationError(
        f"unknown event source {name!r}{hint} (run 'faaskit events' to list them)"
    )


def event(source: str | Source, /, **overrides: Any) -> Any:
    """Render ``source``: factory parameters by name, anything else as a dotted-path override.

    ``event("aws:sqs", body="hi", **{"Records.0.awsRegion": "eu-west-1"})``.
    """
    src = source if isinstance(source, Source) else find(source)
    names = set(src.parameters())
    if src.id == "aws:sqs-fifo":
        overrides.setdefault("fifo", True)
    kwargs = {k: v for k, v in overrides.items() if k in names}
    rest = {k: v for k, v in overrides.items() if k not in names}
    try:
        document = src.factory(**kwargs)
    except TypeError as exc:
        raise ConfigurationError(f"{src.id}: {exc}") from exc
    for path, value in rest.items():
        if "." not in path and path not in document:
            options = ", ".join(sorted(names))
            raise ConfigurationError(
                f"{src.id} has no parameter or field {path!r}; parameters: {options}; "
                "use a dotted path (a.b.c) to set any field of the event"
            )
        set_path(document, path, value)
    return document


def native(platform: str, document: Any) -> Any:
    """The object a handler receives on ``platform`` for a rendered event document."""
    if platform == "azure" and isinstance(document, Mapping) and "binding" in document:
        from faaskit.testing.azure_objects import build

        return build(document)
    return document
