"""Fake invocation contexts: a Lambda context object and an ``azure.functions.Context``.

Lambda context attributes: https://docs.aws.amazon.com/lambda/latest/dg/python-context.html
Azure context: https://learn.microsoft.com/azure/azure-functions/functions-reference-python#context
"""

from __future__ import annotations

import functools
import os
import time
from typing import Any

import attrs

from faaskit.testing._common import ACCOUNT, REGION, new_id

__all__ = ["LambdaContext", "azure_context", "lambda_context"]


@attrs.frozen(kw_only=True)
class LambdaContext:
    """What Lambda passes as a handler's second argument, with a real countdown."""

    function_name: str = "local-function"
    function_version: str = "$LATEST"
    invoked_function_arn: str = ""
    memory_limit_in_mb: int = 128
    aws_request_id: str = attrs.field(factory=new_id)
    log_group_name: str = ""
    log_stream_name: str = "2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef"
    identity: Any = None
    client_context: Any = None
    tenant_id: str | None = None
    deadline_ms: int = 0

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the (fake) timeout."""
        return max(0, self.deadline_ms - int(time.time() * 1000))


def lambda_context(
    function_name: str = "local-function",
    *,
    timeout: float = 3.0,
    memory_mb: int = 128,
    request_id: str | None = None,
    region: str | None = None,
) -> LambdaContext:
    """A Lambda context for ``function_name`` whose deadline is ``timeout`` seconds away."""
    region = region or os.environ.get("AWS_REGION") or REGION
    return LambdaContext(
        function_name=function_name,
        invoked_function_arn=f"arn:aws:lambda:{region}:{ACCOUNT}:function:{function_name}",
        memory_limit_in_mb=memory_mb,
        aws_request_id=request_id or new_id(),
        log_group_name=f"/aws/lambda/{function_name}",
        deadline_ms=int(time.time() * 1000 + timeout * 1000),
    )


@functools.lru_cache(maxsize=1)
def _azure_classes() -> tuple[type[Any], type[Any], type[Any]]:
    import threading

    from azure.functions import _abc as func

    class TraceContext(func.TraceContext):
        def __init__(self, trace_parent: str, trace_state: str) -> None:
            self._parent, self._state = trace_parent, trace_state

        @property
        def trace_parent(self) -> str:
            return self._parent

        @property
        def trace_state(self) -> str:
            return self._state

        @property
        def attributes(self) -> dict[str, str]:
            return {}

    class RetryContext(func.RetryContext):
        def __init__(self, retry_count: int, max_retry_count: int) -> None:
            self._count, self._max = retry_count, max_retry_count

        @property
        def retry_count(self) -> int:
            return self._count

        @property
        def max_retry_count(self) -> int:
            return self._max

        @property
        def exception(self) -> Any:
            return None

    class Context(func.Context):
        def __init__(
            self, invocation_id: str, function_name: str, directory: str, trace: Any, retry: Any
        ) -> None:
            self._id, self._name, self._dir = invocation_id, function_name, directory
            self._trace, self._retry = trace, retry
            self._local = threading.local()

        @property
        def invocation_id(self) -> str:
            return self._id

        @property
        def function_name(self) -> str:
            return self._name

        @property
        def function_directory(self) -> str:
            return self._dir

        @property
        def thread_local_storage(self) -> Any:
            return self._local

        @property
        def trace_context(self) -> Any:
            return self._trace

        @property
        def retry_context(self) -> Any:
            return self._retry

    return Context, TraceContext, RetryContext


def azure_context(
    function_name: str = "local_function",
    *,
    invocation_id: str | None = None,
    trace_parent: str | None = None,
    retry_count: int = 0,
    max_retry_count: int = 0,
    function_directory: str | None = None,
) -> Any:
    """An ``azure.functions.Context`` with an invocation id and a W3C trace context."""
    context_cls, trace_cls, retry_cls = _azure_classes()
    trace = trace_parent or f"00-{new_id().replace('-', '')}-{new_id().replace('-', '')[:16]}-01"
    return context_cls(
        invocation_id or new_id(),
        function_name,
        function_directory or os.getcwd(),
        trace_cls(trace, ""),
        retry_cls(retry_count, max_retry_count),
    )
