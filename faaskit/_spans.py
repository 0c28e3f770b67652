"""One OpenTelemetry span per invocation, when the application configured a tracer provider.

Attributes follow the FaaS semantic conventions
(https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/): ``faas.trigger``,
``faas.invocation_id``, ``faas.coldstart``, ``faas.name``, ``cloud.provider``,
``cloud.region``. The platform's trace context (X-Ray header, Azure ``traceparent``) is the
parent; a message's producer context (``Message.trace_id``) becomes a link. The span is the
current span while the handler runs, so a queue send passes it on (:mod:`faaskit._trace`),
and ends when the invocation does (:mod:`faaskit._finish`), with the error if it failed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from faaskit._finish import on_finish
from faaskit._otel import tracer
from faaskit._trace import to_traceparent

if TYPE_CHECKING:
    from types import ModuleType

    from opentelemetry.trace import Link, SpanContext

    from faaskit._context import Context

__all__ = ["start"]

_TRIGGERS = {
    "HttpRequest": "http",
    "Message": "pubsub",
    "MessageBatch": "pubsub",
    "CloudEvent": "pubsub",
    "BlobEvent": "datasource",
    "Record": "datasource",
    "RecordBatch": "datasource",
    "ScheduleEvent": "timer",
}
_started: set[int] = set()


def _span_context(trace: ModuleType, value: str | None) -> SpanContext | None:
    parent = to_traceparent(value)
    if parent is None:
        return None
    _, trace_id, span_id, flags = parent.split("-")
    context: SpanContext = trace.SpanContext(
        int(trace_id, 16),
        int(span_id, 16),
        is_remote=True,
        trace_flags=trace.TraceFlags(int(flags, 16)),
    )
    return context


def start(ctx: Context, event: object) -> None:
    """Start the invocation's span, if a tracer provider is configured (once per ``ctx``)."""
    found = tracer()
    if found is None or id(ctx) in _started:
        return
    trace = sys.modules["opentelemetry.trace"]
    context_api = sys.modules["opentelemetry.context"]
    trigger = _TRIGGERS.get(type(event).__name__, "other")
    attributes: dict[str, str | bool] = {
        "faas.trigger": trigger,
        "faas.invocation_id": ctx.request_id,
        "faas.coldstart": bool(ctx.cold_start),
        "faas.name": ctx.function_name,
    }
    if ctx.platform in ("aws", "azure"):
        attributes["cloud.provider"] = ctx.platform
    if ctx.region:
        attributes["cloud.region"] = ctx.region
    messages = getattr(event, "messages", None) or ([event] if trigger == "pubsub" else [])
    links: list[Link] = []
    for message in messages:
        producer = _span_context(trace, getattr(message, "trace_id", None))
        if producer is not None:
            links.append(trace.Link(producer))
    parent_context = _span_context(trace, ctx.trace_id)
    parent = None
    if parent_context is not None:
        parent = trace.set_span_in_context(trace.NonRecordingSpan(parent_context))
    kind = trace.SpanKind.SERVER if trigger == "http" else trace.SpanKind.CONSUMER
    span = found.start_span(
        ctx.function_name, context=parent, kind=kind, attributes=attributes, links=links
    )
    token = context_api.attach(trace.set_span_in_context(span))
    _started.add(id(ctx))

    def end(error: BaseException | None) -> None:
        _started.discard(id(ctx))
        if error is not None:
            span.record_exception(error)
            span.set_status(trace.Status(trace.StatusCode.ERROR, str(error)))
        context_api.detach(token)
        span.end()

    on_finish(ctx, end)
