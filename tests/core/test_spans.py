"""OpenTelemetry spans: one per invocation with the FaaS semantic conventions, only when a
tracer provider is configured; a message's producer context is a link."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import faaskit
from faaskit.testing import aws_event, azure_event, invoke

pytest.importorskip("opentelemetry.sdk")

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

PRODUCER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    yield exporter


def test_an_http_invocation_is_a_server_span_with_faas_attributes(
    spans: InMemorySpanExporter,
) -> None:
    @faaskit.handler(faaskit.http("GET", "/hi"))
    def hi(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
        current = trace.get_current_span().get_span_context()
        return {"trace": f"{current.trace_id:032x}"}

    response = invoke(hi, aws_event("apigw-v2", path="/hi"))
    (span,) = spans.get_finished_spans()
    assert span.kind == trace.SpanKind.SERVER
    attributes = dict(span.attributes or {})
    assert attributes["faas.trigger"] == "http"
    assert attributes["faas.name"] == "hi"
    assert attributes["cloud.provider"] == "aws"
    assert isinstance(attributes["faas.coldstart"], bool)
    assert attributes["faas.invocation_id"]
    assert f"{span.context.trace_id:032x}" in str(response)  # current while the handler ran


def test_a_message_links_to_its_producer_and_a_failure_is_recorded(
    spans: InMemorySpanExporter,
) -> None:
    @faaskit.handler(faaskit.queue("orders", batch=True))
    def consume(batch: faaskit.MessageBatch, ctx: faaskit.Context) -> None:
        pass

    @faaskit.handler(faaskit.queue("orders"))
    def failing(message: faaskit.Message, ctx: faaskit.Context) -> None:
        raise RuntimeError("cannot")

    event = aws_event("sqs", body="hi")
    event["Records"][0]["attributes"]["AWSTraceHeader"] = PRODUCER
    invoke(consume, event)
    (span,) = spans.get_finished_spans()
    assert span.kind == trace.SpanKind.CONSUMER
    assert dict(span.attributes or {})["faas.trigger"] == "pubsub"
    (link,) = span.links
    assert f"{link.context.trace_id:032x}" == "5759e988bd862e3fe1be46a994272793"
    assert f"{link.context.span_id:016x}" == "53995c3f42cd8ad8"
    with pytest.raises(Exception, match="cannot"):  # Azure: a failed message raises
        invoke(failing, azure_event("queue", body="hi"), platform="azure")
    failed = spans.get_finished_spans()[-1]
    assert failed.status.status_code == trace.StatusCode.ERROR
    assert dict(failed.attributes or {})["cloud.provider"] == "azure"


def test_no_span_without_a_configured_provider() -> None:
    from faaskit._otel import tracer

    assert tracer() is None  # the API's default proxy provider counts as not configured
