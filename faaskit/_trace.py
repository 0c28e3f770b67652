"""Trace context: what a producer passes on with a message, in the formats services expect.

The current trace is, first found: the Lambda runtime's X-Ray header (``_X_AMZN_TRACE_ID``,
set for each invocation), then the current OpenTelemetry span when OpenTelemetry is already
imported and a span is recording (:mod:`faaskit._otel`). X-Ray headers and W3C
``traceparent`` values convert both ways:
https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
https://www.w3.org/TR/trace-context/#traceparent-header
"""

from __future__ import annotations

import os
import re
import sys

__all__ = ["current", "to_traceparent", "to_xray"]

_TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_ROOT = re.compile(r"Root=1-([0-9a-f]{8})-([0-9a-f]{24})")
_PARENT = re.compile(r"Parent=([0-9a-f]{16})")
_SAMPLED = re.compile(r"Sampled=([01])")


def current() -> str | None:
    """The trace context of the running code (X-Ray header or ``traceparent``), or None."""
    header = os.environ.get("_X_AMZN_TRACE_ID")
    if header:
        return header
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return None
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"


def to_xray(trace: str | None) -> str | None:
    """``trace`` as an X-Ray header (``Root=1-...;Parent=...;Sampled=...``), or None."""
    if not trace:
        return None
    if _ROOT.search(trace):
        return trace
    found = _TRACEPARENT.fullmatch(trace.strip())
    if found is None:
        return None
    trace_id, span_id, flags = found.groups()
    sampled = int(flags, 16) & 1
    return f"Root=1-{trace_id[:8]}-{trace_id[8:]};Parent={span_id};Sampled={sampled}"


def to_traceparent(trace: str | None) -> str | None:
    """``trace`` as a W3C ``traceparent``, or None (an X-Ray header needs its ``Parent``)."""
    if not trace:
        return None
    if _TRACEPARENT.fullmatch(trace.strip()):
        return trace.strip()
    root, parent = _ROOT.search(trace), _PARENT.search(trace)
    if root is None or parent is None:
        return None
    sampled = _SAMPLED.search(trace)
    flags = "01" if sampled is not None and sampled.group(1) == "1" else "00"
    return f"00-{root.group(1)}{root.group(2)}-{parent.group(1)}-{flags}"
